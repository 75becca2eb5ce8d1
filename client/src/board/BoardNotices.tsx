import { describeCloseCode } from '@fabrique/protocol'
import { useLocale } from '../i18n.tsx'
import { AudienceBallot } from '../live/AudienceBallot.tsx'
import { BroadcastBanner, LockBanner, TimerBadge } from '../live/LiveBanners.tsx'
import { useBoardContext } from './BoardPage.tsx'

/** What people must know about this board now: a refused image, an outdated client, a closed connection. */
export function BoardNotices() {
  const { t, locale } = useLocale()
  const { snapshot, notice, dismissNotice, live, boardId, claims, token } = useBoardContext()
  const locked = live?.lockedBoardIds.includes(boardId) ?? false
  const outdated = snapshot.problems.some((problem) => problem.kind === 'client-outdated')
  const heldBack = snapshot.problems.filter((problem) => problem.kind === 'record-held-back').length
  const closed = snapshot.closeCode !== undefined ? (describeCloseCode(snapshot.closeCode, locale) ?? `${t('problem.closed')} (${snapshot.closeCode})`) : undefined

  return (
    <div className="board-notices">
      {live && <TimerBadge live={live} />}
      {live && <BroadcastBanner live={live} />}
      <LockBanner locked={locked && claims?.role === 'participant'} />
      {claims?.role === 'participant' && token && <AudienceBallot prize={live?.audiencePrize} eventId={claims.eventId} token={token} />}
      {closed && (
        <div className="notice notice-error" role="alert">
          {closed}
        </div>
      )}
      {(outdated || heldBack > 0) && (
        <div className="notice notice-warning" role="alert">
          <span>{outdated ? t('problem.outdated') : t('problem.heldBack', { count: heldBack })}</span>
          <button type="button" onClick={() => location.reload()}>
            {t('problem.reload')}
          </button>
        </div>
      )}
      {notice && (
        <div className="notice notice-error" role="alert">
          <span>{t('upload.refused', { reason: notice })}</span>
          <button type="button" onClick={dismissNotice}>
            {t('dismiss')}
          </button>
        </div>
      )}
    </div>
  )
}
