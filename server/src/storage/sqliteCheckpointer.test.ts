import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from './sqlite.ts'
import { SqliteCheckpointer } from './sqliteCheckpointer.ts'

describe('SqliteCheckpointer', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })

  function writeMegabyte(file: string) {
    const db = openSqliteDatabase({ file })
    db.exec('CREATE TABLE t (data BLOB)')
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)')
    return { db, write: () => db.transaction(() => { for (let i = 0; i < 256; i++) insert.run(Buffer.alloc(4096, i)) })() }
  }

  it('checkpoints the WAL into the database file from its worker, not in the writer’s commits', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-ckpt-'))
    dirs.push(dir)
    const file = path.join(dir, 'db.sqlite')
    const { db, write } = writeMegabyte(file)
    const errors: string[] = []
    const checkpointer = new SqliteCheckpointer(db, file, 50, (message) => errors.push(message))
    try {
      write()
      // Written to the WAL only: the writer no longer checkpoints on its own.
      expect(fs.statSync(file).size).toBeLessThan(1024 * 1024)
      const deadline = Date.now() + 5000
      while (fs.statSync(file).size < 1024 * 1024 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
      expect(fs.statSync(file).size).toBeGreaterThanOrEqual(1024 * 1024)
      expect(errors).toEqual([])
    } finally {
      await checkpointer.stop()
      db.close()
    }
  })

  it('checkpoints what is left when stopped, leaving an empty WAL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-ckpt-'))
    dirs.push(dir)
    const file = path.join(dir, 'db.sqlite')
    const { db, write } = writeMegabyte(file)
    // An interval too long to fire during the test: only stop() can have checkpointed.
    const checkpointer = new SqliteCheckpointer(db, file, 60_000)
    write()
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1024 * 1024)
    await checkpointer.stop()
    expect(fs.statSync(`${file}-wal`).size).toBe(0)
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(1024 * 1024)
    db.close()
  })
})
