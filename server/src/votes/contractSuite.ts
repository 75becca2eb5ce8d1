import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../events/types.ts'
import type { NewVoteSession, VoteStore } from './types.ts'

export interface VoteStoreHarness {
  create(): Promise<{ votes: VoteStore; events: EventStore }>
  destroy(): Promise<void>
}

/** Every vote store (SQLite, PostgreSQL) must pass this suite. */
export function describeVoteStoreContract(name: string, makeHarness: () => VoteStoreHarness): void {
  describe(`vote store contract: ${name}`, () => {
    let harness: VoteStoreHarness
    let votes: VoteStore
    let session: NewVoteSession
    beforeEach(async () => {
      harness = makeHarness()
      const stores = await harness.create()
      votes = stores.votes
      const event = await stores.events.createEvent({
        title: 'Vote',
        date: '2026-11-26',
        agenda: [],
        challenges: [],
        settings: { maxTeamSize: 5, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true },
      })
      session = { eventId: event.id, boardIds: ['board-aaaaaaaa'], votesPerPerson: 3, maxPerNote: 2, anonymous: true, closesAt: null }
    })
    afterEach(() => harness.destroy())

    it('creates, reads, lists and updates sessions', async () => {
      const created = await votes.createSession(session)
      expect(created).toMatchObject({ ...session, status: 'open', revealed: false })
      expect(await votes.getSession(created.id)).toEqual(created)
      expect(await votes.listSessions(session.eventId)).toEqual([created])
      expect(await votes.updateSession(created.id, { revealed: true })).toMatchObject({ status: 'open', revealed: true })
      expect(await votes.updateSession(created.id, { status: 'closed' })).toMatchObject({ status: 'closed', revealed: true })
      expect(await votes.getSession('missing-session')).toBeUndefined()
    })

    it('keeps each person within the votes per person and the maximum per note', async () => {
      const { id } = await votes.createSession(session)
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:a', 1)).toMatchObject({ ok: true })
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:a', 1)).toMatchObject({ ok: true })
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:a', 1)).toEqual({ ok: false, reason: 'note-full' })
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:b', 1)).toMatchObject({ ok: true })
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:c', 1)).toEqual({ ok: false, reason: 'no-votes-left' })
      const back = await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:a', -1)
      expect(back).toEqual({ ok: true, mine: [
        { boardId: 'board-aaaaaaaa', shapeId: 'shape:a', count: 1 },
        { boardId: 'board-aaaaaaaa', shapeId: 'shape:b', count: 1 },
      ] })
      expect(await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:z', -1)).toEqual({ ok: false, reason: 'nothing-to-remove' })
      expect(await votes.cast('missing-session', 'alice', 'board-aaaaaaaa', 'shape:a', 1)).toEqual({ ok: false, reason: 'unknown-vote' })
    })

    it('never lets concurrent dots (two tabs) exceed the quota', async () => {
      const { id } = await votes.createSession({ ...session, votesPerPerson: 5, maxPerNote: 5 })
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => votes.cast(id, 'bob', 'board-aaaaaaaa', `shape:${i % 4}`, 1)))
      expect(results.filter((r) => r.ok)).toHaveLength(5)
      const mine = await votes.ballotsOf(id, 'bob')
      expect(mine.reduce((sum, ballot) => sum + ballot.count, 0)).toBe(5)
    })

    it('refuses dots once closed or past its end, and tallies by note, most first', async () => {
      const { id } = await votes.createSession({ ...session, closesAt: new Date(Date.now() + 60_000).toISOString() })
      await votes.cast(id, 'alice', 'board-aaaaaaaa', 'shape:a', 1)
      await votes.cast(id, 'bob', 'board-aaaaaaaa', 'shape:b', 1)
      await votes.cast(id, 'carol', 'board-aaaaaaaa', 'shape:b', 1)
      expect(await votes.cast(id, 'dan', 'board-aaaaaaaa', 'shape:a', 1, new Date(Date.now() + 120_000))).toEqual({ ok: false, reason: 'closed' })
      await votes.updateSession(id, { status: 'closed' })
      expect(await votes.cast(id, 'dan', 'board-aaaaaaaa', 'shape:a', 1)).toEqual({ ok: false, reason: 'closed' })
      expect(await votes.tally(id)).toEqual([
        { boardId: 'board-aaaaaaaa', shapeId: 'shape:b', count: 2, memberIds: ['bob', 'carol'] },
        { boardId: 'board-aaaaaaaa', shapeId: 'shape:a', count: 1, memberIds: ['alice'] },
      ])
    })
  })
}
