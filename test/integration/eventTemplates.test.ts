import { getTemplate, instantiateTemplate, normaliseSelection, PUSHES_MAP } from '@fabrique/templates'
import { PageRecordType, type TLShape } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, type Json } from '../support/api.ts'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []
const call = apiCaller(() => server.url)
let world: { eventId: string; organiser: string; facilitator: string; jury: string; alice: string; bob: string; teamA: string; teamB: string; otherFacilitator: string }

/** What the board's "save selection" sends: a five-whys canvas as a facilitator drew it at (400, 200). */
function savedSelection(name = 'Rétro maison') {
  const pageId = PageRecordType.createId('page')
  const shapes = instantiateTemplate(getTemplate('five-whys'), { locale: 'fr', origin: { x: 400, y: 200 }, pageId })
  const { w, h } = getTemplate('five-whys').size
  const { records, size } = normaliseSelection({ shapes, rootShapeIds: [(shapes[0] as TLShape).id] }, { x: 400, y: 200, w, h })
  return { name, size, records }
}

const templatesPath = () => `/api/events/${world.eventId}/templates`

beforeAll(async () => {
  server = await startServer({ sync: { roomIdleMs: 200 } })
  const { event, links } = (await call('POST', '/api/events', { title: 'Modèles maison', date: '2026-11-26' })).body
  const other = (await call('POST', '/api/events', { title: 'Autre', date: '2026-11-27' })).body
  const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token
  const bob = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Bob' })).body.token
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team.boardId
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team.boardId
  const token = (link: string) => link.split('#token=')[1] as string
  world = {
    eventId: event.id,
    organiser: token(links.organiser),
    facilitator: token(links.facilitator),
    jury: token(links.jury),
    otherFacilitator: token(other.links.facilitator),
    alice,
    bob,
    teamA,
    teamB,
  }
})
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
})

describe('templates of the event', () => {
  it('only facilitators and organisers of the event save; everyone of the event lists', async () => {
    expect((await call('POST', templatesPath(), savedSelection())).status).toBe(401)
    for (const token of [world.alice, world.jury, world.otherFacilitator]) {
      const refused = await call('POST', templatesPath(), savedSelection(), token)
      expect(refused.status).toBe(403)
      expect(refused.body.error.code).toBe('forbidden')
    }
    const byOrganiser = await call('POST', templatesPath(), savedSelection('Par l’organisatrice'), world.organiser)
    expect(byOrganiser.status).toBe(201)
    for (const token of [world.alice, world.jury, world.facilitator]) {
      const list = await call('GET', templatesPath(), undefined, token)
      expect(list.status).toBe(200)
      expect(list.body.templates.map((t: Json) => t.name)).toContain('Par l’organisatrice')
    }
    expect((await call('GET', templatesPath(), undefined, world.otherFacilitator)).status).toBe(403)
    expect((await call('DELETE', `${templatesPath()}/${byOrganiser.body.id}`, undefined, world.alice)).status).toBe(403)
    expect((await call('DELETE', `${templatesPath()}/${byOrganiser.body.id}`, undefined, world.facilitator)).status).toBe(204)
  })

  it('refuses what is not a template, saying why in both languages', async () => {
    const { records, size } = savedSelection()
    const frame = records[0] as TLShape
    const cases: Array<[unknown, number, RegExp]> = [
      [{ name: '', size, records }, 400, /name/],
      [{ name: 'Vide', size, records: [] }, 400, /records/],
      [{ name: 'Page', size, records: [{ ...frame, typeName: 'page' }] }, 400, /only shapes, bindings and images/],
      [{ name: 'Cassé', size, records: [{ ...frame, props: { ...frame.props, w: -5 } }] }, 400, /not valid for tldraw/],
      [{ name: 'Orphelins', size, records: records.slice(1) }, 400, /not in the selection/],
      [{ name: 'Trop', size, records: Array.from({ length: 1001 }, () => frame) }, 400, /records/],
    ]
    for (const [body, status, message] of cases) {
      const response = await call('POST', templatesPath(), body, world.facilitator)
      expect(response.status, JSON.stringify(response.body)).toBe(status)
      expect(response.body.error.message.en).toMatch(message)
      expect(response.body.error.message.fr.length).toBeGreaterThan(10)
    }
  })

  it('save → list → push to two boards → idempotent re-push → withdraw → delete', async () => {
    const selection = savedSelection()
    const saved = await call('POST', templatesPath(), selection, world.facilitator)
    expect(saved.status).toBe(201)
    expect(saved.body).toMatchObject({ name: 'Rétro maison', shapeCount: selection.records.length, size: selection.size })
    const listed = (await call('GET', templatesPath(), undefined, world.alice)).body.templates as Json[]
    expect(listed.find((t) => t.id === saved.body.id)?.records).toHaveLength(selection.records.length)

    const alice = connectBoardClient(syncUrl(server), world.teamA, world.alice)
    clients.push(alice)
    await alice.synced
    const push = { pushId: 'push-event-tpl-1', templateId: saved.body.id, locale: 'fr', boardIds: [world.teamA, world.teamB] }
    const first = await call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)
    expect(first.body.boards).toEqual([
      { boardId: world.teamA, status: 'placed' },
      { boardId: world.teamB, status: 'placed' },
    ])
    await waitFor(() => alice.shapes().length === selection.records.length, 'the saved template on Alice’s open board')
    const frame = alice.shapes().find((shape) => shape.type === 'frame')
    expect(frame?.parentId).toMatch(/^page:/)
    expect(frame?.meta).toMatchObject({ fabrique: { pushId: push.pushId } })

    const stored = await storedDoc(server, world.teamB)
    expect(stored.getMap(PUSHES_MAP).get(push.pushId)).toMatchObject({ templateId: saved.body.id })

    const again = await call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)
    expect(again.body.boards.map((b: Json) => b.status)).toEqual(['already', 'already'])
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(alice.shapes()).toHaveLength(selection.records.length)

    const withdrawn = await call('DELETE', `/api/events/${world.eventId}/pushes/${push.pushId}`, undefined, world.facilitator)
    expect(withdrawn.body.boards.filter((b: Json) => b.status === 'withdrawn').map((b: Json) => b.boardId).sort()).toEqual([world.teamA, world.teamB].sort())
    await waitFor(() => alice.shapes().length === 0, 'the withdrawal at Alice')

    expect((await call('DELETE', `${templatesPath()}/${saved.body.id}`, undefined, world.facilitator)).status).toBe(204)
    const gone = await call('POST', `/api/events/${world.eventId}/pushes`, { ...push, pushId: 'push-event-tpl-2' }, world.facilitator)
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('unknown_template')
    expect((await call('DELETE', `${templatesPath()}/${saved.body.id}`, undefined, world.facilitator)).status).toBe(404)
  })

  it('does not push another event’s template', async () => {
    const saved = await call('POST', templatesPath(), savedSelection(), world.facilitator)
    const otherEvent = (await call('GET', `/api/events/${world.eventId}/templates`, undefined, world.otherFacilitator)).status
    expect(otherEvent).toBe(403)
    const { event, links } = (await call('POST', '/api/events', { title: 'Troisième', date: '2026-11-28' })).body
    const facilitator = links.facilitator.split('#token=')[1]
    const push = await call('POST', `/api/events/${event.id}/pushes`, { pushId: 'push-foreign-1', templateId: saved.body.id, locale: 'fr' }, facilitator)
    expect(push.status).toBe(404)
  })

  it('is in the OpenAPI document', async () => {
    const document = (await call('GET', '/api/openapi.json')).body
    expect(Object.keys(document.paths['/events/{eventId}/templates'])).toEqual(expect.arrayContaining(['get', 'post']))
    expect(document.paths['/events/{eventId}/templates/{templateId}'].delete).toBeDefined()
  })

  // Last: the server answers 413 before reading the body, which ends the client's kept-alive connection.
  it('refuses a selection over 1 MB', async () => {
    const { records, size } = savedSelection()
    const heavy = { name: 'Lourd', size, records: [{ ...(records[0] as TLShape), meta: { padding: 'x'.repeat(1_100_000) } }] }
    const response = await call('POST', templatesPath(), heavy, world.facilitator)
    expect(response.status).toBe(413)
    expect(response.body.error.message.en).toMatch(/1 MB at most/)
  })
})
