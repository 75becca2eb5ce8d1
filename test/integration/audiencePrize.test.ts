import { LIVE_MAP, type LiveAudiencePrize, LiveKey } from '@fabrique/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, type Json } from '../support/api.ts'
import { connectClient, type TestClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: TestClient[] = []
const call = apiCaller(() => server.url)

interface World {
  event: Json
  organiser: string
  facilitator: string
  jury: string
  alice: string
  bob: string
  carol: string
  teamA: Json
  teamB: Json
  teamC: Json
}
let w: World

beforeAll(async () => {
  server = await startServer()
  const { event, links } = (await call('POST', '/api/events', { title: 'Prix du public', date: '2026-11-26' })).body
  const token = (link: string) => link.split('#token=')[1] as string
  const join = async (pseudonym: string) => (await call('POST', '/api/join', { code: event.joinCode, pseudonym })).body.token as string
  const [alice, bob, carol, dan] = [await join('Alice'), await join('Bob'), await join('Carol'), await join('Dan')]
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team
  const teamC = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Climat' }, dan)).body.team
  expect((await call('POST', `/api/events/${event.id}/teams/${teamA.id}/join`, undefined, carol)).status).toBe(200)
  w = { event, organiser: token(links.organiser), facilitator: token(links.facilitator), jury: token(links.jury), alice, bob, carol, teamA, teamB, teamC }
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.close()
})

const prize = (open: boolean, token: string) => call('POST', `/api/events/${w.event.id}/audience-prize`, { open }, token)
const ballot = (teamId: string, token: string) => call('PUT', `/api/events/${w.event.id}/audience-prize/ballot`, { teamId }, token)
const results = (token: string) => call('GET', `/api/events/${w.event.id}/results.json`, undefined, token)

describe('audience prize', () => {
  it('is opened and closed by organisers and facilitators only, and every board learns it', async () => {
    const live = connectClient(syncUrl(server), w.event.liveBoardId, { params: { token: w.alice } })
    clients.push(live)
    await live.synced
    const state = () => live.doc.getMap(LIVE_MAP).get(LiveKey.AudiencePrize) as LiveAudiencePrize | undefined

    for (const refused of [w.jury, w.alice]) {
      const response = await prize(true, refused)
      expect(response.status).toBe(403)
      expect(response.body.error.message).toEqual({ fr: expect.any(String), en: expect.any(String) })
    }
    expect((await call('GET', `/api/events/${w.event.id}/audience-prize`, undefined, w.alice)).body.prize.status).toBe('closed')
    // Not open yet: a ballot is refused with a sentence saying what to wait for.
    const early = await ballot(w.teamB.id, w.alice)
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('audience_closed')

    expect((await prize(true, w.facilitator)).body.prize.status).toBe('open')
    await waitFor(() => state()?.status === 'open', 'the open prize on the live board')
    expect((await prize(false, w.organiser)).body.prize.status).toBe('closed')
    await waitFor(() => state()?.status === 'closed', 'the closed prize on the live board')
    expect((await prize(true, w.organiser)).status).toBe(200)
  })

  it('refuses a vote for one’s own team, and for a team of another event', async () => {
    const own = await ballot(w.teamA.id, w.carol)
    expect(own.status).toBe(409)
    expect(own.body.error.code).toBe('own_team')
    expect(own.body.error.message.fr).toMatch(/propre équipe/)
    expect(own.body.error.message.en).toMatch(/your own team/)
    expect((await ballot('team-elsewhere', w.carol)).status).toBe(404)
    // The ballot offers every team but one's own.
    const mine = (await call('GET', `/api/events/${w.event.id}/audience-prize`, undefined, w.carol)).body
    expect(mine.ownTeamId).toBe(w.teamA.id)
    expect(mine.choices.map((choice: Json) => choice.name).sort()).toEqual(['Climat', 'Santé'])
  })

  it('counts one vote per person: voting again replaces it, two tabs at once still count once', async () => {
    expect((await ballot(w.teamB.id, w.alice)).body).toEqual({ mine: w.teamB.id, replaced: null })
    expect((await ballot(w.teamC.id, w.alice)).body).toEqual({ mine: w.teamC.id, replaced: w.teamB.id })
    // Carol's two tabs vote at the same moment.
    const both = await Promise.all([ballot(w.teamB.id, w.carol), ballot(w.teamC.id, w.carol), ballot(w.teamB.id, w.carol)])
    expect(both.map((response) => response.status)).toEqual([200, 200, 200])
    expect((await ballot(w.teamC.id, w.bob)).status).toBe(200)

    const { audience } = (await results(w.organiser)).body
    expect(audience.ballots).toBe(3)
    expect(audience.ranking[0]).toMatchObject({ rank: 1, teamId: w.teamC.id })
    expect(audience.ranking.reduce((sum: number, row: Json) => sum + row.votes, 0)).toBe(3)
    const carolsChoice = (await call('GET', `/api/events/${w.event.id}/audience-prize`, undefined, w.carol)).body.mine
    expect([w.teamB.id, w.teamC.id]).toContain(carolsChoice)
  })

  it('refuses staff ballots, and every ballot once closed', async () => {
    for (const staff of [w.organiser, w.facilitator, w.jury]) expect((await ballot(w.teamB.id, staff)).status).toBe(403)
    await prize(false, w.facilitator)
    const late = await ballot(w.teamA.id, w.bob)
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('audience_closed')
    expect((await results(w.organiser)).body.audience.ballots).toBe(3)
  })
})

describe('jury scores and results', () => {
  it('refuses scores off the 1-5 grid with a sentence in both languages', async () => {
    const juror = (await call('POST', `/api/events/${w.event.id}/jurors`, { name: 'Inès' }, w.jury)).body.token
    const score = (scores: Json) => call('PUT', `/api/events/${w.event.id}/teams/${w.teamA.id}/scores`, { scores, comment: '' }, juror)
    for (const off of [{ relevance: 0 }, { technical: 6 }, { originality: 2.5 }]) {
      const response = await score(off)
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('invalid_score')
    }
    const both = (await score({ relevance: 0, feasibility: 6 })).body.error.message
    expect(both.fr).toBe('Chaque critère se note de 1 à 5, en nombre entier. À corriger : Pertinence et impact, Faisabilité et pérennité.')
    expect(both.en).toBe('Each criterion is scored from 1 to 5, in whole numbers. To fix: Relevance and impact, Feasibility and sustainability.')
    expect((await score({ relevance: 1, technical: 5 })).status).toBe(200)
    expect((await call('PUT', `/api/events/${w.event.id}/teams/${w.teamB.id}/scores`, { scores: { relevance: 4, technical: 4 }, comment: '' }, juror)).status).toBe(200)
  })

  it('gives the organiser the ranked results as JSON and CSV, and nobody else', async () => {
    const body = (await results(w.organiser)).body
    expect(body.jury.map((row: Json) => [row.rank, row.teamName, row.overall])).toEqual([
      [1, 'Santé', 4],
      [2, 'Mobilités', 3],
      [null, 'Climat', null],
    ])
    expect(body.criteria.map((c: Json) => c.key)).toEqual(['relevance', 'technical', 'feasibility', 'originality'])
    for (const other of [w.facilitator, w.jury, w.alice]) expect((await results(other)).status).toBe(403)

    const csv = await fetch(`${server.url}/api/events/${w.event.id}/results.csv`, { headers: { authorization: `Bearer ${w.organiser}` } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="prix-du-public-resultats.csv"')
    const lines = (await csv.text()).replace(/^\ufeff/, '').trim().split('\r\n')
    expect(lines[0]).toBe('team_id,team,jury_rank,relevance,technical,feasibility,originality,jury_overall,jurors,audience_rank,audience_votes')
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 3).join(','))).toEqual(['Santé,1', 'Mobilités,2', 'Climat,'])
    // Climat has no jury score yet but leads the audience (Carol's last tab decided between two teams).
    expect(lines[3]?.split(',').at(-2)).toBe('1')

    const openapi = (await call('GET', '/api/openapi.json')).body
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/events/{eventId}/results.json', '/events/{eventId}/results.csv', '/events/{eventId}/audience-prize', '/events/{eventId}/audience-prize/ballot']),
    )
  })
})
