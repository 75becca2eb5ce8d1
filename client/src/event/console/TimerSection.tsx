import { IDLE_TIMER, type TimerAction, type TimerState, timeLeft } from '@fabrique/protocol'
import { type FormEvent, useId, useState } from 'react'
import { useLocale } from '../../i18n.tsx'
import type { LiveSnapshot } from '../../live/liveConnection.ts'
import type { AgendaPhase } from '../api.ts'
import type { ConsoleApi } from './consoleApi.ts'
import { ConsoleError, ConsoleSection, Feedback, type Status, useConsoleAction, whileBusy } from './ConsoleSection.tsx'
import { formatClock, useServerNow } from './useLive.ts'

const MAX_MINUTES = 24 * 60

/** Agenda and timer: start a phase or a free countdown, then pause, extend, skip or stop it. */
export function TimerSection({ api, agenda, live }: { api: ConsoleApi; agenda: readonly AgendaPhase[]; live: LiveSnapshot | undefined }) {
  const { t } = useLocale()
  const timer = live?.timer ?? IDLE_TIMER
  // The change is built inside the action, so that a refused input shows like a refused request.
  const action = useConsoleAction(async (make: () => [TimerAction, Status]) => {
    const [change, status] = make()
    await api.timer(change)
    return status
  })
  const send = (change: TimerAction, status: Status) => void action.run(() => [change, status])
  const [minutes, setMinutes] = useState('10')
  const [title, setTitle] = useState('')
  const minutesId = useId()
  const titleId = useId()
  const busy = whileBusy(action.busy)

  const submitFree = (event: FormEvent) => {
    event.preventDefault()
    void action.run(() => freeCountdown(Number(minutes), title.trim()))
  }

  const idle = timer.status === 'idle'
  return (
    <ConsoleSection id="console-timer" title={t('console.timer.title')} busy={action.busy}>
      <CurrentTimer timer={timer} clockOffsetMs={live?.clockOffsetMs ?? 0} connected={live !== undefined} />
      <div className="button-row">
        {timer.status === 'paused' ? (
          <button type="button" {...busy} onClick={() => send({ action: 'resume' }, { key: 'console.timer.resumed' })}>
            {t('console.timer.resume')}
          </button>
        ) : (
          <button type="button" className="secondary" {...busy} disabled={idle} onClick={() => send({ action: 'pause' }, { key: 'console.timer.paused' })}>
            {t('console.timer.pause')}
          </button>
        )}
        <button type="button" className="secondary" {...busy} disabled={idle} onClick={() => send({ action: 'extend', seconds: 300 }, { key: 'console.timer.extended' })}>
          {t('console.timer.plusFive')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={idle} onClick={() => send({ action: 'extend', seconds: -60 }, { key: 'console.timer.shortened' })}>
          {t('console.timer.minusOne')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={idle || timer.phaseIndex < 0} onClick={() => send({ action: 'skip' }, { key: 'console.timer.skipped' })}>
          {t('console.timer.skip')}
        </button>
        <button type="button" className="secondary" {...busy} disabled={idle} onClick={() => send({ action: 'stop' }, { key: 'console.timer.stopped' })}>
          {t('console.timer.stop')}
        </button>
      </div>
      <Feedback error={action.error} status={action.status} busy={action.busy} />

      <h3>{t('console.timer.agenda')}</h3>
      {agenda.length === 0 ? (
        <p className="muted">{t('console.timer.noAgenda')}</p>
      ) : (
        <ol className="console-list">
          {agenda.map((phase, index) => {
            const current = !idle && timer.phaseIndex === index
            return (
              <li key={`${phase.start}-${phase.title}`} aria-current={current ? 'step' : undefined} className={current ? 'console-current' : undefined}>
                <span className="console-list-text">
                  <span className="console-phase-start">{phase.start}</span> {phase.title}{' '}
                  <span className="muted">({t('console.minutes', { n: phase.durationMinutes })})</span>{' '}
                  {current && <span className="badge">{t('console.timer.now')}</span>}
                </span>
                <button
                  type="button"
                  className="secondary"
                  {...busy}
                  aria-label={t('console.timer.startPhaseNamed', { name: phase.title })}
                  onClick={() => send({ action: 'start', phaseIndex: index }, { key: 'console.timer.phaseStarted', values: { name: phase.title } })}
                >
                  {t('console.timer.startPhase')}
                </button>
              </li>
            )
          })}
        </ol>
      )}

      <h3>{t('console.timer.free')}</h3>
      <form className="row-fields" onSubmit={submitFree}>
        <div className="field">
          <label htmlFor={minutesId}>{t('console.timer.freeMinutes')}</label>
          <input id={minutesId} className="narrow" type="number" min={1} max={MAX_MINUTES} step={1} required value={minutes} onChange={(event) => setMinutes(event.target.value)} />
        </div>
        <div className="field grow">
          <label htmlFor={titleId}>{t('console.timer.freeLabel')}</label>
          <input id={titleId} maxLength={120} value={title} onChange={(event) => setTitle(event.target.value)} />
        </div>
        <button type="submit" {...busy}>
          {t('console.timer.startFree')}
        </button>
      </form>
    </ConsoleSection>
  )
}

/** The start of a free countdown, or the reason it cannot start. */
function freeCountdown(minutes: number, title: string): [TimerAction, Status] {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) throw new ConsoleError('console.timer.badMinutes', { max: MAX_MINUTES })
  // No title: each board names it "Timer" in its own language.
  const change: TimerAction = title ? { action: 'start', durationSeconds: minutes * 60, title } : { action: 'start', durationSeconds: minutes * 60 }
  return [change, { key: 'console.timer.freeStarted', values: { n: minutes } }]
}

/** The countdown as the boards show it, ticking from the server's clock. */
function CurrentTimer({ timer, clockOffsetMs, connected }: { timer: TimerState; clockOffsetMs: number; connected: boolean }) {
  const { t } = useLocale()
  const now = useServerNow(clockOffsetMs, timer.status === 'running')
  if (!connected) return <p className="muted">{t('console.live.connecting')}</p>
  if (timer.status === 'idle') {
    return (
      <p className="console-now" data-testid="console-timer" data-status="idle">
        {t('console.timer.none')}
      </p>
    )
  }
  const left = timeLeft(timer, now)
  const state = timer.status === 'paused' ? t('console.timer.statePaused') : left === 0 ? t('console.timer.stateOver') : t('console.timer.stateRunning')
  return (
    <p className="console-now" data-testid="console-timer" data-status={timer.status}>
      <span className="console-now-title">{timer.title || t('console.timer.freeTitle')}</span>{' '}
      <span className="console-clock" aria-hidden="true">
        {formatClock(left)}
      </span>{' '}
      <span className="visually-hidden">{t('console.timer.left', { time: formatClock(left) })}</span>{' '}
      <span className="badge">{state}</span>
    </p>
  )
}
