import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SqliteStorage } from '@fabrique/server'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const loopScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/compactLoop.ts')

describe('SIGKILL while compacting', () => {
  it('keeps every acknowledged update and leaves no half-written state, kill after kill', async () => {
    const file = path.join(tempDir(), 'fabrique.sqlite')
    let next = 0
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', loopScript, file, String(next)], { stdio: ['ignore', 'pipe', 'inherit'] })
      let acked = -1
      child.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/ack (\d+)/g)) acked = Number(match[1])
      })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await waitFor(() => acked >= next + 60 + round * 13, `round ${round}: the loop to get going`)
      child.kill('SIGKILL')
      await exited

      const storage = new SqliteStorage({ file })
      try {
        const doc = new Y.Doc()
        for (const u of (await storage.load('board-compact-kill')).updates) Y.applyUpdate(doc, u)
        const m = doc.getMap('m')
        const missing = Array.from({ length: acked + 1 }, (_, k) => `k${k}`).filter((k) => !m.has(k))
        expect(missing, `round ${round}`).toEqual([])
        expect(storage.db.pragma('integrity_check', { simple: true })).toBe('ok')
        next = acked + 1
        // What the killed loop wrote after its last ack may or may not be there; both are fine.
        while (m.has(`k${next}`)) next++
      } finally {
        await storage.close()
      }
    }
  })
})
