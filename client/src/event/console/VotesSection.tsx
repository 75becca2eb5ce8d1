import type { LiveVote, VoteCount } from '@fabrique/protocol'
import { type FormEvent, useId, useState } from 'react'
import { useLocale } from '../../i18n.tsx'
import { BoardPicker, chosenBoardIds } from './BoardPicker.tsx'
import { ALL_BOARDS, type BoardChoice, type BoardOption, boardName } from './boards.ts'
import type { ConsoleApi, NewVote } from './consoleApi.ts'
import { ConsoleError, ConsoleSection, Feedback, type Status, useConsoleAction, whileBusy } from './ConsoleSection.tsx'

const MAX_DOTS = 50
const MAX_MINUTES = 24 * 60

type Request = { kind: 'open' } | { kind: 'reveal' | 'close'; voteId: string }

interface VoteForm {
  votesPerPerson: string
  maxPerNote: string
  anonymous: boolean
  /** Empty: the vote stays open until closed here. */
  minutes: string
}

/** The vote the form describes, or what is wrong with it. */
function readForm(form: VoteForm, boardIds: string[] | undefined): NewVote {
  const votesPerPerson = Number(form.votesPerPerson)
  const maxPerNote = Number(form.maxPerNote)
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max
  if (!whole(votesPerPerson, MAX_DOTS) || !whole(maxPerNote, MAX_DOTS)) throw new ConsoleError('console.votes.badDots', { max: MAX_DOTS })
  if (maxPerNote > votesPerPerson) throw new ConsoleError('console.votes.maxAboveVotes')
  const vote: NewVote = { boardIds, votesPerPerson, maxPerNote, anonymous: form.anonymous }
  if (form.minutes.trim() === '') return vote
  const minutes = Number(form.minutes)
  if (!whole(minutes, MAX_MINUTES)) throw new ConsoleError('console.votes.badMinutes', { max: MAX_MINUTES })
  return { ...vote, durationSeconds: minutes * 60 }
}

/** Dot voting: open a vote on some or all boards, reveal the counts, close it and see the ranking. */
export function VotesSection({ api, boards, vote, connected }: { api: ConsoleApi; boards: readonly BoardOption[]; vote: LiveVote | undefined; connected: boolean }) {
  const { t } = useLocale()
  const [choice, setChoice] = useState<BoardChoice>(ALL_BOARDS)
  const [form, setForm] = useState<VoteForm>({ votesPerPerson: '3', maxPerNote: '1', anonymous: true, minutes: '' })
  const ids = { votes: useId(), max: useId(), minutes: useId(), mode: useId() }
  const action = useConsoleAction(async (request: Request): Promise<Status> => {
    if (request.kind === 'reveal') {
      await api.revealVote(request.voteId)
      return { key: 'console.votes.revealed' }
    }
    if (request.kind === 'close') {
      await api.closeVote(request.voteId)
      return { key: 'console.votes.closed' }
    }
    await api.openVote(readForm(form, chosenBoardIds(choice, boards)))
    return { key: 'console.votes.opened' }
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run({ kind: 'open' })
  }
  const set = (change: Partial<VoteForm>) => setForm((current) => ({ ...current, ...change }))
  const busy = whileBusy(action.busy)
  const open = vote?.status === 'open'

  return (
    <ConsoleSection id="console-votes" title={t('console.votes.title')} busy={action.busy}>
      <h3>{t('console.votes.current')}</h3>
      {!connected ? (
        <p className="muted">{t('console.live.connecting')}</p>
      ) : vote ? (
        <CurrentVote vote={vote} boards={boards} />
      ) : (
        <p className="console-now">{t('console.votes.none')}</p>
      )}
      {vote && (
        <div className="button-row">
          <button type="button" className="secondary" {...busy} disabled={!open || vote.revealed} onClick={() => void action.run({ kind: 'reveal', voteId: vote.id })}>
            {t('console.votes.reveal')}
          </button>
          <button type="button" className="secondary" {...busy} disabled={!open} onClick={() => void action.run({ kind: 'close', voteId: vote.id })}>
            {t('console.votes.close')}
          </button>
        </div>
      )}
      <Feedback error={action.error} status={action.status} busy={action.busy} />
      {vote?.results && <Ranking vote={vote} results={vote.results} boards={boards} />}

      <h3>{t('console.votes.new')}</h3>
      <form onSubmit={submit}>
        <BoardPicker boards={boards} value={choice} onChange={setChoice} />
        <div className="row-fields">
          <div className="field">
            <label htmlFor={ids.votes}>{t('console.votes.votesPerPerson')}</label>
            <input id={ids.votes} className="narrow" type="number" min={1} max={MAX_DOTS} required value={form.votesPerPerson} onChange={(e) => set({ votesPerPerson: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.max}>{t('console.votes.maxPerNote')}</label>
            <input id={ids.max} className="narrow" type="number" min={1} max={MAX_DOTS} required value={form.maxPerNote} onChange={(e) => set({ maxPerNote: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.minutes}>{t('console.votes.minutes')}</label>
            <input id={ids.minutes} className="narrow" type="number" min={1} max={MAX_MINUTES} value={form.minutes} onChange={(e) => set({ minutes: e.target.value })} />
          </div>
        </div>
        <fieldset className="console-fieldset">
          <legend>{t('console.votes.mode')}</legend>
          <div className="checkbox">
            <input type="radio" id={`${ids.mode}-anonymous`} name={ids.mode} checked={form.anonymous} onChange={() => set({ anonymous: true })} />
            <label htmlFor={`${ids.mode}-anonymous`}>{t('console.votes.anonymous')}</label>
          </div>
          <div className="checkbox">
            <input type="radio" id={`${ids.mode}-named`} name={ids.mode} checked={!form.anonymous} onChange={() => set({ anonymous: false })} />
            <label htmlFor={`${ids.mode}-named`}>{t('console.votes.named')}</label>
          </div>
        </fieldset>
        {open && <p className="field-help">{t('console.votes.replaces')}</p>}
        <div className="button-row">
          <button type="submit" {...busy}>
            {t('console.votes.open')}
          </button>
        </div>
      </form>
    </ConsoleSection>
  )
}

function CurrentVote({ vote, boards }: { vote: LiveVote; boards: readonly BoardOption[] }) {
  const { t, locale } = useLocale()
  const closesAt = vote.closesAt ? new Date(vote.closesAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) : undefined
  const state = vote.status === 'closed' ? t('console.votes.stateClosed') : vote.revealed ? t('console.votes.stateRevealed') : t('console.votes.stateOpen')
  const where = vote.boardIds.length === boards.length ? t('console.votes.everywhere') : vote.boardIds.map((id) => boardName(boards, id)).join(', ')
  return (
    <p className="console-now" data-testid="console-vote" data-vote-id={vote.id} data-status={vote.status} data-revealed={vote.revealed}>
      <span className="badge">{state}</span>{' '}
      {t('console.votes.rules', { votes: vote.votesPerPerson, max: vote.maxPerNote })}{' '}
      {vote.anonymous ? t('console.votes.isAnonymous') : t('console.votes.isNamed')} {t('console.votes.where', { boards: where })}
      {closesAt && vote.status === 'open' && <> {t('console.votes.closesAt', { time: closesAt })}</>}
    </p>
  )
}

/** Notes ranked by dots, ties sharing a rank. */
function Ranking({ vote, results, boards }: { vote: LiveVote; results: VoteCount[]; boards: readonly BoardOption[] }) {
  const { t } = useLocale()
  const ranked = [...results].sort((a, b) => b.count - a.count)
  const rankOf = (index: number) => ranked.findIndex((result) => result.count === ranked[index].count) + 1
  const caption = vote.status === 'closed' ? t('console.votes.ranking') : t('console.votes.provisional')
  if (ranked.length === 0) return <p>{t('console.votes.noDots')}</p>
  return (
    <div className="table-scroll">
      <table className="boards-table" data-testid="vote-ranking">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.votes.rank')}</th>
            <th scope="col">{t('facilitate.board')}</th>
            <th scope="col">{t('console.votes.dots')}</th>
            {!vote.anonymous && <th scope="col">{t('console.votes.voters')}</th>}
          </tr>
        </thead>
        <tbody>
          {ranked.map((result, index) => (
            <tr key={`${result.boardId}:${result.shapeId}`}>
              <td>{rankOf(index)}</td>
              <th scope="row">{boardName(boards, result.boardId)}</th>
              <td>{result.count}</td>
              {!vote.anonymous && <td>{result.voters?.join(', ') || '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
