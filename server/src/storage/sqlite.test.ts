import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { describeStorageContract } from './contractSuite.ts'
import { SqliteStorage } from './sqlite.ts'

describeStorageContract('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-sqlite-'))
  const file = path.join(dir, 'fabrique.sqlite')
  return {
    create: async () => new SqliteStorage({ file }),
    reopen: async () => new SqliteStorage({ file }),
    destroy: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
})

describe('sqlite replaceLog', () => {
  it('replaces the whole log by the snapshot, keeping the newest time, and later appends after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-sqlite-'))
    const storage = new SqliteStorage({ file: path.join(dir, 'fabrique.sqlite') })
    try {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (update: Uint8Array) => updates.push(update))
      for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i)
      await storage.append('b', updates.splice(0))
      const before = await storage.stats(['b'])
      const result = await storage.replaceLog('b', Y.encodeStateAsUpdate(doc))
      expect(result.updatesBefore).toBe(5)
      expect(result.bytesAfter).toBe(Y.encodeStateAsUpdate(doc).byteLength)
      doc.getMap('m').set('late', true)
      await storage.append('b', updates.splice(0))
      const log = await storage.load('b')
      expect(log.updates).toHaveLength(2)
      const copy = new Y.Doc()
      for (const update of log.updates) Y.applyUpdate(copy, update)
      expect(copy.getMap('m').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, late: true })
      expect((await storage.stats(['b'])).get('b')?.lastActivity).toBeGreaterThanOrEqual(before.get('b')?.lastActivity ?? Number.POSITIVE_INFINITY)
    } finally {
      await storage.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('sqlite board stats', () => {
  it('reads a board’s size, head and last change from an index, never its updates’ pages', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-sqlite-'))
    const storage = new SqliteStorage({ file: path.join(dir, 'fabrique.sqlite') })
    try {
      await storage.append('b', [new Uint8Array(50_000).fill(1), new Uint8Array([2, 3])])
      const stats = (await storage.stats(['b'])).get('b')
      expect([stats?.bytes, stats?.version.endsWith('.2')]).toEqual([50_002, true])
      // created_at comes after data in a row: read from the table, it meant walking every overflow page.
      const { statements } = storage as unknown as { statements: Record<'stats' | 'logSize', { source: string }> }
      for (const statement of [statements.stats, statements.logSize]) {
        const plan = storage.db.prepare<[string], { detail: string }>(`EXPLAIN QUERY PLAN ${statement.source}`).all('b')
        expect(plan.map((step) => step.detail)).toEqual(['SEARCH board_updates USING COVERING INDEX board_updates_stats (board_id=?)'])
      }
    } finally {
      await storage.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
