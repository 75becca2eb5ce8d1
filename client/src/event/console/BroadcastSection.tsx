import { type FormEvent, useId, useState } from 'react'
import { useLocale } from '../../i18n.tsx'
import type { LiveSnapshot } from '../../live/liveConnection.ts'
import type { ConsoleApi } from './consoleApi.ts'
import { ConsoleError, ConsoleSection, Feedback, useConsoleAction, whileBusy } from './ConsoleSection.tsx'

export const BROADCAST_MAX = 280

/** A banner on every board of the event: write it, send it, take it down. */
export function BroadcastSection({ api, live }: { api: ConsoleApi; live: LiveSnapshot | undefined }) {
  const { t } = useLocale()
  const [text, setText] = useState('')
  const textId = useId()
  const counterId = useId()
  const shown = live?.broadcast
  const action = useConsoleAction(async (change: 'send' | 'takeDown') => {
    if (change === 'takeDown') {
      await api.takeDownBroadcast()
      return { key: 'console.broadcast.takenDown' }
    }
    const message = text.trim()
    if (!message) throw new ConsoleError('console.broadcast.empty')
    await api.broadcast(message)
    return { key: 'console.broadcast.sent' }
  })
  const send = (event: FormEvent) => {
    event.preventDefault()
    void action.run('send')
  }
  const busy = whileBusy(action.busy)
  return (
    <ConsoleSection id="console-broadcast" title={t('console.broadcast.title')} busy={action.busy}>
      <p className="console-now" data-testid="console-broadcast-shown">
        {shown ? (
          <>
            <span className="console-now-title">{t('console.broadcast.shown')}</span> <q>{shown.text}</q>
          </>
        ) : (
          t('console.broadcast.none')
        )}
      </p>
      <form onSubmit={send}>
        <div className="field">
          <label htmlFor={textId}>{t('console.broadcast.label')}</label>
          <textarea
            id={textId}
            rows={3}
            maxLength={BROADCAST_MAX}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby={counterId}
          />
          <p id={counterId} className="field-help">
            {t('console.broadcast.counter', { n: text.length, max: BROADCAST_MAX })}
          </p>
        </div>
        <div className="button-row">
          <button type="submit" {...busy}>
            {t('console.broadcast.send')}
          </button>
          <button type="button" className="secondary" {...busy} disabled={!shown} onClick={() => void action.run('takeDown')}>
            {t('console.broadcast.takeDown')}
          </button>
        </div>
      </form>
      <Feedback error={action.error} status={action.status} busy={action.busy} />
    </ConsoleSection>
  )
}
