/**
 * relay (issue 8): event-load's load against one Fabrique instance on PostgreSQL, then against two
 * instances sharing that database (one schema of its own per run) and Redis. Each load generator
 * talks to one instance and clients are dealt round-robin over the generators, so every board has
 * clients on both instances and every message reaches half of its receivers through Redis.
 * Receipts are also tallied by the sender's generator: on two instances, "cross" receipts are
 * exactly the relayed ones; on one, the same pairs of processes without a relay.
 */
import { now } from './client.ts'
import type { LoadResult } from './ipc.ts'
import { Generator } from './processes.ts'
import { type MachineLoad, MachineSampler, type Usage, UsageSampler } from './procstat.ts'
import { deliveries, type FailedRun, type LoadRun, mergeCounts, worst } from './scenarios.ts'
import { type RunningServer, type ServerKind, startServer } from './servers.ts'
import type { LoadScenario, RelayScenario, Settings } from './settings.ts'
import { type LatencySummary, summarize } from './stats.ts'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../server/src/storage/pgTestDatabase.ts'
import { requireRedis, TEST_REDIS_URL } from '../support/redis.ts'

const CONNECT_TIMEOUT_MS = 90_000
const CLIENT_TIMEOUT_MS = 30_000
const REPORT_SLACK_MS = 30_000

export type RelayStorage = 'postgresql' | 'sqlite'

/** One load run over one or two instances. */
export interface RelayMeasure {
  instances: number
  storage: RelayStorage
  load: LoadRun
  /** Receipts of what the other generator's clients sent (relayed ones, on two instances). */
  cross: { cursors: LatencySummary; updates: LatencySummary }
  /** CPU and memory of each instance over the window. */
  instanceUsage: Usage[]
}

export interface RelayRun extends RelayMeasure {
  kind: 'relay'
  server: ServerKind
  machine: MachineLoad
  /** One instance on SQLite, in the first column's run (compareSqlite). */
  sqlite?: RelayMeasure | { error: string }
}

const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - now())))

/** `fabrique`: one instance; `reference`: two instances and the relay (see columnLabels). */
export async function runRelay(scenario: RelayScenario, kind: ServerKind, settings: Settings): Promise<RelayRun | FailedRun> {
  try {
    await requirePostgres()
    const instances = kind === 'fabrique' ? 1 : 2
    const measure = await measureOver(scenario.load, instances, 'postgresql', settings)
    let sqlite: RelayRun['sqlite']
    if (kind === 'fabrique' && scenario.compareSqlite) {
      sqlite = await measureOver(scenario.load, 1, 'sqlite', settings).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }))
    }
    return { kind: 'relay', server: kind, machine: measure.load.machine, ...measure, sqlite }
  } catch (error) {
    return { kind: 'failed', server: kind, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
}

async function measureOver(scenario: LoadScenario, instances: number, storage: RelayStorage, settings: Settings): Promise<RelayMeasure> {
  const schema = uniqueSchema().replace('fabrique_test_', 'fabrique_bench_')
  const env: Record<string, string> =
    storage === 'sqlite' ? {} : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...(instances > 1 ? { REDIS_URL: TEST_REDIS_URL } : {}) }
  if (instances > 1) await requireRedis()
  const servers: RunningServer[] = []
  try {
    // One after the other: the first applies the schema's migrations.
    for (let i = 0; i < instances; i++) servers.push(await startServer('fabrique', { env }))
    process.stderr.write(`    ${instances} instance(s) on ${storage}${storage === 'postgresql' ? ` (schema ${schema})` : ''}${instances > 1 ? ', Redis relay' : ''}\n`)
    return await loadOver(scenario, servers, settings, instances, storage)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    if (storage === 'postgresql') await dropSchema(schema).catch(() => {})
  }
}

/** runLoad (scenarios.ts) with generator i on instance i mod n. */
async function loadOver(scenario: LoadScenario, servers: RunningServer[], settings: Settings, instances: number, storage: RelayStorage): Promise<RelayMeasure> {
  const count = scenario.generators
  const generators = Array.from({ length: count }, () => new Generator())
  const serverOf = (i: number) => servers[i % servers.length] as RunningServer
  try {
    const shares: Array<Array<{ id: number; board: string; roomSize: number }>> = Array.from({ length: count }, () => [])
    let id = 1
    for (let room = 0; room < scenario.rooms; room++) {
      const board = `bench-${scenario.name}-${String(room).padStart(4, '0')}`
      for (let i = 0; i < scenario.clientsPerRoom; i++, id++) shares[id % count]?.push({ id, board, roomSize: scenario.clientsPerRoom })
    }
    generators.forEach((generator, i) => {
      generator.send({
        type: 'setup-load',
        urlTemplate: serverOf(i).urlTemplate,
        clients: shares[i] ?? [],
        updatesPerSecond: scenario.updatesPerSecond,
        cursorsPerSecond: scenario.cursorsPerSecond,
        timeoutMs: CLIENT_TIMEOUT_MS,
        generator: { index: i, count },
      })
    })
    const ready = await Promise.all(generators.map((generator) => generator.next('ready', CONNECT_TIMEOUT_MS)))
    const connected = ready.reduce((sum, r) => sum + r.connected, 0)
    if (connected === 0) throw new Error(`no client could connect: ${ready.flatMap((r) => r.errors).join('; ')}`)

    const measureStart = now() + settings.warmupSeconds * 1000
    const measureEnd = measureStart + settings.measureSeconds * 1000
    const drainMs = settings.drainSeconds * 1000
    for (const generator of generators) generator.send({ type: 'start-load', measureStart, measureEnd, drainMs })

    const serverSamplers = servers.map((server) => new UsageSampler(server.pid))
    const generatorSamplers = generators.map((generator) => new UsageSampler(generator.pid))
    const machineSampler = new MachineSampler()
    await sleepUntil(measureStart)
    machineSampler.start()
    for (const sampler of serverSamplers) sampler.start()
    for (const server of servers) server.resetLoopDelay()
    for (const sampler of generatorSamplers) sampler.start()
    await sleepUntil(measureEnd)
    const instanceUsage = serverSamplers.map((sampler) => sampler.stop())
    const generatorUsage = generatorSamplers.map((sampler) => sampler.stop())
    const ours = [...instanceUsage, ...generatorUsage].reduce((sum, usage) => sum + usage.cpuSeconds, 0)
    const machine = machineSampler.stop(ours)
    const serverLoopDelay = worst(await Promise.all(servers.map((server) => server.loopDelay())))

    const results: LoadResult[] = await Promise.all(generators.map((generator) => generator.next('load-result', drainMs + REPORT_SLACK_MS)))
    const logLines = servers.flatMap((server) => server.logLines())
    const load: LoadRun = {
      kind: 'load',
      server: 'fabrique',
      clients: scenario.rooms * scenario.clientsPerRoom,
      connected,
      connectMs: Math.max(...ready.map((r) => r.connectMs)),
      measuredSeconds: settings.measureSeconds,
      cursors: deliveries(results.map((r) => r.cursors)),
      updates: scenario.updatesPerSecond > 0 ? deliveries(results.map((r) => r.updates)) : undefined,
      // The instances together: what the deployment costs.
      serverUsage: sumUsage(instanceUsage),
      serverLoopDelay,
      generatorCpuPercent: generatorUsage.reduce((sum, usage) => sum + usage.cpuPercent, 0),
      generatorLoopDelay: worst(results.map((r) => r.loopDelay)),
      skippedSends: results.reduce((sum, r) => sum + r.skippedSends, 0),
      machine,
      disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
      closeCodes: mergeCounts(results),
      connectErrors: ready.flatMap((r) => r.errors),
      serverLog: { lines: logLines.length, first: logLines.slice(0, 5) },
    }
    const cross = {
      cursors: summarize(results.map((r) => r.crossGenerator?.cursors.latencies ?? new Float64Array())),
      updates: summarize(results.map((r) => r.crossGenerator?.updates.latencies ?? new Float64Array())),
    }
    return { instances, storage, load, cross, instanceUsage }
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()))
  }
}

function sumUsage(usages: Usage[]): Usage {
  const sum = (get: (usage: Usage) => number) => usages.reduce((total, usage) => total + get(usage), 0)
  return {
    ...(usages[0] as Usage),
    cpuSeconds: sum((u) => u.cpuSeconds),
    cpuPercent: sum((u) => u.cpuPercent),
    cpuPeakPercent: sum((u) => u.cpuPeakPercent),
    rssMaxBytes: sum((u) => u.rssMaxBytes),
  }
}
