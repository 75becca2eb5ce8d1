import { IDLE_RESTITUTION, type RestitutionAction, type RestitutionState, restitutionTimeLeft } from '@fabrique/protocol'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useLocale } from '../../i18n.tsx'
import type { LiveSnapshot } from '../../live/liveConnection.ts'
import type { BoardOption } from './boards.ts'
import type { ConsoleApi } from './consoleApi.ts'
import { ConsoleError, ConsoleSection, Feedback, type Status, useConsoleAction, whileBusy } from './ConsoleSection.tsx'
import { formatClock, useServerNow } from './useLive.ts'

interface Team {
  id: string
  name: string
}

/** `order` without teams that left, followed by the teams it does not name yet. */
export function completeOrder(order: readonly string[], teams: readonly Team[]): string[] {
  const known = new Set(teams.map((team) => team.id))
  const kept = order.filter((id) => known.has(id))
  return [...kept, ...teams.map((team) => team.id).filter((id) => !kept.includes(id))]
}

function move(order: readonly string[], index: number, by: -1 | 1): string[] {
  const next = [...order]
  const target = index + by
  if (target < 0 || target >= next.length) return next
  ;[next[index], next[target]] = [next[target], next[index]]
  return next
}

/** Minutes typed (halves allowed) to seconds, or the reason they are refused. */
function seconds(minutes: string, min: number, max: number): number {
  const value = Math.round(Number(minutes) * 60)
  if (minutes.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new ConsoleError('console.restitution.badMinutes', { min: min / 60, max: max / 60 })
  return value
}

/** The end of the day: the teams' running order, then pitch, questions and next team, timed. */
export function RestitutionSection({ api, boards, live }: { api: ConsoleApi; boards: readonly BoardOption[]; live: LiveSnapshot | undefined }) {
  const { t } = useLocale()
  const state = live?.restitution ?? IDLE_RESTITUTION
  const teams: Team[] = boards.flatMap((board) => (board.teamId ? [{ id: board.teamId, name: board.name }] : []))
  const nameOf = (teamId: string) => teams.find((team) => team.id === teamId)?.name ?? teamId
  // What the facilitator is editing; until then, the order set on the server (or the teams' own).
  const [draft, setDraft] = useState<string[]>()
  const [pitch, setPitch] = useState<string>()
  const [questions, setQuestions] = useState<string>()
  const order = completeOrder(draft ?? state.order, teams)
  const pitchMinutes = pitch ?? String(state.pitchSeconds / 60)
  const questionsMinutes = questions ?? String(state.questionsSeconds / 60)
  const ids = { pitch: useId(), questions: useId(), list: useId() }

  const action = useConsoleAction(async (make: () => [RestitutionAction, Status]) => {
    const [change, status] = make()
    await api.restitution(change)
    if (change.action === 'setup') {
      setDraft(undefined)
      setPitch(undefined)
      setQuestions(undefined)
    }
    return status
  })
  const send = (change: RestitutionAction, status: Status) => void action.run(() => [change, status])
  const setup = (event: FormEvent) => {
    event.preventDefault()
    void action.run(() => {
      if (order.length === 0) throw new ConsoleError('console.restitution.noTeams')
      const change: RestitutionAction = { action: 'setup', order, pitchSeconds: seconds(pitchMinutes, 30, 3600), questionsSeconds: seconds(questionsMinutes, 0, 3600) }
      return [change, { key: 'console.restitution.orderSet', values: { n: order.length } }]
    })
  }

  // A moved team keeps the focus on its button, or on the other one once it reaches an end.
  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const moved = useRef<{ teamId: string; by: -1 | 1 }>(undefined)
  useEffect(() => {
    const last = moved.current
    if (!last) return
    moved.current = undefined
    const button = buttons.current.get(`${last.teamId}:${last.by}`)
    const other = buttons.current.get(`${last.teamId}:${-last.by}`)
    ;(button && !button.disabled ? button : other)?.focus()
  })
  const moveTeam = (index: number, by: -1 | 1) => {
    moved.current = { teamId: order[index], by }
    setDraft(move(order, index, by))
  }

  const started = state.order.length > 0
  const busy = whileBusy(action.busy)
  return (
    <ConsoleSection id="console-restitution" title={t('console.restitution.title')} busy={action.busy}>
      <OnStage state={state} clockOffsetMs={live?.clockOffsetMs ?? 0} nameOf={nameOf} connected={live !== undefined} />
      <div className="button-row">
        <button type="button" {...busy} disabled={!started} onClick={() => send({ action: 'pitch' }, { key: 'console.restitution.pitchStarted' })}>
          {t('console.restitution.pitch')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={state.index < 0} onClick={() => send({ action: 'questions' }, { key: 'console.restitution.questionsStarted' })}>
          {t('console.restitution.questions')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={!started} onClick={() => send({ action: 'next' }, { key: 'console.restitution.nextDone' })}>
          {t('console.restitution.next')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={state.index <= 0} onClick={() => send({ action: 'previous' }, { key: 'console.restitution.previousDone' })}>
          {t('console.restitution.previous')}
        </button>
        <button
          type="button"
          className="secondary"
          {...busy}
          disabled={state.phase !== 'pitch' && state.phase !== 'questions'}
          onClick={() => send({ action: 'stop' }, { key: 'console.restitution.stopped' })}
        >
          {t('console.restitution.stop')}
        </button>
      </div>
      <Feedback error={action.error} status={action.status} busy={action.busy} />

      <h3 id={ids.list}>{t('console.restitution.order')}</h3>
      {order.length === 0 ? (
        <p className="muted">{t('console.restitution.noTeams')}</p>
      ) : (
        <ol className="console-list" aria-labelledby={ids.list} data-testid="running-order">
          {order.map((teamId, index) => {
            const name = nameOf(teamId)
            const onStage = started && state.index === index && state.order[index] === teamId
            return (
              <li key={teamId} aria-current={onStage ? 'step' : undefined} className={onStage ? 'console-current' : undefined}>
                <span className="console-list-text">
                  {name} {onStage && <span className="badge">{t('console.restitution.onStageBadge')}</span>}
                </span>
                <span className="console-move">
                  <button
                    type="button"
                    className="secondary"
                    ref={(element) => void (element ? buttons.current.set(`${teamId}:-1`, element) : buttons.current.delete(`${teamId}:-1`))}
                    disabled={index === 0}
                    aria-label={t('console.restitution.upNamed', { name })}
                    onClick={() => moveTeam(index, -1)}
                  >
                    {t('console.restitution.up')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    ref={(element) => void (element ? buttons.current.set(`${teamId}:1`, element) : buttons.current.delete(`${teamId}:1`))}
                    disabled={index === order.length - 1}
                    aria-label={t('console.restitution.downNamed', { name })}
                    onClick={() => moveTeam(index, 1)}
                  >
                    {t('console.restitution.down')}
                  </button>
                </span>
              </li>
            )
          })}
        </ol>
      )}
      <form className="row-fields" onSubmit={setup}>
        <div className="field">
          <label htmlFor={ids.pitch}>{t('console.restitution.pitchMinutes')}</label>
          <input id={ids.pitch} className="narrow" type="number" min={0.5} max={60} step={0.5} required value={pitchMinutes} onChange={(e) => setPitch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.questions}>{t('console.restitution.questionsMinutes')}</label>
          <input id={ids.questions} className="narrow" type="number" min={0} max={60} step={0.5} required value={questionsMinutes} onChange={(e) => setQuestions(e.target.value)} />
        </div>
        <button type="submit" {...busy}>
          {t('console.restitution.setOrder')}
        </button>
      </form>
      {draft && <p className="field-help">{t('console.restitution.unsaved')}</p>}
    </ConsoleSection>
  )
}

/** The team presenting, the phase and its time left, as the projection screen shows them. */
function OnStage({ state, clockOffsetMs, nameOf, connected }: { state: RestitutionState; clockOffsetMs: number; nameOf(id: string): string; connected: boolean }) {
  const { t } = useLocale()
  const running = state.phase === 'pitch' || state.phase === 'questions'
  const now = useServerNow(clockOffsetMs, running)
  if (!connected) return <p className="muted">{t('console.live.connecting')}</p>
  const team = state.index >= 0 ? state.order[state.index] : undefined
  const next = state.order[state.index + 1]
  let text: string
  if (state.order.length === 0) text = t('console.restitution.notSet')
  else if (state.phase === 'done') text = t('console.restitution.done')
  else if (!team) text = t('console.restitution.notStarted', { name: nameOf(state.order[0]) })
  else if (!running) text = t('console.restitution.paused', { name: nameOf(team) })
  else {
    const left = formatClock(restitutionTimeLeft(state, now))
    text = t(state.phase === 'pitch' ? 'console.restitution.pitching' : 'console.restitution.answering', { name: nameOf(team), time: left })
  }
  return (
    <div className="console-now" data-testid="console-on-stage" data-phase={state.phase}>
      <p>{text}</p>
      {next && state.phase !== 'done' && team && <p className="muted">{t('console.restitution.upNext', { name: nameOf(next) })}</p>}
    </div>
  )
}
