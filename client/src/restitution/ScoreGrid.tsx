import { type FormEvent, useEffect, useId, useState } from 'react'
import type { Team } from '../event/api.ts'
import { ErrorAlert } from '../event/ui.tsx'
import { useAction } from '../event/useRequest.ts'
import { useLocale } from '../i18n.tsx'
import { JURY_CRITERIA, JURY_CRITERIA_TITLES, type JuryScore, SCORE_VALUES, type Scores } from './criteria.ts'
import { restitutionApi } from './restitutionApi.ts'
import { useSay } from './strings.ts'

interface Draft {
  scores: Scores
  comment: string
}

interface ScoreGridProps {
  eventId: string
  jurorToken: string
  teams: readonly Team[]
  teamId: string | undefined
  onPickTeam(teamId: string): void
}

/** The four criteria, 1 to 5, and a comment, for one team at a time; drafts survive a change of team. */
export function ScoreGrid({ eventId, jurorToken, teams, teamId, onPickTeam }: ScoreGridProps) {
  const say = useSay()
  const { locale } = useLocale()
  const baseId = useId()
  const [saved, setSaved] = useState<Record<string, JuryScore>>({})
  const [drafts, setDrafts] = useState<Record<string, Draft>>({})
  const [loadError, setLoadError] = useState<unknown>()

  useEffect(() => {
    restitutionApi.scores(eventId, jurorToken).then(
      ({ scores }) => setSaved(Object.fromEntries(scores.map((score) => [score.teamId, score]))),
      setLoadError,
    )
  }, [eventId, jurorToken])

  const savedScore = teamId ? saved[teamId] : undefined
  const draft = (teamId && drafts[teamId]) || { scores: savedScore?.scores ?? {}, comment: savedScore?.comment ?? '' }
  const dirty = teamId !== undefined && drafts[teamId] !== undefined
  const edit = (change: Partial<Draft>) => {
    if (teamId) setDrafts((all) => ({ ...all, [teamId]: { ...draft, ...change } }))
  }

  const save = useAction(async () => {
    if (!teamId) return
    const { score } = await restitutionApi.saveScores(eventId, jurorToken, teamId, draft.scores, draft.comment)
    setSaved((all) => ({ ...all, [teamId]: score }))
    setDrafts(({ [teamId]: _done, ...others }) => others)
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save.run()
  }

  const status = save.busy
    ? say('saving')
    : dirty
      ? say('unsaved')
      : savedScore
        ? say('saved', { time: new Date(savedScore.updatedAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) })
        : say('notScored')

  return (
    <form className="score-grid" onSubmit={submit} aria-labelledby={`${baseId}-title`} data-testid="score-grid">
      <h3 id={`${baseId}-title`}>{say('gridTitle')}</h3>
      <p className="muted">{say('gridPrivate')}</p>
      <ErrorAlert error={loadError} />
      <div className="field">
        <label htmlFor={`${baseId}-team`}>{say('gridTeam')}</label>
        <select id={`${baseId}-team`} value={teamId ?? ''} onChange={(event) => onPickTeam(event.target.value)}>
          {teamId === undefined && <option value="" disabled />}
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      <p className="muted">{say('gridScale')}</p>
      {JURY_CRITERIA.map((criterion) => (
        <fieldset key={criterion} className="score-criterion" disabled={!teamId}>
          <legend>{JURY_CRITERIA_TITLES[criterion][locale]}</legend>
          <div className="score-values">
            {SCORE_VALUES.map((value) => (
              <label key={value} className="score-value">
                <input
                  type="radio"
                  name={`${baseId}-${criterion}`}
                  value={value}
                  checked={draft.scores[criterion] === value}
                  onChange={() => edit({ scores: { ...draft.scores, [criterion]: value } })}
                />
                <span>{value}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <div className="field">
        <label htmlFor={`${baseId}-comment`}>{say('comment')}</label>
        <textarea id={`${baseId}-comment`} rows={4} maxLength={2000} value={draft.comment} disabled={!teamId} onChange={(event) => edit({ comment: event.target.value })} />
      </div>
      <ErrorAlert error={save.error} />
      <div className="button-row">
        <button type="submit" disabled={!teamId || save.busy}>
          {say('save')}
        </button>
        <p role="status" className="score-status" data-testid="score-status">
          {status}
        </p>
      </div>
    </form>
  )
}
