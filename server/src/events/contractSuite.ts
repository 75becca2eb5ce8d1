import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore, NewEvent } from './types.ts'

export interface EventStoreHarness {
  create(): Promise<EventStore>
  destroy(): Promise<void>
}

const newEvent = (over: Partial<NewEvent> = {}): NewEvent => ({
  title: 'Hackathon santé',
  date: '2026-11-26',
  agenda: [{ title: 'Pitchs', start: '16:00', durationMinutes: 90 }],
  challenges: [
    { title: 'Défi 1', description: 'Urgences', datasets: [{ title: 'Passages', url: 'https://data.example/a.csv' }] },
    { title: 'Défi 2', description: '', datasets: [] },
  ],
  settings: { maxTeamSize: 3, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true },
  ...over,
})

/** Every event store (SQLite, PostgreSQL) must pass this suite. */
export function describeEventStoreContract(name: string, makeHarness: () => EventStoreHarness): void {
  describe(`event store contract: ${name}`, () => {
    let harness: EventStoreHarness
    let store: EventStore
    beforeEach(async () => {
      harness = makeHarness()
      store = await harness.create()
    })
    afterEach(() => harness.destroy())

    it('creates an event and reads it back by id and by join code', async () => {
      const created = await store.createEvent(newEvent())
      expect(await store.getEvent(created.id)).toEqual(created)
      expect(await store.getEventByJoinCode(created.joinCode)).toEqual(created)
      expect(created.challenges.map((c) => c.title)).toEqual(['Défi 1', 'Défi 2'])
      expect(await store.getEvent('nope')).toBeUndefined()
    })

    it('gives every event its own join code and plenary board', async () => {
      const events = await Promise.all(Array.from({ length: 20 }, () => store.createEvent(newEvent())))
      expect(new Set(events.map((e) => e.joinCode)).size).toBe(20)
      expect(new Set(events.map((e) => e.plenaryBoardId)).size).toBe(20)
    })

    it('updates title, agenda and settings', async () => {
      const created = await store.createEvent(newEvent())
      const updated = await store.updateEvent(created.id, { title: 'Renommé', settings: { ...created.settings, maxTeamSize: 5 } })
      expect(updated).toMatchObject({ title: 'Renommé', settings: { maxTeamSize: 5 } })
      expect(await store.getEvent(created.id)).toEqual(updated)
    })

    it('creates teams with their own boards, refusing a duplicate name', async () => {
      const e = await store.createEvent(newEvent())
      const team = await store.createTeam(e.id, { name: 'Alpha', challengeId: e.challenges[0]?.id ?? null })
      expect(team).toBeDefined()
      expect(await store.createTeam(e.id, { name: 'Alpha', challengeId: null })).toBeUndefined()
      expect(await store.listTeams(e.id)).toEqual([team])
      expect(await store.findBoardOwner(team?.boardId as string)).toEqual({ eventId: e.id, teamId: team?.id, kind: 'team' })
      expect(await store.findBoardOwner(e.plenaryBoardId)).toEqual({ eventId: e.id, teamId: null, kind: 'plenary' })
      expect(await store.findBoardOwner(e.liveBoardId)).toEqual({ eventId: e.id, teamId: null, kind: 'live' })
      expect(await store.findBoardOwner('unknown-board')).toBeUndefined()
    })

    it('fills a team up to its size and no further, even when people join at once', async () => {
      const e = await store.createEvent(newEvent())
      const team = await store.createTeam(e.id, { name: 'Alpha', challengeId: null })
      const members = await Promise.all(Array.from({ length: 8 }, (_, i) => store.addMember(e.id, `P${i}`)))
      const results = await Promise.all(members.map((m) => store.joinTeam(m.id, team?.id as string, 3)))
      expect(results.filter((r) => r.ok)).toHaveLength(3)
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'team-full')).toBe(true)
      expect((await store.listMembers(e.id)).filter((m) => m.teamId === team?.id)).toHaveLength(3)
    })

    it('refuses a team of another event and an unknown member', async () => {
      const e1 = await store.createEvent(newEvent())
      const e2 = await store.createEvent(newEvent())
      const other = await store.createTeam(e2.id, { name: 'Beta', challengeId: null })
      const m = await store.addMember(e1.id, 'Zoé')
      expect(await store.joinTeam(m.id, other?.id as string, 8)).toEqual({ ok: false, reason: 'unknown-team' })
      expect(await store.joinTeam('ghost', other?.id as string, 8)).toEqual({ ok: false, reason: 'unknown-member' })
    })

    it('locks and unlocks boards of one event', async () => {
      const e = await store.createEvent(newEvent())
      const other = await store.createEvent(newEvent())
      await store.setLocks(e.id, ['board-b', 'board-a'], true)
      await store.setLocks(e.id, ['board-a'], true)
      await store.setLocks(other.id, ['board-z'], true)
      expect(await store.lockedBoards(e.id)).toEqual(['board-a', 'board-b'])
      await store.setLocks(e.id, ['board-a'], false)
      expect(await store.lockedBoards(e.id)).toEqual(['board-b'])
      expect(await store.lockedBoards(other.id)).toEqual(['board-z'])
    })

    it('removes a member', async () => {
      const e = await store.createEvent(newEvent())
      const m = await store.addMember(e.id, 'Yann')
      expect(await store.removeMember(m.id)).toBe(true)
      expect(await store.getMember(m.id)).toBeUndefined()
      expect(await store.removeMember(m.id)).toBe(false)
    })
  })
}
