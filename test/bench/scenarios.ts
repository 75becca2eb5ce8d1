/**
 * Runs one scenario against one server: fresh server process, fresh generator processes, the
 * same load for both servers. Every wait is bounded, so a saturated server yields figures (or a
 * recorded failure), never a hung benchmark.
 */
import { now } from './client.ts'
import type { ClientSpec, Deliveries, LoadResult } from './ipc.ts'
import type { LoopDelay } from './loopDelay.ts'
import { Generator } from './processes.ts'
import { type MachineLoad, MachineSampler, type Usage, UsageSampler } from './procstat.ts'
import { type RunningServer, type ServerKind, startServer } from './servers.ts'
import type { CanvasRun } from './canvasRuns.ts'
import type { RelayRun } from './relayRuns.ts'
import type { JoinScenario, LoadScenario, Settings } from './settings.ts'
import { type LatencySummary, median, summarize } from './stats.ts'

/** Connecting and syncing every client of a generator. */
const CONNECT_TIMEOUT_MS = 90_000
/** One client's connection and first sync. */
const CLIENT_TIMEOUT_MS = 30_000
/** Generators report right after the drain; this is only slack for a swamped event loop. */
const REPORT_SLACK_MS = 30_000
const JOIN_TIMEOUT_MS = 120_000

export interface DeliverySummary {
  sent: number
  expected: number
  received: number
  superseded: number
  deliveredPercent: number
  /** Received, or replaced by a later message of the same sender that was received. */
  receivedOrSupersededPercent: number
  latencyMs: LatencySummary
}

export interface LoadRun {
  kind: 'load'
  server: ServerKind
  clients: number
  connected: number
  connectMs: number
  measuredSeconds: number
  cursors: DeliverySummary
  updates: DeliverySummary | undefined
  serverUsage: Usage
  /** How long the server's event loop was busy at a stretch: its share of the latency. */
  serverLoopDelay: LoopDelay
  /** Summed over generator processes (% of one core). */
  generatorCpuPercent: number
  /** Worst generator's event-loop delay: the harness's own share of the latency. */
  generatorLoopDelay: LoopDelay
  skippedSends: number
  /** Load of processes outside the benchmark during the window: a busy neighbour skews it all. */
  machine: MachineLoad
  disconnects: number
  closeCodes: Record<string, number>
  connectErrors: string[]
  /** Warnings and errors the server logged during the run. */
  serverLog: { lines: number; first: string[] }
}

export interface JoinRun {
  kind: 'join'
  server: ServerKind
  records: number
  docBytes: number
  prefillMs: number
  syncMs: { median: number; min: number; max: number; samples: number[] }
  connectMsMedian: number
  syncMessageBytes: number
  /** Fewest records a joining client had once synced (should be all of them). */
  minRecordsSeen: number
  machine: MachineLoad
}

export interface FailedRun {
  kind: 'failed'
  server: ServerKind
  error: string
}

export type Run = LoadRun | JoinRun | CanvasRun | RelayRun | FailedRun

const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - now())))

export async function runScenario(scenario: LoadScenario | JoinScenario, kind: ServerKind, settings: Settings): Promise<Run> {
  let server: RunningServer | undefined
  try {
    server = await startServer(kind)
    return scenario.kind === 'load' ? await runLoad(scenario, server, settings) : await runJoin(scenario, server)
  } catch (error) {
    return { kind: 'failed', server: kind, error: error instanceof Error ? error.message : String(error) }
  } finally {
    await server?.stop()
  }
}

/** Clients are dealt round-robin, so every room spans the generators and fan-out crosses processes. */
function dealClients(scenario: LoadScenario): ClientSpec[][] {
  const shares: ClientSpec[][] = Array.from({ length: scenario.generators }, () => [])
  let id = 1
  for (let room = 0; room < scenario.rooms; room++) {
    const board = `bench-${scenario.name}-${String(room).padStart(4, '0')}`
    for (let i = 0; i < scenario.clientsPerRoom; i++, id++) {
      shares[id % scenario.generators]?.push({ id, board, roomSize: scenario.clientsPerRoom })
    }
  }
  return shares
}

export async function runLoad(scenario: LoadScenario, server: RunningServer, settings: Settings): Promise<LoadRun> {
  const generators = Array.from({ length: scenario.generators }, () => new Generator())
  try {
    const shares = dealClients(scenario)
    generators.forEach((generator, i) => {
      generator.send({
        type: 'setup-load',
        urlTemplate: server.urlTemplate,
        clients: shares[i] ?? [],
        updatesPerSecond: scenario.updatesPerSecond,
        cursorsPerSecond: scenario.cursorsPerSecond,
        timeoutMs: CLIENT_TIMEOUT_MS,
      })
    })
    const ready = await Promise.all(generators.map((generator) => generator.next('ready', CONNECT_TIMEOUT_MS)))
    const connected = ready.reduce((sum, r) => sum + r.connected, 0)
    if (connected === 0) throw new Error(`no client could connect: ${ready.flatMap((r) => r.errors).join('; ')}`)

    const measureStart = now() + settings.warmupSeconds * 1000
    const measureEnd = measureStart + settings.measureSeconds * 1000
    const drainMs = settings.drainSeconds * 1000
    for (const generator of generators) generator.send({ type: 'start-load', measureStart, measureEnd, drainMs })

    // The same window as the generators count sends in.
    const serverSampler = new UsageSampler(server.pid)
    const generatorSamplers = generators.map((generator) => new UsageSampler(generator.pid))
    const machineSampler = new MachineSampler()
    await sleepUntil(measureStart)
    machineSampler.start()
    serverSampler.start()
    server.resetLoopDelay()
    for (const sampler of generatorSamplers) sampler.start()
    await sleepUntil(measureEnd)
    const serverUsage = serverSampler.stop()
    const generatorUsage = generatorSamplers.map((sampler) => sampler.stop())
    const machine = machineSampler.stop(serverUsage.cpuSeconds + generatorUsage.reduce((sum, usage) => sum + usage.cpuSeconds, 0))
    const serverLoopDelay = await server.loopDelay()

    const results = await Promise.all(generators.map((generator) => generator.next('load-result', drainMs + REPORT_SLACK_MS)))
    return {
      kind: 'load',
      server: server.kind as ServerKind,
      clients: scenario.rooms * scenario.clientsPerRoom,
      connected,
      connectMs: Math.max(...ready.map((r) => r.connectMs)),
      measuredSeconds: settings.measureSeconds,
      cursors: deliveries(results.map((r) => r.cursors)),
      updates: scenario.updatesPerSecond > 0 ? deliveries(results.map((r) => r.updates)) : undefined,
      serverUsage,
      serverLoopDelay,
      generatorCpuPercent: generatorUsage.reduce((sum, usage) => sum + usage.cpuPercent, 0),
      generatorLoopDelay: worst(results.map((r) => r.loopDelay)),
      skippedSends: results.reduce((sum, r) => sum + r.skippedSends, 0),
      machine,
      disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
      closeCodes: mergeCounts(results),
      connectErrors: ready.flatMap((r) => r.errors),
      serverLog: { lines: server.logLines().length, first: server.logLines().slice(0, 5) },
    }
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()))
  }
}

export function deliveries(parts: Deliveries[]): DeliverySummary {
  const sent = parts.reduce((sum, part) => sum + part.sent, 0)
  const expected = parts.reduce((sum, part) => sum + part.expected, 0)
  const received = parts.reduce((sum, part) => sum + part.received, 0)
  const superseded = parts.reduce((sum, part) => sum + part.superseded, 0)
  const percent = (count: number) => (expected > 0 ? (count / expected) * 100 : Number.NaN)
  return {
    sent,
    expected,
    received,
    superseded,
    deliveredPercent: percent(received),
    receivedOrSupersededPercent: percent(received + superseded),
    latencyMs: summarize(parts.map((part) => part.latencies)),
  }
}

export function worst(delays: LoopDelay[]): LoopDelay {
  return {
    p50: Math.max(...delays.map((d) => d.p50)),
    p99: Math.max(...delays.map((d) => d.p99)),
    max: Math.max(...delays.map((d) => d.max)),
  }
}

export function mergeCounts(results: LoadResult[]): Record<string, number> {
  const merged: Record<string, number> = {}
  for (const result of results) {
    for (const [code, count] of Object.entries(result.closeCodes)) merged[code] = (merged[code] ?? 0) + count
  }
  return merged
}

async function runJoin(scenario: JoinScenario, server: RunningServer): Promise<JoinRun> {
  const generator = new Generator()
  const serverSampler = new UsageSampler(server.pid)
  const generatorSampler = new UsageSampler(generator.pid)
  const machineSampler = new MachineSampler()
  try {
    machineSampler.start()
    serverSampler.start()
    generatorSampler.start()
    generator.send({
      type: 'run-join',
      urlTemplate: server.urlTemplate,
      board: 'bench-join-0000',
      records: scenario.records,
      repeats: scenario.repeats,
      timeoutMs: CLIENT_TIMEOUT_MS,
    })
    const result = await generator.next('join-result', JOIN_TIMEOUT_MS)
    const machine = machineSampler.stop(serverSampler.stop().cpuSeconds + generatorSampler.stop().cpuSeconds)
    const syncMs = result.samples.map((sample) => sample.syncMs)
    return {
      kind: 'join',
      server: server.kind as ServerKind,
      records: scenario.records,
      docBytes: result.docBytes,
      prefillMs: result.prefillMs,
      syncMs: { median: median(syncMs), min: Math.min(...syncMs), max: Math.max(...syncMs), samples: syncMs },
      connectMsMedian: median(result.samples.map((sample) => sample.connectMs)),
      syncMessageBytes: result.samples[0]?.bytes ?? 0,
      minRecordsSeen: Math.min(...result.samples.map((sample) => sample.records)),
      machine,
    }
  } finally {
    await generator.stop()
  }
}
