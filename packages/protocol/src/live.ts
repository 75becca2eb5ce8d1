/**
 * The live state of an event (timer, broadcast, locks, follow): one small Yjs document per event,
 * its "live board", written by the server alone and read by every board of the event. Keeping it
 * out of the team boards means a timer tick never conflicts with a drawing.
 */
export const LIVE_MAP = 'live'

export const LiveKey = {
  Timer: 'timer',
  Broadcast: 'broadcast',
  LockedBoards: 'lockedBoards',
  /** One entry per board: `follow:<boardId>`. */
  FollowPrefix: 'follow:',
  /** The current (or last) dot vote: its rules, and its counts once revealed or closed. */
  Vote: 'vote',
  /** The restitution: running order of the teams and the per-team countdown. */
  Restitution: 'restitution',
  /** One entry per presented board: `slides:<boardId>`, the presenter's slides and current one. */
  SlidesPrefix: 'slides:',
  /** The audience prize, open or closed; ballots and counts stay on the server. */
  AudiencePrize: 'audiencePrize',
} as const

/** What every board knows of the audience prize: whether participants can vote now. */
export interface LiveAudiencePrize {
  status: 'open' | 'closed'
  openedAt: string | null
  closedAt: string | null
}

export interface TimerState {
  /** Index in the event's agenda, or -1 for a free countdown. */
  phaseIndex: number
  title: string
  status: 'idle' | 'running' | 'paused'
  /** Length of the phase as set (grows when extended). */
  durationMs: number
  /** Time left when the timer was last started or resumed (or frozen, when paused). */
  remainingMs: number
  /** Server clock (epoch ms) when it last started or resumed; clients correct for their own offset. */
  startedAt: number | null
}

export const IDLE_TIMER: TimerState = { phaseIndex: -1, title: '', status: 'idle', durationMs: 0, remainingMs: 0, startedAt: null }

/** Time left at `serverNow` (the client passes its clock plus the measured offset). */
export function timeLeft(timer: TimerState, serverNow: number): number {
  if (timer.status !== 'running' || timer.startedAt === null) return timer.remainingMs
  return Math.max(0, timer.remainingMs - (serverNow - timer.startedAt))
}

export type TimerAction =
  | { action: 'start'; phaseIndex?: number; durationSeconds?: number; title?: string }
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'extend'; seconds: number }
  | { action: 'skip' }
  | { action: 'stop' }

export interface AgendaPhaseLike {
  title: string
  durationMinutes: number
}

/** The next timer state; pure, so that server and tests agree on what each button does. */
export function nextTimer(timer: TimerState, change: TimerAction, agenda: readonly AgendaPhaseLike[], now: number): TimerState {
  const startPhase = (phaseIndex: number, durationMs?: number, title?: string): TimerState => {
    const phase = agenda[phaseIndex]
    const length = durationMs ?? (phase ? phase.durationMinutes * 60_000 : 0)
    return { phaseIndex: phase ? phaseIndex : -1, title: title ?? phase?.title ?? '', status: 'running', durationMs: length, remainingMs: length, startedAt: now }
  }
  switch (change.action) {
    case 'start': {
      const phaseIndex = change.phaseIndex ?? Math.max(timer.phaseIndex, 0)
      const durationMs = change.durationSeconds !== undefined ? change.durationSeconds * 1000 : undefined
      return startPhase(change.durationSeconds !== undefined && change.phaseIndex === undefined ? -1 : phaseIndex, durationMs, change.title)
    }
    case 'pause':
      return timer.status === 'running' ? { ...timer, status: 'paused', remainingMs: timeLeft(timer, now), startedAt: null } : timer
    case 'resume':
      return timer.status === 'paused' ? { ...timer, status: 'running', startedAt: now } : timer
    case 'extend': {
      if (timer.status === 'idle') return timer
      const extra = change.seconds * 1000
      // Extending a timer that already reached zero restarts the count from now.
      if (timer.status === 'running' && timeLeft(timer, now) === 0) return { ...timer, durationMs: timer.durationMs + extra, remainingMs: extra, startedAt: now }
      return { ...timer, durationMs: timer.durationMs + extra, remainingMs: timer.remainingMs + extra }
    }
    case 'skip': {
      const next = timer.phaseIndex + 1
      return agenda[next] ? startPhase(next) : IDLE_TIMER
    }
    case 'stop':
      return IDLE_TIMER
  }
}

export interface BroadcastMessage {
  id: string
  text: string
  /** Server clock, epoch ms. */
  at: number
}

export interface FollowRequest {
  /** tldraw user id of the person to follow (the facilitator). */
  userId: string
  userName: string
  at: number
}

export interface VoteCount {
  boardId: string
  shapeId: string
  count: number
  /** Pseudonyms of the voters, when the vote is not anonymous. */
  voters?: string[]
}

/** What every board knows of a vote; each person's own dots come from the API, not from here. */
export interface LiveVote {
  id: string
  boardIds: string[]
  votesPerPerson: number
  maxPerNote: number
  anonymous: boolean
  status: 'open' | 'closed'
  revealed: boolean
  closesAt: string | null
  /** Counts per note, most first: present once revealed or closed. */
  results: VoteCount[] | null
}

export interface RestitutionState {
  /** Team ids in presentation order. */
  order: string[]
  pitchSeconds: number
  questionsSeconds: number
  /** Index in `order` of the team on stage; -1 before the first. */
  index: number
  phase: 'idle' | 'pitch' | 'questions' | 'done'
  /** Server clock when the current phase started. */
  phaseStartedAt: number | null
}

export const IDLE_RESTITUTION: RestitutionState = { order: [], pitchSeconds: 240, questionsSeconds: 180, index: -1, phase: 'idle', phaseStartedAt: null }

/** Time left in the current phase at `serverNow`; 0 when over or idle. */
export function restitutionTimeLeft(state: RestitutionState, serverNow: number): number {
  if ((state.phase !== 'pitch' && state.phase !== 'questions') || state.phaseStartedAt === null) return 0
  const length = (state.phase === 'pitch' ? state.pitchSeconds : state.questionsSeconds) * 1000
  return Math.max(0, length - (serverNow - state.phaseStartedAt))
}

export type RestitutionAction =
  | { action: 'setup'; order: string[]; pitchSeconds?: number; questionsSeconds?: number }
  | { action: 'pitch' }
  | { action: 'questions' }
  | { action: 'next' }
  | { action: 'previous' }
  | { action: 'stop' }

/** Pure, like `nextTimer`: what each button of the running order does. */
export function nextRestitution(state: RestitutionState, change: RestitutionAction, now: number): RestitutionState {
  switch (change.action) {
    case 'setup':
      return {
        ...state,
        order: change.order,
        pitchSeconds: change.pitchSeconds ?? state.pitchSeconds,
        questionsSeconds: change.questionsSeconds ?? state.questionsSeconds,
        index: state.index >= change.order.length ? change.order.length - 1 : state.index,
      }
    case 'pitch':
      return state.index < 0 ? { ...state, index: 0, phase: 'pitch', phaseStartedAt: now } : { ...state, phase: 'pitch', phaseStartedAt: now }
    case 'questions':
      return state.index < 0 ? state : { ...state, phase: 'questions', phaseStartedAt: now }
    case 'next':
      return state.index + 1 < state.order.length ? { ...state, index: state.index + 1, phase: 'pitch', phaseStartedAt: now } : { ...state, phase: 'done', phaseStartedAt: null }
    case 'previous':
      return state.index > 0 ? { ...state, index: state.index - 1, phase: 'pitch', phaseStartedAt: now } : state
    case 'stop':
      return { ...state, phase: 'idle', phaseStartedAt: null }
  }
}

export interface SlideState {
  /** Frame shape ids in the order chosen by the team (restitution-pitch sections first). */
  frameIds: string[]
  index: number
  /** tldraw user id of the presenter, so that followers do not fight them. */
  presenter: string
  at: number
}
