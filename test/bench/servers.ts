/**
 * The servers under test, each in its own child process so that its CPU and memory can be read
 * from /proc without the load generators' share mixed in: Fabrique (its real entry point), the
 * reference @y/websocket-server, Hocuspocus 4 and a bare ws relay (the floor).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { PACK_COLUMNS_UPDATES, PACK_PARAM } from '@fabrique/protocol'
import * as esbuild from 'esbuild'
import { COMMAND_PREFIX, REPLY_PREFIX } from './benchCommands.ts'
import { type LoopDelay, PROBE_PREFIX } from './loopDelay.ts'
import { removeTempDir, stopProcess, track, trackTempDir } from './processes.ts'
import { rssBytes } from './procstat.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../..')
/**
 * The checkout whose server runs as "Fabrique": this one, or BENCH_FABRIQUE_DIR (another checkout
 * with its dependencies installed, e.g. a `git worktree` of an older commit) to compare two versions
 * under the same harness.
 */
const fabriqueRoot = path.resolve(process.env.BENCH_FABRIQUE_DIR || repoRoot)

/** Every server the suite runs (issue 12): Fabrique and its three peers. */
export const ALL_SERVERS = ['fabrique', 'reference', 'hocuspocus', 'relay'] as const
export type AnyServer = (typeof ALL_SERVERS)[number]

/** The two columns of the first scenarios (issues 2 and 3): Fabrique and one peer. */
export const SERVER_KINDS = ['fabrique', 'reference'] as const
export type ServerKind = (typeof SERVER_KINDS)[number]

export const SERVER_LABELS: Record<AnyServer, string> = {
  fabrique: 'Fabrique',
  reference: '@y/websocket-server 0.1.1',
  hocuspocus: 'Hocuspocus 4.7.0',
  relay: 'ws relay (floor)',
}

/** Short names for ratio columns. */
export const SERVER_SHORT: Record<AnyServer, string> = { fabrique: 'Fab', reference: 'Ref', hocuspocus: 'Hp', relay: 'Relay' }

/**
 * How clients talk to each server: y-websocket's messages; Hocuspocus's (the same, each prefixed
 * with the document name, after an authentication message); or raw bytes to a relay that holds no
 * document (nothing answers a sync request there).
 */
export type WireProtocol = 'y-websocket' | 'hocuspocus' | 'relay'
export const PROTOCOLS: Record<AnyServer, WireProtocol> = { fabrique: 'y-websocket', reference: 'y-websocket', hocuspocus: 'hocuspocus', relay: 'relay' }

export interface RunningServer {
  kind: AnyServer
  pid: number
  /** http://host:port */
  httpUrl: string
  /** WebSocket URL of a board, with `{board}` in place of its id. */
  urlTemplate: string
  /** Starts measuring the event-loop delay (at the start of the window). */
  resetLoopDelay(): void
  /** Event-loop delay since the reset (at the end of the window). */
  loopDelay(): Promise<LoopDelay>
  /** Event-loop delay between two epoch-ms times (recorded by the probe, whenever it is asked). */
  loopDelayBetween(start: number, end: number, timeoutMs?: number): Promise<LoopDelay>
  /** Stops the probe's 10 ms timer (its cost would count as the server's while idle), then restarts it. */
  pauseProbe(): void
  resumeProbe(): void
  /** A command registered by a peer server (peerCommands.ts); rejects on an error reply. */
  command(name: string, argument?: string, timeoutMs?: number): Promise<unknown>
  /** Rooms (documents) the server holds in memory. */
  roomsLoaded(): Promise<number>
  /** Fabrique: loaded boards held encoded after ROOM_REST_AFTER_MS without a change; peers: undefined (no such state). */
  roomsResting(): Promise<number | undefined>
  /** Fabrique: a figure of its /metrics (e.g. `fabrique_memory_reclaim_seconds_count`); peers: undefined. */
  metric(name: string): Promise<number | undefined>
  /** Resident memory now. */
  rss(): number
  /** What the server wrote on stderr (warnings and errors: LOG_LEVEL=warn). */
  logLines(): string[]
  stop(): Promise<void>
  /** Fabrique's DATA_DIR (its SQLite file), for scenarios that read back what it stored. */
  dataDir?: string
}

export interface StartOptions {
  /** Write a V8 CPU profile of the server into this directory (written when it exits). */
  cpuProfileDir?: string
  /** Fabrique only: environment on top of the benchmark's (DATABASE_URL, REDIS_URL, CLIENT_DIR…). */
  env?: Record<string, string>
}

const epochNow = () => performance.timeOrigin + performance.now()

const STARTUP_TIMEOUT_MS = 30_000
const PROBE_TIMEOUT_MS = 10_000
/** Server log lines echoed to the console; the rest are only counted. */
const ECHOED_LOG_LINES = 5

/**
 * Fabrique's Node flags, as its start script (server/package.json) runs it: a young generation of up
 * to 64 MB per semi-space (V8's default is 16 MB). With 50 boards of 2,000 shapes live (1.2 GB),
 * objects promoted early by small scavenges fill the old generation, whose full collections then
 * stall the loop: S6's push went from 10 s to 5.5-6.7 s and its longest stall from 0.8 s to 0.26-0.66 s.
 */
const FABRIQUE_NODE_FLAGS = ['--max-semi-space-size=64']

const PEER_ENTRIES: Record<Exclude<AnyServer, 'fabrique'>, string> = {
  reference: 'referenceServer.ts',
  hocuspocus: 'hocuspocusServer.ts',
  relay: 'relayServer.ts',
}

export async function startServer(kind: AnyServer, options: StartOptions = {}): Promise<RunningServer> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []
  // Writing a profile of a busy server takes a while: no SIGKILL before it is done. Otherwise a
  // server stalled by the benchmark's last request would only make every run wait for it.
  const graceMs = options.cpuProfileDir ? 60_000 : 2000
  if (kind !== 'fabrique') {
    const child = launch(compiledEntry(path.join(here, PEER_ENTRIES[kind])), path.join(repoRoot, 'test'), { PORT: '0', HOST: '127.0.0.1' }, profile)
    // Hocuspocus routes by the document name in each message; the path only names the board for people.
    return attach(kind, child, (url) => `${url.replace(/^http/, 'ws')}/{board}`, () => stopProcess(child, graceMs))
  }
  // The real entry point, configured so that no limit throttles the benchmark's load.
  const dataDir = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-bench-')))
  const fabrique = fabriqueEntry(Boolean(options.cpuProfileDir))
  const child = launch(
    fabrique.entry,
    path.join(fabriqueRoot, 'server'),
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: '',
      LOG_LEVEL: 'warn',
      // Fixed, so the server does not warn about a per-process secret; tokens are signed with it.
      SECRET: 'fabrique-bench-secret',
      MAX_MESSAGES_PER_SECOND: '100000',
      MAX_CONNECTIONS_PER_ADDRESS: '100000',
      MAX_CONNECTIONS_PER_EVENT: '100000',
      // The spine load writes whole records in a Y.Map, as the reference server's clients do.
      BOARD_LAYOUT_ONLY: 'false',
      ...options.env,
    },
    [...FABRIQUE_NODE_FLAGS, ...fabrique.flags, ...profile],
  )
  const stop = async () => {
    await stopProcess(child, graceMs)
    removeTempDir(dataDir)
  }
  try {
    return { ...(await attach(kind, child, (url) => `${url.replace(/^http/, 'ws')}/sync/{board}?v=1&${PACK_PARAM}=${PACK_COLUMNS_UPDATES}`, stop)), dataDir }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * Where the bench's own entries (the probe, the peers' servers) are compiled to JavaScript, once per
 * run: run through tsx, each server would carry its loader, a thread of its own that holds ~25-40 MB
 * (an idle reference server: ~80 MB against ~45 MB), and the memory figures would be tsx's as much
 * as the servers'. Inside the test package, so that their npm packages resolve from its node_modules.
 */
const buildDir = path.join(repoRoot, 'test/bench-results/.build')
const compiled = new Map<string, string>()

function compiledEntry(entry: string): string {
  let out = compiled.get(entry)
  if (!out) {
    out = path.join(buildDir, `${path.basename(entry, '.ts')}.mjs`)
    esbuild.buildSync({ entryPoints: [entry], outfile: out, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' })
    compiled.set(entry, out)
  }
  return out
}

let fabriqueBuilt = false

/**
 * Fabrique as `pnpm start` runs it: its build (`server/dist/main.js`, made here once per run from
 * the checkout's sources). Two exceptions run its TypeScript sources through tsx: a CPU profile,
 * whose summary attributes time to each package and source folder (a bundle would fold them all
 * into one file), and an older checkout (BENCH_FABRIQUE_DIR) from before the server had a build.
 */
function fabriqueEntry(profiled: boolean): { entry: string; flags: string[] } {
  const serverDir = path.join(fabriqueRoot, 'server')
  if (profiled || !fs.existsSync(path.join(serverDir, 'build.ts'))) return { entry: path.join(serverDir, 'src/main.ts'), flags: ['--import', 'tsx'] }
  if (!fabriqueBuilt) {
    execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: serverDir, stdio: ['ignore', 'ignore', 'inherit'] })
    fabriqueBuilt = true
  }
  return { entry: path.join(serverDir, 'dist/main.js'), flags: [] }
}

/** node itself is the child (no shell, no npx), so the pid is the server's. */
function launch(entry: string, cwd: string, env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  return track(
    spawn(process.execPath, [...nodeFlags, '--import', compiledEntry(path.join(here, 'serverProbe.ts')), entry], {
      cwd,
      env: { ...process.env, ...env },
      // stdin stays open: the probe reads commands from it and exits the server when it closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  )
}

/** Waits for the "listening on http://…" line, then wires the probe; stderr goes with any failure. */
async function attach(kind: AnyServer, child: ChildProcess, urlTemplate: (url: string) => string, stop: () => Promise<void>): Promise<RunningServer> {
  const name = SERVER_LABELS[kind]
  // stdio is 'pipe' (see launch), so the streams exist.
  const stdout = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const log: string[] = []
  readline.createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line: string) => {
    if (log.length < ECHOED_LOG_LINES) process.stderr.write(`[${name}] ${line}\n`)
    log.push(line)
  })

  const url = await new Promise<string>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer)
      reject(new Error(`${message}${log.length > 0 ? `\n${log.join('\n')}` : ''}`))
    }
    const timer = setTimeout(() => fail(`${name} did not start within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS)
    child.once('exit', (code, signal) => fail(`${name} exited (${code ?? signal}) before listening`))
    stdout.on('line', (line: string) => {
      const found = /listening on (http:\/\/\S+)/.exec(line)?.[1]
      if (found) {
        clearTimeout(timer)
        resolve(found)
      }
    })
  })

  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  let nextId = 0
  stdout.on('line', (line: string) => {
    if (!line.startsWith(REPLY_PREFIX)) return
    const rest = line.slice(REPLY_PREFIX.length)
    const space = rest.indexOf(' ')
    const waiter = pending.get(rest.slice(0, space))
    if (!waiter) return
    pending.delete(rest.slice(0, space))
    const result = JSON.parse(rest.slice(space + 1)) as unknown
    const error = (result as { error?: unknown } | null)?.error
    if (typeof error === 'string') waiter.reject(new Error(`${name}: ${error}`))
    else waiter.resolve(result)
  })
  const command = (commandName: string, argument = '', timeoutMs = 120_000) =>
    new Promise<unknown>((resolve, reject) => {
      const id = String(++nextId)
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`${name} did not answer ${commandName} within ${timeoutMs / 1000} s`))
      }, timeoutMs)
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      child.stdin?.write(`${COMMAND_PREFIX}${id} ${commandName} ${argument}\n`)
    })
  const httpUrl = url.replace('localhost', '127.0.0.1')
  const health = async () => (await (await fetch(`${httpUrl}/healthz`)).json()) as { rooms: number; resting: number }
  const loopDelayBetween = (start: number, end: number, timeoutMs = PROBE_TIMEOUT_MS) =>
    new Promise<LoopDelay>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not report its event-loop delay`)), timeoutMs)
      const onLine = (line: string) => {
        if (!line.startsWith(PROBE_PREFIX)) return
        clearTimeout(timer)
        stdout.off('line', onLine)
        resolve(JSON.parse(line.slice(PROBE_PREFIX.length)) as LoopDelay)
      }
      stdout.on('line', onLine)
      child.stdin?.write(`delay ${start} ${end}\n`)
    })
  let windowStart = epochNow()

  return {
    kind,
    pid: child.pid as number,
    httpUrl,
    urlTemplate: urlTemplate(httpUrl),
    pauseProbe: () => child.stdin?.write('pause\n'),
    resumeProbe: () => child.stdin?.write('resume\n'),
    resetLoopDelay: () => {
      windowStart = epochNow()
    },
    loopDelay: () => loopDelayBetween(windowStart, epochNow()),
    loopDelayBetween,
    command,
    roomsLoaded: async () => {
      if (kind !== 'fabrique') return Number(await command('rooms'))
      return (await health()).rooms
    },
    roomsResting: async () => (kind === 'fabrique' ? (await health()).resting : undefined),
    metric: async (metricName: string) => {
      if (kind !== 'fabrique') return undefined
      const text = await (await fetch(`${httpUrl}/metrics`)).text()
      const line = text.split('\n').find((l) => l.startsWith(`${metricName} `))
      return line === undefined ? undefined : Number(line.slice(metricName.length + 1))
    },
    rss: () => {
      try {
        return rssBytes(child.pid as number)
      } catch {
        return Number.NaN
      }
    },
    logLines: () => [...log],
    stop,
  }
}
