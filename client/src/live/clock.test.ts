import { IDLE_TIMER, nextTimer, type TimerState, timeLeft } from '@fabrique/protocol'
import { describe, expect, it } from 'vitest'
import { type ClockSource, measureClockOffset } from './clock.ts'

/**
 * Simulated time: one true clock, a server that reads it, devices whose clocks are off by a fixed
 * skew, and a network whose trips take the given (uneven) milliseconds up and down.
 */
function world(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let trueNow = start
  return {
    advance: (ms: number) => {
      trueNow += ms
    },
    serverNow: () => trueNow,
    device(skewMs: number, trips: ReadonlyArray<readonly [up: number, down: number]>): ClockSource {
      let trip = 0
      return {
        now: () => trueNow + skewMs,
        serverTime: async () => {
          const [up, down] = trips[trip++ % trips.length] ?? [0, 0]
          trueNow += up
          const answer = trueNow
          trueNow += down
          return answer
        },
      }
    },
  }
}

const startOneMinute = (serverNow: number): TimerState => nextTimer(IDLE_TIMER, { action: 'start', durationSeconds: 60, title: 'Idéation' }, [], serverNow)

describe('timer with skewed device clocks', () => {
  it('shows the same time left on a device 90 s ahead and one 45 s behind', async () => {
    const w = world()
    // Uneven, jittery trips: the shortest one wins, its asymmetry bounds the error (here 5 ms).
    const ahead = w.device(+90_000, [
      [40, 80],
      [12, 22],
      [30, 30],
    ])
    const behind = w.device(-45_000, [
      [25, 15],
      [60, 20],
      [9, 14],
    ])
    const offsetAhead = await measureClockOffset(3, ahead)
    const offsetBehind = await measureClockOffset(3, behind)
    expect(Math.abs(offsetAhead + 90_000)).toBeLessThanOrEqual(5)
    expect(Math.abs(offsetBehind - 45_000)).toBeLessThanOrEqual(5)

    const timer = startOneMinute(w.serverNow())
    for (const elapsed of [0, 1_000, 29_500, 59_990, 75_000]) {
      const truth = timeLeft(timer, w.serverNow())
      const leftAhead = timeLeft(timer, ahead.now() + offsetAhead)
      const leftBehind = timeLeft(timer, behind.now() + offsetBehind)
      expect(Math.abs(leftAhead - truth)).toBeLessThanOrEqual(5)
      expect(Math.abs(leftBehind - truth)).toBeLessThanOrEqual(5)
      expect(Math.abs(leftAhead - leftBehind)).toBeLessThanOrEqual(10)
      w.advance(elapsed === 0 ? 1_000 : elapsed === 1_000 ? 28_500 : elapsed === 29_500 ? 30_490 : 15_010)
    }
    // Uncorrected, a fresh one-minute timer would already read zero ahead, and 1:45 behind.
    const fresh = startOneMinute(w.serverNow())
    expect(timeLeft(fresh, ahead.now())).toBe(0)
    expect(timeLeft(fresh, behind.now())).toBe(105_000)
  })

  it('gives a late joiner with a skewed clock the right time left, paused or running', async () => {
    const w = world()
    let timer = startOneMinute(w.serverNow())
    w.advance(20_000)
    timer = nextTimer(timer, { action: 'pause' }, [], w.serverNow())
    w.advance(7_000)
    const late = w.device(-45_000, [[18, 18]])
    const offset = await measureClockOffset(3, late)
    expect(timeLeft(timer, late.now() + offset)).toBe(40_000)
    timer = nextTimer(timer, { action: 'resume' }, [], w.serverNow())
    w.advance(10_000)
    expect(Math.abs(timeLeft(timer, late.now() + offset) - 30_000)).toBeLessThanOrEqual(1)
  })
})
