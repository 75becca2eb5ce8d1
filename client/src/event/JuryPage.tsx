import { useLocale } from '../i18n.tsx'
import { ExportLink } from '../export/ExportPanel.tsx'
import { JuryDesk } from '../restitution/JuryDesk.tsx'
import { eventsApi, type Role } from './api.ts'
import { paths } from './paths.ts'
import { LoadFailed, NoAccess, useStaffToken } from './StaffAccess.tsx'
import { EventPageHeader, Link, Loading, useFormatDate } from './ui.tsx'
import { useLoad } from './useRequest.ts'

/** The jury's page: every team's board, grouped by challenge, opened read-only. */
export function JuryPage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['jury', 'organiser', 'facilitator'])
  if (!access) return <NoAccess what="jury" />
  return <Jury eventId={eventId} token={access.token} role={access.role} />
}

function Jury({ eventId, token, role }: { eventId: string; token: string; role: Role }) {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  const loaded = useLoad(eventId, () => eventsApi.get(eventId, token), 30_000)
  const data = loaded.data
  if (!data) {
    return (
      <div className="page">
        <EventPageHeader title={t('jury.title')} />
        <main>{loaded.error ? <LoadFailed error={loaded.error} /> : <Loading />}</main>
      </div>
    )
  }
  const { event, teams } = data
  const groups = [
    ...event.challenges.map((challenge) => ({ key: challenge.id, title: challenge.title, teams: teams.filter((team) => team.challengeId === challenge.id) })),
    {
      key: 'none',
      title: t('join.otherTeams'),
      teams: teams.filter((team) => !event.challenges.some((challenge) => challenge.id === team.challengeId)),
    },
  ].filter((group) => group.teams.length > 0)
  return (
    <div className="page">
      <EventPageHeader title={event.title} subtitle={`${t('jury.title')} — ${formatDate(event.date)}`} />
      <main>
        {role === 'jury' && <JuryDesk event={event} teams={teams} juryToken={token} />}
        <p>{t('jury.intro')}</p>
        {groups.length === 0 && <p className="muted">{t('jury.noTeams')}</p>}
        {groups.map((group) => (
          <section key={group.key} className="card" aria-labelledby={`jury-${group.key}`}>
            <h2 id={`jury-${group.key}`}>{group.title}</h2>
            <ul className="teams">
              {group.teams.map((team) => (
                <li key={team.id} className="team" data-testid="jury-team">
                  <div className="team-head">
                    <strong className="team-name">{team.name}</strong>
                    <span className="muted">{team.members.map((m) => m.pseudonym).join(', ')}</span>
                  </div>
                  <Link href={paths.board(eventId, team.boardId, { as: role, view: true })}>
                    <span aria-hidden="true">{t('jury.view')}</span>
                    <span className="visually-hidden">{t('jury.viewNamed', { name: team.name })}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <ExportLink eventId={eventId} />
      </main>
    </div>
  )
}
