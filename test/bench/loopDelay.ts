/** Event-loop delay over a window: how late a 10 ms timer fired, i.e. how long the loop was busy. */
import { monitorEventLoopDelay } from 'node:perf_hooks'

const RESOLUTION_MS = 10

/** Start of the line a server's probe (serverProbe.ts) prints its figures on. */
export const PROBE_PREFIX = 'bench-probe '

export interface LoopDelay {
  p50: number
  p99: number
  max: number
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
