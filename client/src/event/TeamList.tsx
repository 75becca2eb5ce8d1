import { type FormEvent, useId, useState } from 'react'
import { useLocale } from '../i18n.tsx'
import type { Challenge, Team } from './api.ts'
import { ChallengeDetails } from './EventSummary.tsx'
import { Link } from './ui.tsx'

/** What a member can do from the list; absent before one has joined the event. */
export interface TeamActions {
  myTeamId: string | null
  busy: boolean
  join(team: Team): void
  create(name: string, challengeId: string | null): void
  /** Where to view another team's board read-only, when the event allows it. */
  viewHref?(team: Team): string
}

interface TeamListProps {
  challenges: Challenge[]
  teams: Team[]
  maxTeamSize: number
  actions?: TeamActions
}

/** The challenges, each with its teams and their free seats; teams without a challenge last. */
export function TeamList({ challenges, teams, maxTeamSize, actions }: TeamListProps) {
  const { t } = useLocale()
  const known = new Set(challenges.map((c) => c.id))
  const loose = teams.filter((team) => !team.challengeId || !known.has(team.challengeId))
  return (
    <div className="team-list">
      {challenges.map((challenge) => (
        <ChallengeSection
          key={challenge.id}
          title={challenge.title}
          challenge={challenge}
          teams={teams.filter((team) => team.challengeId === challenge.id)}
          maxTeamSize={maxTeamSize}
          actions={actions}
        />
      ))}
      {(challenges.length === 0 || loose.length > 0) && (
        <ChallengeSection
          title={challenges.length === 0 ? t('join.teams') : t('join.otherTeams')}
          teams={loose}
          maxTeamSize={maxTeamSize}
          // Without challenges, teams are created here; with some, they are created under one.
          actions={actions}
          canCreate={challenges.length === 0}
        />
      )}
    </div>
  )
}

function ChallengeSection({
  title,
  challenge,
  teams,
  maxTeamSize,
  actions,
  canCreate = true,
}: {
  title: string
  challenge?: Challenge
  teams: Team[]
  maxTeamSize: number
  actions?: TeamActions
  canCreate?: boolean
}) {
  const { t } = useLocale()
  const headingId = useId()
  return (
    <section className="card challenge" aria-labelledby={headingId} data-testid="challenge">
      <h3 id={headingId}>{title}</h3>
      {challenge && <ChallengeDetails challenge={challenge} />}
      {teams.length === 0 ? (
        <p className="muted">{t('join.noTeamYet')}</p>
      ) : (
        <ul className="teams">
          {teams.map((team) => (
            <TeamItem key={team.id} team={team} maxTeamSize={maxTeamSize} actions={actions} />
          ))}
        </ul>
      )}
      {actions && canCreate && <NewTeamForm challengeId={challenge?.id ?? null} actions={actions} />}
    </section>
  )
}

function TeamItem({ team, maxTeamSize, actions }: { team: Team; maxTeamSize: number; actions?: TeamActions }) {
  const { t } = useLocale()
  const seatsId = useId()
  const free = Math.max(0, maxTeamSize - team.members.length)
  const mine = actions?.myTeamId === team.id
  return (
    <li className="team" data-testid="team">
      <div className="team-head">
        <strong className="team-name">{team.name}</strong>
        <span id={seatsId} className={team.full ? 'badge badge-full' : 'badge'}>
          {t('join.members', { n: team.members.length, max: maxTeamSize })} · {team.full ? t('join.full') : t('join.freeSeats', { n: free })}
        </span>
      </div>
      {team.members.length > 0 && <p className="team-members">{team.members.map((m) => m.pseudonym).join(', ')}</p>}
      {actions &&
        (mine ? (
          <p className="badge badge-mine">{t('join.yourTeam')}</p>
        ) : (
          <div className="team-actions">
            {actions.viewHref && (
              <Link href={actions.viewHref(team)}>
                <span aria-hidden="true">{t('join.viewBoard')}</span>
                <span className="visually-hidden">{t('join.viewBoardNamed', { name: team.name })}</span>
              </Link>
            )}
            {/* A full team keeps its button: the server's answer says why and what to do instead. */}
            <button
              type="button"
              className="secondary"
              disabled={actions.busy}
              onClick={() => actions.join(team)}
              aria-label={t('join.joinTeamNamed', { name: team.name })}
              aria-describedby={seatsId}
            >
              {t('join.joinTeam')}
            </button>
          </div>
        ))}
    </li>
  )
}

function NewTeamForm({ challengeId, actions }: { challengeId: string | null; actions: TeamActions }) {
  const { t } = useLocale()
  const inputId = useId()
  const [name, setName] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) actions.create(name.trim(), challengeId)
  }
  return (
    <form className="inline-form new-team" onSubmit={submit}>
      <label htmlFor={inputId}>{t('join.newTeamName')}</label>
      <input id={inputId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} autoComplete="off" />
      <button type="submit" disabled={actions.busy}>
        {t('join.createTeam')}
      </button>
    </form>
  )
}
