import { type RestitutionState, restitutionTimeLeft } from '@fabrique/protocol'
import { formatDuration } from '../live/LiveBanners.tsx'
import type { RestitutionMessage } from './strings.ts'
import { useSay } from './strings.ts'
import { useServerNow } from './useEventLive.ts'

const PHASES: Record<RestitutionState['phase'], RestitutionMessage> = {
  idle: 'phaseIdle',
  pitch: 'phasePitch',
  questions: 'phaseQuestions',
  done: 'phaseDone',
}

/** The phase of the team on stage and its countdown, from the server's clock: a reload changes nothing. */
export function StageClock({ restitution, clockOffsetMs }: { restitution: RestitutionState; clockOffsetMs: number }) {
  const say = useSay()
  const timed = restitution.phase === 'pitch' || restitution.phase === 'questions'
  const now = useServerNow(clockOffsetMs, timed)
  const left = restitutionTimeLeft(restitution, now)
  return (
    <div className="stage-clock" data-phase={restitution.phase}>
      <span className="stage-phase" data-testid="stage-phase">
        {say(PHASES[restitution.phase])}
      </span>
      {timed && (
        <span className={left > 0 ? 'stage-countdown' : 'stage-countdown stage-time-up'} role="timer" data-testid="stage-countdown">
          {left > 0 ? formatDuration(left) : say('timeUp')}
        </span>
      )}
    </div>
  )
}
