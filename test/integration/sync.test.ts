import { PACK_COLUMNS, PACK_COLUMNS_UPDATES, PACK_DEFLATE_RAW, PACKED_UPDATE } from '@fabrique/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RENEWAL_HOLD_MS } from '../../server/src/sync/awarenessRelay.ts'
import { connectClient, type TestClient } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type Started = Awaited<ReturnType<typeof startServer>>
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})

async function server(options?: Parameters<typeof startServer>[0]): Promise<Started> {
  const s = await startServer(options)
  cleanups.push(() => s.close())
  return s
}

function client(s: Started, boardId: string): TestClient {
  const c = connectClient(syncUrl(s), boardId)
  cleanups.push(() => c.destroy())
  return c
}

const notes = (c: TestClient) => c.doc.getMap<string>('notes')

describe('sync between real y-websocket clients', () => {
  it('two clients converge', async () => {
    const s = await server()
    const a = client(s, 'board-converge')
    const b = client(s, 'board-converge')
    await Promise.all([a.synced, b.synced])

    notes(a).set('from-a', 'hello')
    notes(b).set('from-b', 'bonjour')
    a.doc.getText('title').insert(0, 'Défi ')
    b.doc.getText('title').insert(0, 'mobilité')

    await waitFor(() => notes(a).size === 2 && notes(b).size === 2, 'both notes on both clients')
    await waitFor(() => a.doc.getText('title').length === 13 && b.doc.getText('title').length === 13, 'both title edits')
    expect(a.doc.getText('title').toString()).toBe(b.doc.getText('title').toString())
    expect(notes(a).toJSON()).toEqual({ 'from-a': 'hello', 'from-b': 'bonjour' })
  })

  it('a late joiner receives everything', async () => {
    const s = await server()
    const a = client(s, 'board-latejoin')
    await a.synced
    for (let i = 0; i < 100; i++) notes(a).set(`n${i}`, `note ${i}`)
    await waitFor(() => s.sync.rooms.loadedCount === 1, 'the room')

    const late = client(s, 'board-latejoin')
    await late.synced
    expect(notes(late).size).toBe(100)
    expect(notes(late).get('n99')).toBe('note 99')
  })

  it('serves the same content after a restart on the same data directory', async () => {
    const first = await startServer()
    const a = connectClient(syncUrl(first), 'board-restart')
    await a.synced
    for (let i = 0; i < 50; i++) notes(a).set(`n${i}`, `v${i}`)
    a.doc.getText('t').insert(0, 'persisted text')
    const expected = Y.encodeStateVector(a.doc)
    await waitFor(async () => (await storedDoc(first, 'board-restart')).getText('t').length > 0, 'the edits stored')
    a.destroy()
    await first.close()

    const second = await server({ dataDir: first.dataDir })
    const b = client(second, 'board-restart')
    await b.synced
    expect(notes(b).size).toBe(50)
    expect(b.doc.getText('t').toString()).toBe('persisted text')
    expect(Y.encodeStateVector(b.doc)).toEqual(expected)
  })

  it('relays presence and removes a departed client', async () => {
    const s = await server()
    const a = client(s, 'board-presence')
    const b = client(s, 'board-presence')
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'Aïcha', color: '#e03131' })
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Aïcha', 'a presence at b')

    a.provider.disconnect()
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'a presence removed at b')
  })

  it('passes on a renewed presence within RENEWAL_HOLD_MS, and a change at once', async () => {
    const s = await server()
    const [a, b] = [client(s, 'board-renewal'), client(s, 'board-renewal')]
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'Chloé' })
    const clockAtB = () => b.provider.awareness.meta.get(a.doc.clientID)?.clock ?? -1
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Chloé', 'a presence at b')
    const first = clockAtB()

    // What y-protocols does every 15 s: the same state again, with a newer clock.
    const renewedAt = performance.now()
    a.provider.awareness.setLocalState(a.provider.awareness.getLocalState())
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(clockAtB(), 'a renewal alone is held back').toBe(first)
    await waitFor(() => clockAtB() === first + 1, 'the renewal at b', RENEWAL_HOLD_MS + 2000)
    expect(performance.now() - renewedAt).toBeLessThan(RENEWAL_HOLD_MS + 1000)

    const changedAt = performance.now()
    a.provider.awareness.setLocalStateField('user', { name: 'Chloé M.' })
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Chloé M.', 'the change at b')
    expect(performance.now() - changedAt).toBeLessThan(1000)
  })

  it('shows a late joiner the presence of those already there', async () => {
    const s = await server()
    const a = client(s, 'board-presence2')
    await a.synced
    a.provider.awareness.setLocalStateField('user', { name: 'Bastien' })
    await waitFor(() => s.sync.connectionCount === 1, 'a connected')
    await new Promise((resolve) => setImmediate(resolve))
    const b = client(s, 'board-presence2')
    await b.synced
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Bastien', 'a presence at the late joiner')
  })

  it('unloads 200 rooms once they are left, and returns their memory', async () => {
    const s = await server({ sync: { roomIdleMs: 50 } })
    const clients: TestClient[] = []
    for (let i = 0; i < 200; i++) clients.push(client(s, `board-unload-${String(i).padStart(3, '0')}`))
    await Promise.all(clients.map((c) => c.synced))
    for (const [i, c] of clients.entries()) notes(c).set('k', `v${i}`)
    expect(s.sync.rooms.loadedCount).toBe(200)

    for (const c of clients) c.destroy()
    await waitFor(() => s.sync.connectionCount === 0, 'every socket closed')
    await waitFor(() => s.sync.rooms.loadedCount === 0, 'every room unloaded', 5_000)
    const metrics = await (await s.app.request('/metrics')).text()
    expect(metrics).toMatch(/^fabrique_rooms_loaded 0$/m)

    const again = client(s, 'board-unload-123')
    await again.synced
    expect(notes(again).get('k')).toBe('v123')
  })

  it('serves a resting board from its bytes, wakes it for an offline edit, then lets it rest again', async () => {
    const s = await server({ sync: { restAfterMs: 150 } })
    const a = client(s, 'board-rest')
    await a.synced
    for (let i = 0; i < 20; i++) notes(a).set(`n${i}`, `note ${i}`)
    await waitFor(() => s.sync.rooms.restingCount === 1, 'the board resting')

    const b = client(s, 'board-rest')
    await b.synced
    expect(notes(b).size).toBe(20)
    expect(s.sync.rooms.restingCount).toBe(1)
    const health = (await (await s.app.request('/healthz')).json()) as { rooms: number; resting: number }
    expect(health).toMatchObject({ rooms: 1, resting: 1 })

    a.provider.disconnect()
    notes(a).set('offline', 'written offline')
    notes(a).delete('n0')
    a.provider.connect()
    await waitFor(() => notes(b).get('offline') === 'written offline' && !notes(b).has('n0'), 'the offline edit on b')
    expect((await storedDoc(s, 'board-rest')).getMap('notes').get('offline')).toBe('written offline')

    await waitFor(() => s.sync.rooms.restingCount === 1, 'resting again')
    const c = client(s, 'board-rest')
    await c.synced
    expect(notes(c).toJSON()).toEqual(notes(a).toJSON())
    expect(notes(c).size).toBe(20)
  })

  it('sends our own clients a large board packed, live or resting, and they converge with the others', async () => {
    const s = await server({ sync: { restAfterMs: 300 } })
    const writer = client(s, 'board-packed')
    await writer.synced
    // Notes in a map, and fields as the board stores them: binary entries, which go out in columns.
    const entry = (i: number, field: string, value: unknown) => new TextEncoder().encode(JSON.stringify([`shape:${i}/${field}`, value]))
    writer.doc.transact(() => {
      for (let i = 0; i < 3000; i++) notes(writer).set(`note-${i}`, `Idée ${i} : ouvrir les données du défi ${i % 7}`)
      for (let i = 0; i < 1000; i++) writer.doc.getArray('records').push([entry(i, 'x', i * 240), entry(i, 'props.color', 'yellow'), entry(i, 'typeName', 'shape')])
    })
    await waitFor(async () => (await storedDoc(s, 'board-packed')).getMap('notes').size === 3000, 'the notes stored')
    const plainBytes = Y.encodeStateAsUpdate(writer.doc).byteLength
    const records = (c: TestClient) => c.doc.getArray<Uint8Array>('records').toArray()

    const received = (c: TestClient) => (c.provider.ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead
    const packedLive = connectClient(syncUrl(s), 'board-packed', { pack: PACK_COLUMNS })
    cleanups.push(() => packedLive.destroy())
    // An edit racing the packed answer: whatever arrives first, both end up with everything.
    packedLive.provider.once('status', () => notes(writer).set('racing', 'written while the newcomer joins'))
    await packedLive.synced
    await waitFor(() => notes(packedLive).size === 3001, 'the racing edit on the newcomer')
    expect(notes(packedLive).toJSON()).toEqual(notes(writer).toJSON())
    expect(records(packedLive)).toEqual(records(writer))
    expect(received(packedLive)).toBeLessThan(plainBytes / 4)

    // At rest the board is held in columns: a client of before them gets Yjs's second format.
    await waitFor(() => s.sync.rooms.restingCount === 1, 'the board resting')
    const packedResting = connectClient(syncUrl(s), 'board-packed', { pack: PACK_COLUMNS })
    cleanups.push(() => packedResting.destroy())
    const earlier = connectClient(syncUrl(s), 'board-packed', { pack: PACK_DEFLATE_RAW })
    cleanups.push(() => earlier.destroy())
    const plain = client(s, 'board-packed')
    await Promise.all([packedResting.synced, earlier.synced, plain.synced])
    expect(received(packedResting)).toBeLessThan(plainBytes / 4)
    expect(received(earlier)).toBeLessThan(plainBytes / 4)
    for (const c of [packedResting, earlier, plain]) {
      expect(notes(c).toJSON()).toEqual(notes(writer).toJSON())
      expect(records(c)).toEqual(records(writer))
    }
    expect(s.sync.rooms.restingCount).toBe(1)

    notes(packedResting).set('from-packed', 'a packed client writes like any other')
    await waitFor(() => notes(plain).get('from-packed') !== undefined && notes(writer).get('from-packed') !== undefined, 'its edit everywhere')
  })

  it('sends a large update packed to the clients that read packed updates, plain to the others', async () => {
    const s = await server()
    const writer = client(s, 'board-large-update')
    const reading = connectClient(syncUrl(s), 'board-large-update', { pack: PACK_COLUMNS_UPDATES })
    const earlier = connectClient(syncUrl(s), 'board-large-update', { pack: PACK_COLUMNS })
    const plain = client(s, 'board-large-update')
    for (const c of [reading, earlier]) cleanups.push(() => c.destroy())
    const readers = [reading, earlier, plain]
    await Promise.all([writer, ...readers].map((c) => c.synced))
    /** The type (first byte) of every message each reader receives from now on. */
    const types = readers.map((c) => {
      const seen: number[] = []
      ;(c.provider.ws as unknown as WebSocket).addEventListener('message', (event: MessageEvent) => seen.push(new Uint8Array(event.data as ArrayBuffer)[0] as number))
      return seen
    })
    const received = (c: TestClient) => (c.provider.ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead
    const before = readers.map(received)
    // A small edit, then a large one (a pasted board: 2,000 entries, ~80 KB), then a small one.
    notes(writer).set('first', 'a note')
    writer.doc.transact(() => {
      for (let i = 0; i < 2000; i++) writer.doc.getArray('records').push([new TextEncoder().encode(JSON.stringify([`shape:${i}/x`, i * 240]))])
    })
    notes(writer).set('last', 'another note')
    await waitFor(() => readers.every((c) => notes(c).get('last') !== undefined && c.doc.getArray('records').length === 2000), 'everything on every reader')
    for (const c of readers) expect(c.doc.getArray('records').toArray()).toEqual(writer.doc.getArray('records').toArray())
    // The packed one among plain sync updates (type 0) for the reader that reads them; none for the others.
    expect(types[0]?.filter((type) => type === PACKED_UPDATE)).toHaveLength(1)
    expect(types[0]?.filter((type) => type === 0).length).toBeGreaterThanOrEqual(2)
    expect(types[1]).not.toContain(PACKED_UPDATE)
    expect(types[2]).not.toContain(PACKED_UPDATE)
    const bytes = readers.map((c, i) => received(c) - (before[i] as number))
    expect(bytes[0]).toBeLessThan((bytes[1] as number) / 3)
  })

  it('keeps a room that someone rejoins before the idle delay', async () => {
    const s = await server({ sync: { roomIdleMs: 300 } })
    const a = client(s, 'board-rejoin')
    await a.synced
    notes(a).set('k', 'v')
    a.provider.disconnect()
    await waitFor(() => s.sync.connectionCount === 0, 'a gone')
    a.provider.connect()
    await waitFor(() => s.sync.connectionCount === 1, 'a back')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(s.sync.rooms.loadedCount).toBe(1)
  })

  it('compacts a long log into a snapshot without losing content', async () => {
    const s = await server({ sync: { compactAfterUpdates: 50 } })
    const a = client(s, 'board-compact')
    await a.synced
    for (let i = 0; i < 120; i++) notes(a).set(`k${i % 10}`, `v${i}`)
    await waitFor(async () => /fabrique_storage_compactions_total [1-9]/.test(await (await s.app.request('/metrics')).text()), 'a compaction')
    const stored = await s.storage.load('board-compact')
    expect(stored.updates.length).toBeLessThan(120)
    const b = client(s, 'board-compact')
    await b.synced
    expect(notes(b).toJSON()).toEqual(notes(a).toJSON())
  })

  it('lets the server write into boards, open or not: stored, shown live, then unloaded', async () => {
    const s = await server({ sync: { roomIdleMs: 50 } })
    const open = Array.from({ length: 3 }, (_, i) => client(s, `board-server-write-${i}`))
    await Promise.all(open.map((c) => c.synced))
    const boards = Array.from({ length: 10 }, (_, i) => `board-server-write-${i}`)

    await Promise.all(boards.map((id) => s.sync.rooms.update(id, (doc) => doc.getMap<string>('notes').set('pushed', `to ${id}`))))

    for (const [i, c] of open.entries()) await waitFor(() => notes(c).get('pushed') === `to board-server-write-${i}`, `the push at client ${i}`)
    for (const id of boards) expect((await storedDoc(s, id)).getMap('notes').get('pushed')).toBe(`to ${id}`)
    await waitFor(() => s.sync.rooms.loadedCount === 3, 'the boards nobody has open unloaded')
  })
})
