import { LIVE_MAP, LiveKey, type LiveVote, type TimerState, timeLeft } from '@fabrique/protocol'
import { PUSHES_MAP } from '@fabrique/templates'
import { createShapeId, type TLShape, toRichText } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { facilitationInProgress } from '../../server/src/http/facilitation.ts'
import { apiCaller, type Json } from '../support/api.ts'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { connectClient, type TestClient } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []

const call = apiCaller(() => server.url)

function board(boardId: string, token: string): BoardClient {
  const client = connectBoardClient(syncUrl(server), boardId, token)
  clients.push(client)
  return client
}

const templateFrames = (client: BoardClient, pushId: string) =>
  client.shapes().filter((shape) => shape.type === 'frame' && (shape.meta as Json).fabrique?.pushId === pushId)

let world: { liveBoardId: string; eventId: string; facilitator: string; alice: string; bob: string; teamA: string; teamB: string; plenary: string }

beforeAll(async () => {
  server = await startServer({ sync: { roomIdleMs: 200 } })
  const agenda = [
    { title: 'Cadrage', start: '09:30', durationMinutes: 30 },
    { title: 'Idéation', start: '10:00', durationMinutes: 45 },
  ]
  const { event, links } = (await call('POST', '/api/events', { title: 'Journée d’idéation', date: '2026-11-26', agenda })).body
  const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token
  const bob = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Bob' })).body.token
  const teamA = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Mobilités' }, alice)).body.team.boardId
  const teamB = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Santé' }, bob)).body.team.boardId
  world = { liveBoardId: event.liveBoardId, eventId: event.id, facilitator: links.facilitator.split('#token=')[1], alice, bob, teamA, teamB, plenary: event.plenaryBoardId }
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

  it('says a push is writing boards while it runs, for the sheets made ahead to wait', async () => {
    expect(facilitationInProgress()).toBe(false)
    const push = { pushId: 'push-busy-1', templateId: 'five-whys', locale: 'fr' }
    const request = call('POST', `/api/events/${world.eventId}/pushes`, push, world.facilitator)
    let seen = false
    let answered = false
    void request.then(() => {
      answered = true
    })
    while (!answered) {
      seen ||= facilitationInProgress()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await request).status).toBe(200)
    expect(seen).toBe(true)
    expect(facilitationInProgress()).toBe(false)
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

describe('the live board: timer, broadcast, follow, locks', () => {
  const live: TestClient[] = []
  const liveClient = (token: string) => {
    const client = connectClient(syncUrl(server), world.liveBoardId, { params: { token } })
    live.push(client)
    return client
  }
  afterAll(() => {
    for (const client of live) client.destroy()
  })

  it('runs the countdown on the server clock; a late joiner sees the right time left', async () => {
    const alice = liveClient(world.alice)
    await alice.synced
    const started = await call('POST', `/api/events/${world.eventId}/timer`, { action: 'start', phaseIndex: 1 }, world.facilitator)
    expect(started.status).toBe(200)
    expect(started.body.timer).toMatchObject({ title: 'Idéation', status: 'running', durationMs: 45 * 60_000 })
    await waitFor(() => (alice.doc.getMap(LIVE_MAP).get(LiveKey.Timer) as TimerState | undefined)?.status === 'running', 'the timer at Alice')

    await new Promise((resolve) => setTimeout(resolve, 300))
    const late = liveClient(world.bob)
    await late.synced
    const timer = late.doc.getMap(LIVE_MAP).get(LiveKey.Timer) as TimerState
    const left = timeLeft(timer, Date.now())
    expect(left).toBeLessThanOrEqual(45 * 60_000 - 300)
    expect(left).toBeGreaterThan(45 * 60_000 - 5_000)

    const paused = await call('POST', `/api/events/${world.eventId}/timer`, { action: 'pause' }, world.facilitator)
    expect(paused.body.timer.status).toBe('paused')
    const extended = await call('POST', `/api/events/${world.eventId}/timer`, { action: 'extend', seconds: 300 }, world.facilitator)
    expect(extended.body.timer.durationMs).toBe(50 * 60_000)
    const badPhase = await call('POST', `/api/events/${world.eventId}/timer`, { action: 'start', phaseIndex: 7 }, world.facilitator)
    expect(badPhase.status).toBe(400)
    const asParticipant = await call('POST', `/api/events/${world.eventId}/timer`, { action: 'stop' }, world.alice)
    expect(asParticipant.status).toBe(403)
  })

  it('shows a broadcast, a follow request and the locks to every board, and participants cannot write there', async () => {
    const alice = liveClient(world.alice)
    await alice.synced
    const sent = await call('POST', `/api/events/${world.eventId}/broadcast`, { text: 'Pause café : retour à 11 h' }, world.facilitator)
    expect(sent.status).toBe(200)
    await waitFor(() => (alice.doc.getMap(LIVE_MAP).get(LiveKey.Broadcast) as { text?: string } | undefined)?.text === 'Pause café : retour à 11 h', 'the broadcast')

    const follow = await call('POST', `/api/events/${world.eventId}/follow`, { boardId: world.teamA, active: true, userId: 'user:facilitator', userName: 'Flo' }, world.facilitator)
    expect(follow.status).toBe(204)
    await waitFor(() => alice.doc.getMap(LIVE_MAP).has(LiveKey.FollowPrefix + world.teamA), 'the follow request')

    await call('POST', `/api/events/${world.eventId}/locks`, { locked: true, boardIds: [world.teamB] }, world.facilitator)
    await waitFor(() => JSON.stringify(alice.doc.getMap(LIVE_MAP).get(LiveKey.LockedBoards)) === JSON.stringify([world.teamB]), 'the lock list')
    await call('POST', `/api/events/${world.eventId}/locks`, { locked: false }, world.facilitator)

    alice.doc.getMap(LIVE_MAP).set(LiveKey.Broadcast, { id: 'forged', text: 'Fake news', at: 0 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const stored = await storedDoc(server, world.liveBoardId)
    expect((stored.getMap(LIVE_MAP).get(LiveKey.Broadcast) as { text: string }).text).toBe('Pause café : retour à 11 h')
  })
})

describe('dot voting', () => {
  it('keeps quotas on the server, hides counts until revealed, and ranks the notes on close', async () => {
    const opened = await call(
      'POST',
      `/api/events/${world.eventId}/votes`,
      { boardIds: [world.teamA], votesPerPerson: 2, maxPerNote: 1, anonymous: false },
      world.facilitator,
    )
    expect(opened.status).toBe(201)
    const voteId = opened.body.vote.id
    expect(opened.body.vote.results).toBeNull()
    const ballot = (token: string, shapeId: string, delta = 1, boardId = world.teamA) =>
      call('POST', `/api/events/${world.eventId}/votes/${voteId}/ballots`, { boardId, shapeId, delta }, token)

    // Two tabs clicking at once cannot exceed the two dots.
    const burst = await Promise.all(['shape:n1', 'shape:n2', 'shape:n3', 'shape:n4'].map((id) => ballot(world.alice, id)))
    expect(burst.filter((r) => r.status === 200)).toHaveLength(2)
    const refusal = burst.find((r) => r.status === 409)
    expect(refusal?.body.error).toMatchObject({ code: 'no_votes_left', message: { fr: 'Vous avez utilisé toutes vos gommettes.' } })
    const mine = await call('GET', `/api/events/${world.eventId}/votes/${voteId}/mine`, undefined, world.alice)
    expect(mine.body.remaining).toBe(0)
    const voted = mine.body.mine.map((b: Json) => b.shapeId)

    // Take one back and put it on a note already chosen: one dot per note at most.
    expect((await ballot(world.alice, voted[0], -1)).status).toBe(200)
    expect((await ballot(world.alice, voted[1])).body.error.code).toBe('note_full')
    expect((await ballot(world.alice, voted[0])).status).toBe(200)

    // Bob's team cannot see team A's board, so he cannot vote on it.
    expect((await ballot(world.bob, 'shape:n1')).status).toBe(403)
    expect((await ballot(world.facilitator, 'shape:n1')).status).toBe(403)

    const revealed = await call('POST', `/api/events/${world.eventId}/votes/${voteId}/reveal`, undefined, world.facilitator)
    expect(revealed.body.vote.results).toHaveLength(2)
    const closed = await call('POST', `/api/events/${world.eventId}/votes/${voteId}/close`, undefined, world.facilitator)
    expect(closed.body.vote).toMatchObject({ status: 'closed' })
    expect(closed.body.vote.results.every((r: Json) => r.count === 1 && r.voters[0] === 'Alice')).toBe(true)
    expect((await ballot(world.alice, voted[0], -1)).body.error.code).toBe('closed')

    const stored = await storedDoc(server, world.liveBoardId)
    expect((stored.getMap(LIVE_MAP).get(LiveKey.Vote) as LiveVote).status).toBe('closed')
    const invalid = await call('POST', `/api/events/${world.eventId}/votes`, { votesPerPerson: 1, maxPerNote: 3 }, world.facilitator)
    expect(invalid.status).toBe(400)
  })
})
