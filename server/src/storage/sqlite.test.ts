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
