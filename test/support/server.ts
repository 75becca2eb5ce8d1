import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Config, createServer, defaultConfig, type FabriqueServer, silentLogger, type ServerOverrides } from '@fabrique/server'
import * as Y from 'yjs'
import { waitFor } from './wait.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function tempDir(prefix = 'fabrique-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export interface TestConfig {
  dataDir?: string
  databaseUrl?: string
  databaseSchema?: string
  redisUrl?: string
  /** Fixed so that tokens survive a restart of the test server. */
  secret?: string
  clientDir?: string
  sync?: Partial<Config['sync']>
  limits?: Partial<Config['limits']>
  exports?: Partial<Config['exports']>
}

/** A real server in this process, on a free port, with its own data directory. */
export async function startServer(options: TestConfig = {}, overrides: ServerOverrides = {}): Promise<FabriqueServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir()
  const config: Config = {
    ...defaultConfig,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    clientDir: options.clientDir,
    databaseUrl: options.databaseUrl,
    databaseSchema: options.databaseSchema ?? 'public',
    secret: options.secret ?? 'fabrique-test-secret',
    redisUrl: options.redisUrl,
    logLevel: 'silent',
    // Tests of the real client check the board layout as production does; the others write their own documents ('m', 't').
    sync: { ...defaultConfig.sync, boardLayoutOnly: options.clientDir !== undefined, ...options.sync },
    limits: { ...defaultConfig.limits, ...options.limits },
    exports: { ...defaultConfig.exports, ...options.exports },
  }
  const server = await createServer(config, { logger: silentLogger, ...overrides })
  return Object.assign(server, { dataDir })
}

export function syncUrl(server: { url: string }): string {
  return `${server.url.replace(/^http/, 'ws')}/sync`
}

export interface ServerProcess {
  child: ChildProcess
  url: string
  port: number
  stderr: () => string
  exited: Promise<number | null>
}

/**
 * The server as `pnpm start` runs it (its build, `server/dist/main.js`, made by the integration
 * tests' global setup) in a child process, e.g. to kill it with SIGKILL.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/main.js')], {
    cwd: path.join(repoRoot, 'server'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', CLIENT_DIR: '', BOARD_LAYOUT_ONLY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let stdout = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let url: string
  try {
    url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(stdout)?.[1], `the server process to listen (stderr: ${stderr})`, 30_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return { child, url, port: Number(new URL(url).port), stderr: () => stderr, exited }
}

/** What storage holds for a board, as a document. */
export async function storedDoc(server: { storage: FabriqueServer['storage'] }, boardId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const update of (await server.storage.load(boardId)).updates) Y.applyUpdate(doc, update)
  return doc
}
