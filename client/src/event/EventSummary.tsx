import { useLocale } from '../i18n.tsx'
import type { Challenge, EventInfo } from './api.ts'

/** A challenge's description and its resources (open data sets, documents). */
export function ChallengeDetails({ challenge }: { challenge: Challenge }) {
  const { t } = useLocale()
  return (
    <>
      {challenge.description && <p className="challenge-description">{challenge.description}</p>}
      {challenge.datasets.length > 0 && (
        <>
          <p className="muted">{t('event.datasets')}</p>
          <ul>
            {challenge.datasets.map((dataset) => (
              <li key={dataset.url}>
                <a href={dataset.url} target="_blank" rel="noopener noreferrer">
                  {dataset.title}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** What the organiser set up: agenda, challenges, rules for teams. */
export function EventSummary({ event }: { event: EventInfo }) {
  const { t } = useLocale()
  const yesNo = (value: boolean) => t(value ? 'event.yes' : 'event.no')
  return (
    <section className="card">
      <h2>{t('event.summary')}</h2>
      <h3>{t('organise.section.agenda')}</h3>
      {event.agenda.length === 0 ? (
        <p className="muted">{t('event.noAgenda')}</p>
      ) : (
        <ol className="agenda">
          {event.agenda.map((phase) => (
            <li key={`${phase.start}-${phase.title}`}>
              <strong>{phase.start}</strong> {phase.title} <span className="muted">({t('event.minutes', { n: phase.durationMinutes })})</span>
            </li>
          ))}
        </ol>
      )}
      <h3>{t('organise.section.challenges')}</h3>
      {event.challenges.length === 0 ? (
        <p className="muted">{t('event.noChallenges')}</p>
      ) : (
        event.challenges.map((challenge) => (
          <article key={challenge.id} className="challenge">
            <h4>{challenge.title}</h4>
            <ChallengeDetails challenge={challenge} />
          </article>
        ))
      )}
      <h3>{t('organise.section.teams')}</h3>
      <dl className="settings">
        <dt>{t('organise.maxTeamSize')}</dt>
        <dd>{event.settings.maxTeamSize}</dd>
        <dt>{t('organise.teamsCanViewOtherBoards')}</dt>
        <dd>{yesNo(event.settings.teamsCanViewOtherBoards)}</dd>
        <dt>{t('organise.participantsCanWritePlenary')}</dt>
        <dd>{yesNo(event.settings.participantsCanWritePlenary)}</dd>
      </dl>
    </section>
  )
}
