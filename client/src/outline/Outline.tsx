import { type KeyboardEvent, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { computed, type Editor, type TLShapeId, useValue } from 'tldraw'
import { type Locale, useLocale } from '../i18n.tsx'
import { useVoting } from '../live/Voting.tsx'
import { announce } from './announcer.tsx'
import { NoteTextEditor } from './NoteTextEditor.tsx'
import { addNoteOnPage, addNoteToSection } from './noteActions.ts'
import { type NoteVotes, noteSelector, OutlineNoteItem } from './OutlineNoteItem.tsx'
import { type OutlineFrame, type OutlineNote, readOutline, sameOutline } from './outlineModel.ts'
import { say } from './strings.ts'
import { type CurrentGroup, OUTSIDE, useRemoteNoteAnnouncements } from './useRemoteNoteAnnouncements.ts'
import './outline.css'

interface OutlineProps {
  editor: Editor
  /** The board's id, to pick this board's counts out of an event-wide vote. */
  boardId?: string
  onClose(): void
}

/** Keys that move between notes; the textarea, inputs and selects keep them for themselves. */
const NAVIGATION_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End'])

/**
 * The board as a document beside the canvas: template frames and their sections as headings, each
 * note as an editable item, the notes outside any section in their own group. Everything it changes
 * goes through the editor, so it reaches the canvas and everyone on the board; everything that
 * changes on the canvas, here or elsewhere, shows up at once.
 */
export function Outline({ editor, boardId, onClose }: OutlineProps) {
  const { locale } = useLocale()
  const outline$ = useMemo(() => computed('fabrique outline', () => readOutline(editor), { isEqual: sameOutline }), [editor])
  const outline = useValue(outline$)
  const readonly = useValue('outline readonly', () => editor.getIsReadonly(), [editor])
  const canUndo = useValue('outline can undo', () => editor.getCanUndo(), [editor])
  const canRedo = useValue('outline can redo', () => editor.getCanRedo(), [editor])
  const votes = useNoteVotes(boardId)
  const titleId = useId()
  const panelRef = useRef<HTMLElement>(null)
  const current = useRef<CurrentGroup>(undefined)
  const opener = useRef<HTMLElement | null>(null)
  const pendingFocus = useRef<string | undefined>(undefined)
  const [, setFocusRequests] = useState(0)

  useRemoteNoteAnnouncements(editor, current, locale, say(locale, 'outside'))

  const focusLater = useCallback((selector: string) => {
    pendingFocus.current = selector
    setFocusRequests((count) => count + 1)
  }, [])

  // Items come and go as the board changes: focus requested by an action lands once its target shows.
  useLayoutEffect(() => {
    const selector = pendingFocus.current
    if (!selector) return
    const target = panelRef.current?.querySelector<HTMLElement>(selector)
    if (!target) return
    pendingFocus.current = undefined
    target.focus()
  })

  useEffect(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    panelRef.current?.querySelector<HTMLElement>('[data-outline-title]')?.focus()
  }, [])

  // tldraw's container hears keys before React does: Tab would cycle the selected shapes, arrows
  // nudge them, Escape take focus to the canvas. Keys pressed in the outline are the outline's.
  useEffect(() => {
    const panel = panelRef.current
    if (!panel) return
    const mine = (event: Event) => editor.markEventAsHandled(event)
    panel.addEventListener('keydown', mine)
    panel.addEventListener('keyup', mine)
    return () => {
      panel.removeEventListener('keydown', mine)
      panel.removeEventListener('keyup', mine)
    }
  }, [editor])

  const close = () => {
    opener.current?.focus()
    onClose()
  }

  const undo = (redo: boolean) => {
    if (redo ? !editor.getCanRedo() : !editor.getCanUndo()) return
    if (redo) editor.redo()
    else editor.undo()
    announce(say(locale, redo ? 'redone' : 'undone'))
  }

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // The canvas's shortcuts (letters for tools, Delete, Ctrl+Z) listen on the body, after React:
    // they must not act on the canvas while someone types or moves in the outline.
    event.stopPropagation()
    const inField = event.target instanceof HTMLElement && event.target.closest('textarea, input, select') !== null
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    } else if (!inField && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault()
      undo(event.shiftKey)
    } else if (!inField && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'y') {
      event.preventDefault()
      undo(true)
    } else if (!inField && NAVIGATION_KEYS.has(event.key) && panelRef.current) {
      const target = nextNote(panelRef.current, event.target as HTMLElement, event.key)
      if (!target) return
      event.preventDefault()
      target.focus()
    }
  }

  const empty = outline.frames.length === 0 && outline.outside.length === 0
  const lists = { editor, frames: outline.frames, votes, readonly, focusLater }

  return (
    <aside
      ref={panelRef}
      className="outline-panel"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        // The section of the focused item is where the person is: news of it gets announced.
        const group = (event.target as HTMLElement).closest<HTMLElement>('[data-section-id]')?.dataset.sectionId
        if (group) current.current = group as CurrentGroup
      }}
      data-testid="outline"
    >
      <header>
        <h2 id={titleId} tabIndex={-1} data-outline-title>
          {say(locale, 'title')}
        </h2>
        <div className="outline-actions">
          {!readonly && (
            <>
              <button type="button" className="secondary" aria-disabled={!canUndo || undefined} onClick={() => undo(false)}>
                {say(locale, 'undo')}
              </button>
              <button type="button" className="secondary" aria-disabled={!canRedo || undefined} onClick={() => undo(true)}>
                {say(locale, 'redo')}
              </button>
            </>
          )}
          <button type="button" className="secondary" onClick={close}>
            {say(locale, 'close')}
          </button>
        </div>
      </header>
      <p className="outline-help">{say(locale, 'intro')}</p>
      {readonly && <p className="outline-help">{say(locale, 'readonly')}</p>}
      {empty && <p>{say(locale, 'empty')}</p>}
      {outline.frames.map((frame) => (
        <section key={frame.id} className="outline-frame">
          <h2>{frame.title}</h2>
          {frame.sections.map((section) => (
            <section
              key={section.id}
              className="outline-section"
              data-section-id={section.id}
            >
              <h3>
                {section.title} <span className="outline-count">({say(locale, 'notes', { count: section.notes.length })})</span>
              </h3>
              <NoteList {...lists} notes={section.notes} sectionId={section.id} locale={locale} />
              {!readonly && (
                <AddNote
                  sectionTitle={section.title}
                  groupId={section.id}
                  focusLater={focusLater}
                  onAdd={(text) => {
                    const id = addNoteToSection(editor, section.id, text)
                    if (id) announce(say(locale, 'added', { section: section.title }))
                    return id
                  }}
                />
              )}
            </section>
          ))}
        </section>
      ))}
      {(outline.outside.length > 0 || outline.frames.length === 0) && (
        <section
          className="outline-frame outline-outside"
          data-section-id={OUTSIDE}
        >
          <h2>
            {say(locale, 'outside')} <span className="outline-count">({say(locale, 'notes', { count: outline.outside.length })})</span>
          </h2>
          <NoteList {...lists} notes={outline.outside} sectionId={undefined} locale={locale} />
          {!readonly && (
            <AddNote
              sectionTitle={say(locale, 'outside')}
              groupId={OUTSIDE}
              focusLater={focusLater}
              onAdd={(text) => {
                const id = addNoteOnPage(editor, text)
                announce(say(locale, 'added', { section: say(locale, 'outside') }))
                return id
              }}
            />
          )}
        </section>
      )}
    </aside>
  )
}

interface NoteListProps {
  editor: Editor
  frames: OutlineFrame[]
  notes: OutlineNote[]
  sectionId: TLShapeId | undefined
  votes: Map<string, NoteVotes>
  readonly: boolean
  locale: Locale
  focusLater(selector: string): void
}

function NoteList({ notes, locale, ...item }: NoteListProps) {
  if (notes.length === 0) return <p className="outline-help">{say(locale, 'noNotes')}</p>
  return (
    <ul className="outline-notes">
      {notes.map((note) => (
        <OutlineNoteItem key={note.id} {...item} note={note} votes={item.votes.get(note.id)} />
      ))}
    </ul>
  )
}

interface AddNoteProps {
  sectionTitle: string
  groupId: string
  onAdd(text: string): TLShapeId | undefined
  focusLater(selector: string): void
}

/** "Add a note": the text first, in a textarea; the note appears on the canvas once saved. */
function AddNote({ sectionTitle, groupId, onAdd, focusLater }: AddNoteProps) {
  const { locale } = useLocale()
  const [open, setOpen] = useState(false)
  const button = `[data-add-note="${groupId}"]`
  if (open) {
    return (
      <NoteTextEditor
        label={say(locale, 'newNoteText', { section: sectionTitle })}
        initial=""
        onSave={(text) => {
          const id = text.trim() ? onAdd(text.trim()) : undefined
          setOpen(false)
          focusLater(id ? noteSelector(id) : button)
        }}
        onCancel={() => {
          setOpen(false)
          focusLater(button)
        }}
      />
    )
  }
  return (
    <button type="button" className="secondary outline-add" data-add-note={groupId} onClick={() => setOpen(true)}>
      {say(locale, 'add')}
      <span className="visually-hidden"> {say(locale, 'inSection', { section: sectionTitle })}</span>
    </button>
  )
}

/** The note to focus for an arrow key, Home or End, from wherever focus is in the panel. */
function nextNote(panel: HTMLElement, from: HTMLElement, key: string): HTMLElement | undefined {
  const notes = [...panel.querySelectorAll<HTMLElement>('[data-outline-note]')]
  if (key === 'Home') return notes[0]
  if (key === 'End') return notes[notes.length - 1]
  if (key === 'ArrowDown') return notes.find((note) => from.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)
  return notes.findLast((note) => note !== from && from.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_PRECEDING)
}

/** Dots per note: everyone's once revealed or closed, one's own while the vote runs. */
function useNoteVotes(boardId: string | undefined): Map<string, NoteVotes> {
  const voting = useVoting()
  return useMemo(() => {
    const byNote = new Map<string, NoteVotes>()
    for (const ballot of voting?.mine ?? []) byNote.set(ballot.shapeId, { all: undefined, mine: ballot.count })
    const vote = voting?.vote
    if (vote?.results && (!boardId || vote.boardIds.includes(boardId))) {
      for (const result of vote.results) {
        if (boardId && result.boardId !== boardId) continue
        byNote.set(result.shapeId, { all: result.count, mine: byNote.get(result.shapeId)?.mine ?? 0 })
      }
    }
    return byNote
  }, [voting, boardId])
}
