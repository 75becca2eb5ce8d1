import { useEffect, useRef } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useBoardContext } from '../board/BoardPage.tsx'
import { presentationOf } from './presentation.ts'
import { zoomToSlide } from './slides.ts'

/** A slide older than this, found on opening the board, is yesterday's: the team is working, not pitching. */
const STALE_ON_OPEN_MS = 30 * 60_000
/** The slide's shape may reach this board a moment after the live state says to show it. */
const RETRY_MS = 150
const GIVE_UP_MS = 10_000

/**
 * Everyone with the board open but the presenter shows the presenter's current slide, on every
 * change. Viewers (projection screen, jury) also refit it when their view changes size.
 */
export function SlideFollower() {
  const editor = useEditor()
  const { live } = useBoardContext()
  const slides = live?.slides
  const clockOffsetMs = live?.clockOffsetMs ?? 0
  const slideId = slides?.frameIds[slides.index]
  const at = slides?.at
  const mine = slides !== undefined && slides.presenter === editor.user.getId()
  const presenting = useValue('presenting', () => presentationOf(editor).get() !== null, [editor])
  const viewer = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const viewport = useValue('viewport size', () => `${editor.getViewportScreenBounds().w}x${editor.getViewportScreenBounds().h}`, [editor])
  const refit = viewer ? viewport : ''
  const opened = useRef(true)
  // Read when a slide arrives, never a reason to show it again (a lock, a new clock measure).
  const openedAs = useRef({ viewer, clockOffsetMs })
  openedAs.current = { viewer, clockOffsetMs }

  // `refit` is no input of the effect but its trigger: a viewer's view changed size.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (slideId === undefined || at === undefined || mine || presenting) return undefined
    const onOpen = opened.current
    opened.current = false
    const { viewer: isViewer, clockOffsetMs: offset } = openedAs.current
    if (onOpen && !isViewer && Date.now() + offset - at > STALE_ON_OPEN_MS) return undefined
    if (zoomToSlide(editor, slideId)) return undefined
    const retry = setInterval(() => {
      if (zoomToSlide(editor, slideId)) clearInterval(retry)
    }, RETRY_MS)
    const giveUp = setTimeout(() => clearInterval(retry), GIVE_UP_MS)
    return () => {
      clearInterval(retry)
      clearTimeout(giveUp)
    }
  }, [editor, slideId, at, mine, presenting, refit])

  return null
}
