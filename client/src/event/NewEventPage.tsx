import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useLocale } from '../i18n.tsx'
import { navigate } from '../router.tsx'
import { eventsApi } from './api.ts'
import {
  type ChallengeDraft,
  type DraftProblem,
  type EventDraft,
  emptyChallenge,
  emptyPhase,
  initialDraft,
  type PhaseDraft,
  toNewEventBody,
} from './eventForm.ts'
import { paths } from './paths.ts'
import { handOverCreatedEvent, organisedEvents, rememberOrganisedEvent, saveToken, tokenOfLink } from './session.ts'
import { ErrorAlert, EventPageHeader, Link, useFormatDate } from './ui.tsx'
import { useAction } from './useRequest.ts'

/** The organiser's form: the day, its agenda, its challenges and how teams work. */
export function NewEventPage() {
  const { t } = useLocale()
  const [draft, setDraft] = useState<EventDraft>(initialDraft)
  const [problems, setProblems] = useState<DraftProblem[]>([])
  const [focusId, setFocusId] = useState<string>()
  const addPhaseButton = useRef<HTMLButtonElement>(null)
  const addChallengeButton = useRef<HTMLButtonElement>(null)

  // A row just added gets the focus on its first field; a removed one hands it to the "add" button.
  useEffect(() => {
    if (focusId) document.getElementById(focusId)?.focus()
  }, [focusId])

  const change = (patch: Partial<EventDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const changePhase = (key: number, patch: Partial<PhaseDraft>) =>
    setDraft((d) => ({ ...d, agenda: d.agenda.map((p) => (p.key === key ? { ...p, ...patch } : p)) }))
  const changeChallenge = (key: number, patch: Partial<ChallengeDraft>) =>
    setDraft((d) => ({ ...d, challenges: d.challenges.map((c) => (c.key === key ? { ...c, ...patch } : c)) }))

  const addPhase = () => {
    const phase = emptyPhase()
    setDraft((d) => ({ ...d, agenda: [...d.agenda, phase] }))
    setFocusId(`phase-title-${phase.key}`)
  }
  const removePhase = (key: number) => {
    setDraft((d) => ({ ...d, agenda: d.agenda.filter((p) => p.key !== key) }))
    setFocusId(undefined)
    addPhaseButton.current?.focus()
  }
  const addChallenge = () => {
    const challenge = emptyChallenge()
    setDraft((d) => ({ ...d, challenges: [...d.challenges, challenge] }))
    setFocusId(`challenge-title-${challenge.key}`)
  }
  const removeChallenge = (key: number) => {
    setDraft((d) => ({ ...d, challenges: d.challenges.filter((c) => c.key !== key) }))
    setFocusId(undefined)
    addChallengeButton.current?.focus()
  }

  const create = useAction(async () => {
    const result = toNewEventBody(draft)
    if ('problems' in result) {
      setProblems(result.problems)
      return
    }
    setProblems([])
    const created = await eventsApi.create(result.body)
    const token = tokenOfLink(created.links.organiser)
    if (token) saveToken(created.event.id, 'organiser', token)
    rememberOrganisedEvent({ id: created.event.id, title: created.event.title, date: created.event.date })
    handOverCreatedEvent(created)
    navigate(paths.organise(created.event.id))
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void create.run()
  }

  return (
    <div className="page">
      <EventPageHeader title={t('organise.newTitle')} subtitle={t('organise.newIntro')} />
      <main>
        <PreviousEvents />
        <form onSubmit={submit} className="event-form" aria-busy={create.busy}>
          <fieldset className="card">
            <legend>{t('organise.section.event')}</legend>
            <div className="field">
              <label htmlFor="event-title">{t('organise.title')}</label>
              <input id="event-title" required maxLength={200} value={draft.title} onChange={(e) => change({ title: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="event-date">{t('organise.date')}</label>
              <input id="event-date" type="date" required value={draft.date} onChange={(e) => change({ date: e.target.value })} />
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>{t('organise.section.agenda')}</legend>
            <p className="field-help">{t('organise.agendaHelp')}</p>
            {draft.agenda.map((phase, index) => (
              <fieldset key={phase.key} className="row-group" data-testid="phase-row">
                <legend className="visually-hidden">{t('organise.phaseN', { n: index + 1 })}</legend>
                <div className="row-fields">
                  <div className="field grow">
                    <label htmlFor={`phase-title-${phase.key}`}>{t('organise.phaseName')}</label>
                    <input
                      id={`phase-title-${phase.key}`}
                      required
                      maxLength={120}
                      value={phase.title}
                      onChange={(e) => changePhase(phase.key, { title: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`phase-start-${phase.key}`}>{t('organise.phaseStart')}</label>
                    <input
                      id={`phase-start-${phase.key}`}
                      type="time"
                      required
                      value={phase.start}
                      onChange={(e) => changePhase(phase.key, { start: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`phase-duration-${phase.key}`}>{t('organise.phaseDuration')}</label>
                    <input
                      id={`phase-duration-${phase.key}`}
                      type="number"
                      required
                      min={1}
                      max={1440}
                      step={1}
                      className="narrow"
                      value={phase.duration}
                      onChange={(e) => changePhase(phase.key, { duration: e.target.value })}
                    />
                  </div>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => removePhase(phase.key)}
                    aria-label={t('organise.removePhaseN', { n: index + 1 })}
                  >
                    {t('organise.remove')}
                  </button>
                </div>
              </fieldset>
            ))}
            <button type="button" className="secondary" ref={addPhaseButton} onClick={addPhase}>
              {t('organise.addPhase')}
            </button>
          </fieldset>

          <fieldset className="card">
            <legend>{t('organise.section.challenges')}</legend>
            <p className="field-help">{t('organise.challengesHelp')}</p>
            {draft.challenges.map((challenge, index) => (
              <fieldset key={challenge.key} className="row-group" data-testid="challenge-row">
                <legend>{t('organise.challengeN', { n: index + 1 })}</legend>
                <div className="field">
                  <label htmlFor={`challenge-title-${challenge.key}`}>{t('organise.challengeTitle')}</label>
                  <input
                    id={`challenge-title-${challenge.key}`}
                    required
                    maxLength={200}
                    value={challenge.title}
                    onChange={(e) => changeChallenge(challenge.key, { title: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`challenge-description-${challenge.key}`}>{t('organise.challengeDescription')}</label>
                  <textarea
                    id={`challenge-description-${challenge.key}`}
                    rows={3}
                    maxLength={5000}
                    value={challenge.description}
                    onChange={(e) => changeChallenge(challenge.key, { description: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`challenge-datasets-${challenge.key}`}>{t('organise.challengeDatasets')}</label>
                  <p id={`challenge-datasets-help-${challenge.key}`} className="field-help">
                    {t('organise.challengeDatasetsHelp')}
                  </p>
                  <textarea
                    id={`challenge-datasets-${challenge.key}`}
                    rows={3}
                    aria-describedby={`challenge-datasets-help-${challenge.key}`}
                    placeholder="https://www.data.gouv.fr/…"
                    value={challenge.datasets}
                    onChange={(e) => changeChallenge(challenge.key, { datasets: e.target.value })}
                  />
                </div>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => removeChallenge(challenge.key)}
                  aria-label={t('organise.removeChallengeN', { n: index + 1 })}
                >
                  {t('organise.remove')}
                </button>
              </fieldset>
            ))}
            <button type="button" className="secondary" ref={addChallengeButton} onClick={addChallenge}>
              {t('organise.addChallenge')}
            </button>
          </fieldset>

          <fieldset className="card">
            <legend>{t('organise.section.teams')}</legend>
            <div className="field">
              <label htmlFor="max-team-size">{t('organise.maxTeamSize')}</label>
              <input
                id="max-team-size"
                type="number"
                required
                min={1}
                max={50}
                step={1}
                className="narrow"
                value={draft.maxTeamSize}
                onChange={(e) => change({ maxTeamSize: e.target.value })}
              />
            </div>
            <div className="checkbox">
              <input
                id="teams-can-view"
                type="checkbox"
                checked={draft.teamsCanViewOtherBoards}
                onChange={(e) => change({ teamsCanViewOtherBoards: e.target.checked })}
              />
              <label htmlFor="teams-can-view">{t('organise.teamsCanViewOtherBoards')}</label>
            </div>
            <div className="checkbox">
              <input
                id="plenary-writable"
                type="checkbox"
                checked={draft.participantsCanWritePlenary}
                onChange={(e) => change({ participantsCanWritePlenary: e.target.checked })}
              />
              <label htmlFor="plenary-writable">{t('organise.participantsCanWritePlenary')}</label>
            </div>
          </fieldset>

          {problems.map((problem) => (
            <p key={problem.challenge} role="alert" className="alert alert-error">
              {t('organise.datasetsInvalid', { n: problem.challenge, lines: problem.lines.join(', ') })}
            </p>
          ))}
          <ErrorAlert error={create.error} />
          <div className="form-actions">
            <button type="submit" disabled={create.busy}>
              {create.busy ? t('organise.creating') : t('organise.create')}
            </button>
          </div>
        </form>
      </main>
    </div>
  )
}

/** Events this browser created: the way back for an organiser who closed the tab. */
function PreviousEvents() {
  const { t } = useLocale()
  const formatDate = useFormatDate()
  const [events] = useState(organisedEvents)
  if (events.length === 0) return null
  return (
    <section className="card">
      <h2>{t('organise.previous')}</h2>
      <ul className="plain-list">
        {events.map((event) => (
          <li key={event.id}>
            <Link href={paths.organise(event.id)}>{event.title}</Link> <span className="muted">— {formatDate(event.date)}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
