/** Event-loop delay over a window: how late a 10 ms timer fired, i.e. how long the loop was busy. */
import { monitorEventLoopDelay } from 'node:perf_hooks'

const RESOLUTION_MS = 10

/** Start of the line a server's probe (serverProbe.ts) prints its figures on. */
export const PROBE_PREFIX = 'bench-probe '

export interface LoopDelay {
  p50: number
  p99: number
  max: number
  /** The probe did not answer: the loop was still blocked, `max` is only a lower bound. */
  atLeast?: boolean
}

export function loopDelayMonitor(): { reset(): void; report(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  // The histogram holds the timer's period plus its lateness; only the lateness is of interest.
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS)
  return {
    reset: () => histogram.reset(),
    report: () => ({ p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max) }),
  }
}

/** Ticks kept: twenty minutes at 100 Hz. */
const RECORDED_TICKS = 120_000

/**
 * Records when each 10 ms tick fired and how late, so that the delay over a window given in epoch
 * milliseconds can be asked afterwards. Unlike a histogram reset by a command, it does not depend on
 * when a saturated loop gets round to reading that command. A stall is recorded by the first tick
 * after it, at the time that tick fired; it counts in a window it overlaps.
 */
export function loopDelayRecorder(): { between(start: number, end: number): LoopDelay; pause(): void; resume(): void } {
  const at = new Float64Array(RECORDED_TICKS)
  const lateness = new Float64Array(RECORDED_TICKS)
  let ticks = 0
  let expected = performance.now() + RESOLUTION_MS
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    const t = performance.now()
    const i = ticks++ % RECORDED_TICKS
    at[i] = performance.timeOrigin + t
    lateness[i] = Math.max(0, t - expected)
    expected = t + RESOLUTION_MS
    timer = setTimeout(tick, RESOLUTION_MS).unref()
  }
  timer = setTimeout(tick, RESOLUTION_MS).unref()
  return {
    // The ticks cost ~1.7 % of a core on their own: paused while a server's idle CPU is measured.
    pause() {
      clearTimeout(timer)
      timer = undefined
    },
    resume() {
      if (timer) return
      expected = performance.now() + RESOLUTION_MS
      timer = setTimeout(tick, RESOLUTION_MS).unref()
    },
    between(start, end) {
      const values: number[] = []
      for (let k = Math.max(0, ticks - RECORDED_TICKS); k < ticks; k++) {
        const i = k % RECORDED_TICKS
        const firedAt = at[i] as number
        const late = lateness[i] as number
        if (firedAt >= start && firedAt - late <= end) values.push(late)
      }
      if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
      values.sort((a, b) => a - b)
      const rank = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1))] as number
      return { p50: rank(50), p99: rank(99), max: values[values.length - 1] as number }
    },
  }
}
