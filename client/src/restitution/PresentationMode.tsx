import { useEffect, useMemo, useRef, useState } from 'react'
import { type Editor, useEditor, useValue } from 'tldraw'
import { useBoardContext } from '../board/BoardPage.tsx'
import { useErrorText } from '../event/ui.tsx'
import { latestOnly } from './latestOnly.ts'
import { moveSlide, type Presentation, presentationElement, presentationOf, SLIDE_KEYS, stopPresentation } from './presentation.ts'
import { restitutionApi } from './restitutionApi.ts'
import { zoomToSlide } from './slides.ts'
import { useSay } from './strings.ts'
import './restitution.css'

/** What a board looks like while presenting: no chrome, nothing editable; restored afterwards. */
function enterPresentation(editor: Editor): () => void {
  const before = editor.getInstanceState()
  const element = presentationElement(editor)
  editor.selectNone()
  editor.updateInstanceState({ isFocusMode: true, isReadonly: true })
  element.classList.add('presenting')
  return () => {
    element.classList.remove('presenting')
    // The board's own mode may have changed meanwhile (a lock): it wins over what it was before.
    const mode = editor.store.props.collaboration?.mode?.get()
    editor.updateInstanceState({ isFocusMode: before.isFocusMode, isReadonly: mode ? mode === 'readonly' : before.isReadonly })
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {})
  }
}

/** Keys change slides, Esc (or leaving full screen) ends; tldraw never sees those keys meanwhile. */
function listenWhilePresenting(editor: Editor): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      stopPresentation(editor)
      return
    }
    // Space on one of the overlay's buttons presses that button.
    if (event.key === ' ' && event.target instanceof HTMLButtonElement) return
    const step = SLIDE_KEYS[event.key]
    if (step === undefined || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    event.stopPropagation()
    moveSlide(editor, event.shiftKey && event.key === ' ' ? -1 : step)
  }
  const onFullscreen = () => {
    if (!document.fullscreenElement) stopPresentation(editor)
  }
  window.addEventListener('keydown', onKey, true)
  document.addEventListener('fullscreenchange', onFullscreen)
  return () => {
    window.removeEventListener('keydown', onKey, true)
    document.removeEventListener('fullscreenchange', onFullscreen)
  }
}

/** The presenter's side: full screen, one slide at a time, each change sent for the followers. */
export function PresentationMode() {
  const editor = useEditor()
  const presentation = useValue('presentation', () => presentationOf(editor).get(), [editor])
  const active = presentation !== null
  useEffect(() => {
    if (!active) return undefined
    const leave = enterPresentation(editor)
    const unlisten = listenWhilePresenting(editor)
    return () => {
      unlisten()
      leave()
    }
  }, [editor, active])
  return presentation ? <PresentingOverlay editor={editor} presentation={presentation} /> : null
}

function PresentingOverlay({ editor, presentation }: { editor: Editor; presentation: Presentation }) {
  const say = useSay()
  // In a ref: a change of language is no reason to send the slide again.
  const currentErrorText = useErrorText()
  const errorText = useRef(currentErrorText)
  errorText.current = currentErrorText
  const { claims, token, boardId } = useBoardContext()
  const [error, setError] = useState<string>()
  const { frameIds, index } = presentation
  const slideId = frameIds[index]
  // Going full screen resizes the view after the first slide was fitted: fit it again.
  const viewport = useValue('viewport size', () => `${editor.getViewportScreenBounds().w}x${editor.getViewportScreenBounds().h}`, [editor])

  useEffect(() => {
    if (viewport) zoomToSlide(editor, slideId)
  }, [editor, slideId, viewport])

  const show = useMemo(() => {
    if (!claims || !token) return undefined
    return latestOnly(
      (slides: { frameIds: string[]; index: number; presenter: string }) => restitutionApi.showSlide(claims.eventId, boardId, token, slides),
      (caught) => setError(caught === undefined ? undefined : errorText.current(caught)),
    )
  }, [claims, token, boardId])

  useEffect(() => {
    show?.({ frameIds, index, presenter: editor.user.getId() })
  }, [editor, show, frameIds, index])

  return (
    <div className="presenting-overlay" data-testid="presentation" data-slide-id={slideId}>
      <p className="presenting-count" aria-live="polite">
        {say('slideOf', { n: index + 1, total: frameIds.length })}
      </p>
      <button type="button" className="secondary" onClick={() => moveSlide(editor, -1)} disabled={index === 0}>
        {say('previous')}
      </button>
      <button type="button" className="secondary" onClick={() => moveSlide(editor, 1)} disabled={index === frameIds.length - 1}>
        {say('next')}
      </button>
      <button type="button" className="secondary" onClick={() => stopPresentation(editor)}>
        {say('end')}
      </button>
      {error && (
        <p role="alert" className="presenting-error">
          {say('notShared', { reason: error })}
        </p>
      )}
    </div>
  )
}
