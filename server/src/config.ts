import fs from 'node:fs'
import path from 'node:path'

/** Everything the server can be told, read once from the environment and passed in. */
export interface Config {
  port: number
  host: string
  /** Where the SQLite file lives (boards, images, events) when there is no DATABASE_URL. */
  dataDir: string
  /** PostgreSQL instead of SQLite, for several instances sharing one database. */
  databaseUrl: string | undefined
  /** PostgreSQL schema holding Fabrique's tables. */
  databaseSchema: string
  /** Redis relaying updates and presence between instances. */
  redisUrl: string | undefined
  /** The address people use to reach this server (for links and QR codes). */
  publicUrl: string | undefined
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (per-address limits). */
  trustProxy: boolean
  /** Signs capability tokens. Generated per process when unset (tokens then die with the process). */
  secret: string | undefined
  tldrawLicenseKey: string | undefined
  /** Directory of the built client to serve; undefined serves no client. */
  clientDir: string | undefined
  logLevel: LogLevel
  limits: Limits
  sync: SyncSettings
  exports: ExportSettings
}

export interface ExportSettings {
  /** How long after its board's last change a team's sheet is made ahead of the export (0: only when asked). */
  aheadDelayMs: number
  /** Bytes of made sheet files (JSON, Markdown, PDF) kept for the next export (0: none). */
  keptBytes: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface Limits {
  /** Largest WebSocket message accepted (bytes); larger ones close the connection with 4413. */
  maxMessageBytes: number
  /** Largest awareness state of one client (bytes of JSON). */
  maxAwarenessStateBytes: number
  /** Messages a connection may send before its board has loaded. */
  maxQueuedMessagesBeforeLoad: number
  /** Largest image accepted on a board (bytes). */
  maxAssetBytes: number
  /** Images stored for all the boards of one event together. */
  maxEventAssetBytes: number
  /** Bytes queued for a client that does not read before it is disconnected (it then resyncs). */
  maxBufferedBytes: number
  /** Join attempts (code look-ups) per address and minute. */
  joinAttemptsPerMinute: number
  /** Sustained messages per second one connection may send (bursts up to 5 s worth). */
  maxMessagesPerSecond: number
  /** Open sync connections from one address (a venue's Wi-Fi is often one address: keep it high). */
  maxConnectionsPerAddress: number
  /** Open sync connections to the boards of one event. */
  maxConnectionsPerEvent: number
  /** Stored size of one board's document; past it the board refuses changes. */
  maxBoardBytes: number
}

export interface SyncSettings {
  /** How long an empty room stays in memory after its last client left. */
  roomIdleMs: number
  /** How long after its last change a board open in memory is kept encoded instead of live (0: never). */
  restAfterMs: number
  /** Run a full garbage collection after boards rest or unload, to give their memory back. */
  reclaimMemory: boolean
  /** Compact a board's log once it holds this many updates. */
  compactAfterUpdates: number
  /** Interval between pings; a socket that did not answer the previous ping is closed. */
  heartbeatMs: number
  /** 'normal' survives a process crash (WAL); 'full' also survives power loss, at an fsync per write. */
  sqliteSynchronous: 'normal' | 'full'
  /** How long after a change a board's shape count and preview (facilitator console) are rewritten. */
  summaryDelayMs: number
  /**
   * Clients may write only the board layout (records, schema, template pushes, live state): an
   * update touching anything else is refused. Off only for tests and benchmarks with their own documents.
   */
  boardLayoutOnly: boolean
}

export const defaultConfig: Config = {
  port: 8787,
  host: '0.0.0.0',
  dataDir: './data',
  databaseUrl: undefined,
  databaseSchema: 'public',
  redisUrl: undefined,
  publicUrl: undefined,
  trustProxy: false,
  secret: undefined,
  tldrawLicenseKey: undefined,
  clientDir: undefined,
  logLevel: 'info',
  limits: {
    maxMessageBytes: 4 * 1024 * 1024,
    maxAwarenessStateBytes: 16 * 1024,
    maxQueuedMessagesBeforeLoad: 1000,
    maxAssetBytes: 10 * 1024 * 1024,
    maxEventAssetBytes: 512 * 1024 * 1024,
    maxBufferedBytes: 32 * 1024 * 1024,
    joinAttemptsPerMinute: 30,
    maxMessagesPerSecond: 200,
    maxConnectionsPerAddress: 1000,
    maxConnectionsPerEvent: 2000,
    maxBoardBytes: 64 * 1024 * 1024,
  },
  sync: {
    roomIdleMs: 30_000,
    restAfterMs: 30_000,
    reclaimMemory: true,
    compactAfterUpdates: 500,
    heartbeatMs: 30_000,
    sqliteSynchronous: 'normal',
    summaryDelayMs: 5_000,
    boardLayoutOnly: true,
  },
  exports: {
    aheadDelayMs: 10_000,
    keptBytes: 64 * 1024 * 1024,
  },
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`)
  }
  return value
}

/** Unset or empty: the default; "false" or "0": off; anything else: on. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  return raw !== 'false' && raw !== '0'
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

/** SECRET, or the content of the file SECRET_FILE names (for secrets mounted as files). */
function readSecret(env: Env): string | undefined {
  if (env.SECRET) return env.SECRET
  if (!env.SECRET_FILE) return undefined
  try {
    return fs.readFileSync(env.SECRET_FILE, 'utf8').trim() || undefined
  } catch (error) {
    throw new ConfigError(`SECRET_FILE could not be read: ${(error as Error).message}`)
  }
}

/** Reads the configuration from environment variables; throws ConfigError with a readable message. */
export function readConfig(env: Env = process.env): Config {
  const d = defaultConfig
  return {
    port: integer(env, 'PORT', d.port),
    host: env.HOST || d.host,
    dataDir: path.resolve(env.DATA_DIR || d.dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || d.databaseSchema,
    redisUrl: env.REDIS_URL || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    secret: readSecret(env),
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY || undefined,
    clientDir: env.CLIENT_DIR === undefined ? undefined : env.CLIENT_DIR || undefined,
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], d.logLevel),
    limits: {
      maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', d.limits.maxMessageBytes, 1024),
      maxAwarenessStateBytes: integer(env, 'MAX_AWARENESS_STATE_BYTES', d.limits.maxAwarenessStateBytes, 256),
      maxQueuedMessagesBeforeLoad: integer(env, 'MAX_QUEUED_MESSAGES', d.limits.maxQueuedMessagesBeforeLoad, 1),
      maxAssetBytes: integer(env, 'MAX_ASSET_BYTES', d.limits.maxAssetBytes, 1024),
      maxEventAssetBytes: integer(env, 'MAX_EVENT_ASSET_BYTES', d.limits.maxEventAssetBytes, 1024),
      maxBufferedBytes: integer(env, 'MAX_BUFFERED_BYTES', d.limits.maxBufferedBytes, 1024),
      joinAttemptsPerMinute: integer(env, 'JOIN_ATTEMPTS_PER_MINUTE', d.limits.joinAttemptsPerMinute, 1),
      maxMessagesPerSecond: integer(env, 'MAX_MESSAGES_PER_SECOND', d.limits.maxMessagesPerSecond, 1),
      maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', d.limits.maxConnectionsPerAddress, 1),
      maxConnectionsPerEvent: integer(env, 'MAX_CONNECTIONS_PER_EVENT', d.limits.maxConnectionsPerEvent, 1),
      maxBoardBytes: integer(env, 'MAX_BOARD_BYTES', d.limits.maxBoardBytes, 1024),
    },
    sync: {
      roomIdleMs: integer(env, 'ROOM_IDLE_MS', d.sync.roomIdleMs),
      restAfterMs: integer(env, 'ROOM_REST_AFTER_MS', d.sync.restAfterMs),
      reclaimMemory: flag(env, 'RECLAIM_MEMORY', d.sync.reclaimMemory),
      compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', d.sync.compactAfterUpdates, 2),
      heartbeatMs: integer(env, 'HEARTBEAT_MS', d.sync.heartbeatMs, 100),
      sqliteSynchronous: oneOf(env, 'SQLITE_SYNCHRONOUS', ['normal', 'full'], d.sync.sqliteSynchronous),
      summaryDelayMs: integer(env, 'BOARD_SUMMARY_DELAY_MS', d.sync.summaryDelayMs, 10),
      boardLayoutOnly: flag(env, 'BOARD_LAYOUT_ONLY', d.sync.boardLayoutOnly),
    },
    exports: {
      aheadDelayMs: integer(env, 'SHEETS_AHEAD_DELAY_MS', d.exports.aheadDelayMs),
      keptBytes: integer(env, 'EXPORT_KEPT_MB', d.exports.keptBytes / (1024 * 1024)) * 1024 * 1024,
    },
  }
}
