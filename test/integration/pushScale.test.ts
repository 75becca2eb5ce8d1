import { SqliteStorage } from '@fabrique/server'
import { boardPreview, readBoardRecords } from '@fabrique/export'
import { PUSHES_MAP, type PushEntry } from '@fabrique/templates'
import { getIndexAbove, type IndexKey, toRichText } from 'tldraw'
import { PAGE_ID, shapeRecord } from '../../packages/board/src/testing.ts'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { startServer, startServerProcess, storedDoc, syncUrl, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type Json = Record<string, any>
const cleanups: Array<() => unknown> = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : {} }
}

/** An event with `teams` teams (one participant each, who created it); returns tokens and boards. */
async function eventWithTeams(base: string, teams: number) {
  const { event, links } = (await call(base, 'POST', '/api/events', { title: 'Grande journée', date: '2026-11-26' })).body
  const members: Array<{ token: string; boardId: string }> = []
  for (let i = 0; i < teams; i++) {
    const { token } = (await call(base, 'POST', '/api/join', { code: event.joinCode, pseudonym: `P${i}` })).body
    const { team } = (await call(base, 'POST', `/api/events/${event.id}/teams`, { name: `Équipe ${i}` }, token)).body
    members.push({ token, boardId: team.boardId })
  }
  return { event, facilitator: links.facilitator.split('#token=')[1] as string, members }
}

/** Counts the turns of the event loop until stopped: `turn` is the current one. */
function countTurns(): { readonly turn: number; stop(): void } {
  let turn = 0
  let counting = true
  const tick = () => {
    turn++
    if (counting) setImmediate(tick)
  }
  setImmediate(tick)
  return {
    get turn() {
      return turn
    },
    stop() {
      counting = false
    },
  }
}

const templateShapes = (doc: Y.Doc, pushId: string) => (doc.getMap<PushEntry>(PUSHES_MAP).get(pushId)?.shapeIds ?? []).length

describe('a template push at the scale of an event', () => {
  it('reaches 50 boards, 10 with people on them and 40 nobody has open, once each', async () => {
    const server = await startServer({ sync: { roomIdleMs: 100 } })
    cleanups.push(() => server.close())
    const { event, facilitator, members } = await eventWithTeams(server.url, 49)
    const open: BoardClient[] = members.slice(0, 10).map(({ token, boardId }) => connectBoardClient(syncUrl(server), boardId, token))
    for (const client of open) cleanups.push(() => client.destroy())
    await Promise.all(open.map((client) => client.synced))

    const push = { pushId: 'scale-push-001', templateId: 'business-model-canvas', locale: 'fr' }
    const report = await call(server.url, 'POST', `/api/events/${event.id}/pushes`, push, facilitator)
    expect(report.body.boards).toHaveLength(50)
    expect(report.body.boards.every((b: Json) => b.status === 'placed')).toBe(true)
    await waitFor(() => open.every((client) => client.shapes().some((shape) => shape.type === 'frame')), 'the template on every open board')

    for (const boardId of [event.plenaryBoardId, ...members.map((m) => m.boardId)]) {
      expect(templateShapes(await storedDoc(server, boardId), push.pushId), boardId).toBeGreaterThan(0)
    }
    // Closed boards were loaded for the push and unloaded after it.
    await waitFor(() => server.sync.rooms.loadedCount <= 10, 'boards nobody has open to be unloaded')

    const retry = await call(server.url, 'POST', `/api/events/${event.id}/pushes`, push, facilitator)
    expect(retry.body.boards.every((b: Json) => b.status === 'already')).toBe(true)
    const frames = open[0].shapes().filter((shape) => shape.type === 'frame')
    expect(frames).toHaveLength(1)
  })

  it('loses nothing and half-writes nothing when the server is killed in the middle of a push', async () => {
    const dataDir = tempDir()
    const first = await startServerProcess(dataDir, { SECRET: 'push-kill-secret', LOG_LEVEL: 'error' })
    cleanups.push(() => first.child.kill('SIGKILL'))
    const { event, facilitator, members } = await eventWithTeams(first.url, 30)
    const push = { pushId: 'killed-push-01', templateId: 'service-blueprint', locale: 'en' }
    // The push runs a few boards at a time; kill the process while it is under way.
    const pending = call(first.url, 'POST', `/api/events/${event.id}/pushes`, push, facilitator).catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 40))
    first.child.kill('SIGKILL')
    await first.exited
    await pending

    // Every board holds the whole template or none of it: each board's push is one stored update.
    const storage = new SqliteStorage({ file: path.join(dataDir, 'fabrique.sqlite') })
    const boards = [event.plenaryBoardId, ...members.map((m) => m.boardId)]
    let placed = 0
    try {
      for (const boardId of boards) {
        const doc = new Y.Doc()
        for (const update of (await storage.load(boardId)).updates) Y.applyUpdate(doc, update)
        const entry = doc.getMap<PushEntry>(PUSHES_MAP).get(push.pushId)
        if (!entry) continue
        placed++
        const ids = new Set(entry.shapeIds)
        const keys = (doc.getArray('records').toArray() as Uint8Array[]).map((raw) => JSON.parse(new TextDecoder().decode(raw))[0] as string)
        const present = new Set(keys.map((key) => key.slice(0, key.lastIndexOf('/'))).filter((id) => ids.has(id)))
        expect(present.size, `board ${boardId}`).toBe(ids.size)
      }
      expect(storage.db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      await storage.close()
    }
    // Usually some boards have it and some not; a kill before the first or after the last board is
    // as valid a case, and the checks above hold for it too.

    // The same push, retried on a restarted server, completes the rest and duplicates nothing.
    const second = await startServerProcess(dataDir, { SECRET: 'push-kill-secret', LOG_LEVEL: 'error' })
    cleanups.push(() => second.child.kill('SIGKILL'))
    const retry = await call(second.url, 'POST', `/api/events/${event.id}/pushes`, push, facilitator)
    const statuses = retry.body.boards.map((b: Json) => b.status)
    expect(statuses.filter((s: string) => s === 'already')).toHaveLength(placed)
    expect(statuses.filter((s: string) => s === 'placed')).toHaveLength(boards.length - placed)
  })

  it('writes one board per turn of the event loop, the first board of each push too, so sockets are served between boards', async () => {
    const server = await startServer()
    cleanups.push(() => server.close())
    const { event, facilitator } = await eventWithTeams(server.url, 12)
    // Count the loop's turns, and note in which turn each board is written.
    const loop = countTurns()
    const turns: number[] = []
    const rooms = server.sync.rooms
    const update = rooms.update.bind(rooms)
    rooms.update = (boardId, change, options) =>
      update(
        boardId,
        (doc) => {
          turns.push(loop.turn)
          return change(doc)
        },
        {
          ...options,
          atRest: (note) => {
            const done = options?.atRest?.(note)
            if (done) turns.push(loop.turn)
            return done
          },
        },
      )
    try {
      // Three pushes at once, as facilitators do: each works on four boards at a time.
      const templates = ['problem-tree', 'lean-canvas', 'journey-map']
      const reports = await Promise.all(
        templates.map((templateId, i) => call(server.url, 'POST', `/api/events/${event.id}/pushes`, { pushId: `turns-push-${i}0`, templateId, locale: 'fr' }, facilitator)),
      )
      for (const report of reports) expect(report.body.boards.map((b: Json) => b.status)).toEqual(Array(13).fill('placed'))
    } finally {
      loop.stop()
      rooms.update = update
    }
    expect(turns).toHaveLength(3 * 13)
    expect(new Set(turns).size).toBe(turns.length)
  })

  it('with a facilitator console open, a push to a resting board brings its summary up to date without waking it', async () => {
    const server = await startServer({ sync: { restAfterMs: 1, summaryDelayMs: 10 } })
    cleanups.push(() => server.close())
    const { event, facilitator, members } = await eventWithTeams(server.url, 1)
    const boardId = members[0].boardId
    server.sync.watchSummaries()

    // The team writes a few notes and stays; the room summarises the board, then it rests.
    const team = connectBoardClient(syncUrl(server), boardId, members[0].token)
    cleanups.push(() => team.destroy())
    await team.synced
    let index = 'a1' as IndexKey
    const notes = Array.from({ length: 5 }, (_, i) => {
      index = getIndexAbove(index)
      return shapeRecord(team.store, 'note', { parentId: PAGE_ID, x: i * 250, y: 0, index, props: { richText: toRichText(`Idée ${i}`) } })
    })
    team.store.put(notes)
    team.binding.flush()
    const room = await server.sync.rooms.open(boardId)
    await waitFor(async () => (await server.storage.summary(boardId))?.shapes === 5 && room.isResting, 'the summary of the five notes, then the board resting')
    let woken = 0
    const wake = room.wake.bind(room)
    room.wake = () => {
      woken++
      return wake()
    }

    for (const [pushId, templateId] of [['summary-push-1', 'problem-tree'], ['summary-push-2', 'persona']] as const) {
      const { body } = await call(server.url, 'POST', `/api/events/${event.id}/pushes`, { pushId, boardIds: [boardId], templateId, locale: 'fr' }, facilitator)
      expect(body.boards).toEqual([{ boardId, status: 'placed' }])
    }
    const stored = await storedDoc(server, boardId)
    const expected = boardPreview(readBoardRecords(stored))
    expect(expected.shapes).toBeGreaterThan(5)
    await waitFor(async () => (await server.storage.summary(boardId))?.shapes === expected.shapes, 'the summary to count the templates')
    const summary = (await server.storage.summary(boardId)) as NonNullable<Awaited<ReturnType<typeof server.storage.summary>>>
    // What reading the whole board gives, boxes included. Within a kind, a full read lists records in
    // the order it indexes them (by the client that wrote them: each push at rest has its own), the
    // summary in the order they were written: the same boxes, under the cap, maybe not in the same order.
    expect(summary.shapes).toBe(expected.shapes)
    const sorted = (boxes: typeof expected.boxes) => boxes.map((box) => JSON.stringify(box)).sort()
    expect(sorted(summary.boxes)).toEqual(sorted(expected.boxes))
    expect(woken).toBe(0)
    expect(room.isResting).toBe(true)
  })

  it('places a template on a resting board without waking it; a board resting as stored wakes, reads its outline and writes, in three turns', async () => {
    const dataDir = tempDir()
    const server = await startServer({ dataDir, sync: { restAfterMs: 1 } })
    let closed = false
    cleanups.push(() => closed || server.close())
    const { event, facilitator, members } = await eventWithTeams(server.url, 1)
    const boardId = members[0].boardId
    const push = (pushId: string, templateId: string, base = server.url) =>
      call(base, 'POST', `/api/events/${event.id}/pushes`, { pushId, boardIds: [boardId], templateId, locale: 'fr' }, facilitator)

    // Rested after being live: described, and changed without being decoded.
    const room = await server.sync.rooms.open(boardId)
    await waitFor(() => room.isResting, 'the board to rest')
    let woken = 0
    const wake = room.wake.bind(room)
    room.wake = () => {
      woken++
      return wake()
    }
    for (const [pushId, templateId] of [['rest-push-001', 'problem-tree'], ['rest-push-002', 'lean-canvas']]) {
      expect((await push(pushId, templateId)).body.boards).toEqual([{ boardId, status: 'placed' }])
    }
    expect((await push('rest-push-001', 'problem-tree')).body.boards).toEqual([{ boardId, status: 'already' }])
    expect(woken).toBe(0)
    expect(room.isResting).toBe(true)
    // A newcomer gets both templates, clear of each other, as stored.
    const frames = async (base: string, count: number) => {
      const client = connectBoardClient(`${base.replace(/^http/, 'ws')}/sync`, boardId, members[0].token)
      const framesNow = () => client.shapes().filter((shape) => shape.type === 'frame') as Array<{ x: number; y: number; props: { w: number; h: number } }>
      try {
        await client.synced
        await waitFor(() => framesNow().length === count, `${count} templates on the board`)
        return framesNow()
      } finally {
        client.destroy()
      }
    }
    const overlap = (a: { x: number; y: number; props: { w: number; h: number } }, b: typeof a) =>
      a.x < b.x + b.props.w && b.x < a.x + a.props.w && a.y < b.y + b.props.h && b.y < a.y + a.props.h
    const [first, second] = await frames(server.url, 2)
    expect(first && second && overlap(first, second)).toBe(false)
    expect(woken).toBe(0)
    const stored = await storedDoc(server, boardId)
    expect([templateShapes(stored, 'rest-push-001'), templateShapes(stored, 'rest-push-002')].every((count) => count > 0)).toBe(true)

    // Stored as one snapshot and loaded again, the board rests with nothing described: it wakes for the push.
    await room.compact()
    await server.close()
    closed = true
    const again = await startServer({ dataDir, sync: { restAfterMs: 1 } })
    cleanups.push(() => again.close())
    const rooms = again.sync.rooms
    const reloaded = await rooms.open(boardId)
    expect(reloaded.isResting).toBe(true)
    const loop = countTurns()
    const seen: Record<string, number> = {}
    const wakeAgain = reloaded.wake.bind(reloaded)
    reloaded.wake = () => {
      seen.wake ??= loop.turn
      return wakeAgain()
    }
    const update = rooms.update.bind(rooms)
    rooms.update = (id, change, options) =>
      update(
        id,
        (doc) => {
          seen.write = loop.turn
          return change(doc)
        },
        {
          ...options,
          prepare: (doc) => {
            seen.prepare = loop.turn
            return options?.prepare?.(doc)
          },
        },
      )
    try {
      expect((await push('rest-push-003', 'journey-map', again.url)).body.boards).toEqual([{ boardId, status: 'placed' }])
    } finally {
      loop.stop()
      rooms.update = update
    }
    expect(seen.wake).toBeGreaterThan(0)
    expect(seen.prepare).toBeGreaterThan(seen.wake as number)
    expect(seen.write).toBeGreaterThan(seen.prepare as number)
    const all = await frames(again.url, 3)
    for (const a of all) for (const b of all) if (a !== b) expect(overlap(a, b)).toBe(false)
  })
})
