import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { heapTrimUnavailable } from '@fabrique/native-memory'
import { createAdaptorServer } from '@hono/node-server'
import type { Hono } from 'hono'
import { WebSocketServer } from 'ws'
import { createApp } from './app.ts'
import { eventBoardAccess } from './auth/eventBoardAccess.ts'
import { TokenSigner } from './auth/tokens.ts'
import { SqliteEventStore } from './events/sqliteEventStore.ts'
import type { EventStore } from './events/types.ts'
import { PgJuryStore } from './jury/pgJuryStore.ts'
import { SqliteJuryStore } from './jury/sqliteJuryStore.ts'
import type { JuryStore } from './jury/types.ts'
import { PgTemplateStore } from './eventTemplates/pgTemplateStore.ts'
import { SqliteTemplateStore } from './eventTemplates/sqliteTemplateStore.ts'
import type { EventTemplateStore } from './eventTemplates/types.ts'
import { PgVoteStore } from './votes/pgVoteStore.ts'
import { SqliteVoteStore } from './votes/sqliteVoteStore.ts'
import type { VoteStore } from './votes/types.ts'
import type { Config } from './config.ts'
import { createLogger, type Logger } from './logger.ts'
import { Metrics } from './metrics.ts'
import { type AssetStorage, PgAssetStorage, SqliteAssetStorage } from './storage/assets.ts'
import { PgStorage } from './storage/pg.ts'
import { openPg } from './storage/pgDatabase.ts'
import { PgEventStore } from './events/pgEventStore.ts'
import { openSqliteDatabase, SqliteStorage } from './storage/sqlite.ts'
import { SqliteCheckpointer } from './storage/sqliteCheckpointer.ts'
import type { BoardStorage } from './storage/types.ts'
import type { BoardAccessPolicy } from './sync/access.ts'
import { createSyncMetrics } from './sync/syncMetrics.ts'
import { RedisRelay } from './sync/redisRelay.ts'
import { SyncServer } from './sync/syncServer.ts'
import { SheetFiles } from './exportThread/sheetFiles.ts'
import { SheetsAhead } from './exportThread/sheetsAhead.ts'
import { facilitationInProgress } from './http/facilitation.ts'
import { followOutline, pushGroundOf } from '@fabrique/templates'

export interface FabriqueServer {
  app: Hono
  sync: SyncServer
  storage: BoardStorage
  events: EventStore
  signer: TokenSigner
  port: number
  /** http://host:port */
  url: string
  /** Stops accepting, asks clients to reconnect, flushes storage and closes it. */
  close(): Promise<void>
}

export interface ServerOverrides {
  logger?: Logger
  storage?: BoardStorage
  assets?: AssetStorage
  boardAccess?: BoardAccessPolicy
}

interface Databases {
  storage: BoardStorage
  assets: AssetStorage
  events: EventStore
  votes: VoteStore
  jury: JuryStore
  templates: EventTemplateStore
  close(): Promise<void>
}

/** Boards, images and events share one database: PostgreSQL when DATABASE_URL is set, else a SQLite file. */
async function openDatabases(config: Config, logger: Logger): Promise<Databases> {
  if (config.databaseUrl) {
    const pool = await openPg({ connectionString: config.databaseUrl, schema: config.databaseSchema })
    return {
      storage: new PgStorage(pool),
      assets: new PgAssetStorage(pool), events: new PgEventStore(pool),
      votes: new PgVoteStore(pool),
      jury: new PgJuryStore(pool),
      templates: new PgTemplateStore(pool),
      close: () => pool.end(),
    }
  }
  fs.mkdirSync(config.dataDir, { recursive: true })
  const file = path.join(config.dataDir, 'fabrique.sqlite')
  const db = openSqliteDatabase({ file, synchronous: config.sync.sqliteSynchronous })
  const checkpointer = new SqliteCheckpointer(db, file, 1000, (message) => logger.warn(message))
  return {
    storage: new SqliteStorage({ db }),
    assets: new SqliteAssetStorage(db),
    events: new SqliteEventStore(db),
    votes: new SqliteVoteStore(db),
    jury: new SqliteJuryStore(db),
    templates: new SqliteTemplateStore(db),
    close: async () => {
      await checkpointer.stop()
      if (db.open) db.close()
    },
  }
}

/**
 * Records-array entries of a board loaded with more than this are not read for its outline at
 * load (~2 ms for 300 shapes), but at its first push, in turns (prepareOutline).
 */
const FOLLOW_OUTLINE_MAX_ITEMS = 8192

/** A Fabrique server listening on config.port (0 picks a free port). */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<FabriqueServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const databases = await openDatabases(config, logger)
  const storage = overrides.storage ?? databases.storage
  const assets = overrides.assets ?? databases.assets
  const events = databases.events
  if (!config.secret) logger.warn('SECRET is not set: access links stop working when the server restarts. Set SECRET in production.')
  if (config.sync.reclaimMemory && heapTrimUnavailable) {
    logger.warn(`Idle boards' memory is only partly given back: ${heapTrimUnavailable}. Run "pnpm install" on a machine with a C and C++ compiler, make and python3.`)
  }
  const signer = new TokenSigner(config.secret)
  const metrics = new Metrics()
  const relay = config.redisUrl ? new RedisRelay(config.redisUrl, logger) : undefined
  const sync = new SyncServer({
    relay,
    storage,
    logger,
    metrics: createSyncMetrics(metrics),
    limits: config.limits,
    roomIdleMs: config.sync.roomIdleMs,
    restAfterMs: config.sync.restAfterMs,
    // A push to a resting board places its template from this, without decoding the board.
    describeAtRest: pushGroundOf,
    // A push then finds the board's outline ready (see followOutline): from their first entry for
    // the boards of an event, which start empty; a larger board woken from rest at its first push.
    onLive: (doc) => followOutline(doc, FOLLOW_OUTLINE_MAX_ITEMS),
    reclaimMemory: config.sync.reclaimMemory,
    compactAfterUpdates: config.sync.compactAfterUpdates,
    heartbeatMs: config.sync.heartbeatMs,
    summaryDelayMs: config.sync.summaryDelayMs,
    layout: config.sync.boardLayoutOnly ? 'board' : 'free',
  })
  metrics.gauge('fabrique_rooms_loaded', 'Boards held in memory', () => sync.rooms.loadedCount)
  metrics.gauge('fabrique_rooms_resting', 'Boards in memory held encoded (no change for ROOM_REST_AFTER_MS)', () => sync.rooms.restingCount)
  metrics.gauge('fabrique_connections', 'Open sync connections', () => sync.connectionCount)
  metrics.gauge('fabrique_process_resident_bytes', 'Resident memory of the process', () => process.memoryUsage.rss())

  const sheetFiles = new SheetFiles({ store: events, votes: databases.votes, jury: databases.jury, storage, logger, maxBytes: config.exports.keptBytes })
  metrics.gauge('fabrique_export_kept_bytes', 'Bytes of project sheet files kept for the next export', () => sheetFiles.bytes)
  const sheetsAhead =
    config.exports.aheadDelayMs > 0 ? new SheetsAhead({ files: sheetFiles, store: events, logger, delayMs: config.exports.aheadDelayMs, busy: facilitationInProgress }) : undefined
  if (sheetsAhead) {
    sync.rooms.onStored((boardId) => sheetsAhead.changed(boardId))
    metrics.gauge('fabrique_sheets_ahead_pending', 'Changed boards and events whose project sheets are not made ahead yet (SHEETS_AHEAD_DELAY_MS)', () => sheetsAhead.pending)
    metrics.gauge('fabrique_sheets_ahead_events_made', 'Events whose every project sheet was made ahead, since the server started', () => sheetsAhead.made)
  }

  const boardAccess = overrides.boardAccess ?? eventBoardAccess(events, signer)
  const app = createApp({
    config,
    logger,
    metrics,
    sync,
    assets,
    boardAccess,
    events,
    votes: databases.votes,
    jury: databases.jury,
    templates: databases.templates,
    signer,
    storage,
    sheetFiles,
  })
  // ws's own cap protects memory; anything between the configured limit and this cap is refused
  // by the connection with 4413 and a readable reason.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxMessageBytes * 4 })
  const httpServer = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => resolve())
  })
  const { port } = httpServer.address() as AddressInfo
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${displayHost}:${port}`

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      await sync.close()
      await sheetsAhead?.close()
      await sheetFiles.close()
      if ('closeAllConnections' in httpServer) httpServer.closeAllConnections()
      await stopped
      await relay?.close()
      if (overrides.storage) await storage.close()
      await databases.close()
    })()
    return closing
  }

  return { app, sync, storage, events, signer, port, url, close }
}
