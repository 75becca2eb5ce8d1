import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardStorage } from './types.ts'

/** How the contract suite gets a fresh, empty storage, and the same storage again after close. */
export interface StorageHarness {
  /** A storage with no boards in it. */
  create(): Promise<BoardStorage>
  /** The same database, opened again (after the previous instance was closed). */
  reopen(): Promise<BoardStorage>
  /** Removes everything create() made. */
  destroy(): Promise<void>
}

function docWith(entries: Record<string, string>, clientID = 1): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  doc.transact(() => {
    for (const [k, v] of Object.entries(entries)) doc.getMap('m').set(k, v)
  })
  return doc
}

function contentOf(updates: readonly Uint8Array[]): unknown {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc.getMap('m').toJSON()
}

/** Every storage adapter must pass this suite (SQLite now, PostgreSQL later). */
export function describeStorageContract(name: string, makeHarness: () => StorageHarness): void {
  describe(`storage contract: ${name}`, () => {
    let harness: StorageHarness
    let storage: BoardStorage

    beforeEach(async () => {
      harness = makeHarness()
      storage = await harness.create()
    })
    afterEach(async () => {
      await storage.close()
      await harness.destroy()
    })

    it('loads an unknown board as an empty log', async () => {
      expect(await storage.load('never-seen-board')).toEqual({ updates: [], bytes: 0 })
    })

    it('returns appended updates byte for byte, in order', async () => {
      const a = new Uint8Array([1, 2, 3])
      const b = new Uint8Array([4, 5])
      const c = new Uint8Array([6])
      await storage.append('board-aaaa', [a])
      await storage.append('board-aaaa', [b, c])
      const log = await storage.load('board-aaaa')
      expect(log.updates.map((u) => Array.from(u))).toEqual([[1, 2, 3], [4, 5], [6]])
      expect(log.bytes).toBe(6)
    })

    it('hands out buffers of the caller’s own: one moved to a thread leaves the next load whole', async () => {
      await storage.append('board-own', [new Uint8Array(20_000).fill(7), new Uint8Array([1, 2])])
      const first = await storage.load('board-own')
      const { port1, port2 } = new MessageChannel()
      port1.postMessage(null, [...new Set(first.updates.map((update) => update.buffer as ArrayBuffer))])
      port1.close()
      port2.close()
      const again = await storage.load('board-own')
      expect(again.updates.map((update) => update.byteLength)).toEqual([20_000, 2])
      expect(again.updates[0]?.every((byte) => byte === 7)).toBe(true)
    })

    it('keeps boards apart', async () => {
      await storage.append('board-aaaa', [new Uint8Array([1])])
      await storage.append('board-bbbb', [new Uint8Array([2])])
      expect((await storage.load('board-aaaa')).updates.map((u) => Array.from(u))).toEqual([[1]])
      expect((await storage.load('board-bbbb')).updates.map((u) => Array.from(u))).toEqual([[2]])
    })

    it('keeps every update of concurrent appends', async () => {
      const docs = Array.from({ length: 20 }, (_, i) => docWith({ [`k${i}`]: `v${i}` }, i + 1))
      await Promise.all(docs.map((d) => storage.append('board-conc', [Y.encodeStateAsUpdate(d)])))
      const log = await storage.load('board-conc')
      expect(log.updates).toHaveLength(20)
      expect(Object.keys(contentOf(log.updates) as object)).toHaveLength(20)
    })

    it('compacts a log into one snapshot with the same content', async () => {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 300; i++) doc.getMap('m').set(`k${i % 30}`, `v${i}`)
      await storage.append('board-comp', updates)
      const before = contentOf((await storage.load('board-comp')).updates)

      const result = await storage.compact('board-comp')

      const after = await storage.load('board-comp')
      expect(after.updates).toHaveLength(1)
      expect(contentOf(after.updates)).toEqual(before)
      expect(result.updatesBefore).toBe(300)
      expect(result.bytesAfter).toBeLessThan(result.bytesBefore)
    })

    it('keeps updates appended after a compaction', async () => {
      await storage.append('board-late', [Y.encodeStateAsUpdate(docWith({ a: '1' }, 1))])
      await storage.append('board-late', [Y.encodeStateAsUpdate(docWith({ b: '2' }, 2))])
      await storage.compact('board-late')
      await storage.append('board-late', [Y.encodeStateAsUpdate(docWith({ c: '3' }, 3))])
      expect(contentOf((await storage.load('board-late')).updates)).toEqual({ a: '1', b: '2', c: '3' })
    })

    it('leaves a log of zero or one update as it is', async () => {
      expect((await storage.compact('board-none')).updatesBefore).toBe(0)
      await storage.append('board-one', [Y.encodeStateAsUpdate(docWith({ a: '1' }))])
      await storage.compact('board-one')
      expect(contentOf((await storage.load('board-one')).updates)).toEqual({ a: '1' })
    })

    it('skips an unreadable update when compacting instead of losing the board', async () => {
      await storage.append('board-bad', [Y.encodeStateAsUpdate(docWith({ a: '1' }, 1))])
      await storage.append('board-bad', [new Uint8Array([255, 255, 255, 255, 1, 2])])
      await storage.append('board-bad', [Y.encodeStateAsUpdate(docWith({ b: '2' }, 2))])
      await storage.compact('board-bad')
      expect(contentOf((await storage.load('board-bad')).updates)).toEqual({ a: '1', b: '2' })
    })

    it('tells the size and last change of each board, through compactions', async () => {
      const before = Date.now()
      const updates = [Y.encodeStateAsUpdate(docWith({ a: '1' }, 1)), Y.encodeStateAsUpdate(docWith({ b: '2' }, 2))]
      await storage.append('board-act1', updates)
      const after = Date.now()
      const first = await storage.stats(['board-act1', 'board-never'])
      expect(first.has('board-never')).toBe(false)
      const stats = first.get('board-act1')
      expect(stats?.bytes).toBe(updates[0].byteLength + updates[1].byteLength)
      expect(stats?.lastActivity).toBeGreaterThanOrEqual(before)
      expect(stats?.lastActivity).toBeLessThanOrEqual(after)
      const compacted = await storage.compact('board-act1')
      expect(await storage.stats(['board-act1'])).toEqual(
        new Map([['board-act1', { bytes: compacted.bytesAfter, lastActivity: stats?.lastActivity, version: expect.any(String) }]]),
      )
    })

    it('gives each state of a board’s log a version of its own: appends, compactions and removals change it, reads do not', async () => {
      const versionOf = async () => (await storage.stats(['board-ver'])).get('board-ver')?.version
      expect(await versionOf()).toBeUndefined()
      const seen: string[] = []
      const step = async () => {
        const version = await versionOf()
        expect(version).toEqual(expect.any(String))
        expect(seen).not.toContain(version)
        seen.push(version as string)
      }
      await storage.append('board-ver', [Y.encodeStateAsUpdate(docWith({ a: '1' }, 1))])
      await step()
      await storage.load('board-ver')
      expect(await versionOf()).toBe(seen.at(-1))
      await storage.append('board-ver', [Y.encodeStateAsUpdate(docWith({ b: '2' }, 2))])
      await step()
      // The same content rewritten as one snapshot is a new state of the log.
      await storage.compact('board-ver')
      await step()
      if (storage.replaceLog) {
        const snapshot = Y.mergeUpdates((await storage.load('board-ver')).updates)
        await storage.replaceLog('board-ver', snapshot)
        await step()
      }
      await storage.remove('board-ver')
      expect(await versionOf()).toBeUndefined()
      await storage.append('board-ver', [Y.encodeStateAsUpdate(docWith({ a: '1' }, 1))])
      await step()
    })

    it('keeps the newest summary of a board, counted in its stats, and forgets it with the board', async () => {
      await storage.append('board-sum', [new Uint8Array([1])])
      expect(await storage.summary('board-sum')).toBeUndefined()
      expect((await storage.stats(['board-sum'])).get('board-sum')?.summary).toBeUndefined()
      const boxes = [{ x: -10, y: 20, w: 200, h: 200, kind: 'note' as const, color: 'blue' }]
      await storage.saveSummary('board-sum', { shapes: 3, boxes, at: 2000 })
      // An older summary (a slower instance, a late computation) does not replace it.
      await storage.saveSummary('board-sum', { shapes: 1, boxes: [], at: 1000 })
      expect(await storage.summary('board-sum')).toEqual({ shapes: 3, boxes, at: 2000 })
      expect((await storage.stats(['board-sum'])).get('board-sum')?.summary).toEqual({ shapes: 3, at: 2000 })
      await storage.saveSummary('board-sum', { shapes: 4, boxes: [], at: 3000 })
      expect((await storage.stats(['board-sum'])).get('board-sum')?.summary).toEqual({ shapes: 4, at: 3000 })
      await storage.remove('board-sum')
      expect(await storage.summary('board-sum')).toBeUndefined()
    })

    it('removes a board', async () => {
      await storage.append('board-gone', [new Uint8Array([1])])
      await storage.remove('board-gone')
      expect((await storage.load('board-gone')).updates).toEqual([])
    })

    it('keeps everything across close and reopen', async () => {
      await storage.append('board-keep', [Y.encodeStateAsUpdate(docWith({ a: '1' }))])
      await storage.close()
      storage = await harness.reopen()
      expect(contentOf((await storage.load('board-keep')).updates)).toEqual({ a: '1' })
    })
  })
}
