import { bindBoard } from '@fabrique/board'
import {
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  FrameShapeUtil,
  GeoShapeUtil,
  getIndexAbove,
  type IndexKey,
  NoteShapeUtil,
  type TLShape,
  type TLShapeId,
  toRichText,
} from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { apiCaller, type Json } from '../support/api.ts'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []
const call = apiCaller(() => server.url)

let world: { eventId: string; facilitator: string; alice: string; teamA: string; teamB: string; otherEventBoard: string }

beforeAll(async () => {
  server = await startServer({ sync: { summaryDelayMs: 50, roomIdleMs: 200 } })
  const { event, links } = (await call('POST', '/api/events', { title: 'Journée d’idéation', date: '2026-11-26' })).body
  const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token
  const bob = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Bob' })).body.token
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team.boardId
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team.boardId
  const other = (await call('POST', '/api/events', { title: 'Autre journée', date: '2026-11-27' })).body.event
  world = { eventId: event.id, facilitator: links.facilitator.split('#token=')[1], alice, teamA, teamB, otherEventBoard: other.plenaryBoardId }
})
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
})

let index: IndexKey | null = null
function shape(client: Pick<BoardClient, 'store'>, id: string, type: 'note' | 'geo' | 'frame', x: number, y: number, parentId = 'page:page'): TLShape {
  const defaults = {
    note: () => ({ ...new NoteShapeUtil({} as never).getDefaultProps(), richText: toRichText(id), color: 'blue' }),
    geo: () => ({ ...new GeoShapeUtil({} as never).getDefaultProps(), w: 300, h: 120 }),
    frame: () => ({ ...new FrameShapeUtil({} as never).getDefaultProps(), w: 1200, h: 800 }),
  }[type]
  index = getIndexAbove(index)
  return client.store.schema.types.shape.create({ id: createShapeId(id), type, parentId, x, y, index, props: defaults() } as never) as TLShape
}

async function card(boardId: string): Promise<Json> {
  const res = await call('GET', `/api/events/${world.eventId}/boards`, undefined, world.facilitator)
  expect(res.status).toBe(200)
  return (res.body.boards as Json[]).find((b) => b.boardId === boardId) as Json
}

async function preview(path: string, token = world.facilitator): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
}

const marks = (svg: string) => ({
  frame: svg.match(/<rect class="frame"/g)?.length ?? 0,
  note: svg.match(/<rect class="note"/g)?.length ?? 0,
  shape: svg.match(/<rect class="shape"/g)?.length ?? 0,
})

describe('the shape count and preview of each board in the console', () => {
  it('follows what a participant draws: count and marks match the board, and change with it', async () => {
    const empty = await card(world.teamA)
    expect(empty).toMatchObject({ shapes: 0, preview: null })

    const alice = connectBoardClient(syncUrl(server), world.teamA, world.alice)
    clients.push(alice)
    await alice.synced
    const frame = shape(alice, 'frame', 'frame', 0, 0)
    alice.store.put([
      frame,
      shape(alice, 'idea-1', 'note', 50, 80, frame.id),
      shape(alice, 'idea-2', 'note', 400, 80, frame.id),
      shape(alice, 'idea-3', 'note', 2000, 100),
      shape(alice, 'box', 'geo', 1500, 1200),
    ])
    alice.binding.flush()

    await waitFor(async () => (await card(world.teamA)).shapes === 5, 'the five shapes counted in the console', 10_000)
    // Two summaries may race here: the room's (50 ms after the change) and the console's own, read
    // from storage for a board it has no summary of. The address is taken once it stops moving.
    let counted = await card(world.teamA)
    await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200))
        const again = await card(world.teamA)
        const settled = again.preview === counted.preview
        counted = again
        return settled
      },
      'a settled preview address',
      10_000,
    )
    expect(counted.preview).toMatch(new RegExp(`^/api/events/${world.eventId}/boards/${world.teamA}/preview\\.svg\\?v=\\d+$`))
    const res = await preview(counted.preview)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    const svg = await res.text()
    expect(marks(svg)).toEqual({ frame: 1, note: 3, shape: 1 })
    expect(svg).toContain('fill="#8aa3ff"') // blue notes

    // A deletion: the count, the preview and its address follow.
    alice.store.remove([createShapeId('idea-3') as TLShapeId, createShapeId('box') as TLShapeId])
    alice.binding.flush()
    await waitFor(async () => (await card(world.teamA)).shapes === 3, 'the deletions counted', 10_000)
    const after = await card(world.teamA)
    expect(after.preview).not.toBe(counted.preview)
    expect(marks(await (await preview(after.preview)).text())).toEqual({ frame: 1, note: 2, shape: 0 })
    // The old address now answers with the current picture, not to be kept.
    expect((await preview(counted.preview)).headers.get('cache-control')).toBe('private, no-cache')
  })

  it('counts a board stored before summaries existed on the first look, from storage', async () => {
    // Written straight into storage, as by an older server: no room ever summarised it.
    const doc = new Y.Doc()
    const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    const binding = bindBoard({ store, doc })
    binding.start()
    const offline = { store }
    store.put([shape(offline, 'old-1', 'note', 0, 0), shape(offline, 'old-2', 'note', 300, 0), shape(offline, 'old-3', 'note', 600, 0)])
    binding.flush()
    binding.dispose()
    await server.storage.append(world.teamB, [Y.encodeStateAsUpdate(doc)])

    const first = await card(world.teamB)
    expect(first.shapes).toBe(3)
    expect(marks(await (await preview(first.preview)).text())).toEqual({ frame: 0, note: 3, shape: 0 })
  })

  it('shows the preview to the console’s roles only, and only for the event’s boards', async () => {
    const path = `/api/events/${world.eventId}/boards/${world.teamA}/preview.svg`
    expect((await fetch(`${server.url}${path}`)).status).toBe(401)
    expect((await preview(path, world.alice)).status).toBe(403)
    expect((await preview(`/api/events/${world.eventId}/boards/${world.otherEventBoard}/preview.svg`)).status).toBe(404)
    const doc = (await call('GET', '/api/openapi.json')).body
    expect(doc.paths['/events/{eventId}/boards/{boardId}/preview.svg']?.get).toBeDefined()
    expect(doc.components.schemas.BoardCard.properties).toHaveProperty('shapes')
  })
})
