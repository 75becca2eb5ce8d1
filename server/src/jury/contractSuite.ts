import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../events/types.ts'
import { type JuryStore, teamResults } from './types.ts'

export interface JuryStoreHarness {
  create(): Promise<{ jury: JuryStore; events: EventStore }>
  destroy(): Promise<void>
}

/** Every jury store (SQLite, PostgreSQL) must pass this suite. */
export function describeJuryStoreContract(name: string, makeHarness: () => JuryStoreHarness): void {
  describe(`jury store contract: ${name}`, () => {
    let harness: JuryStoreHarness
    let jury: JuryStore
    let eventId: string
    beforeEach(async () => {
      harness = makeHarness()
      const stores = await harness.create()
      jury = stores.jury
      eventId = (
        await stores.events.createEvent({
          title: 'Jury',
          date: '2026-11-26',
          agenda: [],
          challenges: [],
          settings: { maxTeamSize: 5, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true },
        })
      ).id
    })
    afterEach(() => harness.destroy())

    it('saves one score per juror and team, replacing it on a second save', async () => {
      await jury.saveScore({ eventId, teamId: 'team-a', jurorId: 'j1', jurorName: 'Inès', scores: { relevance: 4 }, comment: '' })
      await jury.saveScore({ eventId, teamId: 'team-a', jurorId: 'j1', jurorName: 'Inès', scores: { relevance: 5, originality: 3 }, comment: 'Bravo' })
      await jury.saveScore({ eventId, teamId: 'team-a', jurorId: 'j2', jurorName: 'Marc', scores: { relevance: 3 }, comment: '' })
      const all = await jury.listScores(eventId)
      expect(all).toHaveLength(2)
      expect(all.find((s) => s.jurorId === 'j1')).toMatchObject({ scores: { relevance: 5, originality: 3 }, comment: 'Bravo' })
      expect(await jury.listScores(eventId, 'j2')).toEqual([expect.objectContaining({ jurorName: 'Marc' })])
      expect(teamResults(all)).toEqual([{ teamId: 'team-a', averages: { relevance: 4, originality: 3 }, overall: 3.5, jurors: 2 }])
    })

    it('refuses audience ballots until the prize is open, and after it closes', async () => {
      expect(await jury.audiencePrize(eventId)).toEqual({ status: 'closed', openedAt: null, closedAt: null })
      expect(await jury.castAudienceVote(eventId, 'm1', 'team-a')).toEqual({ ok: false, reason: 'closed' })
      const opened = await jury.setAudienceOpen(eventId, true)
      expect(opened).toMatchObject({ status: 'open', closedAt: null })
      expect(opened.openedAt).toEqual(expect.any(String))
      expect(await jury.castAudienceVote(eventId, 'm1', 'team-a')).toEqual({ ok: true, previousTeamId: null })
      const closed = await jury.setAudienceOpen(eventId, false)
      expect(closed).toMatchObject({ status: 'closed', openedAt: opened.openedAt })
      expect(closed.closedAt).toEqual(expect.any(String))
      expect(await jury.castAudienceVote(eventId, 'm2', 'team-a')).toEqual({ ok: false, reason: 'closed' })
      // Opening again keeps the ballots already cast.
      await jury.setAudienceOpen(eventId, true)
      expect(await jury.audienceTally(eventId)).toEqual([{ teamId: 'team-a', votes: 1 }])
    })

    it('keeps one audience ballot per member: a second replaces the first, even sent at once', async () => {
      await jury.setAudienceOpen(eventId, true)
      expect(await jury.castAudienceVote(eventId, 'm1', 'team-a')).toEqual({ ok: true, previousTeamId: null })
      expect(await jury.castAudienceVote(eventId, 'm1', 'team-b')).toEqual({ ok: true, previousTeamId: 'team-a' })
      expect(await jury.audienceVoteOf(eventId, 'm1')).toBe('team-b')
      // Two tabs of one member vote together: still one ballot.
      await Promise.all([jury.castAudienceVote(eventId, 'm2', 'team-a'), jury.castAudienceVote(eventId, 'm2', 'team-c'), jury.castAudienceVote(eventId, 'm2', 'team-a')])
      await jury.castAudienceVote(eventId, 'm3', 'team-c')
      const tally = await jury.audienceTally(eventId)
      expect(tally.reduce((sum, row) => sum + row.votes, 0)).toBe(3)
      expect(tally[0]?.votes).toBeGreaterThanOrEqual(tally[1]?.votes ?? 0)
      expect(await jury.audienceVoteOf(eventId, 'nobody')).toBeUndefined()
    })

    it('ranks the audience tally by votes, then by team id', async () => {
      await jury.setAudienceOpen(eventId, true)
      for (const [member, team] of [['m1', 'team-b'], ['m2', 'team-a'], ['m3', 'team-c'], ['m4', 'team-c'], ['m5', 'team-a']]) {
        await jury.castAudienceVote(eventId, member as string, team as string)
      }
      expect(await jury.audienceTally(eventId)).toEqual([
        { teamId: 'team-a', votes: 2 },
        { teamId: 'team-c', votes: 2 },
        { teamId: 'team-b', votes: 1 },
      ])
    })

    it('remembers when the results were published', async () => {
      expect(await jury.publishedAt(eventId)).toBeUndefined()
      const at = await jury.publish(eventId)
      expect(await jury.publishedAt(eventId)).toBe(at)
    })
  })
}
