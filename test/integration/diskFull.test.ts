import { CloseCode } from '@fabrique/protocol'
import { type BoardStorage, createLogger, SqliteStorage } from '@fabrique/server'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { connectClient, nextCloseCode } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('a full disk', () => {
  it('says so, corrupts nothing, and loses nothing once space is back', async () => {
    const dataDir = tempDir()
    const storage = new SqliteStorage({ file: path.join(dataDir, 'boards.sqlite') })
    const logs: string[] = []
    const s = await startServer({ dataDir }, { storage: storage as BoardStorage, logger: createLogger('error', (line) => logs.push(line)) })
    try {
      const a = connectClient(syncUrl(s), 'board-disk-full')
      await a.synced
      a.doc.getMap('m').set('before', 'stored')
      await waitFor(async () => (await storedDoc(s, 'board-disk-full')).getMap('m').has('before'), 'the first edit stored')

      // SQLite's page limit makes the file "full" exactly as a full disk does (SQLITE_FULL).
      const pages = storage.db.pragma('page_count', { simple: true }) as number
      storage.db.pragma(`max_page_count = ${pages}`)
      const closed = nextCloseCode(a.provider)
      a.doc.getMap('m').set('during', 'x'.repeat(200_000))
      expect(await closed).toBe(CloseCode.StorageFailure)
      expect(logs.join('\n')).toMatch(/disk full: could not store board board-disk-full; free space where DATA_DIR is/)
      expect(storage.db.pragma('integrity_check', { simple: true })).toBe('ok')

      storage.db.pragma('max_page_count = 1073741823')
      // The client reconnects by itself and resends what the server lacks.
      await waitFor(async () => (await storedDoc(s, 'board-disk-full')).getMap('m').has('during'), 'the edit stored once space is back', 15_000)
      a.destroy()
    } finally {
      await s.close()
      await storage.close()
    }
  })
})
