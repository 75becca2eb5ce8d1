import type Database from 'better-sqlite3'
import type pg from 'pg'
import { migrateSqlite } from './sqliteMigrations.ts'

/** An uploaded image, stored in the same database as the board it was dropped on. */
export interface StoredAsset {
  id: string
  boardId: string
  mimeType: string
  data: Uint8Array
}

export interface AssetStorage {
  put(asset: StoredAsset): Promise<void>
  get(id: string): Promise<StoredAsset | undefined>
  /** Bytes stored for a board (for quotas). */
  bytesForBoard(boardId: string): Promise<number>
}

export class SqliteAssetStorage implements AssetStorage {
  private readonly statements

  constructor(db: Database.Database) {
    migrateSqlite(db)
    this.statements = {
      put: db.prepare<[string, string, string, number, Uint8Array, string]>(
        'INSERT INTO board_assets (id, board_id, mime_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      get: db.prepare<[string], { id: string; board_id: string; mime_type: string; data: Buffer }>(
        'SELECT id, board_id, mime_type, data FROM board_assets WHERE id = ?',
      ),
      bytes: db.prepare<[string], { total: number | null }>('SELECT SUM(size) AS total FROM board_assets WHERE board_id = ?'),
    }
  }

  async put(asset: StoredAsset): Promise<void> {
    this.statements.put.run(asset.id, asset.boardId, asset.mimeType, asset.data.byteLength, asset.data, new Date().toISOString())
  }

  async get(id: string): Promise<StoredAsset | undefined> {
    const row = this.statements.get.get(id)
    return row && { id: row.id, boardId: row.board_id, mimeType: row.mime_type, data: row.data }
  }

  async bytesForBoard(boardId: string): Promise<number> {
    return this.statements.bytes.get(boardId)?.total ?? 0
  }
}

export class PgAssetStorage implements AssetStorage {
  constructor(private readonly pool: pg.Pool) {}

  async put(asset: StoredAsset): Promise<void> {
    await this.pool.query('INSERT INTO board_assets (id, board_id, mime_type, size, data) VALUES ($1, $2, $3, $4, $5)', [
      asset.id,
      asset.boardId,
      asset.mimeType,
      asset.data.byteLength,
      Buffer.from(asset.data.buffer, asset.data.byteOffset, asset.data.byteLength),
    ])
  }

  async get(id: string): Promise<StoredAsset | undefined> {
    const row = (await this.pool.query<{ id: string; board_id: string; mime_type: string; data: Buffer }>('SELECT id, board_id, mime_type, data FROM board_assets WHERE id = $1', [id])).rows[0]
    return row && { id: row.id, boardId: row.board_id, mimeType: row.mime_type, data: row.data }
  }

  async bytesForBoard(boardId: string): Promise<number> {
    const row = (await this.pool.query<{ total: string | null }>('SELECT SUM(size) AS total FROM board_assets WHERE board_id = $1', [boardId])).rows[0]
    return Number(row?.total ?? 0)
  }
}
