/**
 * The two servers under test, each in its own child process so that its CPU and memory can be
 * read from /proc without the load generators' share mixed in.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type LoopDelay, PROBE_PREFIX } from './loopDelay.ts'
import { removeTempDir, stopProcess, track, trackTempDir } from './processes.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../..')

export const SERVER_KINDS = ['fabrique', 'reference'] as const
export type ServerKind = (typeof SERVER_KINDS)[number]

export const SERVER_LABELS: Record<ServerKind, string> = {
  fabrique: 'Fabrique',
  reference: '@y/websocket-server 0.1.1',
}

export interface RunningServer {
  kind: ServerKind
  pid: number
  /** WebSocket URL of a board, with `{board}` in place of its id. */
  urlTemplate: string
  /** Starts measuring the event-loop delay (at the start of the window). */
  resetLoopDelay(): void
  /** Event-loop delay since the reset (at the end of the window). */
  loopDelay(): Promise<LoopDelay>
  /** What the server wrote on stderr (warnings and errors: LOG_LEVEL=warn). */
  logLines(): string[]
  stop(): Promise<void>
}

const STARTUP_TIMEOUT_MS = 30_000
const PROBE_TIMEOUT_MS = 10_000
/** Server log lines echoed to the console; the rest are only counted. */
const ECHOED_LOG_LINES = 5

export async function startServer(kind: ServerKind): Promise<RunningServer> {
  if (kind === 'reference') {
    const child = launch(path.join(here, 'referenceServer.ts'), path.join(repoRoot, 'test'), { PORT: '0', HOST: '127.0.0.1' })
    return attach(kind, child, (url) => `${url.replace(/^http/, 'ws')}/{board}`, () => stopProcess(child))
  }
  // The real entry point, configured so that no limit throttles the benchmark's load.
  const dataDir = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-bench-')))
  const child = launch(path.join(repoRoot, 'server/src/main.ts'), path.join(repoRoot, 'server'), {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: '',
    LOG_LEVEL: 'warn',
    // Fixed, so the server does not warn about a per-process secret (no token is used here).
    SECRET: 'fabrique-bench-secret',
    MAX_MESSAGES_PER_SECOND: '100000',
    MAX_CONNECTIONS_PER_ADDRESS: '100000',
    MAX_CONNECTIONS_PER_EVENT: '100000',
  })
  const stop = async () => {
    await stopProcess(child)
    removeTempDir(dataDir)
  }
  try {
    return await attach(kind, child, (url) => `${url.replace(/^http/, 'ws')}/sync/{board}?v=1`, stop)
  } catch (error) {
    await stop()
    throw error
  }
}

/** node itself is the child (no shell, no npx), so the pid is the server's. */
function launch(entry: string, cwd: string, env: Record<string, string>): ChildProcess {
  return track(
    spawn(process.execPath, ['--import', 'tsx', '--import', path.join(here, 'serverProbe.ts'), entry], {
      cwd,
      env: { ...process.env, ...env },
      // stdin stays open: the probe reads commands from it and exits the server when it closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  )
}

/** Waits for the "listening on http://…" line, then wires the probe; stderr goes with any failure. */
async function attach(kind: ServerKind, child: ChildProcess, urlTemplate: (url: string) => string, stop: () => Promise<void>): Promise<RunningServer> {
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

  return {
    kind,
    pid: child.pid as number,
    urlTemplate: urlTemplate(url),
    resetLoopDelay: () => child.stdin?.write('reset\n'),
    loopDelay: () =>
      new Promise<LoopDelay>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not report its event-loop delay`)), PROBE_TIMEOUT_MS)
        const onLine = (line: string) => {
          if (!line.startsWith(PROBE_PREFIX)) return
          clearTimeout(timer)
          stdout.off('line', onLine)
          resolve(JSON.parse(line.slice(PROBE_PREFIX.length)) as LoopDelay)
        }
        stdout.on('line', onLine)
        child.stdin?.write('report\n')
      }),
    logLines: () => [...log],
    stop,
  }
}
