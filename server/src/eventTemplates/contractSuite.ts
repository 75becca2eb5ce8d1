import type { EventTemplateContent } from '@fabrique/templates'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../events/types.ts'
import type { EventTemplateStore } from './types.ts'

export interface TemplateStoreHarness {
  create(): Promise<{ templates: EventTemplateStore; events: EventStore }>
  destroy(): Promise<void>
}

const content = (w: number): EventTemplateContent => ({ size: { w, h: 100 }, shapes: [], bindings: [], assets: [] })

/** Every event template store (SQLite, PostgreSQL) must pass this suite. */
export function describeTemplateStoreContract(name: string, makeHarness: () => TemplateStoreHarness): void {
  describe(`event template store contract: ${name}`, () => {
    let harness: TemplateStoreHarness
    let templates: EventTemplateStore
    let events: EventStore
    const newEvent = async () =>
      (
        await events.createEvent({
          title: 'Modèles',
          date: '2026-11-26',
          agenda: [],
          challenges: [],
          settings: { maxTeamSize: 5, teamsCanViewOtherBoards: false, participantsCanWritePlenary: true },
        })
      ).id
    beforeEach(async () => {
      harness = makeHarness()
      ;({ templates, events } = await harness.create())
    })
    afterEach(() => harness.destroy())

    it('saves, lists oldest first, reads back the content and deletes', async () => {
      const eventId = await newEvent()
      const first = await templates.saveTemplate({ eventId, name: 'Rétro', content: content(300) })
      const second = await templates.saveTemplate({ eventId, name: 'Carte', content: content(400) })
      expect(first.id).not.toBe(second.id)
      expect((await templates.listTemplates(eventId)).map((t) => t.name)).toEqual(['Rétro', 'Carte'])
      expect(await templates.getTemplate(eventId, second.id)).toEqual(second)
      expect(await templates.deleteTemplate(eventId, first.id)).toBe(true)
      expect(await templates.deleteTemplate(eventId, first.id)).toBe(false)
      expect((await templates.listTemplates(eventId)).map((t) => t.id)).toEqual([second.id])
    })

    it('keeps each event’s templates to itself', async () => {
      const own = await newEvent()
      const other = await newEvent()
      const saved = await templates.saveTemplate({ eventId: own, name: 'À nous', content: content(200) })
      expect(await templates.listTemplates(other)).toEqual([])
      expect(await templates.getTemplate(other, saved.id)).toBeUndefined()
      expect(await templates.deleteTemplate(other, saved.id)).toBe(false)
      expect(await templates.getTemplate(own, saved.id)).toBeDefined()
    })
  })
}
