import { useMemo } from 'react'
import { useLocale } from '../i18n.tsx'
import { eventsApi, type Role } from './api.ts'
import { AudienceSection } from './console/AudienceSection.tsx'
import { BoardsSection } from './console/BoardsSection.tsx'
import { BroadcastSection } from './console/BroadcastSection.tsx'
import { boardOptions } from './console/boards.ts'
import { consoleApi } from './console/consoleApi.ts'
import { LocksSection } from './console/LocksSection.tsx'
import { RestitutionSection } from './console/RestitutionSection.tsx'
import { ResultsSection } from './console/ResultsSection.tsx'
import { TemplatesSection } from './console/TemplatesSection.tsx'
import { TimerSection } from './console/TimerSection.tsx'
import { useLiveSnapshot } from './console/useLive.ts'
import { VotesSection } from './console/VotesSection.tsx'
import './console/console.css'
import { ExportLink } from '../export/ExportPanel.tsx'
import { ScreenLink } from '../restitution/ScreenLink.tsx'
import { useSay } from '../restitution/strings.ts'
import { paths } from './paths.ts'
import { LoadFailed, NoAccess, useStaffToken } from './StaffAccess.tsx'
import { EventPageHeader, Link, Loading, useFormatDate } from './ui.tsx'
import { useLoad } from './useRequest.ts'

const REFRESH_MS = 5000

/** The facilitators' console: the day is run from here (timer, broadcast, templates, locks, votes, restitution). */
export function FacilitatePage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['facilitator', 'organiser'])
  if (!access) return <NoAccess what="facilitator" />
  return <Console eventId={eventId} token={access.token} role={access.role} />
}

const SECTIONS = [
  ['console-timer', 'console.timer.title'],
  ['console-broadcast', 'console.broadcast.title'],
  ['console-templates', 'console.templates.title'],
  ['console-locks', 'console.locks.title'],
  ['console-votes', 'console.votes.title'],
  ['console-restitution', 'console.restitution.title'],
  ['console-boards', 'facilitate.boards'],
] as const

function Console({ eventId, token, role }: { eventId: string; token: string; role: Role }) {
  const { t } = useLocale()
  const say = useSay()
  const formatDate = useFormatDate()
  const event = useLoad(eventId, () => eventsApi.get(eventId, token))
  const boards = useLoad(eventId, () => eventsApi.boards(eventId, token), REFRESH_MS)
  const api = useMemo(() => consoleApi(eventId, token), [eventId, token])
  const info = event.data?.event
  const live = useLiveSnapshot(info?.liveBoardId, token)
  const plenaryName = t('facilitate.plenary')
  const options = useMemo(() => boardOptions(boards.data?.boards ?? [], plenaryName), [boards.data, plenaryName])

  return (
    <div className="page page-wide">
      <EventPageHeader title={info?.title ?? t('facilitate.title')} subtitle={info ? `${t('facilitate.title')} — ${formatDate(info.date)}` : undefined} />
      <main>
        {event.error || boards.error ? <LoadFailed error={event.error ?? boards.error} /> : null}
        {info && boards.data ? (
          <>
            <nav aria-label={t('console.nav')} className="console-nav">
              <ul>
                {SECTIONS.map(([id, key]) => (
                  <li key={id}>
                    <a href={`#${id}`}>{t(key)}</a>
                  </li>
                ))}
                <li>
                  <a href="#console-audience">{say('audienceTitle')}</a>
                </li>
                {role === 'organiser' && (
                  <li>
                    <a href="#console-results">{say('resultsTitle')}</a>
                  </li>
                )}
              </ul>
            </nav>
            <div className="console-grid">
              <TimerSection api={api} agenda={info.agenda} live={live} />
              <BroadcastSection api={api} live={live} />
              <TemplatesSection api={api} eventId={eventId} boards={options} />
              <LocksSection api={api} boards={options} lockedBoardIds={live?.lockedBoardIds} />
              <VotesSection api={api} boards={options} vote={live?.vote} connected={live !== undefined} />
              <RestitutionSection api={api} boards={options} live={live} />
              <AudienceSection eventId={eventId} token={token} prize={live?.audiencePrize} />
              {role === 'organiser' && <ResultsSection eventId={eventId} token={token} />}
            </div>
            <BoardsSection api={api} event={info} boards={boards} role={role} lockedBoardIds={live?.lockedBoardIds} />
          </>
        ) : (
          !(event.error || boards.error) && <Loading />
        )}
        <ScreenLink eventId={eventId} />
        <ExportLink eventId={eventId} />
        {role === 'organiser' && (
          <p>
            <Link href={paths.organise(eventId)}>{t('facilitate.backToOrganise')}</Link>
          </p>
        )}
      </main>
    </div>
  )
}
