/**
 * relay (issue 8): event-load's load against one Fabrique instance on PostgreSQL, then against two
 * instances sharing that database (one schema of its own per run) and Redis, with every board's
 * clients alternating between the instances, so every message reaches half of its receivers
 * through Redis. Receipts are also tallied by where sender and receiver are: on two instances,
 * "cross" receipts are exactly the relayed ones and "same" ones never go through the relay, in the
 * same run on the same machine, so the difference of their p99 is what the relay's hop adds.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { now } from './client.ts'
import { type MachineLoad, MachineSampler, type Usage, UsageSampler } from './procstat.ts'
import { summariseProfile } from './profile.ts'
import type { FailedRun, LoadRun } from './scenarios.ts'
import { type RunningServer, type ServerKind, startServer } from './servers.ts'
import type { LoadScenario, RelayScenario, Settings } from './settings.ts'
import type { LatencySummary } from './stats.ts'
import { Accounting, boardAddress, GeneratorPool, type PairFilter, serverDelay, sleepUntil, worstDelay } from './suiteHarness.ts'
import type { SuiteClientSpec } from './suiteIpc.ts'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../server/src/storage/pgTestDatabase.ts'
import { requireRedis, TEST_REDIS_URL } from '../support/redis.ts'

export type RelayStorage = 'postgresql' | 'sqlite'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** --cpu-prof: one directory per run and instance, summarised on stderr once the instances exit. */
const profilesDir = path.join(repoRoot, 'test/bench-results/profiles/relay')

/** One load run over one or two instances. */
export interface RelayMeasure {
  instances: number
  storage: RelayStorage
  load: LoadRun
  /** Receipts of what the other generator's clients sent (relayed ones, on two instances). */
  cross: { cursors: LatencySummary; updates: LatencySummary }
  /** Receipts of what the same generator's clients sent (never relayed: sender and receiver on one instance). */
  same: { cursors: LatencySummary; updates: LatencySummary }
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
  const profileDirs = settings.cpuProfile ? Array.from({ length: instances }, (_, i) => path.join(profilesDir, `${instances}-on-${storage}`, `instance-${i + 1}`)) : []
  for (const dir of profileDirs) {
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
  }
  try {
    // One after the other: the first applies the schema's migrations.
    for (let i = 0; i < instances; i++) servers.push(await startServer('fabrique', { env, cpuProfileDir: profileDirs[i] }))
    process.stderr.write(`    ${instances} instance(s) on ${storage}${storage === 'postgresql' ? ` (schema ${schema})` : ''}${instances > 1 ? ', Redis relay' : ''}\n`)
    return await loadOver(scenario, servers, settings, instances, storage)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    if (storage === 'postgresql') await dropSchema(schema).catch(() => {})
    for (const dir of profileDirs) {
      const summary = summariseProfile(dir, repoRoot)
      if (summary) process.stderr.write(`    profile of ${summary.file}:\n${summary.lines.map((line) => `      ${line}`).join('\n')}\n`)
    }
  }
}

/**
 * event-load's people (every one moving a cursor and dragging a shape of their own) as the suite's
 * thin clients, which only decode what they time: with the spine's clients, which apply every
 * update to a document of their own, the two generators saturated and measured themselves. Within
 * each board, clients alternate between the instances, so half of every board's receivers get each
 * message through the relay.
 */
async function loadOver(scenario: LoadScenario, servers: RunningServer[], settings: Settings, instances: number, storage: RelayStorage): Promise<RelayMeasure> {
  const pool = new GeneratorPool(scenario.generators)
  try {
    const specs: SuiteClientSpec[] = []
    const instanceOf = new Map<number, number>()
    let id = 1
    for (let room = 0; room < scenario.rooms; room++) {
      const board = `bench-${scenario.name}-${String(room).padStart(4, '0')}`
      for (let i = 0; i < scenario.clientsPerRoom; i++, id++) {
        const instance = i % servers.length
        instanceOf.set(id, instance)
        specs.push({ ...boardAddress(servers[instance] as RunningServer, board), id, active: true, dragger: scenario.updatesPerSecond > 0, observer: true })
      }
    }
    const ready = await pool.setup('y-websocket', specs, { cursorsPerSecond: scenario.cursorsPerSecond, dragsPerSecond: scenario.updatesPerSecond })
    if (ready.connected === 0) throw new Error(`no client could connect: ${ready.errors.join('; ')}`)

    const sendStart = now() + 200
    const window = { start: sendStart + settings.warmupSeconds * 1000, end: sendStart + (settings.warmupSeconds + settings.measureSeconds) * 1000 }
    pool.start(sendStart, window.start)
    await sleepUntil(window.start)
    const serverSamplers = servers.map((server) => new UsageSampler(server.pid))
    const generatorSamplers = pool.pids.map((pid) => new UsageSampler(pid))
    const machineSampler = new MachineSampler()
    machineSampler.start()
    for (const sampler of [...serverSamplers, ...generatorSamplers]) sampler.start()
    await sleepUntil(window.end)
    const instanceUsage = serverSamplers.map((sampler) => sampler.stop())
    const generatorUsage = generatorSamplers.map((sampler) => sampler.stop())
    const ours = [...instanceUsage, ...generatorUsage].reduce((sum, usage) => sum + usage.cpuSeconds, 0)
    const machine = machineSampler.stop(ours)
    const serverLoopDelay = worstDelay(await Promise.all(servers.map((server) => serverDelay(server, window.start, window.end))))

    const results = await pool.stop(settings.drainSeconds * 1000)
    const accounting = new Accounting(specs, results)
    const logLines = servers.flatMap((server) => server.logLines())
    const load: LoadRun = {
      kind: 'load',
      server: 'fabrique',
      clients: specs.length,
      connected: ready.connected,
      connectMs: ready.connectMs,
      measuredSeconds: settings.measureSeconds,
      cursors: accounting.cursors(window),
      updates: scenario.updatesPerSecond > 0 ? accounting.drags(window) : undefined,
      // The instances together: what the deployment costs.
      serverUsage: sumUsage(instanceUsage),
      serverLoopDelay,
      generatorCpuPercent: generatorUsage.reduce((sum, usage) => sum + usage.cpuPercent, 0),
      generatorLoopDelay: worstDelay(results.map((r) => r.loopDelay)),
      skippedSends: results.reduce((sum, r) => sum + r.skippedSends, 0),
      machine,
      disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
      closeCodes: results.reduce<Record<string, number>>((codes, r) => {
        for (const [code, count] of Object.entries(r.closeCodes)) codes[code] = (codes[code] ?? 0) + count
        return codes
      }, {}),
      connectErrors: ready.errors,
      serverLog: { lines: logLines.length, first: logLines.slice(0, 5) },
    }
    // On one instance every pair is "same"; the split only means something on two.
    const same: PairFilter = (receiver, sender) => instanceOf.get(receiver) === instanceOf.get(sender)
    const cross: PairFilter = (receiver, sender) => !same(receiver, sender)
    const receipts = (pairs: PairFilter) => ({ cursors: accounting.cursors(window, pairs).latencyMs, updates: accounting.drags(window, pairs).latencyMs })
    return { instances, storage, load, cross: receipts(cross), same: receipts(same), instanceUsage }
  } finally {
    await pool.stopAll()
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
