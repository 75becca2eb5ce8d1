import { LIVE_MAP, LiveKey, type RestitutionState, type SlideState } from '@fabrique/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, type Json } from '../support/api.ts'
import { connectClient, type TestClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: TestClient[] = []

const call = apiCaller(() => server.url)

let w: { event: Json; organiser: string; facilitator: string; jury: string; alice: string; bob: string; teamA: Json; teamB: Json }

beforeAll(async () => {
  server = await startServer()
  const { event, links } = (await call('POST', '/api/events', { title: 'Restitution', date: '2026-11-26' })).body
  const token = (link: string) => link.split('#token=')[1] as string
  const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token
  const bob = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Bob' })).body.token
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team
  w = { event, organiser: token(links.organiser), facilitator: token(links.facilitator), jury: token(links.jury), alice, bob, teamA, teamB }
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

describe('restitution', () => {
  it('runs the order team by team on the live board, and the presenter’s slide reaches followers', async () => {
    const screen = connectClient(syncUrl(server), w.event.liveBoardId, { params: { token: w.facilitator } })
    clients.push(screen)
    await screen.synced
    const act = (body: Json) => call('POST', `/api/events/${w.event.id}/restitution`, body, w.facilitator)
    expect((await act({ action: 'setup', order: [w.teamB.id, w.teamA.id], pitchSeconds: 180, questionsSeconds: 120 })).status).toBe(200)
    expect((await act({ action: 'pitch' })).body.restitution).toMatchObject({ index: 0, phase: 'pitch' })
    const live = () => screen.doc.getMap(LIVE_MAP).get(LiveKey.Restitution) as RestitutionState | undefined
    await waitFor(() => live()?.phase === 'pitch', 'the pitch on the projection screen')
    await act({ action: 'next' })
    await waitFor(() => live()?.index === 1, 'the next team on the screen')
    expect((await act({ action: 'setup', order: ['not-a-team'] })).status).toBe(404)

    const slides = { frameIds: ['shape:f1', 'shape:f2'], index: 1, presenter: 'user:alice' }
    expect((await call('POST', `/api/events/${w.event.id}/boards/${w.teamA.boardId}/slides`, slides, w.alice)).status).toBe(204)
    await waitFor(
      () => (screen.doc.getMap(LIVE_MAP).get(LiveKey.SlidesPrefix + w.teamA.boardId) as SlideState | undefined)?.index === 1,
      'the slide at the followers',
    )
    // Bob is not in team A: he cannot drive its slides.
    expect((await call('POST', `/api/events/${w.event.id}/boards/${w.teamA.boardId}/slides`, slides, w.bob)).status).toBe(403)
  })

  it('keeps jury scores private until the organiser publishes the results', async () => {
    const inès = (await call('POST', `/api/events/${w.event.id}/jurors`, { name: 'Inès' }, w.jury)).body
    const marc = (await call('POST', `/api/events/${w.event.id}/jurors`, { name: 'Marc' }, w.jury)).body
    expect(inès.juror.name).toBe('Inès')
    const score = (token: string, teamId: string, scores: Json) => call('PUT', `/api/events/${w.event.id}/teams/${teamId}/scores`, { scores, comment: '' }, token)
    expect((await score(inès.token, w.teamA.id, { relevance: 5, technical: 4, feasibility: 4, originality: 5 })).status).toBe(200)
    expect((await score(marc.token, w.teamA.id, { relevance: 3, technical: 4, feasibility: 4, originality: 3 })).status).toBe(200)
    expect((await score(marc.token, w.teamB.id, { relevance: 2 })).status).toBe(200)
    expect((await score(marc.token, w.teamB.id, { relevance: 9 })).status).toBe(400)
    // The shared jury link alone, or a participant, cannot score.
    expect((await score(w.jury, w.teamA.id, { relevance: 1 })).status).toBe(403)
    expect((await score(w.alice, w.teamA.id, { relevance: 1 })).status).toBe(403)

    expect((await call('GET', `/api/events/${w.event.id}/scores`, undefined, w.alice)).body.error.code).toBe('results_not_published')
    expect((await call('GET', `/api/events/${w.event.id}/scores`, undefined, marc.token)).body.scores).toHaveLength(2)
    const all = (await call('GET', `/api/events/${w.event.id}/scores`, undefined, w.organiser)).body
    expect(all.scores).toHaveLength(3)
    expect(all.results[0]).toMatchObject({ teamId: w.teamA.id, overall: 4, jurors: 2 })

    // The project sheet carries the jury's means and the presented slides; facilitators see the
    // means only once published.
    const sheet = (token: string) => call('GET', `/api/events/${w.event.id}/teams/${w.teamA.id}/sheet.json`, undefined, token)
    const forOrganiser = (await sheet(w.organiser)).body
    expect(forOrganiser.juryScores).toMatchObject({ overall: 4, jurors: 2 })
    expect(forOrganiser.juryScores.criteria.map((c: Json) => c.key)).toEqual(['relevance', 'technical', 'feasibility', 'originality'])
    expect(forOrganiser.presentation.map((s: Json) => s.shapeId)).toEqual(['shape:f1', 'shape:f2'])
    expect((await sheet(w.facilitator)).body.juryScores).toBeNull()

    expect((await call('POST', `/api/events/${w.event.id}/results/publish`, undefined, w.facilitator)).status).toBe(403)
    expect((await call('POST', `/api/events/${w.event.id}/results/publish`, undefined, w.organiser)).status).toBe(200)
    expect((await sheet(w.facilitator)).body.juryScores).toMatchObject({ overall: 4 })
    const published = (await call('GET', `/api/events/${w.event.id}/scores`, undefined, w.alice)).body
    expect(published.scores).toEqual([])
    expect(published.results.map((r: Json) => r.teamId)).toEqual([w.teamA.id, w.teamB.id])
  })
})
