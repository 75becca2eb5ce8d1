import { useLocale } from '../i18n.tsx'
import type { ConnectionSnapshot } from './boardConnection.ts'

/** Connected / reconnecting / offline with N changes waiting: people must trust that nothing is lost. */
export function ConnectionIndicator({ snapshot }: { snapshot: ConnectionSnapshot }) {
  const { t } = useLocale()
  const label = snapshot.state === 'closed' ? t('problem.closed') : t(`connection.${snapshot.state}`)
  const waiting = snapshot.pending > 0 && snapshot.state !== 'connected'
  return (
    <output
      className={`connection-indicator connection-${snapshot.state}`}
      data-testid="connection-indicator"
      data-state={snapshot.state}
      aria-live="polite"
      title={waiting ? t('connection.savedLocally') : undefined}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span>{label}</span>
      {waiting && <span className="connection-pending">{t('connection.pending', { count: snapshot.pending })}</span>}
    </output>
  )
}
