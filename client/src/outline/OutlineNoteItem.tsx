import { useId, useState } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { useLocale } from '../i18n.tsx'
import { announce } from './announcer.tsx'
import { NoteTextEditor } from './NoteTextEditor.tsx'
import { deleteNote, moveNoteToSection, setNoteText } from './noteActions.ts'
import type { OutlineFrame, OutlineNote } from './outlineModel.ts'
import { say, shortText } from './strings.ts'

export interface NoteVotes {
  /** Everyone's dots, once the facilitator reveals them or closes the vote. */
  all: number | undefined
  mine: number
}

interface OutlineNoteItemProps {
  editor: Editor
  note: OutlineNote
  /** The section the note is in, if any. */
  sectionId: TLShapeId | undefined
  frames: OutlineFrame[]
  votes: NoteVotes | undefined
  readonly: boolean
  /** Focuses, after the next render, the first element of the panel matching the selector. */
  focusLater(selector: string): void
}

export const noteSelector = (id: TLShapeId) => `[data-outline-note="${id}"]`

/** One note of the outline: its text (Enter to edit), who wrote it, its dots, move and delete. */
export function OutlineNoteItem({ editor, note, sectionId, frames, votes, readonly, focusLater }: OutlineNoteItemProps) {
  const { locale } = useLocale()
  const [editing, setEditing] = useState(false)
  const [target, setTarget] = useState('')
  const id = useId()
  const name = shortText(note.text) || say(locale, 'emptyNote')
  const meta = [
    note.author ? say(locale, 'by', { name: note.author }) : undefined,
    votes?.all !== undefined ? say(locale, 'dots', { count: votes.all }) : undefined,
    votes?.mine ? say(locale, 'myDots', { count: votes.mine }) : undefined,
  ].filter(Boolean)

  const stopEditing = () => {
    setEditing(false)
    focusLater(noteSelector(note.id))
  }

  const move = () => {
    const section = frames.flatMap((frame) => frame.sections).find((candidate) => candidate.id === target)
    if (!section || !moveNoteToSection(editor, note.id, section.id)) return
    setTarget('')
    focusLater(noteSelector(note.id))
    announce(say(locale, 'moved', { section: section.title }))
  }

  const remove = () => {
    // Focus goes to the next note, else the previous one, else the panel's title.
    const notes = [...document.querySelectorAll<HTMLElement>('[data-outline-note]')]
    const index = notes.findIndex((element) => element.dataset.outlineNote === note.id)
    const neighbour = notes[index + 1] ?? notes[index - 1]
    deleteNote(editor, note.id)
    focusLater(neighbour ? noteSelector(neighbour.dataset.outlineNote as TLShapeId) : '[data-outline-title]')
    announce(say(locale, 'deleted'))
  }

  return (
    <li className="outline-note">
      {editing ? (
        <NoteTextEditor
          label={say(locale, 'noteText')}
          initial={note.text}
          onSave={(text) => {
            if (text !== note.text) {
              setNoteText(editor, note.id, text.trim())
              announce(say(locale, 'saved'))
            }
            stopEditing()
          }}
          onCancel={stopEditing}
        />
      ) : (
        <button
          type="button"
          className="outline-note-text"
          data-outline-note={note.id}
          aria-disabled={readonly || undefined}
          aria-describedby={meta.length > 0 ? `${id}-meta` : undefined}
          onClick={() => !readonly && setEditing(true)}
        >
          {note.text || <em>{say(locale, 'emptyNote')}</em>}
        </button>
      )}
      {meta.length > 0 && (
        <p id={`${id}-meta`} className="outline-note-meta">
          {meta.join(' · ')}
        </p>
      )}
      {!readonly && !editing && (
        <div className="outline-actions">
          <label htmlFor={`${id}-move`} className="visually-hidden">
            {say(locale, 'moveLabel', { note: name })}
          </label>
          <select id={`${id}-move`} value={target} onChange={(event) => setTarget(event.target.value)}>
            <option value="">{say(locale, 'moveTo')}</option>
            {frames.map((frame) => (
              <optgroup key={frame.id} label={frame.title}>
                {frame.sections.map((section) => (
                  <option key={section.id} value={section.id} disabled={section.id === sectionId}>
                    {section.title}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <button type="button" className="secondary" aria-disabled={!target || undefined} onClick={() => target && move()}>
            {say(locale, 'move')}
            <span className="visually-hidden"> {say(locale, 'theNote', { note: name })}</span>
          </button>
          <button type="button" className="secondary" onClick={remove}>
            {say(locale, 'delete')}
            <span className="visually-hidden"> {say(locale, 'theNote', { note: name })}</span>
          </button>
        </div>
      )}
    </li>
  )
}
