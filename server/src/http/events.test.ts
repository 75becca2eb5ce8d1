import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../config.ts'
import { JOIN_CODE_ALPHABET } from '../events/joinCode.ts'
import { silentLogger } from '../logger.ts'
import { createServer, type FabriqueServer } from '../server.ts'

let server: FabriqueServer

beforeEach(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-api-'))
  server = await createServer(
    { ...defaultConfig, port: 0, host: '127.0.0.1', dataDir, secret: 'test-secret', limits: { ...defaultConfig.limits, joinAttemptsPerMinute: 8 } },
    { logger: silentLogger },
  )
})
afterEach(() => server.close())

type Json = Record<string, any>

async function call(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const res = await server.app.request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : {} }
}

const tokenOf = (link: string) => link.split('#token=')[1] as string

async function createEvent(overrides: Json = {}) {
  const res = await call('POST', '/api/events', {
    title: 'Hackathon mobilités',
    date: '2026-11-26',
    agenda: [{ title: 'Cadrage', start: '09:30', durationMinutes: 60 }],
    challenges: [{ title: 'Défi vélo', description: 'Mieux stationner', datasets: [{ title: 'Stationnements', url: 'https://data.example/velo.csv' }] }],
    settings: { maxTeamSize: 2 },
    ...overrides,
  })
  expect(res.status).toBe(201)
  return res.body as { event: Json; links: Json }
}

async function join(code: string, pseudonym: string) {
  const res = await call('POST', '/api/join', { code, pseudonym })
  expect(res.status).toBe(201)
  return res.body as { token: string; member: Json; eventId: string }
}

describe('events API', () => {
  it('creates an event with its links, join code and plenary board', async () => {
    const { event, links } = await createEvent()
    expect(event.joinCode).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{6}$`))
    expect(event.plenaryBoardId).toMatch(/^[A-Za-z0-9_-]{21}$/)
    expect(event.settings).toEqual({ maxTeamSize: 2, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true })
    expect(links.organiser).toMatch(new RegExp(`/e/${event.id}/organise#token=`))
    expect(links.join).toMatch(new RegExp(`/join/${event.joinCode}$`))
    const read = await call('GET', `/api/events/${event.id}`, undefined, tokenOf(links.organiser))
    expect(read.status).toBe(200)
    expect(read.body.event.challenges[0].title).toBe('Défi vélo')
  })

  it('explains an invalid body in both languages, naming the field', async () => {
    const res = await call('POST', '/api/events', { title: '', date: '26/11/2026' })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
    expect(res.body.error.message.fr).toMatch(/title/)
    expect(res.body.error.message.en).toMatch(/date/)
  })

  it('refuses missing, forged and foreign tokens', async () => {
    const a = await createEvent()
    const b = await createEvent()
    expect((await call('GET', `/api/events/${a.event.id}`)).body.error.code).toBe('token_missing')
    expect((await call('GET', `/api/events/${a.event.id}`, undefined, `${tokenOf(a.links.organiser)}x`)).status).toBe(401)
    const foreign = await call('GET', `/api/events/${a.event.id}`, undefined, tokenOf(b.links.organiser))
    expect(foreign.status).toBe(403)
  })

  it('lets a participant join with the code as typed, create a team and come back', async () => {
    const { event } = await createEvent()
    const typed = `${event.joinCode.slice(0, 3).toLowerCase()}-${event.joinCode.slice(3)}`
    const preview = await call('GET', `/api/join/${typed}`)
    expect(preview.status).toBe(200)
    expect(preview.body.event.title).toBe('Hackathon mobilités')

    const camille = await join(typed, 'Camille')
    const created = await call('POST', `/api/events/${event.id}/teams`, { name: 'Les vélos', challengeId: event.challenges[0].id }, camille.token)
    expect(created.status).toBe(201)
    expect(created.body.team.members).toEqual([{ id: camille.member.id, pseudonym: 'Camille' }])

    const me = await call('GET', `/api/events/${event.id}/me`, undefined, camille.token)
    expect(me.body).toEqual({ role: 'participant', eventId: event.id, member: { id: camille.member.id, pseudonym: 'Camille', teamId: created.body.team.id } })
  })

  it('refuses a newcomer when the team is full, with a message to act on', async () => {
    const { event } = await createEvent()
    const [a, b, c] = [await join(event.joinCode, 'A'), await join(event.joinCode, 'B'), await join(event.joinCode, 'C')]
    const team = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Équipe 1' }, a.token)).body.team
    expect((await call('POST', `/api/events/${event.id}/teams/${team.id}/join`, undefined, b.token)).status).toBe(200)
    const refused = await call('POST', `/api/events/${event.id}/teams/${team.id}/join`, undefined, c.token)
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('team_full')
    expect(refused.body.error.message.fr).toMatch(/complète/)
  })

  it('refuses a second team of the same name and an unknown challenge', async () => {
    const { event, links } = await createEvent()
    const organiser = tokenOf(links.organiser)
    expect((await call('POST', `/api/events/${event.id}/teams`, { name: 'Data' }, organiser)).status).toBe(201)
    expect((await call('POST', `/api/events/${event.id}/teams`, { name: 'Data' }, organiser)).status).toBe(409)
    expect((await call('POST', `/api/events/${event.id}/teams`, { name: 'Autre', challengeId: 'nope' }, organiser)).body.error.code).toBe('unknown_challenge')
  })

  it('removes a participant, whose token then opens nothing', async () => {
    const { event, links } = await createEvent()
    const p = await join(event.joinCode, 'Dominique')
    expect((await call('DELETE', `/api/events/${event.id}/members/${p.member.id}`, undefined, p.token)).status).toBe(403)
    expect((await call('DELETE', `/api/events/${event.id}/members/${p.member.id}`, undefined, tokenOf(links.organiser))).status).toBe(204)
    const after = await call('GET', `/api/events/${event.id}`, undefined, p.token)
    expect(after.status).toBe(403)
    expect(after.body.error.code).toBe('member_removed')
  })

  it('slows down code guessing', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await call('POST', '/api/join', { code: `ZZZZZ${i}`, pseudonym: 'x' })).status)
    expect(statuses.slice(0, 8).every((s) => s === 404)).toBe(true)
    expect(statuses.slice(8)).toEqual([429, 429])
  })

  it('never slows down people joining with the right code through one shared address', async () => {
    const { event } = await createEvent()
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) statuses.push((await call('POST', '/api/join', { code: event.joinCode, pseudonym: `p${i}` })).status)
    expect(statuses.every((s) => s === 201)).toBe(true)
  })

  it('documents itself as OpenAPI 3.1', async () => {
    const res = await server.app.request('/api/openapi.json')
    const doc = (await res.json()) as Json
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/events',
        '/events/{eventId}',
        '/join',
        '/events/{eventId}/teams/{teamId}/join',
        '/events/{eventId}/pushes',
        '/events/{eventId}/timer',
        '/events/{eventId}/votes',
        '/events/{eventId}/restitution',
        '/events/{eventId}/export.zip',
      ]),
    )
  })

  it('draws the join URL as a QR code', async () => {
    const { event } = await createEvent()
    const res = await server.app.request(`/api/join/${event.joinCode}/qr.svg`)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(await res.text()).toMatch(/^<svg/)
  })
})
