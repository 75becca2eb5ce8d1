import { PUSHES_MAP } from '@fabrique/templates'
import { createShapeId, type TLShape, toRichText } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type Json = Record<string, any>
let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : {} }
}

function board(boardId: string, token: string): BoardClient {
  const client = connectBoardClient(syncUrl(server), boardId, token)
  clients.push(client)
  return client
}

const templateFrames = (client: BoardClient, pushId: string) =>
  client.shapes().filter((shape) => shape.type === 'frame' && (shape.meta as Json).fabrique?.pushId === pushId)

let world: { eventId: string; facilitator: string; alice: string; bob: string; teamA: string; teamB: string; plenary: string }

beforeAll(async () => {
  server = await startServer({ sync: { roomIdleMs: 200 } })
  const { event, links } = (await call('POST', '/api/events', { title: 'Journée d’idéation', date: '2026-11-26' })).body
  const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token
  const bob = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Bob' })).body.token
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team.boardId
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team.boardId
  world = { eventId: event.id, facilitator: links.facilitator.split('#token=')[1], alice, bob, teamA, teamB, plenary: event.plenaryBoardId }
})
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
})

describe('pushing a template to every board of the event', () => {
  it('writes it live into open boards and into boards nobody has open; a retry writes nothing twice', async () => {
    const alice = board(world.teamA, world.alice)
    await alice.synced
    const push = { pushId: 'push-empathy-1', templateId: 'empathy-map', locale: 'fr' }

    const first = await call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)
    expect(first.status).toBe(200)
    expect(first.body.boards).toEqual([
      { boardId: world.plenary, status: 'placed' },
      { boardId: world.teamA, status: 'placed' },
      { boardId: world.teamB, status: 'placed' },
    ])
    await waitFor(() => templateFrames(alice, push.pushId).length === 1, 'the template on Alice’s open board')

    // Team B's board was closed: loaded, written, stored, unloaded.
    const stored = await storedDoc(server, world.teamB)
    expect(stored.getMap(PUSHES_MAP).has(push.pushId)).toBe(true)
    const bob = board(world.teamB, world.bob)
    await bob.synced
    expect(templateFrames(bob, push.pushId)).toHaveLength(1)
    const shapesBefore = bob.shapes().length

    const retry = await call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)
    expect(retry.body.boards.map((b: Json) => b.status)).toEqual(['already', 'already', 'already'])
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bob.shapes()).toHaveLength(shapesBefore)
  })

  it('withdraws it only where nobody touched it', async () => {
    const push = { pushId: 'push-persona-1', templateId: 'persona', locale: 'en', boardIds: [world.teamA, world.teamB] }
    expect((await call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)).status).toBe(200)
    const alice = board(world.teamA, world.alice)
    await alice.synced
    await waitFor(() => templateFrames(alice, push.pushId).length === 1, 'the persona template at Alice')
    const frame = templateFrames(alice, push.pushId)[0] as TLShape
    alice.store.put([
      alice.store.schema.types.shape.create({
        id: createShapeId('alice-idea'),
        type: 'text',
        parentId: frame.id,
        index: 'a9',
        x: 10,
        y: 10,
        props: { richText: toRichText('Une idée'), color: 'black', size: 'm', font: 'draw', textAlign: 'start', w: 200, autoSize: true, scale: 1 },
      } as never) as TLShape,
    ])
    alice.binding.flush()
    await waitFor(async () => (await storedDoc(server, world.teamA)).getArray('records').length > 0, 'Alice’s note stored')
    await new Promise((resolve) => setTimeout(resolve, 300))

    const withdrawal = await call('DELETE', `/api/events/${world.eventId}/pushes/${push.pushId}`, undefined, world.facilitator)
    expect(withdrawal.body.boards).toEqual([
      { boardId: world.plenary, status: 'not-pushed' },
      { boardId: world.teamA, status: 'touched' },
      { boardId: world.teamB, status: 'withdrawn' },
    ])
    const bob = board(world.teamB, world.bob)
    await bob.synced
    expect(templateFrames(bob, push.pushId)).toHaveLength(0)
    expect(templateFrames(alice, push.pushId)).toHaveLength(1)
  })

  it('refuses participants, unknown templates and boards of other events with clear errors', async () => {
    const asParticipant = await call('POST', `/api/events/${world.eventId}/pushes`, { pushId: 'push-refused', templateId: 'persona', locale: 'fr' }, world.alice)
    expect(asParticipant.status).toBe(403)
    const unknown = await call('POST', `/api/events/${world.eventId}/pushes`, { pushId: 'push-unknown', templateId: 'nope', locale: 'fr' }, world.facilitator)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('unknown_template')
    const stranger = await call(
      'POST',
      `/api/events/${world.eventId}/pushes`,
      { pushId: 'push-stranger', templateId: 'persona', locale: 'fr', boardIds: ['someone-elses-board'] },
      world.facilitator,
    )
    expect(stranger.status).toBe(404)
    const invalid = await call('POST', `/api/events/${world.eventId}/pushes`, { pushId: 'x', templateId: 'persona' }, world.facilitator)
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.message.fr).toContain('Requête invalide')
  })
})

describe('locking boards at the deadline', () => {
  it('makes open connections read-only at once, and writable again on unlock', async () => {
    const alice = board(world.teamA, world.alice)
    const watcher = board(world.teamA, world.facilitator)
    await Promise.all([alice.synced, watcher.synced])

    const locked = await call('POST', `/api/events/${world.eventId}/locks`, { locked: true, boardIds: [world.teamA] }, world.facilitator)
    expect(locked.body.lockedBoardIds).toEqual([world.teamA])
    alice.doc.getMap('probe').set('while-locked', true)
    watcher.doc.getMap('probe').set('facilitator-writes', true)
    await waitFor(() => alice.doc.getMap('probe').has('facilitator-writes'), 'the facilitator still writes')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(watcher.doc.getMap('probe').has('while-locked')).toBe(false)

    const unlocked = await call('POST', `/api/events/${world.eventId}/locks`, { locked: false }, world.facilitator)
    expect(unlocked.body.lockedBoardIds).toEqual([])
    alice.doc.getMap('probe').set('after-unlock', true)
    await waitFor(() => watcher.doc.getMap('probe').has('after-unlock'), 'Alice writes again after the unlock')
  })
})
