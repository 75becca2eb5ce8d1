import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { mergeLog } from './mergeLog.ts'
import { migrateSqlite } from './sqliteMigrations.ts'
import { type BoardStats, type BoardStorage, type BoardSummary, type CompactionResult, type PendingAppend, StorageError, type StoredLog } from './types.ts'

export interface SqliteStorageOptions {
  /** Path of the database file, or ':memory:'. */
  file: string
  synchronous?: 'normal' | 'full'
}

/** Opens (or creates) the SQLite file in WAL mode; boards, metadata and images share it. */
export function openSqliteDatabase({ file, synchronous }: SqliteStorageOptions): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  return db
}

function appendError({ boardId, updates }: PendingAppend, error: unknown): StorageError {
  if ((error as { code?: string }).code === 'SQLITE_FULL') {
    return new StorageError(`disk full: could not store board ${boardId}; free space where DATA_DIR is`, { cause: error })
  }
  return new StorageError(`could not store ${updates.length} update(s) of board ${boardId}`, { cause: error })
}

/**
 * The embedded default: one SQLite file in WAL mode. better-sqlite3 is synchronous; appends are
 * group-committed: those of every board made during one turn of the event loop go into one
 * transaction at the end of that turn (see `append`).
 */
export class SqliteStorage implements BoardStorage {
  readonly db: Database.Database
  private readonly statements

  /** Takes an open database (shared with other tables) or opens the file itself. */
  constructor(options: SqliteStorageOptions | { db: Database.Database }) {
    this.db = 'db' in options ? options.db : openSqliteDatabase(options)
    migrateSqlite(this.db)
    const db = this.db
    this.statements = {
      load: db.prepare<[string], { data: Buffer; created_at: number }>('SELECT data, created_at FROM board_updates WHERE board_id = ? ORDER BY id'),
      append: db.prepare<[string, Uint8Array, number]>('INSERT INTO board_updates (board_id, data, created_at) VALUES (?, ?, ?)'),
      stats: db.prepare<[string], { bytes: number | null; at: number | null; head: number | null; updates: number }>(
        'SELECT SUM(length(data)) AS bytes, MAX(created_at) AS at, MAX(id) AS head, COUNT(*) AS updates FROM board_updates WHERE board_id = ?',
      ),
      deleteAll: db.prepare<[string]>('DELETE FROM board_updates WHERE board_id = ?'),
      logSize: db.prepare<[string], { updates: number; bytes: number; at: number }>(
        'SELECT COUNT(*) AS updates, COALESCE(SUM(length(data)), 0) AS bytes, COALESCE(MAX(created_at), 0) AS at FROM board_updates WHERE board_id = ?',
      ),
      summaryCount: db.prepare<[string], { shapes: number; computed_at: number }>('SELECT shapes, computed_at FROM board_summaries WHERE board_id = ?'),
      summary: db.prepare<[string], { shapes: number; boxes: string; computed_at: number }>(
        'SELECT shapes, boxes, computed_at FROM board_summaries WHERE board_id = ?',
      ),
      saveSummary: db.prepare<[string, number, string, number]>(
        `INSERT INTO board_summaries (board_id, shapes, boxes, computed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (board_id) DO UPDATE SET shapes = excluded.shapes, boxes = excluded.boxes, computed_at = excluded.computed_at
         WHERE excluded.computed_at >= board_summaries.computed_at`,
      ),
      deleteSummary: db.prepare<[string]>('DELETE FROM board_summaries WHERE board_id = ?'),
    }
  }

  async load(boardId: string): Promise<StoredLog> {
    const rows = this.statements.load.all(boardId)
    let bytes = 0
    const updates = rows.map((row) => {
      bytes += row.data.byteLength
      return new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
    })
    return { updates, bytes }
  }

  private readonly appendMany = (appends: readonly PendingAppend[]) => {
    this.db.transaction(() => {
      const now = Date.now()
      for (const { boardId, updates } of appends) for (const update of updates) this.statements.append.run(boardId, update, now)
    })()
  }

  /** Appends waiting for the end of this turn of the event loop. */
  private pendingAppends: PendingAppend[] = []

  /**
   * Resolves once the updates are committed, at the end of this turn of the event loop, in one
   * transaction with every other append of the turn: at event load (thousands of small updates a
   * second over 50 boards) a transaction per update was a fifth of the server's time. A room stores
   * before it broadcasts, so nobody sees an update that is not stored yet.
   */
  append(boardId: string, updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      if (this.pendingAppends.length === 0) setImmediate(this.commitAppends)
      this.pendingAppends.push({ boardId, updates, resolve, reject })
    })
  }

  private readonly commitAppends = (): void => {
    const appends = this.pendingAppends
    this.pendingAppends = []
    if (appends.length === 0) return
    try {
      this.appendMany(appends)
      for (const append of appends) append.resolve()
      return
    } catch {
      // Retried one board at a time below, so that each failure is told to its own board only.
    }
    for (const append of appends) {
      try {
        this.appendMany([append])
        append.resolve()
      } catch (error) {
        append.reject(appendError(append, error))
      }
    }
  }

  async compact(boardId: string): Promise<CompactionResult> {
    try {
      return this.db.transaction((): CompactionResult => {
        const rows = this.statements.load.all(boardId)
        const bytesBefore = rows.reduce((sum, row) => sum + row.data.byteLength, 0)
        if (rows.length <= 1) return { updatesBefore: rows.length, bytesBefore, bytesAfter: bytesBefore }
        const { snapshot } = mergeLog(rows.map((row) => row.data))
        this.statements.deleteAll.run(boardId)
        // The snapshot keeps the time of the newest update it replaces.
        this.statements.append.run(boardId, snapshot, rows.reduce((latest, row) => Math.max(latest, row.created_at), 0))
        return { updatesBefore: rows.length, bytesBefore, bytesAfter: snapshot.byteLength }
      }).immediate()
    } catch (error) {
      throw new StorageError(`could not compact board ${boardId}`, { cause: error })
    }
  }

  async replaceLog(boardId: string, snapshot: Uint8Array): Promise<CompactionResult> {
    try {
      return this.db.transaction((): CompactionResult => {
        const before = this.statements.logSize.get(boardId)
        this.statements.deleteAll.run(boardId)
        // The snapshot keeps the time of the newest update it replaces.
        this.statements.append.run(boardId, snapshot, before?.at ?? Date.now())
        return { updatesBefore: before?.updates ?? 0, bytesBefore: before?.bytes ?? 0, bytesAfter: snapshot.byteLength }
      }).immediate()
    } catch (error) {
      throw new StorageError(`could not compact board ${boardId}`, { cause: error })
    }
  }

  async stats(boardIds: readonly string[]): Promise<Map<string, BoardStats>> {
    const result = new Map<string, BoardStats>()
    for (const id of boardIds) {
      const row = this.statements.stats.get(id)
      if (row?.bytes == null) continue
      const summary = this.statements.summaryCount.get(id)
      result.set(id, {
        bytes: row.bytes,
        lastActivity: row.at ?? 0,
        version: `${row.head}.${row.updates}`,
        ...(summary && { summary: { shapes: summary.shapes, at: summary.computed_at } }),
      })
    }
    return result
  }

  async saveSummary(boardId: string, summary: BoardSummary): Promise<void> {
    this.statements.saveSummary.run(boardId, summary.shapes, JSON.stringify(summary.boxes), summary.at)
  }

  async summary(boardId: string): Promise<BoardSummary | undefined> {
    const row = this.statements.summary.get(boardId)
    return row && { shapes: row.shapes, boxes: JSON.parse(row.boxes), at: row.computed_at }
  }

  async remove(boardId: string): Promise<void> {
    this.db.transaction(() => {
      this.statements.deleteAll.run(boardId)
      this.statements.deleteSummary.run(boardId)
    })()
  }

  async close(): Promise<void> {
    if (this.db.open) this.commitAppends()
    for (const append of this.pendingAppends.splice(0)) append.reject(new StorageError(`storage closed before board ${append.boardId} was stored`))
    if (this.db.open) this.db.close()
  }
}
