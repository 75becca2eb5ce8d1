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

    it('remembers when the results were published', async () => {
      expect(await jury.publishedAt(eventId)).toBeUndefined()
      const at = await jury.publish(eventId)
      expect(await jury.publishedAt(eventId)).toBe(at)
    })
  })
}
