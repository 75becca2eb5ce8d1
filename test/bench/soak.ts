/**
 * Soak (issue 9): the spine's event load against one Fabrique server for BENCH_SOAK_MINUTES, to see
 * whether its memory stays flat. The load runs in consecutive slices (fresh generators and clients
 * each slice, on the same server and boards: people come and go during a day); the server's RSS and
 * CPU are read every 10 s throughout. Not in the default run: `pnpm bench -- --only soak`.
 */
import { cpuSeconds, rssBytes } from './procstat.ts'
import { type LoadRun, runLoad } from './scenarios.ts'
import { startServer } from './servers.ts'
import type { LoadScenario, Settings } from './settings.ts'

export interface SoakScenario {
  kind: 'soak'
  name: 'soak'
  title: string
  load: LoadScenario
  minutes: number
  sampleSeconds: number
  sliceMinutes: number
  /** Samples before this are the warm-up: rooms loading, JIT, buffers growing to their size. */
  warmupMinutes: number
  /** Memory is flat when both hold. */
  targets: { slopeMbPer10Min: number; endOverWarmRss: number }
}

export interface SoakSample {
  /** Seconds since the load started. */
  at: number
  rssMb: number
  /** CPU over the interval since the previous sample, % of one core. */
  cpuPercent: number
}

export interface SoakSlice {
  fromMinute: number
  toMinute: number
  updatesP99Ms: number
  cursorsP99Ms: number
  deliveredPercent: number
  disconnects: number
}

export interface SoakResult {
  scenario: SoakScenario
  samples: SoakSample[]
  slices: SoakSlice[]
  rssStartMb: number
  rssWarmMb: number
  rssEndMb: number
  slopeMbPer10Min: number
  cpuMeanPercent: number
  flat: boolean
  error?: string
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length
  if (n < 2) return Number.NaN
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY)
    den += (p.x - meanX) ** 2
  }
  return den === 0 ? Number.NaN : num / den
}

const MB = 1024 * 1024

export async function runSoak(scenario: SoakScenario, settings: Settings): Promise<SoakResult> {
  const server = await startServer('fabrique')
  const samples: SoakSample[] = []
  const slices: SoakSlice[] = []
  const started = performance.now()
  let last = { at: started, cpu: cpuSeconds(server.pid) }
  samples.push({ at: 0, rssMb: rssBytes(server.pid) / MB, cpuPercent: 0 })
  const timer = setInterval(() => {
    try {
      const at = performance.now()
      const cpu = cpuSeconds(server.pid)
      samples.push({ at: (at - started) / 1000, rssMb: rssBytes(server.pid) / MB, cpuPercent: ((cpu - last.cpu) / ((at - last.at) / 1000)) * 100 })
      last = { at, cpu }
    } catch {
      // The server is gone: the slice that runs reports it.
    }
  }, scenario.sampleSeconds * 1000)
  let error: string | undefined
  try {
    const end = started + scenario.minutes * 60_000
    for (let slice = 0; performance.now() < end - 10_000; slice++) {
      const fromMinute = (performance.now() - started) / 60_000
      const warmupSeconds = slice === 0 ? settings.warmupSeconds : 1
      // Connecting 500 clients and draining take a few seconds more than the window.
      const measureSeconds = Math.max(5, Math.min(scenario.sliceMinutes * 60, (end - performance.now()) / 1000 - warmupSeconds - settings.drainSeconds - 5))
      const run: LoadRun = await runLoad(scenario.load, server, { ...settings, warmupSeconds, measureSeconds })
      slices.push({
        fromMinute,
        toMinute: (performance.now() - started) / 60_000,
        updatesP99Ms: run.updates?.latencyMs.p99 ?? Number.NaN,
        cursorsP99Ms: run.cursors.latencyMs.p99,
        deliveredPercent: run.updates?.deliveredPercent ?? Number.NaN,
        disconnects: run.disconnects,
      })
      process.stderr.write(`  soak slice ${slice + 1}: ${fromMinute.toFixed(1)}-${slices.at(-1)?.toMinute.toFixed(1)} min, RSS ${samples.at(-1)?.rssMb.toFixed(0)} MB\n`)
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught)
  } finally {
    clearInterval(timer)
    try {
      samples.push({ at: (performance.now() - started) / 1000, rssMb: rssBytes(server.pid) / MB, cpuPercent: ((cpuSeconds(server.pid) - last.cpu) / ((performance.now() - last.at) / 1000)) * 100 })
    } catch {
      // Gone already.
    }
    await server.stop()
  }
  return summarizeSoak(scenario, samples, slices, error)
}

export function summarizeSoak(scenario: SoakScenario, samples: SoakSample[], slices: SoakSlice[], error?: string): SoakResult {
  const warmAt = scenario.warmupMinutes * 60
  const afterWarmup = samples.filter((s) => s.at >= warmAt)
  const rssWarmMb = afterWarmup[0]?.rssMb ?? Number.NaN
  const rssEndMb = samples.at(-1)?.rssMb ?? Number.NaN
  // MB per second, to MB per 10 minutes.
  const slopeMbPer10Min = slope(afterWarmup.map((s) => ({ x: s.at, y: s.rssMb }))) * 600
  const loaded = samples.slice(1)
  const cpuMeanPercent = loaded.reduce((sum, s) => sum + s.cpuPercent, 0) / Math.max(1, loaded.length)
  const flat = !error && slopeMbPer10Min <= scenario.targets.slopeMbPer10Min && rssEndMb <= scenario.targets.endOverWarmRss * rssWarmMb
  return { scenario, samples, slices, rssStartMb: samples[0]?.rssMb ?? Number.NaN, rssWarmMb, rssEndMb, slopeMbPer10Min, cpuMeanPercent, flat, error }
}

const f = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')

export function soakMarkdown(result: SoakResult): string {
  const { scenario } = result
  const lines = [
    `## ${scenario.title}`,
    '',
    `Fabrique only, ${scenario.minutes} min, RSS and CPU of the server every ${scenario.sampleSeconds} s; load in slices of ${scenario.sliceMinutes} min (new clients each slice, same boards). Flat: slope after the first ${scenario.warmupMinutes} min ≤ ${scenario.targets.slopeMbPer10Min} MB/10 min and end RSS ≤ ${scenario.targets.endOverWarmRss} × post-warm-up RSS.`,
    '',
    '| Measure | Value |',
    '|---|---|',
    `| RSS at start (idle server) | ${f(result.rssStartMb)} MB |`,
    `| RSS after warm-up (${scenario.warmupMinutes} min) | ${f(result.rssWarmMb)} MB |`,
    `| RSS at end | ${f(result.rssEndMb)} MB |`,
    `| Slope after warm-up (linear regression) | ${f(result.slopeMbPer10Min, 1)} MB/10 min |`,
    `| Server CPU, mean | ${f(result.cpuMeanPercent)} % of one core |`,
    `| Memory flat | ${result.flat ? 'PASS' : 'FAIL'} |`,
    '',
    '| Slice (min) | Updates p99 | Cursors p99 | Updates delivered | Disconnects |',
    '|---|---|---|---|---|',
    ...result.slices.map((s) => `| ${f(s.fromMinute, 1)}–${f(s.toMinute, 1)} | ${f(s.updatesP99Ms, 1)} ms | ${f(s.cursorsP99Ms, 1)} ms | ${f(s.deliveredPercent, 2)} % | ${s.disconnects} |`),
  ]
  if (result.error) lines.push('', `Run failed: ${result.error}`)
  return lines.join('\n')
}
