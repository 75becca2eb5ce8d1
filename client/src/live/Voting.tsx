import type { LiveVote } from '@fabrique/protocol'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { type Editor, type TLShape, type TLShapeId, useEditor, useValue } from 'tldraw'
import { type Locale, useLocale } from '../i18n.tsx'

const strings = {
  fr: {
    open: 'Vote en cours : {left} gommette(s) restante(s), {max} au plus par note.',
    start: 'Voter',
    stop: 'Terminer',
    voteSelected: 'Voter pour la note sélectionnée',
    unvoteSelected: 'Retirer ma gommette',
    help: 'Cliquez sur une note pour y mettre une gommette ; Alt + clic pour la retirer.',
    closed: 'Vote clos : classement des notes',
    revealed: 'Résultats provisoires',
    noVotes: 'Aucune gommette.',
    dots: '{count} gommette(s)',
    note: 'Note',
  },
  en: {
    open: 'Vote open: {left} dot(s) left, at most {max} per note.',
    start: 'Vote',
    stop: 'Done',
    voteSelected: 'Vote for the selected note',
    unvoteSelected: 'Take my dot back',
    help: 'Click a note to put a dot on it; Alt + click to take it back.',
    closed: 'Vote closed: notes ranked',
    revealed: 'Provisional results',
    noVotes: 'No dots.',
    dots: '{count} dot(s)',
    note: 'Note',
  },
} satisfies Record<Locale, Record<string, string>>

const say = (locale: Locale, key: keyof (typeof strings)['fr'], values: Record<string, string | number> = {}) =>
  strings[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))

interface Ballot {
  boardId: string
  shapeId: string
  count: number
}

interface VotingState {
  vote: LiveVote | undefined
  /** The vote applies to this board and this person votes (a participant). */
  canVote: boolean
  mine: Ballot[]
  remaining: number
  voting: boolean
  setVoting(on: boolean): void
  cast(shapeId: string, delta: 1 | -1): Promise<void>
  error: string | undefined
}

const VotingContext = createContext<VotingState | null>(null)

export function useVoting(): VotingState | null {
  return useContext(VotingContext)
}

interface VotingProviderProps {
  vote: LiveVote | undefined
  boardId: string
  eventId: string | undefined
  token: string | undefined
  isParticipant: boolean
  children: ReactNode
}

/** Each person's own dots come from the API (others' stay hidden until the facilitator reveals). */
export function VotingProvider({ vote, boardId, eventId, token, isParticipant, children }: VotingProviderProps) {
  const [mine, setMine] = useState<Ballot[]>([])
  const [remaining, setRemaining] = useState(0)
  const [voting, setVoting] = useState(false)
  const [error, setError] = useState<string>()
  const { locale } = useLocale()
  const canVote = Boolean(vote && vote.status === 'open' && isParticipant && eventId && token && vote.boardIds.includes(boardId))
  const voteId = vote?.id

  useEffect(() => {
    if (!voteId || !eventId || !token || !isParticipant) return
    fetch(`/api/events/${eventId}/votes/${voteId}/mine`, { headers: { authorization: `Bearer ${token}` } })
      .then((response) => (response.ok ? (response.json() as Promise<{ mine: Ballot[]; remaining: number }>) : undefined))
      .then((body) => {
        if (!body) return
        setMine(body.mine)
        setRemaining(body.remaining)
      })
      .catch(() => {})
  }, [voteId, eventId, token, isParticipant])

  useEffect(() => {
    if (!canVote) setVoting(false)
  }, [canVote])

  const cast = useCallback(
    async (shapeId: string, delta: 1 | -1) => {
      if (!voteId || !eventId || !token) return
      const response = await fetch(`/api/events/${eventId}/votes/${voteId}/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ boardId, shapeId, delta }),
      })
      const body = (await response.json().catch(() => ({}))) as { mine?: Ballot[]; remaining?: number; error?: { message?: Record<Locale, string> } }
      if (response.ok && body.mine) {
        setMine(body.mine)
        setRemaining(body.remaining ?? 0)
        setError(undefined)
      } else {
        setError(body.error?.message?.[locale] ?? `HTTP ${response.status}`)
      }
    },
    [voteId, eventId, token, boardId, locale],
  )

  const value = useMemo<VotingState>(
    () => ({ vote, canVote, mine: mine.filter((b) => b.boardId === boardId), remaining, voting, setVoting, cast, error }),
    [vote, canVote, mine, boardId, remaining, voting, cast, error],
  )
  return <VotingContext.Provider value={value}>{children}</VotingContext.Provider>
}

/** The vote bar: what is left, vote mode on/off, keyboard voting on the selected note. */
export function VoteBar() {
  const voting = useVoting()
  const editor = useEditor()
  const { locale } = useLocale()
  const selectedNote = useValue(
    'selected note',
    () => {
      const shapes = editor.getSelectedShapes()
      return shapes.length === 1 && shapes[0].type === 'note' ? shapes[0].id : undefined
    },
    [editor],
  )

  // In vote mode a click on a note is a dot, not a selection.
  useEffect(() => {
    if (!voting?.voting) return
    const onEvent = (info: { type: string; name: string; altKey?: boolean }) => {
      if (info.type !== 'pointer' || info.name !== 'pointer_up') return
      const note = noteUnderPointer(editor)
      if (note) void voting.cast(note.id, info.altKey ? -1 : 1)
    }
    editor.on('event', onEvent as never)
    return () => {
      editor.off('event', onEvent as never)
    }
  }, [editor, voting])

  if (!voting?.canVote || !voting.vote) return null
  return (
    <div className="notice notice-vote" data-testid="vote-bar">
      <span role="status">{say(locale, 'open', { left: voting.remaining, max: voting.vote.maxPerNote })}</span>
      <button type="button" aria-pressed={voting.voting} onClick={() => voting.setVoting(!voting.voting)}>
        {voting.voting ? say(locale, 'stop') : say(locale, 'start')}
      </button>
      {selectedNote && (
        <>
          <button type="button" className="secondary" onClick={() => void voting.cast(selectedNote, 1)}>
            {say(locale, 'voteSelected')}
          </button>
          <button type="button" className="secondary" onClick={() => void voting.cast(selectedNote, -1)}>
            {say(locale, 'unvoteSelected')}
          </button>
        </>
      )}
      {voting.voting && <span className="muted">{say(locale, 'help')}</span>}
      {voting.error && <span role="alert">{voting.error}</span>}
    </div>
  )
}

function noteUnderPointer(editor: Editor): TLShape | undefined {
  const shape = editor.getShapeAtPoint(editor.inputs.getCurrentPagePoint(), { hitInside: true, margin: 0 })
  return shape?.type === 'note' ? shape : undefined
}

/** Dots drawn on the notes: mine while the vote runs, everyone's once revealed or closed. */
export function VoteOverlay() {
  const voting = useVoting()
  const editor = useEditor()
  const counts = useMemo(() => {
    const byShape = new Map<string, { mine: number; all: number | undefined }>()
    for (const ballot of voting?.mine ?? []) byShape.set(ballot.shapeId, { mine: ballot.count, all: undefined })
    for (const result of voting?.vote?.results ?? []) {
      const entry = byShape.get(result.shapeId) ?? { mine: 0, all: undefined }
      byShape.set(result.shapeId, { ...entry, all: result.count })
    }
    return byShape
  }, [voting])
  const badges = useValue(
    'vote badges',
    () => {
      const list: Array<{ id: string; x: number; y: number; mine: number; all: number | undefined }> = []
      for (const [shapeId, count] of counts) {
        const bounds = editor.getShapePageBounds(shapeId as TLShapeId)
        if (!bounds) continue
        const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
        list.push({ id: shapeId, x: corner.x, y: corner.y, ...count })
      }
      return list
    },
    [editor, counts],
  )
  return (
    <div className="vote-overlay" aria-hidden="true">
      {badges.map((badge) => (
        <span key={badge.id} className="vote-badge" style={{ left: badge.x, top: badge.y }} data-shape-id={badge.id}>
          {badge.all !== undefined ? badge.all : '●'.repeat(Math.min(badge.mine, 5))}
        </span>
      ))}
    </div>
  )
}

/** On close, the notes in order, for everyone (and for screen readers). */
export function VoteResults({ boardId }: { boardId: string }) {
  const voting = useVoting()
  const editor = useEditor()
  const { locale } = useLocale()
  const [hidden, setHidden] = useState<string>()
  const vote = voting?.vote
  if (!vote?.results || !vote.boardIds.includes(boardId) || hidden === `${vote.id}:${vote.status}`) return null
  const rows = vote.results.filter((result) => result.boardId === boardId)
  return (
    <section className="notice vote-results" aria-label={vote.status === 'closed' ? say(locale, 'closed') : say(locale, 'revealed')}>
      <h2>{vote.status === 'closed' ? say(locale, 'closed') : say(locale, 'revealed')}</h2>
      {rows.length === 0 ? (
        <p>{say(locale, 'noVotes')}</p>
      ) : (
        <ol>
          {rows.map((row) => (
            <li key={row.shapeId}>
              <button type="button" className="link" onClick={() => editor.zoomToBounds(editor.getShapePageBounds(row.shapeId as TLShapeId) ?? editor.getViewportPageBounds())}>
                {noteText(editor, row.shapeId) || say(locale, 'note')}
              </button>{' '}
              — {say(locale, 'dots', { count: row.count })}
              {row.voters && <span className="muted"> ({row.voters.join(', ')})</span>}
            </li>
          ))}
        </ol>
      )}
      <button type="button" className="secondary" onClick={() => setHidden(`${vote.id}:${vote.status}`)}>
        ×
      </button>
    </section>
  )
}

function noteText(editor: Editor, shapeId: string): string {
  const shape = editor.getShape(shapeId as TLShapeId) as (TLShape & { props: { richText?: unknown } }) | undefined
  const walk = (node: unknown): string => {
    if (!node || typeof node !== 'object') return ''
    const n = node as { text?: string; content?: unknown[] }
    return (n.text ?? '') + (n.content ?? []).map(walk).join(' ')
  }
  return walk(shape?.props.richText).trim().slice(0, 80)
}
