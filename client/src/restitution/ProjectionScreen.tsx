import { IDLE_RESTITUTION } from '@fabrique/protocol'
import { useEffect, useRef } from 'react'
import { BoardPage } from '../board/BoardPage.tsx'
import { LanguageSwitch, useLocale } from '../i18n.tsx'
import { eventsApi } from '../event/api.ts'
import { LoadFailed, NoAccess, useStaffToken } from '../event/StaffAccess.tsx'
import { Loading } from '../event/ui.tsx'
import { useLoad } from '../event/useRequest.ts'
import { StageClock } from './StageClock.tsx'
import { currentTeamId, liveBoardIdOf, nextTeamId } from './stage.ts'
import { useSay } from './strings.ts'
import { useEventLive } from './useEventLive.ts'
import './restitution.css'

/**
 * The room's screen during the restitution: the team on stage, its countdown, and its board
 * following the presenter's slides. Everything comes from the live board, so a reload (or another
 * laptop) shows the same thing.
 */
export function ProjectionScreenPage({ eventId }: { eventId: string }) {
  const access = useStaffToken(eventId, ['facilitator', 'organiser'])
  if (!access) return <NoAccess what="facilitator" />
  return <ProjectionScreen eventId={eventId} token={access.token} />
}

function ProjectionScreen({ eventId, token }: { eventId: string; token: string }) {
  const say = useSay()
  const { t } = useLocale()
  const loaded = useLoad(eventId, () => eventsApi.get(eventId, token))
  const live = useEventLive(loaded.data ? liveBoardIdOf(loaded.data.event) : undefined, token)
  const restitution = live?.restitution ?? IDLE_RESTITUTION
  const teams = loaded.data?.teams ?? []
  const teamId = currentTeamId(restitution)
  const team = teams.find((candidate) => candidate.id === teamId)
  const next = teams.find((candidate) => candidate.id === nextTeamId(restitution))
  const screen = useRef<HTMLDivElement>(null)

  // A team created after this page loaded: fetch the teams again, once for that team.
  const reloadedFor = useRef<string>(undefined)
  const { data, reload } = loaded
  useEffect(() => {
    if (!data || !teamId || team || reloadedFor.current === teamId) return
    reloadedFor.current = teamId
    reload()
  }, [data, teamId, team, reload])

  const documentTitle = [say('screenTitle'), data?.event.title, t('app.name')].filter(Boolean).join(' · ')
  useEffect(() => {
    document.title = documentTitle
  }, [documentTitle])

  if (!data) {
    return <main className="page">{loaded.error ? <LoadFailed error={loaded.error} /> : <Loading />}</main>
  }
  const fullScreen = () => {
    screen.current?.requestFullscreen?.().catch(() => {})
  }
  const noTeam = restitution.order.length === 0 ? say('noOrder') : say(restitution.phase === 'done' ? 'phaseDone' : 'phaseIdle')
  return (
    <div className="projection-screen" ref={screen}>
      <header className="stage-bar">
        <div className="stage-team">
          <p className="stage-label">{data.event.title}</p>
          <h1 data-testid="screen-team">{team?.name ?? (teamId ? say('unknownTeam') : say('screenTitle'))}</h1>
        </div>
        <StageClock restitution={restitution} clockOffsetMs={live?.clockOffsetMs ?? 0} />
        <div className="stage-tools">
          {next && <p className="stage-next">{say('nextTeam', { name: next.name })}</p>}
          <button type="button" className="secondary" onClick={fullScreen}>
            {say('fullScreen')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <div className="projection-board">
        {team ? <BoardPage key={team.boardId} boardId={team.boardId} token={token} readOnly /> : <p className="projection-empty">{noTeam}</p>}
      </div>
    </div>
  )
}
