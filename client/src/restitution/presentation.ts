import { type Atom, atom, type Editor } from 'tldraw'

/** The slides being presented from this editor, and the one on screen. */
export interface Presentation {
  frameIds: string[]
  index: number
}

// Per editor, not per React tree: the button that starts a presentation lives in tldraw's panel,
// which unmounts once focus mode hides the UI; the presentation itself must outlive it.
const presentations = new WeakMap<Editor, Atom<Presentation | null>>()

export function presentationOf(editor: Editor): Atom<Presentation | null> {
  let found = presentations.get(editor)
  if (!found) {
    found = atom<Presentation | null>('presentation', null)
    presentations.set(editor, found)
  }
  return found
}

/** The element that goes full screen: the whole board page, so that our overlays come along. */
export function presentationElement(editor: Editor): HTMLElement {
  const container = editor.getContainer()
  return container.closest<HTMLElement>('.board-page') ?? container
}

/** Call from the click itself: browsers grant full screen only in answer to a gesture. */
export function startPresentation(editor: Editor, frameIds: string[]): void {
  const element = presentationElement(editor)
  if (typeof element.requestFullscreen === 'function' && !document.fullscreenElement) {
    // Refused (an iframe, a phone): the presentation goes on in the window.
    element.requestFullscreen().catch(() => {})
  }
  presentationOf(editor).set({ frameIds, index: 0 })
}

export function stopPresentation(editor: Editor): void {
  presentationOf(editor).set(null)
}

/** Moves by `step` slides, staying within the first and the last. */
export function moveSlide(editor: Editor, step: number): void {
  const state = presentationOf(editor)
  const current = state.get()
  if (!current) return
  const index = Math.min(current.frameIds.length - 1, Math.max(0, current.index + step))
  if (index !== current.index) state.set({ ...current, index })
}

/** Keys of a keyboard and of the usual presentation clickers (they send PageDown / PageUp). */
export const SLIDE_KEYS: Readonly<Record<string, number>> = {
  ArrowRight: 1,
  ArrowDown: 1,
  PageDown: 1,
  ' ': 1,
  ArrowLeft: -1,
  ArrowUp: -1,
  PageUp: -1,
  Home: Number.NEGATIVE_INFINITY,
  End: Number.POSITIVE_INFINITY,
}
