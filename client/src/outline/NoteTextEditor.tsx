import { useEffect, useId, useRef, useState } from 'react'
import { useLocale } from '../i18n.tsx'
import { say } from './strings.ts'

interface NoteTextEditorProps {
  label: string
  initial: string
  onSave(text: string): void
  onCancel(): void
}

/** A note's text in a textarea: Enter saves, Shift + Enter starts a new line, Escape cancels. */
export function NoteTextEditor({ label, initial, onSave, onCancel }: NoteTextEditorProps) {
  const { locale } = useLocale()
  const [text, setText] = useState(initial)
  const id = useId()
  const ref = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    const area = ref.current
    if (!area) return
    area.focus()
    area.setSelectionRange(area.value.length, area.value.length)
  }, [])

  return (
    <fieldset
      className="outline-editor"
      aria-labelledby={`${id}-label`}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        // The panel closes on Escape; inside the editor Escape only leaves the text as it was.
        event.preventDefault()
        event.stopPropagation()
        onCancel()
      }}
    >
      <label id={`${id}-label`} htmlFor={`${id}-text`}>
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        ref={ref}
        rows={3}
        value={text}
        aria-describedby={`${id}-help`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault()
            onSave(text)
          }
        }}
      />
      <p id={`${id}-help`} className="outline-help">
        {say(locale, 'editorHelp')}
      </p>
      <div className="outline-actions">
        <button type="button" onClick={() => onSave(text)}>
          {say(locale, 'save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {say(locale, 'cancel')}
        </button>
      </div>
    </fieldset>
  )
}
