import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { silentLogger } from '../logger.ts'
import { Metrics } from '../metrics.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import { encodeSyncMessage } from './messages.ts'
import type { Peer } from './peer.ts'
import { Room, type RoomDeps } from './room.ts'
import { createSyncMetrics } from './syncMetrics.ts'

class FakePeer implements Peer {
  readonly clientIds = new Set<number>()
  readonly sent: Uint8Array[] = []
  closedWith: number | undefined
  constructor(readonly readOnly = false) {}
  send(message: Uint8Array): void {
    this.sent.push(message)
  }
  close(code: number): void {
    this.closedWith = code
  }
  /** Message types of what was sent: 'sync:0', 'sync:1', 'sync:2', 'awareness'. */
  kinds(): string[] {
    return this.sent.map((m) => {
      const d = decoding.createDecoder(m)
      const type = decoding.readVarUint(d)
      return type === 0 ? `sync:${decoding.readVarUint(d)}` : 'awareness'
    })
  }
}

async function makeRoom(overrides: Partial<RoomDeps> = {}) {
  const storage = new SqliteStorage({ file: ':memory:' })
  const flushes: Room[] = []
  const room = await Room.load('board-unit', {
    storage,
    logger: silentLogger,
    metrics: createSyncMetrics(new Metrics()),
    compactAfterUpdates: 1000,
    maxAwarenessStateBytes: 1024,
    maxBoardBytes: 64 * 1024 * 1024,
    layout: 'free',
    summaryDelayMs: 60_000,
    summariesWanted: () => false,
    requestAwarenessFlush: (r) => flushes.push(r),
    onEmpty: () => {},
    onFailed: () => {},
    ...overrides,
  })
  return { room, storage, flushes }
}

function updateMessage(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, value)
  return encodeSyncMessage(2, Y.encodeStateAsUpdate(doc))
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('Room', () => {
  it('greets a peer with sync step 1', async () => {
    const { room } = await makeRoom()
    const peer = new FakePeer()
    room.join(peer)
    expect(peer.kinds()).toEqual(['sync:0'])
  })

  it('stores an update, then broadcasts it to everyone but its sender', async () => {
    const { room, storage } = await makeRoom()
    const [a, b, c] = [new FakePeer(), new FakePeer(), new FakePeer()]
    for (const p of [a, b, c]) room.join(p)
    room.handleMessage(a, updateMessage('k', 'v'))
    await tick()
    expect((await storage.load('board-unit')).updates).toHaveLength(1)
    expect(a.kinds()).toEqual(['sync:0'])
    expect(b.kinds()).toEqual(['sync:0', 'sync:2'])
    expect(c.kinds()).toEqual(['sync:0', 'sync:2'])
  })

  it('neither stores nor rebroadcasts an update it already has', async () => {
    const { room, storage } = await makeRoom()
    const [a, b] = [new FakePeer(), new FakePeer()]
    room.join(a)
    room.join(b)
    const message = updateMessage('k', 'v')
    room.handleMessage(a, message)
    room.handleMessage(a, message)
    await tick()
    expect((await storage.load('board-unit')).updates).toHaveLength(1)
    expect(b.kinds()).toEqual(['sync:0', 'sync:2'])
  })

  it('drops updates from a read-only peer but answers its sync step 1', async () => {
    const { room, storage } = await makeRoom()
    const viewer = new FakePeer(true)
    const other = new FakePeer()
    room.join(viewer)
    room.join(other)
    room.handleMessage(viewer, updateMessage('k', 'v'))
    room.handleMessage(viewer, encodeSyncMessage(0, new Uint8Array([0])))
    await tick()
    expect((await storage.load('board-unit')).updates).toHaveLength(0)
    expect(other.kinds()).toEqual(['sync:0'])
    expect(viewer.kinds()).toEqual(['sync:0', 'sync:1'])
    expect(room.doc.getMap('m').size).toBe(0)
  })

  it('reuses one encoding of the full state until the document changes', async () => {
    const { room } = await makeRoom()
    const [a, b, c] = [new FakePeer(), new FakePeer(), new FakePeer()]
    const empty = encodeSyncMessage(0, new Uint8Array([0]))
    room.handleMessage(a, updateMessage('k', 'v'))
    room.handleMessage(b, empty)
    room.handleMessage(c, empty)
    expect(b.sent[0]).toBe(c.sent[0])
    room.handleMessage(a, updateMessage('k2', 'v2'))
    room.handleMessage(c, empty)
    expect(c.sent[1]).not.toBe(b.sent[0])
    const doc = new Y.Doc()
    const d = decoding.createDecoder(c.sent[1] as Uint8Array)
    decoding.readVarUint(d)
    decoding.readVarUint(d)
    Y.applyUpdate(doc, decoding.readVarUint8Array(d))
    expect(doc.getMap('m').toJSON()).toEqual({ k: 'v', k2: 'v2' })
  })

  it('tolerates an update that waits a moment for its dependencies', async () => {
    const { room } = await makeRoom()
    const a = new FakePeer()
    room.join(a)
    const author = new Y.Doc()
    const updates: Uint8Array[] = []
    author.on('update', (u: Uint8Array) => updates.push(u))
    author.getMap('m').set('first', '1')
    author.getMap('m').set('second', '2')
    room.handleMessage(a, encodeSyncMessage(2, updates[1] as Uint8Array))
    expect(room.doc.getMap('m').size).toBe(0)
    room.handleMessage(a, encodeSyncMessage(2, updates[0] as Uint8Array))
    expect(room.doc.getMap('m').toJSON()).toEqual({ first: '1', second: '2' })
  })

  it('refuses a client piling up updates whose dependencies never arrive', async () => {
    const { room } = await makeRoom()
    const a = new FakePeer()
    room.join(a)
    const author = new Y.Doc()
    author.getMap('m').set('never-sent', 'x')
    const before = Y.encodeStateVector(author)
    author.getMap('m').set('big', 'y'.repeat(2 * 1024 * 1024))
    const orphan = Y.encodeStateAsUpdate(author, before)
    expect(() => room.handleMessage(a, encodeSyncMessage(2, orphan))).toThrow(/never received/)
    expect(Y.encodeStateAsUpdate(room.doc).byteLength).toBeLessThan(100)
  })

  it('drops the room and closes its peers when storage fails', async () => {
    const failed: Room[] = []
    const storage = new SqliteStorage({ file: ':memory:' })
    const { room } = await makeRoom({
      storage: Object.assign(Object.create(storage), { append: () => Promise.reject(new Error('disk full')), load: storage.load.bind(storage) }),
      onFailed: (r) => failed.push(r),
    })
    const a = new FakePeer()
    room.join(a)
    room.handleMessage(a, updateMessage('k', 'v'))
    await tick()
    expect(a.closedWith).toBe(4504)
    expect(failed).toEqual([room])
  })
})
