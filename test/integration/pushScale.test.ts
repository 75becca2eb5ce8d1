import { SqliteStorage } from '@fabrique/server'
import { PUSHES_MAP, type PushEntry } from '@fabrique/templates'
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
    rooms.update = (boardId, change, prepare) =>
      update(
        boardId,
        (doc) => {
          turns.push(loop.turn)
          return change(doc)
        },
        prepare,
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

  it('wakes a resting board, reads its outline and writes the template in three turns of the event loop', async () => {
    const server = await startServer({ sync: { restAfterMs: 1 } })
    cleanups.push(() => server.close())
    const { event, facilitator, members } = await eventWithTeams(server.url, 1)
    const rooms = server.sync.rooms
    const room = await rooms.open(members[0].boardId)
    await waitFor(() => room.isResting, 'the board to rest')
    const loop = countTurns()
    const seen: Record<string, number> = {}
    const wake = room.wake.bind(room)
    room.wake = () => {
      seen.wake ??= loop.turn
      return wake()
    }
    const update = rooms.update.bind(rooms)
    rooms.update = (boardId, change, prepare) =>
      update(
        boardId,
        (doc) => {
          if (boardId === room.boardId) seen.write = loop.turn
          return change(doc)
        },
        prepare &&
          ((doc) => {
            if (boardId === room.boardId) seen.prepare = loop.turn
            return prepare(doc)
          }),
      )
    try {
      const push = { pushId: 'resting-push-01', boardIds: [room.boardId], templateId: 'problem-tree', locale: 'fr' }
      const report = await call(server.url, 'POST', `/api/events/${event.id}/pushes`, push, facilitator)
      expect(report.body.boards).toEqual([{ boardId: room.boardId, status: 'placed' }])
    } finally {
      loop.stop()
      rooms.update = update
    }
    expect(seen.wake).toBeGreaterThan(0)
    expect(seen.prepare).toBeGreaterThan(seen.wake as number)
    expect(seen.write).toBeGreaterThan(seen.prepare as number)
  })
})
