/**
 * The suite's scenarios against one server each: a fresh server process, the same load for every
 * server. Every wait is bounded, so a saturated server yields figures (or a recorded failure),
 * never a hung benchmark.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { now } from './client.ts'
import { createEvent, exportEvent, type PushOutcome, pushTemplates } from './fabriqueApi.ts'
import { type BoardFixture, fixtureFile, PUSH_TEMPLATES, readFixture } from './fixtures.ts'
import type { LoopDelay } from './loopDelay.ts'
import type { ApplyJob } from './peerCommands.ts'
import { removeTempDir, trackTempDir } from './processes.ts'
import type { MachineLoad } from './procstat.ts'
import type { DeliverySummary } from './scenarios.ts'
import { type AnyServer, PROTOCOLS, type RunningServer, startServer } from './servers.ts'
import { type LatencySummary, median, summarize } from './stats.ts'
import {
  Accounting,
  boardAddress,
  CLIENT_TIMEOUT_MS,
  GeneratorPool,
  sleep,
  serverDelay,
  sleepUntil,
  type Window,
  type WindowFigures,
  WindowMeter,
  worstDelay,
} from './suiteHarness.ts'
import type { BoardAddress, JoinSample, SuiteClientSpec, SuiteResult } from './suiteIpc.ts'
import type { CursorLoadScenario, HerdScenario, IdleScenario, LiveActionScenario, SuiteJoinScenario, SuiteTiming, SweepScenario } from './suiteSettings.ts'

export interface SuiteContext {
  timing: SuiteTiming
  generators: number
  /** Profile Fabrique's process into this directory (--cpu-prof). */
  cpuProfileDir?: string
}

/** Only the fields a report needs, so that the JSON stays readable. */
export interface ServerWindow {
  cpuPercent: number
  cpuPeakPercent: number
  rssMaxBytes: number
  generatorCpuPercent: number
  machine: MachineLoad
}

function serverWindow(figures: WindowFigures): ServerWindow {
  return {
    cpuPercent: figures.server.cpuPercent,
    cpuPeakPercent: figures.server.cpuPeakPercent,
    rssMaxBytes: figures.server.rssMaxBytes,
    generatorCpuPercent: figures.generatorCpuPercent,
    machine: figures.machine,
  }
}

interface RunBase {
  server: AnyServer
  machine: MachineLoad
  /** Warnings and errors the server logged. */
  serverLog: { lines: number; first: string[] }
  /** The part of the run a CPU profile is read for (epoch ms), and when the server had exited. */
  profilePhase?: { label: string; start: number; end: number }
  serverStoppedAt?: number
}

export interface CursorLoadRun extends RunBase {
  kind: 'cursor-load'
  clients: number
  connected: number
  connectMs: number
  connectErrors: string[]
  measuredSeconds: number
  /** The server's RSS once started, before any client: what it costs empty. */
  rssAtStartBytes: number
  cursors: DeliverySummary
  drags: DeliverySummary | undefined
  window: ServerWindow
  serverLoopDelay: LoopDelay
  generatorLoopDelay: LoopDelay
  skippedSends: number
  disconnects: number
  closeCodes: Record<string, number>
}

export interface SweepPoint {
  clients: number
  connected: number
  cursors: DeliverySummary
  window: ServerWindow
  serverLoopDelay: LoopDelay
  generatorLoopDelay: LoopDelay
  skippedSends: number
  disconnects: number
}

export interface SweepRun extends RunBase {
  kind: 'sweep'
  points: SweepPoint[]
}

export interface SuiteJoinRun extends RunBase {
  kind: 'suite-join'
  shapes: number
  docBytes: number
  entries: number
  /** The sync answer as permessage-deflate would carry it (raw deflate): what compression could give. */
  deflatedSyncBytes: number
  prefillMs: number
  samples: JoinSample[]
  syncedMs: { median: number; min: number; max: number }
  receivedMsMedian: number
  connectMsMedian: number
  wireBytesMedian: number
  messageBytes: number
  minEntries: number
}

export interface HerdRun extends RunBase {
  kind: 'herd'
  joiners: number
  served: number
  shapes: number
  prefillMs: number
  servedMs: LatencySummary
  lastOpenMs: number
  bytes: number
  window: ServerWindow
  serverLoopDelay: LoopDelay
  errors: string[]
}

export interface LiveActionRun extends RunBase {
  kind: 'push' | 'export'
  boards: number
  clients: number
  connected: number
  prefillMs: number
  baseline: DeliverySummary
  during: DeliverySummary
  /** Action start → done (push: the last observer has every template; export: the ZIP received). */
  doneMs: number
  /** Push: observers that had every template (of all observers). */
  observersWithAll: number
  observers: number
  /** The request(s) or the server-side script, start → answer (NaN: none within the limit). */
  actionMs: number
  /** How long the harness waits for the action before giving up (doneMs is then infinite). */
  actionLimitMs: number
  pushes: PushOutcome[] | undefined
  templateShapes: number
  exportBytes: number | undefined
  exportStatus: number | undefined
  /** Export: the same request once more right after, nothing changed (the server's kept files), still under load; NaN when not run. */
  exportAgainMs: number
  /** Fabrique's sheets made ahead before the baseline (undefined: not waited for, or another server). */
  ahead: AheadFigures | undefined
  /** Export: the push into one team's board right before it (the last change), start → answer; undefined when not made. */
  lastChangeMs: number | undefined
  baselineLoopDelay: LoopDelay
  actionLoopDelay: LoopDelay
  baselineWindow: ServerWindow
  actionWindow: ServerWindow
  generatorLoopDelay: LoopDelay
  skippedSends: number
  disconnects: number
}

/** How the server made an event's project sheets ahead while the load ran. */
export interface AheadFigures {
  /** From the end of the pre-fill (the boards' last change) until every sheet was made; NaN when not within the limit. */
  seconds: number
  limitSeconds: number
  /** Cursors from the end of the warm-up until then: what making the sheets cost the people on the boards. */
  cursors: DeliverySummary | undefined
}

export interface IdleRun extends RunBase {
  kind: 'idle'
  rooms: number
  connections: number
  connected: number
  prefillMs: number
  /** RSS once everyone joined, before the boards rest. */
  rssJoinedBytes: number
  /** Fabrique: seconds from the joins until every board rested (NaN: not within the wait); peers: undefined. */
  restSeconds: number | undefined
  /** Fabrique: its memory reclaim after the boards rested (when, the GC pause, the CPU until it settled). */
  reclaim?: { seconds: number; pauseMs: number; trimMs?: number; compactMs?: number; window: ServerWindow; windowSeconds: number }
  idle: ServerWindow
  rssIdleBytes: number
  churn: { cycles: number; failures: number; ms: number; errors: string[] }
  churnWindow: ServerWindow
  /** 2 s after the churn's last socket closed. */
  rssAfterChurnBytes: number
  /** CHURN_SETTLE_SECONDS later: the idle state again, as the idle RSS was measured after the boards' reclaim. */
  rssSettledAfterChurnBytes: number
  growthPercent: number
  /** All clients gone → no room loaded (NaN: still loaded at the end of the wait). */
  unloadSeconds: number
  roomsAtEnd: number
  unloadWaitSeconds: number
  rssAfterUnloadBytes: number
  disconnects: number
}

export type SuiteRun = CursorLoadRun | SweepRun | SuiteJoinRun | HerdRun | LiveActionRun | IdleRun

function serverLog(server: RunningServer): RunBase['serverLog'] {
  const lines = server.logLines()
  return { lines: lines.length, first: lines.slice(0, 5) }
}

/** Starts the server (profiled when asked and it is Fabrique), runs `body`, always stops both. */
async function withServer<T extends RunBase>(
  kind: AnyServer,
  context: SuiteContext,
  generators: number,
  body: (server: RunningServer, pool: GeneratorPool) => Promise<T>,
  fabriqueEnv?: Record<string, string>,
): Promise<T> {
  // The generators start while the server does: both take a second or two to load.
  const pool = new GeneratorPool(generators)
  let server: RunningServer | undefined
  let result: T | undefined
  try {
    server = await startServer(kind, kind === 'fabrique' ? { cpuProfileDir: context.cpuProfileDir, env: fabriqueEnv } : {})
    result = await body(server, pool)
    return result
  } finally {
    await pool.stopAll()
    await server?.stop()
    // A profile ends when the process exits: the phase's place in it is counted back from here.
    if (result) result.serverStoppedAt = now()
  }
}

/** The people of a cursor load, room by room: the first of each room are active, draggers, observers. */
function people(scenario: CursorLoadScenario, boards: BoardAddress[], firstId = 1): SuiteClientSpec[] {
  const specs: SuiteClientSpec[] = []
  let id = firstId
  for (const address of boards) {
    for (let i = 0; i < scenario.clientsPerRoom; i++) {
      specs.push({ ...address, id: id++, active: i < scenario.activePerRoom, dragger: i < scenario.draggersPerRoom, observer: i < scenario.observersPerRoom })
    }
  }
  return specs
}

function merge(results: SuiteResult[]) {
  return {
    generatorLoopDelay: worstDelay(results.map((r) => r.loopDelay)),
    skippedSends: results.reduce((sum, r) => sum + r.skippedSends, 0),
    disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
    closeCodes: results.reduce<Record<string, number>>((codes, r) => {
      for (const [code, count] of Object.entries(r.closeCodes)) codes[code] = (codes[code] ?? 0) + count
      return codes
    }, {}),
  }
}

/** A measured window of a cursor load on boards already chosen; the pool's clients connected by `setup`. */
async function measureLoad(
  server: RunningServer,
  pool: GeneratorPool,
  specs: SuiteClientSpec[],
  scenario: Pick<CursorLoadScenario, 'cursorsPerSecond' | 'dragsPerSecond'>,
  seconds: { warmup: number; measure: number; drain: number },
) {
  const ready = await pool.setup(PROTOCOLS[server.kind], specs, scenario)
  if (ready.connected === 0) throw new Error(`no client could connect: ${ready.errors.join('; ')}`)
  const sendStart = now() + 200
  const window: Window = { start: sendStart + seconds.warmup * 1000, end: sendStart + (seconds.warmup + seconds.measure) * 1000 }
  pool.start(sendStart, window.start)
  await sleepUntil(window.start)
  const meter = new WindowMeter(server.pid, pool.pids).start()
  await sleepUntil(window.end)
  const figures = meter.stop()
  const serverLoopDelay = await serverDelay(server, window.start, window.end)
  const results = await pool.stop(seconds.drain * 1000)
  const accounting = new Accounting(specs, results)
  return { ready, figures, serverLoopDelay, results, accounting, window }
}

export async function runCursorLoad(scenario: CursorLoadScenario, kind: AnyServer, context: SuiteContext): Promise<CursorLoadRun> {
  const { timing } = context
  return withServer(kind, context, context.generators, async (server, pool) => {
    const rssAtStartBytes = server.rss()
    const boards = Array.from({ length: scenario.rooms }, (_, r) => boardAddress(server, `bench-${scenario.name}-${String(r).padStart(4, '0')}`))
    const specs = people(scenario, boards)
    const { ready, figures, serverLoopDelay, results, accounting, window } = await measureLoad(server, pool, specs, scenario, {
      warmup: timing.warmupSeconds,
      measure: timing.measureSeconds,
      drain: timing.drainSeconds,
    })
    return {
      kind: 'cursor-load',
      server: kind,
      machine: figures.machine,
      serverLog: serverLog(server),
      clients: specs.length,
      connected: ready.connected,
      connectMs: ready.connectMs,
      connectErrors: ready.errors,
      measuredSeconds: timing.measureSeconds,
      profilePhase: { label: 'the measuring window', ...window },
      rssAtStartBytes,
      cursors: accounting.cursors(window),
      drags: scenario.draggersPerRoom > 0 ? accounting.drags(window) : undefined,
      window: serverWindow(figures),
      serverLoopDelay,
      ...merge(results),
    }
  })
}

/** Past this p99 a server is saturated: the sweep's larger points would only measure its backlog. */
export const SATURATED_P99_MS = 5000

export async function runSweep(scenario: SweepScenario, kind: AnyServer, context: SuiteContext): Promise<SweepRun> {
  const { timing } = context
  return withServer(kind, context, context.generators, async (server, pool) => {
    const points: SweepPoint[] = []
    let machine: MachineLoad = { otherPercent: 0, stealPercent: 0 }
    for (const clients of scenario.clients) {
      const previous = points[points.length - 1]
      if (previous && previous.cursors.latencyMs.p99 > SATURATED_P99_MS) {
        process.stderr.write(`    ${clients} clients: not run (saturated at ${previous.clients})\n`)
        continue
      }
      const load: CursorLoadScenario = {
        kind: 'cursor-load',
        name: 'sweep',
        title: '',
        notApplicable: {},
        rooms: 1,
        clientsPerRoom: clients,
        activePerRoom: clients,
        cursorsPerSecond: scenario.cursorsPerSecond,
        draggersPerRoom: 0,
        dragsPerSecond: 0,
        observersPerRoom: scenario.observersPerRoom,
        targets: { p99Ms: Number.NaN },
      }
      const specs = people(load, [boardAddress(server, `bench-sweep-${clients}`)], 1)
      const { ready, figures, serverLoopDelay, results, accounting, window } = await measureLoad(server, pool, specs, load, {
        warmup: timing.sweepWarmupSeconds,
        measure: timing.sweepMeasureSeconds,
        drain: timing.drainSeconds,
      })
      const merged = merge(results)
      points.push({
        clients,
        connected: ready.connected,
        cursors: accounting.cursors(window),
        window: serverWindow(figures),
        serverLoopDelay,
        generatorLoopDelay: merged.generatorLoopDelay,
        skippedSends: merged.skippedSends,
        disconnects: merged.disconnects,
      })
      // The busiest neighbour of any point: the chart is only as clean as its noisiest point.
      if (figures.machine.otherPercent + figures.machine.stealPercent > machine.otherPercent + machine.stealPercent) machine = figures.machine
      process.stderr.write(`    ${clients} clients: p99 ${accounting.cursors(window).latencyMs.p99.toFixed(1)} ms\n`)
    }
    return { kind: 'sweep', server: kind, machine, serverLog: serverLog(server), points }
  })
}

export async function runSuiteJoin(scenario: SuiteJoinScenario, kind: AnyServer, context: SuiteContext): Promise<SuiteJoinRun> {
  const file = await fixtureFile(scenario.shapes)
  const fixture = readFixture(file)
  return withServer(kind, context, 1, async (server, pool) => {
    const board = boardAddress(server, 'bench-s4-0000')
    const meter = new WindowMeter(server.pid, pool.pids).start()
    const prefillMs = await pool.prefill(PROTOCOLS[kind], [board], file)
    const generator = pool.generators[0] as (typeof pool.generators)[number]
    generator.send({ type: 'run-joins', protocol: PROTOCOLS[kind], board, repeats: scenario.repeats, timeoutMs: CLIENT_TIMEOUT_MS })
    const { samples } = await generator.next('joins-done', (scenario.repeats + 1) * CLIENT_TIMEOUT_MS)
    const figures = meter.stop()
    const synced = samples.map((s) => s.syncedMs)
    return {
      kind: 'suite-join',
      server: kind,
      machine: figures.machine,
      serverLog: serverLog(server),
      shapes: scenario.shapes,
      docBytes: fixture.docBytes,
      entries: fixture.entries,
      deflatedSyncBytes: fixture.deflatedSyncBytes,
      prefillMs,
      samples,
      syncedMs: { median: median(synced), min: Math.min(...synced), max: Math.max(...synced) },
      receivedMsMedian: median(samples.map((s) => s.receivedMs)),
      connectMsMedian: median(samples.map((s) => s.connectMs)),
      wireBytesMedian: median(samples.map((s) => s.wireBytes)),
      messageBytes: samples[0]?.messageBytes ?? 0,
      minEntries: Math.min(...samples.map((s) => s.entries)),
    }
  })
}

export async function runHerd(scenario: HerdScenario, kind: AnyServer, context: SuiteContext): Promise<HerdRun> {
  const file = await fixtureFile(scenario.shapes)
  return withServer(kind, context, context.generators, async (server, pool) => {
    const boards = Array.from({ length: scenario.rooms }, (_, r) => boardAddress(server, `bench-${scenario.name}-${String(r).padStart(4, '0')}`))
    const protocol = PROTOCOLS[kind]
    const prefillMs = await pool.prefill(protocol, boards, file)
    const joiners = boards.flatMap((address, r) => Array.from({ length: scenario.joinersPerRoom }, (_, i) => ({ ...address, id: 1 + r * scenario.joinersPerRoom + i })))
    const startAt = now() + 500
    pool.generators.forEach((generator, g) => {
      generator.send({ type: 'run-herd', protocol, joiners: joiners.filter((_, j) => j % pool.generators.length === g), startAt, timeoutMs: CLIENT_TIMEOUT_MS })
    })
    await sleepUntil(startAt)
    const meter = new WindowMeter(server.pid, pool.pids).start()
    const done = await Promise.all(pool.generators.map((generator) => generator.next('herd-done', CLIENT_TIMEOUT_MS + 30_000)))
    const figures = meter.stop()
    const serverLoopDelay = await serverDelay(server, startAt, now())
    const served = done.flatMap((d) => [...d.servedMs])
    const opened = done.flatMap((d) => [...d.openMs])
    const okay = served.filter((ms) => Number.isFinite(ms))
    const summary = summarize([okay])
    return {
      kind: 'herd',
      server: kind,
      machine: figures.machine,
      serverLog: serverLog(server),
      profilePhase: { label: 'the herd', start: startAt, end: startAt + Math.max(...okay, 0) },
      joiners: joiners.length,
      served: okay.length,
      shapes: scenario.shapes,
      prefillMs,
      // Someone never served makes "all served" infinite, not the slowest of the others.
      servedMs: okay.length === joiners.length ? summary : { ...summary, max: Number.POSITIVE_INFINITY },
      lastOpenMs: Math.max(...opened.filter((ms) => Number.isFinite(ms))),
      bytes: done.reduce((sum, d) => sum + d.bytes, 0),
      window: serverWindow(figures),
      serverLoopDelay,
      errors: done.flatMap((d) => d.errors),
    }
  })
}

/** The peers' template push: a job file for their server-side script (peerCommands.ts). */
function writeApplyJob(fixture: BoardFixture, boards: string[]): { file: string; dispose(): void } {
  const dir = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-bench-apply-')))
  const file = path.join(dir, 'job.json')
  const job: ApplyJob = { boards, updates: fixture.templates.updates.map((update) => Buffer.from(update).toString('base64')) }
  fs.writeFileSync(file, JSON.stringify(job))
  return { file, dispose: () => removeTempDir(dir) }
}

/** How long the harness waits for the push or the export before it gives up (80 and 45 times their targets). */
const ACTION_LIMIT_MS = { push: 20_000, export: 45_000 }

/** How long a server that may still be stalled gets to answer its probe after the action. */
const PROBE_AFTER_ACTION_MS = 5000

/** True when `promise` settles before the epoch-ms deadline (its rejection counts as settled). */
async function within(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - now()))
  })
  const settled = promise.then(
    () => true as const,
    () => true as const,
  )
  const result = await Promise.race([settled, late])
  clearTimeout(timer)
  return result
}

/** Cursor p99 is compared over windows of sends; an action shorter than this is widened to it, so that p99 has samples. */
const MIN_ACTION_WINDOW_MS = 250

export async function runLiveAction(scenario: LiveActionScenario, kind: AnyServer, context: SuiteContext): Promise<LiveActionRun> {
  const { timing } = context
  const file = await fixtureFile(scenario.shapes, scenario.kind === 'push')
  const fixture = readFixture(file)
  // Without sheets made ahead, the export makes them all (the server's default makes them ahead).
  const fabriqueEnv = scenario.sheetsAhead ? undefined : { SHEETS_AHEAD_DELAY_MS: '0' }
  return withServer(kind, context, context.generators, async (server, pool) => {
    const protocol = PROTOCOLS[kind]
    const background = scenario.background
    // Fabrique's boards are those of an event (the push and the export work on events).
    const event = kind === 'fabrique' ? await createEvent(server.httpUrl, background.rooms) : undefined
    const names = event ? event.teamBoards : Array.from({ length: background.rooms }, (_, r) => `bench-${scenario.name}-${String(r).padStart(4, '0')}`)
    const boards = names.map((name) => boardAddress(server, name, event?.facilitatorToken))
    const prefillMs = await pool.prefill(protocol, boards, file)
    const prefilledAt = now()
    const specs = people(background, boards)
    const watchPushes = scenario.kind === 'push' ? fixture.templates.pushIds : []
    const ready = await pool.setup(protocol, specs, { ...background, watchPushes })
    if (ready.connected === 0) throw new Error(`no client could connect: ${ready.errors.join('; ')}`)

    const sendStart = now() + 200
    const warmEnd = sendStart + timing.warmupSeconds * 1000
    pool.start(sendStart, warmEnd)
    await sleepUntil(warmEnd)
    // Fabrique makes the sheets while the cursors move; the baseline starts once it is done.
    const aheadWait = kind === 'fabrique' && scenario.sheetsAhead ? await sheetsMadeAhead(server, prefilledAt, AHEAD_LIMIT_SECONDS) : undefined
    const baselineStart = now()
    const baseline: Window = { start: baselineStart, end: baselineStart + timing.baselineSeconds * 1000 }
    const baselineMeter = new WindowMeter(server.pid, pool.pids).start()
    await sleepUntil(baseline.end)
    const baselineFigures = baselineMeter.stop()
    const baselineLoopDelay = await serverDelay(server, baseline.start, baseline.end)

    // The day's last change: a team adds a template to its board; the export makes its sheet again.
    let lastChangeMs: number | undefined
    if (scenario.kind === 'export' && scenario.lastChange && event) {
      const [change] = await pushTemplates(server.httpUrl, event, [{ templateId: 'five-whys', pushId: 'bench-last-change' }], [names[0] as string])
      if (change?.status !== 200) throw new Error(`the last change's push answered HTTP ${change?.status}`)
      lastChangeMs = change.ms
    }
    const actionMeter = new WindowMeter(server.pid, pool.pids).start()
    const actionStart = now()
    const limitMs = ACTION_LIMIT_MS[scenario.kind]
    const deadline = actionStart + limitMs
    let pushes: PushOutcome[] | undefined
    let exported: { status: number; bytes: number } | undefined
    let doneAt = Number.NaN
    let actionMs = Number.NaN
    if (scenario.kind === 'push') {
      const seen = pool.pushesSeen(limitMs)
      seen.catch(() => {})
      const action = event
        ? pushTemplates(server.httpUrl, event, PUSH_TEMPLATES.map((templateId, i) => ({ templateId, pushId: fixture.templates.pushIds[i] as string })), names).then((outcomes) => {
            pushes = outcomes
          })
        : (async () => {
            const job = writeApplyJob(fixture, names)
            try {
              await server.command('apply', job.file, limitMs)
            } finally {
              job.dispose()
            }
          })()
      if (await within(action, deadline)) actionMs = now() - actionStart
      doneAt = (await within(seen, deadline)) ? await seen.catch(() => Number.NaN) : Number.NaN
    } else {
      if (!event) throw new Error('the export is Fabrique’s')
      const request = exportEvent(server.httpUrl, event)
      if (await within(request, deadline)) {
        exported = await request
        if (exported.status !== 200) throw new Error(`export answered HTTP ${exported.status}`)
        actionMs = now() - actionStart
        doneAt = now()
      }
    }
    const actionEnd = Math.min(now(), Number.isFinite(doneAt) ? Math.max(doneAt, actionStart) : now())
    const actionFigures = actionMeter.stop()
    // A server still stalled answers late; its probe's figures then cover the stall so far.
    const actionLoopDelay = await serverDelay(server, actionStart, now(), PROBE_AFTER_ACTION_MS)
    // Fabrique keeps what an export made: the same export again, with the load still on.
    let exportAgainMs = Number.NaN
    if (scenario.kind === 'export' && event && exported?.status === 200) {
      const again = await exportEvent(server.httpUrl, event)
      if (again.status === 200) exportAgainMs = again.ms
    }
    // The sends of the action's window need their receipts: keep the load a little longer.
    await sleep(Math.max(MIN_ACTION_WINDOW_MS, 1000))
    const results = await pool.stop(timing.drainSeconds * 1000)
    const accounting = new Accounting(specs, results)
    const pushTimes = accounting.pushTimes()
    const during: Window = { start: actionStart, end: Math.max(actionEnd, actionStart + MIN_ACTION_WINDOW_MS) }
    return {
      kind: scenario.kind,
      server: kind,
      machine: actionFigures.machine,
      serverLog: serverLog(server),
      profilePhase: { label: `the ${scenario.kind}`, start: actionStart, end: actionEnd },
      boards: boards.length,
      clients: specs.length,
      connected: ready.connected,
      prefillMs,
      baseline: accounting.cursors(baseline),
      during: accounting.cursors(during),
      doneMs: Number.isFinite(doneAt) ? doneAt - actionStart : Number.POSITIVE_INFINITY,
      actionLimitMs: limitMs,
      observersWithAll: pushTimes.filter((t) => Number.isFinite(t)).length,
      observers: pushTimes.length,
      actionMs,
      pushes,
      templateShapes: fixture.templates.shapes,
      exportBytes: exported?.bytes,
      exportStatus: exported?.status,
      exportAgainMs,
      ahead: aheadWait && { ...aheadWait, cursors: aheadWait.readyAt > warmEnd ? accounting.cursors({ start: warmEnd, end: aheadWait.readyAt }) : undefined },
      lastChangeMs,
      baselineLoopDelay,
      actionLoopDelay,
      baselineWindow: serverWindow(baselineFigures),
      actionWindow: serverWindow(actionFigures),
      ...merge(results),
    }
  }, fabriqueEnv)
}

/** How long the harness waits for Fabrique's sheets made ahead (50 boards of 2,000 shapes: ~10 s after the boards rest 10 s here). */
const AHEAD_LIMIT_SECONDS = 120

/**
 * Polls until Fabrique made every sheet ahead (nothing pending, an event made), at most
 * `limitSeconds` from `since` (now()); when the sheets were done and the seconds since `since`.
 */
async function sheetsMadeAhead(server: RunningServer, since: number, limitSeconds: number): Promise<{ seconds: number; limitSeconds: number; readyAt: number }> {
  for (;;) {
    const [pending, made] = await Promise.all([server.metric('fabrique_sheets_ahead_pending'), server.metric('fabrique_sheets_ahead_events_made')])
    if (pending === undefined || made === undefined) throw new Error('the server makes no sheets ahead (SHEETS_AHEAD_DELAY_MS=0?)')
    const at = now()
    if (pending === 0 && made > 0) return { seconds: (at - since) / 1000, limitSeconds, readyAt: at }
    if (at - since >= limitSeconds * 1000) return { seconds: Number.NaN, limitSeconds, readyAt: at }
    await sleep(250)
  }
}

/** Polls until the server holds no room, at most `waitSeconds` from `since` (performance.now()). */
async function roomsUnloaded(server: RunningServer, waitSeconds: number, since: number): Promise<{ seconds: number; rooms: number }> {
  for (;;) {
    const rooms = await server.roomsLoaded()
    const seconds = (performance.now() - since) / 1000
    if (rooms === 0) return { seconds, rooms }
    if (seconds >= waitSeconds) return { seconds: Number.NaN, rooms }
    await sleep(500)
  }
}

/** Polls until all `rooms` rest, at most `waitSeconds`; undefined for a server without resting boards. */
async function boardsResting(server: RunningServer, rooms: number, waitSeconds: number): Promise<number | undefined> {
  const since = performance.now()
  for (;;) {
    const resting = await server.roomsResting()
    if (resting === undefined) return undefined
    const seconds = (performance.now() - since) / 1000
    if (resting >= rooms) return seconds
    if (seconds >= waitSeconds) return Number.NaN
    await sleep(500)
  }
}

/** How long S8 waits for Fabrique's memory reclaim once its boards rest (it runs 2 s after the last one). */
const RECLAIM_WAIT_SECONDS = 20
/** The GC's sweeping and the freeing of its memory go on after its pause: measured with it. */
const RECLAIM_AFTERMATH_SECONDS = 10
/**
 * How long after the churn the RSS is read again: what grew while sockets came and went is given
 * back once the server idles (Fabrique: its reclaim looks every 5 s, then collects in two steps
 * 5.5 s apart), as the idle RSS itself is read after the reclaim that follows the boards' rest.
 */
const CHURN_SETTLE_SECONDS = 25

/** Polls until Fabrique has run its memory reclaim (a full GC after boards rested), at most `waitSeconds`. */
async function memoryReclaimed(server: RunningServer, waitSeconds: number): Promise<{ seconds: number; pauseMs: number; trimMs?: number; compactMs?: number } | undefined> {
  const since = performance.now()
  for (;;) {
    const count = await server.metric('fabrique_memory_reclaim_seconds_count')
    if (count === undefined) return undefined
    const seconds = (performance.now() - since) / 1000
    if (count > 0) return { seconds, pauseMs: ((await server.metric('fabrique_memory_reclaim_seconds_sum')) ?? Number.NaN) * 1000 }
    if (seconds >= waitSeconds) return { seconds: Number.NaN, pauseMs: Number.NaN }
    await sleep(250)
  }
}

/**
 * S8 up to the moment everyone has left; the returned function waits for the boards to be unloaded
 * and stops the server. The benchmark runs the next server meanwhile: a server waiting to unload has
 * no client left and does nothing else, and the four waits (up to a minute each) then overlap.
 */
export async function startIdle(scenario: IdleScenario, kind: AnyServer, context: SuiteContext): Promise<() => Promise<IdleRun>> {
  const { timing } = context
  const file = await fixtureFile(scenario.shapes)
  const pool = new GeneratorPool(context.generators)
  let server: RunningServer | undefined
  try {
    server = await startServer(kind, { cpuProfileDir: kind === 'fabrique' ? context.cpuProfileDir : undefined })
    const protocol = PROTOCOLS[kind]
    const boards = Array.from({ length: scenario.rooms }, (_, r) => boardAddress(server as RunningServer, `bench-s8-${String(r).padStart(4, '0')}`))
    // The first person of each board wrote it and stays (a relay holds nothing to write).
    const holders = kind === 'relay' ? 0 : 1
    const prefillMs = holders > 0 ? await pool.prefill(protocol, boards, file) : 0
    const idlePeople: CursorLoadScenario = {
      kind: 'cursor-load',
      name: 's8',
      title: '',
      notApplicable: {},
      rooms: scenario.rooms,
      clientsPerRoom: scenario.connectionsPerRoom - holders,
      activePerRoom: 0,
      cursorsPerSecond: 0,
      draggersPerRoom: 0,
      dragsPerSecond: 0,
      observersPerRoom: 0,
      targets: { p99Ms: Number.NaN },
    }
    const specs = people(idlePeople, boards)
    const ready = await pool.setup(protocol, specs, idlePeople)
    pool.start(now(), now())
    // Joins settle (buffers, the newcomers' first GC) before the idle window.
    await sleep(1000)
    const rssJoinedBytes = server.rss()
    // Idle means idle for a while: Fabrique's boards rest (are held encoded) once unchanged for ROOM_REST_AFTER_MS.
    const restSeconds = await boardsResting(server, scenario.rooms, timing.restWaitSeconds)
    // Then Fabrique returns the memory of the rested boards (one full GC a few seconds after they
    // rest): a one-off, measured on its own, before the idle window.
    const reclaimMeter = new WindowMeter(server.pid, pool.pids).start()
    const reclaimStarted = performance.now()
    const reclaim = await memoryReclaimed(server, RECLAIM_WAIT_SECONDS)
    if (reclaim) {
      await sleep(RECLAIM_AFTERMATH_SECONDS * 1000)
      // The C heap's trim, a second after the GC, on a pool thread (when Fabrique could build its addon).
      reclaim.trimMs = ((await server.metric('fabrique_memory_trim_seconds_sum')) ?? Number.NaN) * 1000
      // V8's heap compacted just before the trim, on the event loop (with the addon).
      reclaim.compactMs = ((await server.metric('fabrique_memory_compact_seconds_sum')) ?? Number.NaN) * 1000
    }
    const reclaimWindow = reclaimMeter.stop()
    const reclaimWindowSeconds = (performance.now() - reclaimStarted) / 1000
    // The probe's 10 ms timer would count as the server's CPU: stopped for the idle window.
    server.pauseProbe()
    await sleep(200)
    const idleStart = now()
    const idleMeter = new WindowMeter(server.pid, pool.pids).start()
    await sleep(timing.idleSeconds * 1000)
    const idle = idleMeter.stop()
    const idleEnd = now()
    server.resumeProbe()
    const rssIdleBytes = server.rss()

    const churnMeter = new WindowMeter(server.pid, pool.pids).start()
    const shares = pool.generators.map((_, g) => Math.floor(scenario.churnCycles / pool.generators.length) + (g < scenario.churnCycles % pool.generators.length ? 1 : 0))
    pool.generators.forEach((generator, g) => {
      generator.send({
        type: 'run-churn',
        protocol,
        boards,
        cycles: shares[g] ?? 0,
        concurrency: Math.max(1, Math.round(scenario.churnConcurrency / pool.generators.length)),
        fixtureFile: file,
        timeoutMs: CLIENT_TIMEOUT_MS,
      })
    })
    const churned = await Promise.all(pool.generators.map((generator) => generator.next('churn-done', 10 * 60_000)))
    const churnWindow = churnMeter.stop()
    // The same state as before the churn (500 idle connections), once the last sockets are gone.
    await sleep(2000)
    const rssAfterChurnBytes = server.rss()
    await sleep(CHURN_SETTLE_SECONDS * 1000)
    const rssSettledAfterChurnBytes = server.rss()

    const results = await pool.stop(0)
    await pool.closeClients()
    const leftAt = performance.now()
    await pool.stopAll()
    const measured: IdleRun = {
      kind: 'idle',
      server: kind,
      profilePhase: { label: 'the idle window', start: idleStart, end: idleEnd },
      machine: idle.machine,
      serverLog: serverLog(server),
      rooms: scenario.rooms,
      connections: specs.length + holders * scenario.rooms,
      connected: ready.connected + holders * scenario.rooms,
      prefillMs,
      rssJoinedBytes,
      restSeconds,
      reclaim: reclaim && { ...reclaim, window: serverWindow(reclaimWindow), windowSeconds: reclaimWindowSeconds },
      idle: serverWindow(idle),
      rssIdleBytes,
      churn: {
        cycles: churned.reduce((sum, c) => sum + c.cycles, 0),
        failures: churned.reduce((sum, c) => sum + c.failures, 0),
        ms: Math.max(...churned.map((c) => c.ms)),
        errors: churned.flatMap((c) => c.errors),
      },
      churnWindow: serverWindow(churnWindow),
      rssAfterChurnBytes,
      rssSettledAfterChurnBytes,
      growthPercent: ((rssSettledAfterChurnBytes - rssIdleBytes) / rssIdleBytes) * 100,
      unloadSeconds: Number.NaN,
      roomsAtEnd: Number.NaN,
      unloadWaitSeconds: timing.unloadWaitSeconds,
      rssAfterUnloadBytes: Number.NaN,
      disconnects: merge(results).disconnects,
    }
    const running = server
    // Polled from now on, while the benchmark goes on with the next server.
    const unloading = roomsUnloaded(running, timing.unloadWaitSeconds, leftAt).then((unloaded) => ({ ...unloaded, rss: running.rss() }))
    unloading.catch(() => {})
    return async () => {
      try {
        const unloaded = await unloading
        await running.stop()
        measured.serverStoppedAt = now()
        return { ...measured, unloadSeconds: unloaded.seconds, roomsAtEnd: unloaded.rooms, rssAfterUnloadBytes: unloaded.rss, serverLog: serverLog(running) }
      } finally {
        await running.stop()
        measured.serverStoppedAt = now()
      }
    }
  } catch (error) {
    await pool.stopAll()
    await server?.stop()
    throw error
  }
}
