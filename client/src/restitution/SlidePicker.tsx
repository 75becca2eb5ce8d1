import type { SlideState } from '@fabrique/protocol'
import { useEffect, useId, useRef, useState } from 'react'
import { type Editor, useEditor } from 'tldraw'
import { useBoardContext } from '../board/BoardPage.tsx'
import { type Locale, useLocale } from '../i18n.tsx'
import { startPresentation } from './presentation.ts'
import { type SlideCandidate, slideCandidates } from './slides.ts'
import { say as sayIn, useSay } from './strings.ts'
import { useCanPresent } from './useCanPresent.ts'
import './restitution.css'

interface SlideChoice extends SlideCandidate {
  on: boolean
}

/**
 * The list to start from: the team's last chosen order when there is one (kept on the live board,
 * so that any member finds it), else the pitch sections ticked, then the other frames unticked.
 */
function initialChoices(candidates: SlideCandidate[], last: SlideState | undefined): SlideChoice[] {
  const chosen = (last?.frameIds ?? []).flatMap((id) => candidates.filter((candidate) => candidate.id === id))
  if (chosen.length > 0) {
    const rest = candidates.filter((candidate) => !chosen.includes(candidate))
    return [...chosen.map((candidate) => ({ ...candidate, on: true })), ...rest.map((candidate) => ({ ...candidate, on: false }))]
  }
  const hasPitch = candidates.some((candidate) => candidate.pitch)
  return candidates.map((candidate) => ({ ...candidate, on: candidate.pitch || !hasPitch }))
}

const choicesOf = (editor: Editor, locale: Locale, last: SlideState | undefined) =>
  initialChoices(slideCandidates(editor, locale, sayIn(locale, 'untitled')), last)

/** "Present": for the team (and staff), opens the slide picker. */
export function PresentButton() {
  const editor = useEditor()
  const say = useSay()
  const canPresent = useCanPresent()
  const [open, setOpen] = useState(false)
  if (!canPresent) return null
  return (
    <>
      <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen((was) => !was)}>
        {say('present')}
      </button>
      {open && <SlidePicker editor={editor} onClose={() => setOpen(false)} />}
    </>
  )
}

/** Which frames become slides, in which order; then full screen. */
function SlidePicker({ editor, onClose }: { editor: Editor; onClose(): void }) {
  const { locale } = useLocale()
  const say = useSay()
  const { live } = useBoardContext()
  const [choices, setChoices] = useState(() => choicesOf(editor, locale, live?.slides))
  const [error, setError] = useState<string>()
  const baseId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  const toggle = (index: number, on: boolean) => {
    setError(undefined)
    setChoices((list) => list.map((choice, i) => (i === index ? { ...choice, on } : choice)))
  }
  const move = (index: number, step: -1 | 1) =>
    setChoices((list) => {
      const next = [...list]
      const [moved] = next.splice(index, 1)
      next.splice(index + step, 0, moved)
      return next
    })
  const start = () => {
    const frameIds = choices.filter((choice) => choice.on).map((choice) => choice.id)
    if (frameIds.length === 0) {
      setError(say('noneChosen'))
      return
    }
    onClose()
    startPresentation(editor, frameIds)
  }

  return (
    <aside className="slide-picker" aria-labelledby={`${baseId}-title`} onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <header>
        <h2 id={`${baseId}-title`} ref={heading} tabIndex={-1}>
          {say('pickerTitle')}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          {say('close')}
        </button>
      </header>
      {choices.length === 0 ? (
        <p>{say('pickerEmpty')}</p>
      ) : (
        <>
          <p className="muted">{say('pickerIntro')}</p>
          <ol className="slide-choices">
            {choices.map((choice, index) => (
              <li key={choice.id} className="slide-choice" data-slide-id={choice.id}>
                <input type="checkbox" id={`${baseId}-${choice.id}`} checked={choice.on} onChange={(event) => toggle(index, event.target.checked)} />
                <label htmlFor={`${baseId}-${choice.id}`}>
                  <span className="slide-kind">{say(choice.pitch ? 'pitchSection' : 'frame')}</span> {choice.label}
                </label>
                <button type="button" className="secondary slide-move" aria-label={say('moveUp', { label: choice.label })} disabled={index === 0} onClick={() => move(index, -1)}>
                  ↑
                </button>
                <button
                  type="button"
                  className="secondary slide-move"
                  aria-label={say('moveDown', { label: choice.label })}
                  disabled={index === choices.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
              </li>
            ))}
          </ol>
          <p className="muted">{say('pickerHelp')}</p>
        </>
      )}
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
      <button type="button" onClick={start} disabled={choices.length === 0}>
        {say('start')}
      </button>
    </aside>
  )
}
