import { useLocale } from '../i18n.tsx'
import { type BoardCard, type EventInfo, eventsApi, type Role } from './api.ts'
import { byteSize, percent, relativeTime, SIZE_WARNING_RATIO } from './format.ts'
import { paths } from './paths.ts'
import { LoadFailed, NoAccess, useStaffToken } from './StaffAccess.tsx'
import { EventPageHeader, Link, Loading, useFormatDate } from './ui.tsx'
import { useLoad } from './useRequest.ts'

const REFRESH_MS = 5000

/** The facilitators' console: every board of the event, who is on it, how busy and how big. */
export function FacilitatePage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['facilitator', 'organiser'])
  if (!access) return <NoAccess what="facilitator" />
  return <Console eventId={eventId} token={access.token} role={access.role} />
}

function Console({ eventId, token, role }: { eventId: string; token: string; role: Role }) {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  const event = useLoad(eventId, () => eventsApi.get(eventId, token))
  const boards = useLoad(eventId, () => eventsApi.boards(eventId, token), REFRESH_MS)

  const info = event.data?.event
  return (
    <div className="page page-wide">
      <EventPageHeader title={info?.title ?? t('facilitate.title')} subtitle={info ? `${t('facilitate.title')} — ${formatDate(info.date)}` : undefined} />
      <main>
        {event.error || boards.error ? <LoadFailed error={event.error ?? boards.error} /> : null}
        {info && boards.data ? (
          <section className="card" aria-labelledby="boards-heading">
            <div className="section-head">
              <h2 id="boards-heading">{t('facilitate.boards')}</h2>
              <button type="button" className="secondary" onClick={boards.reload} disabled={boards.loading}>
                {boards.loading ? t('facilitate.refreshing') : t('facilitate.refresh')}
              </button>
            </div>
            <p className="muted">{t('facilitate.autoRefresh')}</p>
            <BoardTable event={info} boards={boards.data.boards} role={role} />
          </section>
        ) : (
          !(event.error || boards.error) && <Loading />
        )}
        {role === 'organiser' && (
          <p>
            <Link href={paths.organise(eventId)}>{t('facilitate.backToOrganise')}</Link>
          </p>
        )}
      </main>
    </div>
  )
}

function BoardTable({ event, boards, role }: { event: EventInfo; boards: BoardCard[]; role: Role }) {
  const { t, locale } = useLocale()
  const challengeTitle = (id: string | null) => event.challenges.find((c) => c.id === id)?.title ?? '—'
  return (
    <div className="table-scroll">
      <table className="boards-table">
        <caption className="visually-hidden">{t('facilitate.boards')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('facilitate.board')}</th>
            <th scope="col">{t('facilitate.challenge')}</th>
            <th scope="col">{t('facilitate.members')}</th>
            <th scope="col">{t('facilitate.online')}</th>
            <th scope="col">{t('facilitate.lastActivity')}</th>
            <th scope="col">{t('facilitate.size')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('facilitate.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {boards.map((board) => {
            const name = board.team ? board.team.name : t('facilitate.plenary')
            const ratio = board.size.limit > 0 ? board.size.bytes / board.size.limit : 0
            return (
              <tr key={board.boardId} data-testid="board-row" data-board-name={name}>
                <th scope="row">{name}</th>
                <td>{board.team ? challengeTitle(board.team.challengeId) : '—'}</td>
                <td>{board.team ? board.team.members.map((m) => m.pseudonym).join(', ') || '—' : '—'}</td>
                <td data-testid="board-online">
                  <span className="online-count">{board.online.connections}</span>
                  {board.online.members.length > 0 && (
                    <span className="muted"> ({board.online.members.map((m) => m.pseudonym).join(', ')})</span>
                  )}
                </td>
                <td>{board.lastActivity ? relativeTime(board.lastActivity, locale) : t('facilitate.neverEdited')}</td>
                <td className={ratio >= SIZE_WARNING_RATIO ? 'size-warning' : undefined}>
                  {byteSize(board.size.bytes, locale)}
                  {ratio >= SIZE_WARNING_RATIO && (
                    <span className="size-warning-text"> {t('facilitate.sizeWarning', { percent: percent(ratio, locale) })}</span>
                  )}
                </td>
                <td>
                  {/* A new tab: the console stays open behind the board. */}
                  <a href={paths.board(event.id, board.boardId, { as: role })} target="_blank" rel="noopener">
                    <span aria-hidden="true">{t('facilitate.open')}</span>
                    <span className="visually-hidden">{t('facilitate.openNamed', { name })}</span>
                  </a>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
