import { IDLE_RESTITUTION } from '@fabrique/protocol'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { BoardPage } from '../board/BoardPage.tsx'
import type { EventInfo, Team } from '../event/api.ts'
import { ErrorAlert } from '../event/ui.tsx'
import { useAction } from '../event/useRequest.ts'
import { forgetJuror, type StoredJuror, saveJuror, storedJuror } from './jurorSession.ts'
import { restitutionApi } from './restitutionApi.ts'
import { ScoreGrid } from './ScoreGrid.tsx'
import { StageClock } from './StageClock.tsx'
import { currentTeamId, isOnStage, liveBoardIdOf } from './stage.ts'
import { useSay } from './strings.ts'
import { useEventLive } from './useEventLive.ts'
import './restitution.css'

interface JuryDeskProps {
  event: EventInfo
  teams: readonly Team[]
  /** The shared jury link's token: it reads the boards and signs jurors in. */
  juryToken: string
}

/** A juror's desk: the team on stage, its slides, and the scoring grid beside them. */
export function JuryDesk({ event, teams, juryToken }: JuryDeskProps) {
  const [juror, setJuror] = useState(() => storedJuror(event.id))
  if (!juror) {
    return (
      <JurorSignIn
        eventId={event.id}
        juryToken={juryToken}
        onSignedIn={(signedIn) => {
          saveJuror(event.id, signedIn)
          setJuror(signedIn)
        }}
      />
    )
  }
  const forget = () => {
    forgetJuror(event.id)
    setJuror(undefined)
  }
  return <JuryStage event={event} teams={teams} juryToken={juryToken} juror={juror} onForget={forget} />
}

function JurorSignIn({ eventId, juryToken, onSignedIn }: { eventId: string; juryToken: string; onSignedIn(juror: StoredJuror): void }) {
  const say = useSay()
  const nameId = useId()
  const [name, setName] = useState('')
  const signIn = useAction(async () => {
    const { token, juror } = await restitutionApi.registerJuror(eventId, juryToken, name.trim())
    onSignedIn({ token, juror })
  })
  const submit = (submitted: FormEvent) => {
    submitted.preventDefault()
    if (name.trim()) void signIn.run()
  }
  return (
    <section className="card" aria-labelledby={`${nameId}-title`}>
      <h2 id={`${nameId}-title`}>{say('jurorTitle')}</h2>
      <p>{say('jurorIntro')}</p>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={nameId}>{say('jurorName')}</label>
        <input id={nameId} value={name} maxLength={80} required autoComplete="name" onChange={(changed) => setName(changed.target.value)} />
        <button type="submit" disabled={signIn.busy}>
          {say('jurorStart')}
        </button>
      </form>
      <ErrorAlert error={signIn.error} />
    </section>
  )
}

interface JuryStageProps extends JuryDeskProps {
  juror: StoredJuror
  onForget(): void
}

function JuryStage({ event, teams, juryToken, juror, onForget }: JuryStageProps) {
  const say = useSay()
  const headingId = useId()
  const live = useEventLive(liveBoardIdOf(event), juryToken)
  const restitution = live?.restitution ?? IDLE_RESTITUTION
  const stageTeamId = isOnStage(restitution) ? currentTeamId(restitution) : undefined
  const [picked, setPicked] = useState<string>()
  // Each team that comes on stage comes up in the grid; meanwhile the juror may pick another.
  useEffect(() => {
    if (stageTeamId) setPicked(stageTeamId)
  }, [stageTeamId])
  const scoredTeamId = picked ?? stageTeamId ?? teams[0]?.id
  const stageTeam = teams.find((team) => team.id === stageTeamId)
  const shownTeam = stageTeam ?? teams.find((team) => team.id === scoredTeamId)

  return (
    <section className="card jury-desk" aria-labelledby={headingId} data-testid="jury-desk">
      <div className="jury-desk-head">
        <h2 id={headingId} data-testid="jury-stage-team">
          {stageTeam ? say('onStage', { name: stageTeam.name }) : say('stageNone')}
        </h2>
        {stageTeam && <StageClock restitution={restitution} clockOffsetMs={live?.clockOffsetMs ?? 0} />}
      </div>
      <div className="jury-desk-layout">
        <div className="jury-board">{shownTeam && <BoardPage key={shownTeam.boardId} boardId={shownTeam.boardId} token={juryToken} readOnly />}</div>
        <ScoreGrid eventId={event.id} jurorToken={juror.token} teams={teams} teamId={scoredTeamId} onPickTeam={setPicked} />
      </div>
      <p className="muted">
        {say('jurorAs', { name: juror.juror.name })}{' '}
        <button type="button" className="secondary" onClick={onForget}>
          {say('jurorNotMe')}
        </button>
      </p>
    </section>
  )
}
