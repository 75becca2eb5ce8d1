import { CloseCode } from '@fabrique/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, type Json } from '../support/api.ts'
import { connectClient, nextCloseCode, type TestClient } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>

const call = apiCaller(() => server.url)

interface World {
  event: Json
  tokens: Record<Actor, string>
  boards: Record<BoardKind, string>
  teamB: string
  removedId: string
}
type Actor = 'organiser' | 'facilitator' | 'jury' | 'participantA' | 'participantB' | 'removed' | 'forged' | 'expired'
type BoardKind = 'teamA' | 'teamB' | 'plenary'

async function setUp(settings: Json): Promise<World> {
  const created = await call('POST', '/api/events', { title: 'Matrice', date: '2026-11-26', settings })
  const { event, links } = created.body
  const staff = (link: string) => link.split('#token=')[1] as string
  const joinAs = async (pseudonym: string) => (await call('POST', '/api/join', { code: event.joinCode, pseudonym })).body
  const a = await joinAs('A')
  const b = await joinAs('B')
  const removed = await joinAs('Parti')
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Équipe A' }, a.token)).body.team
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Équipe B' }, b.token)).body.team
  await call('DELETE', `/api/events/${event.id}/members/${removed.member.id}`, undefined, staff(links.organiser))
  const expired = server.signer.sign({ role: 'organiser', eventId: event.id, exp: Math.floor(Date.now() / 1000) - 10 })
  return {
    event,
    tokens: {
      organiser: staff(links.organiser),
      facilitator: staff(links.facilitator),
      jury: staff(links.jury),
      participantA: a.token,
      participantB: b.token,
      removed: removed.token,
      forged: `${staff(links.jury).slice(0, -4)}AAAA`,
      expired,
    },
    boards: { teamA: teamA.boardId, teamB: teamB.boardId, plenary: event.plenaryBoardId },
    teamB: teamB.id,
    removedId: removed.member.id,
  }
}

type Outcome = 'write' | 'read' | number

/** Connects with the actor's token; writes if it can; tells what the server let through. */
async function syncOutcome(world: World, actor: Actor, board: BoardKind): Promise<Outcome> {
  const boardId = world.boards[board]
  const client = connectClient(syncUrl(server), boardId, { params: { token: world.tokens[actor] } })
  const watcher: TestClient = connectClient(syncUrl(server), boardId, { params: { token: world.tokens.organiser } })
  try {
    const closed = nextCloseCode(client.provider)
    const first = await Promise.race([client.synced.then(() => 'synced' as const), closed])
    if (first !== 'synced') return first
    await watcher.synced
    const key = `${actor}-${Math.random()}`
    client.doc.getMap('m').set(key, 'x')
    // Awareness follows the update on the same socket: once the watcher sees it, the update was read.
    client.provider.awareness.setLocalStateField('probe', key)
    await waitFor(() => [...watcher.provider.awareness.getStates().values()].some((s) => s.probe === key), 'the probe at the watcher')
    await new Promise((resolve) => setImmediate(resolve))
    return (await storedDoc(server, boardId)).getMap('m').has(key) ? 'write' : 'read'
  } finally {
    client.destroy()
    watcher.destroy()
  }
}

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const actors: Actor[] = ['organiser', 'facilitator', 'jury', 'participantA', 'participantB', 'removed', 'forged', 'expired']
const F = CloseCode.Forbidden
const T = CloseCode.BadToken

describe('authorisation matrix over the sync endpoint', () => {
  const strict: Record<Actor, Record<BoardKind, Outcome>> = {
    organiser: { teamA: 'write', teamB: 'write', plenary: 'write' },
    facilitator: { teamA: 'write', teamB: 'write', plenary: 'write' },
    jury: { teamA: 'read', teamB: 'read', plenary: 'read' },
    participantA: { teamA: 'write', teamB: F, plenary: 'read' },
    participantB: { teamA: F, teamB: 'write', plenary: 'read' },
    removed: { teamA: F, teamB: F, plenary: F },
    forged: { teamA: T, teamB: T, plenary: T },
    expired: { teamA: T, teamB: T, plenary: T },
  }
  const open: Record<Actor, Record<BoardKind, Outcome>> = {
    ...strict,
    participantA: { teamA: 'write', teamB: 'read', plenary: 'write' },
    participantB: { teamA: 'read', teamB: 'write', plenary: 'write' },
  }

  for (const [name, settings, expected] of [
    ['private boards, read-only plenary', { teamsCanViewOtherBoards: false, participantsCanWritePlenary: false }, strict],
    ['visible boards, writable plenary', { teamsCanViewOtherBoards: true, participantsCanWritePlenary: true }, open],
  ] as const) {
    it(`every role on every board: ${name}`, async () => {
      const world = await setUp(settings)
      const actual: Record<string, Record<string, Outcome>> = {}
      for (const actor of actors) {
        actual[actor] = {}
        for (const board of ['teamA', 'teamB', 'plenary'] as const) actual[actor][board] = await syncOutcome(world, actor, board)
      }
      expect(actual).toEqual(expected)
    })
  }

  it('refuses a token on a board no event owns (4404), and a token-less client on an event board (4401)', async () => {
    const world = await setUp({})
    const stray = connectClient(syncUrl(server), 'no-such-board-anywhere', { params: { token: world.tokens.organiser } })
    expect(await nextCloseCode(stray.provider)).toBe(CloseCode.UnknownBoard)
    stray.destroy()
    const anonymous = connectClient(syncUrl(server), world.boards.teamA)
    expect(await nextCloseCode(anonymous.provider)).toBe(CloseCode.BadToken)
    anonymous.destroy()
  })

  it('disconnects a removed participant at once', async () => {
    const world = await setUp({})
    const joined = (await call('POST', '/api/join', { code: world.event.joinCode, pseudonym: 'Bientôt parti' })).body
    await call('POST', `/api/events/${world.event.id}/teams/${world.teamB}/join`, undefined, joined.token)
    const client = connectClient(syncUrl(server), world.boards.teamB, { params: { token: joined.token } })
    await client.synced
    const closed = nextCloseCode(client.provider)
    expect((await call('DELETE', `/api/events/${world.event.id}/members/${joined.member.id}`, undefined, world.tokens.organiser)).status).toBe(204)
    expect(await closed).toBe(CloseCode.Forbidden)
    client.destroy()
  })
})

describe('authorisation matrix over the API', () => {
  it('allows or denies every action for every role', async () => {
    const world = await setUp({ maxTeamSize: 8 })
    const id = world.event.id
    const actions: Record<string, (token: string, i: number) => Promise<number>> = {
      'read event': async (t) => (await call('GET', `/api/events/${id}`, undefined, t)).status,
      'update event': async (t) => (await call('PATCH', `/api/events/${id}`, { title: 'Renommé' }, t)).status,
      'get links': async (t) => (await call('GET', `/api/events/${id}/links`, undefined, t)).status,
      'create team': async (t, i) => (await call('POST', `/api/events/${id}/teams`, { name: `Nouvelle ${i}` }, t)).status,
      'join team': async (t) => (await call('POST', `/api/events/${id}/teams/${world.teamB}/join`, undefined, t)).status,
      'remove member': async (t) => (await call('DELETE', `/api/events/${id}/members/${world.removedId}`, undefined, t)).status,
      'boards overview': async (t) => (await call('GET', `/api/events/${id}/boards`, undefined, t)).status,
    }
    const allowed: Record<Actor, string[]> = {
      organiser: ['read event', 'update event', 'get links', 'create team', 'remove member', 'boards overview'],
      facilitator: ['read event', 'create team', 'boards overview'],
      jury: ['read event', 'boards overview'],
      participantA: ['read event', 'create team', 'join team'],
      participantB: ['read event', 'create team', 'join team'],
      removed: [],
      forged: [],
      expired: [],
    }
    let i = 0
    for (const actor of actors) {
      for (const [action, run] of Object.entries(actions)) {
        const status = await run(world.tokens[actor], i++)
        const expectation = allowed[actor].includes(action) ? 'allow' : 'deny'
        // Removing an already removed member is a 404 for the organiser: allowed, nothing left to do.
        const outcome = status < 300 || status === 404 ? 'allow' : status === 401 || status === 403 ? 'deny' : `unexpected ${status}`
        expect({ actor, action, outcome }).toEqual({ actor, action, outcome: expectation })
      }
    }
  })
})

describe('facilitator console data', () => {
  it('shows every board with who is on it now and when it last changed', async () => {
    const world = await setUp({})
    const a = connectClient(syncUrl(server), world.boards.teamA, { params: { token: world.tokens.participantA } })
    await a.synced
    a.doc.getMap('m').set('k', 'v')
    await waitFor(async () => (await storedDoc(server, world.boards.teamA)).getMap('m').has('k'), 'the edit stored')

    const { body } = await call('GET', `/api/events/${world.event.id}/boards`, undefined, world.tokens.facilitator)
    const byKind = Object.fromEntries(body.boards.map((b: Json) => [b.team?.name ?? 'plenary', b]))
    expect(Object.keys(byKind).sort()).toEqual(['plenary', 'Équipe A', 'Équipe B'])
    expect(byKind['Équipe A'].online).toEqual({ connections: 1, members: [{ id: expect.any(String), pseudonym: 'A' }] })
    expect(Date.parse(byKind['Équipe A'].lastActivity)).toBeGreaterThan(Date.now() - 60_000)
    expect(byKind['Équipe A'].size.bytes).toBeGreaterThan(0)
    expect(byKind['Équipe B']).toMatchObject({ online: { connections: 0, members: [] }, lastActivity: null, size: { bytes: 0 } })
    a.destroy()
  })
})
