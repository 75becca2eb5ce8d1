import zlib from 'node:zlib'
import { applyPackedAnswer, encodePackedAnswer, PACKED_SYNC_ANSWER, PackedFormat, readPackedAnswer } from '@fabrique/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { silentLogger } from '../logger.ts'
import { Metrics } from '../metrics.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import { encodeSyncMessage } from './messages.ts'
import { CROWDED_FRAME_MS, CROWDED_ROOM_PEERS } from './awarenessRelay.ts'
import type { Peer } from './peer.ts'
import { Room, type RoomDeps } from './room.ts'
import { createSyncMetrics } from './syncMetrics.ts'

class FakePeer implements Peer {
  readonly clientIds = new Set<number>()
  readonly sent: Uint8Array[] = []
  closedWith: number | undefined
  constructor(
    readonly readOnly = false,
    readonly packing: PackedFormat | undefined = undefined,
  ) {}
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
      if (type === PACKED_SYNC_ANSWER) return `packed:${decoding.readVarUint(d)}`
      return type === 0 ? `sync:${decoding.readVarUint(d)}` : 'awareness'
    })
  }
}

async function makeRoom(overrides: Partial<RoomDeps> = {}) {
  const storage = overrides.storage ?? new SqliteStorage({ file: ':memory:' })
  const flushes: Room[] = []
  const room = await Room.load('board-unit', {
    storage,
    restAfterMs: 0,
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(condition: () => boolean, limitMs = 2000): Promise<void> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error(`not true after ${limitMs} ms`)
    await sleep(5)
  }
}

/** The update carried by a sync message a peer received. */
function payload(message: Uint8Array | undefined): Uint8Array {
  const d = decoding.createDecoder(message as Uint8Array)
  decoding.readVarUint(d)
  decoding.readVarUint(d)
  return decoding.readVarUint8Array(d)
}

/** What a packed answer holds, read as our client reads it. */
async function unpacked(message: Uint8Array | undefined): Promise<{ format: number; map: Record<string, unknown>; doc: Y.Doc }> {
  const d = decoding.createDecoder(message as Uint8Array)
  expect(decoding.readVarUint(d)).toBe(PACKED_SYNC_ANSWER)
  const answer = readPackedAnswer(d)
  const doc = new Y.Doc()
  await applyPackedAnswer(doc, answer, null)
  return { format: answer.format, map: doc.getMap('m').toJSON(), doc }
}

function mapOf(...updates: Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc.getMap('m').toJSON()
}

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
    expect(mapOf(payload(c.sent[1]))).toEqual({ k: 'v', k2: 'v2' })
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

/** A y-websocket awareness message carrying one client's state. */
function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify(state))
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, 1)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

describe('presence', () => {
  /** A room whose flush requests are carried out at once, as the room manager does at the end of the turn. */
  async function presenceRoom(people: number) {
    const { room } = await makeRoom({ requestAwarenessFlush: (r) => setImmediate(() => r.flushAwareness()) })
    const peers = Array.from({ length: people }, () => new FakePeer())
    for (const peer of peers) room.join(peer)
    const [mover, watcher] = peers as [FakePeer, FakePeer]
    const received = () => watcher.kinds().filter((kind) => kind === 'awareness').length
    /** The mover's cursor in the last presence message the watcher got. */
    const lastX = () => {
      const message = watcher.sent.findLast((_, i) => watcher.kinds()[i] === 'awareness') as Uint8Array
      const outer = decoding.createDecoder(message)
      decoding.readVarUint(outer)
      const inner = decoding.createDecoder(decoding.readVarUint8Array(outer))
      decoding.readVarUint(inner)
      decoding.readVarUint(inner)
      decoding.readVarUint(inner)
      return (JSON.parse(decoding.readVarString(inner)) as { cursor: { x: number } }).cursor.x
    }
    /** Moves the mover's cursor once per turn, `moves` times, and returns when each went out. */
    const move = async (moves: number) => {
      for (let n = 1; n <= moves; n++) {
        room.handleMessage(mover, awarenessMessage(7, n, { cursor: { x: n } }))
        await tick()
      }
    }
    return { room, received, lastX, move }
  }

  it("goes out at the end of each turn in a team's room", async () => {
    const { received, move } = await presenceRoom(CROWDED_ROOM_PEERS)
    await move(5)
    expect(received()).toBe(5)
  })

  it('goes out at most once per frame in a crowded room, the first change at once and the latest within the frame', async () => {
    const { received, lastX, move } = await presenceRoom(CROWDED_ROOM_PEERS + 1)
    const started = performance.now()
    await move(5)
    const moveMs = performance.now() - started
    const soon = received()
    await sleep(3 * CROWDED_FRAME_MS)
    expect(lastX()).toBe(5)
    if (moveMs < CROWDED_FRAME_MS) {
      // The first move went out at the end of its turn, the four others together once the frame was over.
      expect(soon).toBe(1)
      expect(received()).toBe(2)
    } else {
      // A machine so slow that the moves spanned frames: still at most one message per frame.
      expect(received()).toBeLessThanOrEqual(2 + Math.floor(moveMs / CROWDED_FRAME_MS))
    }
  })
})

describe('a resting board', () => {
  const REST_MS = 40

  /** A board stored as one snapshot of { a, b }, and the state a returning client had before b. */
  async function storedBoard() {
    const author = new Y.Doc()
    author.getMap('m').set('a', '0')
    author.getMap('m').set('a', '1')
    const beforeB = Y.encodeStateAsUpdate(author)
    const svBeforeB = Y.encodeStateVector(author)
    author.getMap('m').set('b', '2')
    const storage = new SqliteStorage({ file: ':memory:' })
    await storage.append('board-unit', [Y.encodeStateAsUpdate(author)])
    return { author, storage, beforeB, svBeforeB }
  }

  it('serves newcomers and returning clients from its encoded state, and wakes for the first write', async () => {
    const { author, storage, beforeB, svBeforeB } = await storedBoard()
    const { room } = await makeRoom({ storage, restAfterMs: REST_MS })
    expect(room.isResting).toBe(true)

    const [newcomer, returning] = [new FakePeer(), new FakePeer()]
    room.join(newcomer)
    room.join(returning)
    expect(payload(newcomer.sent[0])).toEqual(Y.encodeStateVector(author))
    room.handleMessage(newcomer, encodeSyncMessage(0, new Uint8Array([0])))
    expect(mapOf(payload(newcomer.sent[1]))).toEqual({ a: '1', b: '2' })
    room.handleMessage(returning, encodeSyncMessage(0, svBeforeB))
    expect(mapOf(beforeB, payload(returning.sent[1]))).toEqual({ a: '1', b: '2' })
    // A tab holding everything gets the deletions alone.
    const upToDate = new FakePeer()
    room.handleMessage(upToDate, encodeSyncMessage(0, Y.encodeStateVector(author)))
    const deletions = payload(upToDate.sent[0])
    expect(deletions).toEqual(Y.encodeStateAsUpdate(author, Y.encodeStateVector(author)))
    expect(deletions.byteLength).toBeGreaterThan(2)
    // Answering the server's sync step 1 with nothing new keeps the board at rest.
    room.handleMessage(newcomer, encodeSyncMessage(1, Y.encodeStateAsUpdate(new Y.Doc())))
    expect(room.isResting).toBe(true)

    room.handleMessage(returning, updateMessage('c', '3'))
    expect(room.isResting).toBe(false)
    await tick()
    expect(newcomer.kinds()).toEqual(['sync:0', 'sync:1', 'sync:2'])
    expect((await storage.load('board-unit')).updates).toHaveLength(2)

    await sleep(REST_MS * 4)
    expect(room.isResting).toBe(true)
    const late = new FakePeer()
    room.handleMessage(late, encodeSyncMessage(0, new Uint8Array([0])))
    expect(mapOf(payload(late.sent[0]))).toEqual({ a: '1', b: '2', c: '3' })
  })

  it('stays live while a write is being stored', async () => {
    const { storage } = await storedBoard()
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const slow = Object.assign(Object.create(storage), {
      load: storage.load.bind(storage),
      append: async (boardId: string, updates: Uint8Array[]) => {
        await held
        return storage.append(boardId, updates)
      },
    })
    const { room } = await makeRoom({ storage: slow, restAfterMs: REST_MS })
    const peer = new FakePeer()
    room.join(peer)
    room.handleMessage(peer, updateMessage('c', '3'))
    await sleep(REST_MS * 3)
    expect(room.isResting).toBe(false)
    release()
    await sleep(REST_MS * 3)
    expect(room.isResting).toBe(true)
    expect(mapOf(...(await storage.load('board-unit')).updates)).toEqual({ a: '1', b: '2', c: '3' })
  })

  it('refuses a malformed state vector and keeps serving the others', async () => {
    const { storage } = await storedBoard()
    const { room } = await makeRoom({ storage, restAfterMs: REST_MS })
    const [bad, good] = [new FakePeer(), new FakePeer()]
    expect(() => room.handleMessage(bad, encodeSyncMessage(0, new Uint8Array([5, 200])))).toThrow(/malformed state vector/)
    room.handleMessage(good, encodeSyncMessage(0, new Uint8Array([0])))
    expect(mapOf(payload(good.sent[0]))).toEqual({ a: '1', b: '2' })
    expect(room.isResting).toBe(true)
  })

  it('rests one board per turn of the event loop when boards are left at the same time', async () => {
    const rooms = await Promise.all([1, 2, 3, 4].map(async () => (await makeRoom({ restAfterMs: REST_MS })).room))
    for (const room of rooms) room.handleMessage(new FakePeer(), updateMessage('a', '1'))
    const restedIn = new Map<Room, number>()
    let turn = 0
    await new Promise<void>((resolve, reject) => {
      const tick = () => {
        turn++
        for (const room of rooms) if (room.isResting && !restedIn.has(room)) restedIn.set(room, turn)
        if (restedIn.size === rooms.length) resolve()
        else if (turn > 1_000_000) reject(new Error('the boards did not rest'))
        else setImmediate(tick)
      }
      setImmediate(tick)
    })
    expect(new Set(restedIn.values()).size).toBe(rooms.length)
  })

  describe('changed at rest', () => {
    /** What the test's describeAtRest keeps: the keys of map m. */
    const keysOf = (doc: Y.Doc) => ({ keys: [...doc.getMap('m').keys()].sort() })
    /** A change made from the note alone: a new key, written in a document of its own. */
    const setKey = (key: string, value: string) => (note: unknown) => {
      const doc = new Y.Doc()
      doc.getMap('m').set(key, value)
      const { keys } = note as { keys: string[] }
      return { result: `set ${key} after ${keys.join(',')}`, update: Y.encodeStateAsUpdate(doc), note: { keys: [...keys, key].sort() } }
    }
    const apply = (doc: Y.Doc, message: Uint8Array | undefined) => Y.applyUpdate(doc, payload(message))

    /** A board that was live (a and b written, a deleted), then rested; `watcher` stayed on it. */
    async function restedFromLive() {
      const { room, storage } = await makeRoom({ restAfterMs: REST_MS, describeAtRest: keysOf })
      const author = new Y.Doc()
      author.getMap('m').set('a', '1')
      const svBeforeB = Y.encodeStateVector(author)
      const beforeB = Y.encodeStateAsUpdate(author)
      author.getMap('m').set('b', '2')
      author.getMap('m').delete('a')
      const watcher = new FakePeer()
      room.join(watcher)
      room.handleMessage(watcher, encodeSyncMessage(2, Y.encodeStateAsUpdate(author)))
      await waitUntil(() => room.isResting)
      watcher.sent.length = 0
      return { room, storage, author, watcher, svBeforeB, beforeB }
    }

    it('is stored, sent to its peers and answered to newcomers without waking', async () => {
      const { room, storage, author, watcher, svBeforeB, beforeB } = await restedFromLive()
      expect(room.changeAtRest(setKey('c', '3'))).toEqual({ result: 'set c after b' })
      expect(room.changeAtRest(setKey('d', '4'))).toEqual({ result: 'set d after b,c' })
      await room.settled()
      expect(room.isResting).toBe(true)
      expect(mapOf(...(await storage.load('board-unit')).updates)).toEqual({ b: '2', c: '3', d: '4' })
      expect(watcher.kinds()).toEqual(['sync:2', 'sync:2'])
      const seen = new Y.Doc()
      Y.applyUpdate(seen, Y.encodeStateAsUpdate(author))
      for (const message of watcher.sent) apply(seen, message)
      expect(seen.getMap('m').toJSON()).toEqual({ b: '2', c: '3', d: '4' })

      // Newcomers get the resting state, then the changes; tabs get what they lack of each.
      const [packer, plain, returning, upToDate, holdsAll] = [new FakePeer(false, PackedFormat.V2), new FakePeer(), new FakePeer(), new FakePeer(), new FakePeer()]
      room.handleMessage(packer, encodeSyncMessage(0, new Uint8Array([0])))
      room.handleMessage(plain, encodeSyncMessage(0, new Uint8Array([0])))
      room.handleMessage(returning, encodeSyncMessage(0, svBeforeB))
      room.handleMessage(upToDate, encodeSyncMessage(0, Y.encodeStateVector(author)))
      room.handleMessage(holdsAll, encodeSyncMessage(0, Y.encodeStateVector(seen)))
      expect(packer.kinds()).toEqual([`packed:${PackedFormat.V2}`, 'sync:2', 'sync:2'])
      const packed = await unpacked(packer.sent[0])
      for (const message of packer.sent.slice(1)) apply(packed.doc, message)
      expect(packed.doc.getMap('m').toJSON()).toEqual({ b: '2', c: '3', d: '4' })
      expect(mapOf(...plain.sent.map(payload))).toEqual({ b: '2', c: '3', d: '4' })
      expect(mapOf(beforeB, ...returning.sent.map(payload))).toEqual({ b: '2', c: '3', d: '4' })
      expect(mapOf(Y.encodeStateAsUpdate(author), ...upToDate.sent.map(payload))).toEqual({ b: '2', c: '3', d: '4' })
      // A tab holding everything gets the deletions alone, as before the changes.
      expect(holdsAll.kinds()).toEqual(['sync:1'])
      expect(payload(holdsAll.sent[0])).toEqual(Y.encodeStateAsUpdate(author, Y.encodeStateVector(author)))
      // The server's own sync step 1 names the changes: a peer holding them answers with nothing.
      const greeted = new FakePeer()
      room.join(greeted)
      expect(Y.decodeStateVector(payload(greeted.sent[0]))).toEqual(Y.decodeStateVector(Y.encodeStateVector(seen)))
      expect(room.isResting).toBe(true)

      // Woken (by a read), newcomers get the changes with the state, not the state as it rested.
      room.wake()
      expect(room.isResting).toBe(false)
      const [packerAfter, plainAfter] = [new FakePeer(false, PackedFormat.EntryColumns), new FakePeer()]
      room.handleMessage(packerAfter, encodeSyncMessage(0, new Uint8Array([0])))
      room.handleMessage(plainAfter, encodeSyncMessage(0, new Uint8Array([0])))
      expect((await unpacked(packerAfter.sent[0])).map).toEqual({ b: '2', c: '3', d: '4' })
      expect(mapOf(...plainAfter.sent.map(payload))).toEqual({ b: '2', c: '3', d: '4' })

      // Woken by a write, the board is its resting state, the changes and the write.
      room.handleMessage(watcher, updateMessage('e', '5'))
      expect(room.isResting).toBe(false)
      expect(room.doc.getMap('m').toJSON()).toEqual({ b: '2', c: '3', d: '4', e: '5' })
      // At rest again, it is described afresh from the whole document.
      await waitUntil(() => room.isResting)
      expect(room.changeAtRest((note) => ({ result: note, note }))).toEqual({ result: { keys: ['b', 'c', 'd', 'e'] } })
    })

    it('is declined by a board that rested from storage, or past its limit, and the board is then changed live', async () => {
      const { storage } = await storedBoard()
      const fromStorage = (await makeRoom({ storage, restAfterMs: REST_MS, describeAtRest: keysOf })).room
      expect(fromStorage.isResting).toBe(true)
      let asked = 0
      expect(fromStorage.changeAtRest(() => ({ result: asked++, note: {} }))).toBeUndefined()
      expect(asked).toBe(0)

      const { room } = await restedFromLive()
      for (let i = 0; i < 16; i++) expect(room.changeAtRest(setKey(`k${i}`, String(i)))).toBeDefined()
      expect(room.changeAtRest(setKey('one-too-many', 'x'))).toBeUndefined()
      expect(room.isResting).toBe(true)
      expect(room.doc.getMap('m').size).toBe(17)
    })

    it('is declined when the board could not be described, and the board keeps serving', async () => {
      const { room } = await makeRoom({
        restAfterMs: REST_MS,
        describeAtRest: () => {
          throw new Error('unreadable entry')
        },
      })
      const author = new FakePeer()
      room.handleMessage(author, updateMessage('a', '1'))
      await waitUntil(() => room.isResting)
      expect(room.changeAtRest(setKey('b', '2'))).toBeUndefined()
      const newcomer = new FakePeer()
      room.handleMessage(newcomer, encodeSyncMessage(0, new Uint8Array([0])))
      expect(mapOf(payload(newcomer.sent[0]))).toEqual({ a: '1' })
    })
  })

  it('replays a stored snapshot it cannot read instead of resting on it', async () => {
    const storage = new SqliteStorage({ file: ':memory:' })
    await storage.append('board-unit', [new Uint8Array([7, 7, 7, 7])])
    const { room } = await makeRoom({ storage, restAfterMs: REST_MS })
    expect(room.isResting).toBe(false)
    expect(room.doc.getMap('m').size).toBe(0)
  })
})

describe('packed answers', () => {
  const EMPTY = encodeSyncMessage(0, new Uint8Array([0]))

  it('go to the peers that read them, encoded once until the board changes; the others get plain answers', async () => {
    const { room } = await makeRoom()
    const author = new FakePeer()
    room.handleMessage(author, updateMessage('k', 'v'))
    const [packer, packer2, columns, columns2, plain] = [
      new FakePeer(false, PackedFormat.V2),
      new FakePeer(false, PackedFormat.V2),
      new FakePeer(false, PackedFormat.EntryColumns),
      new FakePeer(false, PackedFormat.EntryColumns),
      new FakePeer(),
    ]
    for (const peer of [packer, packer2, columns, columns2, plain]) room.handleMessage(peer, EMPTY)
    expect(packer.kinds()).toEqual([`packed:${PackedFormat.V2}`])
    expect(packer2.sent[0]).toBe(packer.sent[0])
    expect(columns.kinds()).toEqual([`packed:${PackedFormat.EntryColumns}`])
    expect(columns2.sent[0]).toBe(columns.sent[0])
    expect(plain.kinds()).toEqual(['sync:1'])
    for (const peer of [packer, columns]) {
      const first = await unpacked(peer.sent[0])
      expect(first.map).toEqual({ k: 'v' })
      expect(Y.encodeStateAsUpdate(first.doc)).toEqual(payload(plain.sent[0]))
    }

    room.handleMessage(author, updateMessage('k2', 'v2'))
    room.handleMessage(packer, EMPTY)
    room.handleMessage(columns, EMPTY)
    expect(packer.sent[1]).not.toBe(packer.sent[0])
    expect(columns.sent[1]).not.toBe(columns.sent[0])
    expect((await unpacked(packer.sent[1])).map).toEqual({ k: 'v', k2: 'v2' })
    expect((await unpacked(columns.sent[1])).map).toEqual({ k: 'v', k2: 'v2' })
  })

  it('only go from the server: a client sending one is refused, the others are served', async () => {
    const { room } = await makeRoom()
    const author = new FakePeer()
    room.handleMessage(author, updateMessage('k', 'v'))
    const forged = encodePackedAnswer(PackedFormat.V1, zlib.deflateRawSync(Y.encodeStateAsUpdate(new Y.Doc())))
    expect(() => room.handleMessage(new FakePeer(false, PackedFormat.V2), forged)).toThrow(/unknown message type 100/)
    const packer = new FakePeer(false, PackedFormat.V2)
    room.handleMessage(packer, EMPTY)
    expect((await unpacked(packer.sent[0])).map).toEqual({ k: 'v' })
  })

  it('carry a large catch-up to a packing peer; small ones stay plain', async () => {
    const { room } = await makeRoom()
    const author = new FakePeer()
    const base = new Y.Doc()
    base.getMap('m').set('first', 'x')
    room.handleMessage(author, encodeSyncMessage(2, Y.encodeStateAsUpdate(base)))
    const svAfterFirst = Y.encodeStateVector(base)
    const big = new Y.Doc()
    Y.applyUpdate(big, Y.encodeStateAsUpdate(base))
    big.getMap('m').set('big', 'y'.repeat(100_000))
    room.handleMessage(author, encodeSyncMessage(2, Y.encodeStateAsUpdate(big, svAfterFirst)))

    const behind = new FakePeer(false, PackedFormat.V2)
    room.handleMessage(behind, encodeSyncMessage(0, svAfterFirst))
    expect(behind.kinds()).toEqual([`packed:${PackedFormat.V1}`])
    expect(behind.sent[0]?.byteLength).toBeLessThan(10_000)
    const caughtUp = await unpacked(behind.sent[0])
    expect(caughtUp.map).toEqual({ big: 'y'.repeat(100_000) })

    const upToDate = new FakePeer(false, PackedFormat.V2)
    room.handleMessage(upToDate, encodeSyncMessage(0, Y.encodeStateVector(big)))
    expect(upToDate.kinds()).toEqual(['sync:1'])
  })

  it('are what a resting board holds: packing peers get them as they are, plain and returning peers the same state', async () => {
    const REST_MS = 30
    const { room } = await makeRoom({ restAfterMs: REST_MS })
    const author = new FakePeer()
    const doc = new Y.Doc()
    doc.getMap('m').set('a', '1')
    const svBeforeB = Y.encodeStateVector(doc)
    const beforeB = Y.encodeStateAsUpdate(doc)
    doc.getMap('m').set('b', '2')
    doc.getMap('m').delete('a')
    room.handleMessage(author, encodeSyncMessage(2, Y.encodeStateAsUpdate(doc)))
    await sleep(REST_MS * 4)
    expect(room.isResting).toBe(true)

    const [packer, columns, columns2, plain, returning, upToDate] = [
      new FakePeer(false, PackedFormat.V2),
      new FakePeer(false, PackedFormat.EntryColumns),
      new FakePeer(false, PackedFormat.EntryColumns),
      new FakePeer(),
      new FakePeer(),
      new FakePeer(),
    ]
    for (const peer of [packer, columns, columns2, plain]) room.handleMessage(peer, EMPTY)
    room.handleMessage(returning, encodeSyncMessage(0, svBeforeB))
    room.handleMessage(upToDate, encodeSyncMessage(0, Y.encodeStateVector(doc)))
    // Held in entry columns: those who read them get the bytes held; an earlier client, the second format.
    expect(columns2.sent[0]).toBe(columns.sent[0])
    const inColumns = await unpacked(columns.sent[0])
    expect(inColumns.format).toBe(PackedFormat.EntryColumns)
    expect(inColumns.map).toEqual({ b: '2' })
    const packed = await unpacked(packer.sent[0])
    expect(packed.format).toBe(PackedFormat.V2)
    expect(packed.map).toEqual({ b: '2' })
    expect(mapOf(payload(plain.sent[0]))).toEqual({ b: '2' })
    const before = new Y.Doc()
    Y.applyUpdate(before, beforeB)
    Y.applyUpdate(before, payload(returning.sent[0]))
    expect(before.getMap('m').toJSON()).toEqual({ b: '2' })
    // The deletion of a reaches a tab that holds every insertion.
    expect(payload(upToDate.sent[0])).toEqual(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))
    expect(room.isResting).toBe(true)

    // Woken by a write, the board is its old self plus the write.
    room.handleMessage(author, updateMessage('c', '3'))
    expect(room.isResting).toBe(false)
    expect(room.doc.getMap('m').toJSON()).toEqual({ b: '2', c: '3' })
  })
})
