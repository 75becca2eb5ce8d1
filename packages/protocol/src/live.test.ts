import { describe, expect, test } from 'vitest'
import { IDLE_TIMER, nextTimer, timeLeft } from './live.ts'

const agenda = [
  { title: 'Cadrage', durationMinutes: 30 },
  { title: 'Idéation', durationMinutes: 45 },
]
const MIN = 60_000

describe('timer', () => {
  test('start, pause, resume and extend keep the time left right', () => {
    let timer = nextTimer(IDLE_TIMER, { action: 'start', phaseIndex: 0 }, agenda, 1_000)
    expect(timer).toMatchObject({ title: 'Cadrage', status: 'running', durationMs: 30 * MIN })
    expect(timeLeft(timer, 1_000 + 10 * MIN)).toBe(20 * MIN)

    timer = nextTimer(timer, { action: 'pause' }, agenda, 1_000 + 10 * MIN)
    expect(timeLeft(timer, 1_000 + 25 * MIN)).toBe(20 * MIN)

    timer = nextTimer(timer, { action: 'resume' }, agenda, 1_000 + 25 * MIN)
    timer = nextTimer(timer, { action: 'extend', seconds: 300 }, agenda, 1_000 + 26 * MIN)
    expect(timeLeft(timer, 1_000 + 26 * MIN)).toBe(24 * MIN)
    expect(timer.durationMs).toBe(35 * MIN)
  })

  test('never goes below zero; extending a finished timer counts from now', () => {
    let timer = nextTimer(IDLE_TIMER, { action: 'start', durationSeconds: 60, title: 'Pitch' }, agenda, 0)
    expect(timer).toMatchObject({ phaseIndex: -1, title: 'Pitch' })
    expect(timeLeft(timer, 5 * MIN)).toBe(0)
    timer = nextTimer(timer, { action: 'extend', seconds: 30 }, agenda, 5 * MIN)
    expect(timeLeft(timer, 5 * MIN + 10_000)).toBe(20_000)
  })

  test('skip moves to the next phase, then stops after the last', () => {
    let timer = nextTimer(IDLE_TIMER, { action: 'start', phaseIndex: 0 }, agenda, 0)
    timer = nextTimer(timer, { action: 'skip' }, agenda, 1000)
    expect(timer).toMatchObject({ phaseIndex: 1, title: 'Idéation', remainingMs: 45 * MIN, startedAt: 1000 })
    expect(nextTimer(timer, { action: 'skip' }, agenda, 2000)).toEqual(IDLE_TIMER)
  })

  test('pausing an idle timer or resuming a running one changes nothing', () => {
    expect(nextTimer(IDLE_TIMER, { action: 'pause' }, agenda, 0)).toBe(IDLE_TIMER)
    const running = nextTimer(IDLE_TIMER, { action: 'start' }, agenda, 0)
    expect(nextTimer(running, { action: 'resume' }, agenda, 10)).toBe(running)
  })
})

describe('restitution running order', () => {
  test('moves from team to team, pitch then questions, and ends', async () => {
    const { IDLE_RESTITUTION, nextRestitution, restitutionTimeLeft } = await import('./live.ts')
    let state = nextRestitution(IDLE_RESTITUTION, { action: 'setup', order: ['t1', 't2'], pitchSeconds: 180, questionsSeconds: 120 }, 0)
    state = nextRestitution(state, { action: 'pitch' }, 1000)
    expect(state).toMatchObject({ index: 0, phase: 'pitch' })
    expect(restitutionTimeLeft(state, 61_000)).toBe(120_000)
    state = nextRestitution(state, { action: 'questions' }, 200_000)
    expect(restitutionTimeLeft(state, 260_000)).toBe(60_000)
    state = nextRestitution(state, { action: 'next' }, 300_000)
    expect(state).toMatchObject({ index: 1, phase: 'pitch', phaseStartedAt: 300_000 })
    state = nextRestitution(state, { action: 'next' }, 400_000)
    expect(state).toMatchObject({ index: 1, phase: 'done' })
    expect(restitutionTimeLeft(state, 400_000)).toBe(0)
  })
})
