import { type BoardBinding, bindBoard } from '@fabrique/board'
import { getTemplate, NOTE_SIZE, placeTemplate, SECTION_HEADER_HEIGHT, type TemplateDefinition, type TemplateId } from '@fabrique/templates'
import {
  createShapeId,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  getIndexAbove,
  type IndexKey,
  NoteShapeUtil,
  type TLParentId,
  type TLRecord,
  type TLShape,
  type TLStore,
  toRichText,
} from 'tldraw'
import * as Y from 'yjs'
import type { SheetContext } from './types.ts'

/**
 * Seeded boards for the export tests: templates placed as the server pushes them, notes written by
 * a participant through a real tldraw store bound to the document.
 */
export class SeededBoard {
  readonly doc = new Y.Doc()
  private store: TLStore | undefined
  private binding: BoardBinding | undefined
  private pushes = 0
  private ids = 0
  private index: IndexKey | null = null

  /** Places a template as a facilitator's push does; returns its frame id. */
  place(templateId: TemplateId, locale: 'fr' | 'en' = 'fr'): string {
    const result = placeTemplate(this.doc, { template: getTemplate(templateId), locale, pushId: `push-${++this.pushes}`, now: () => 0 })
    return result.shapeIds[0]
  }

  /** A user record, as tldraw writes one for whoever edits a note. */
  user(id: string, name: string): void {
    const store = this.participant()
    store.put([store.schema.types.user.create({ id: createUserId(id), name } as never) as TLRecord])
    this.flush()
  }

  /**
   * A sticky note in a section of a placed template: `slot` picks its place in the section's grid
   * of notes (row by row, as many per row as fit).
   */
  noteInSection(frameId: string, templateId: TemplateId, sectionKey: string, text: string, options: { slot?: number; authorId?: string } = {}): string {
    const section = sectionOf(getTemplate(templateId), sectionKey)
    const perRow = Math.max(1, Math.floor((section.box.w - 32) / (NOTE_SIZE + 16)))
    const slot = options.slot ?? 0
    const x = section.box.x + 16 + (slot % perRow) * (NOTE_SIZE + 16)
    const y = section.box.y + SECTION_HEADER_HEIGHT + Math.floor(slot / perRow) * (NOTE_SIZE + 16)
    return this.note(frameId, x, y, text, options.authorId)
  }

  /** A sticky note anywhere: on the page (parent `page:page`) or in a frame, at parent coordinates. */
  note(parentId: string, x: number, y: number, text: string, authorId?: string): string {
    const store = this.participant()
    const id = createShapeId(`note-${++this.ids}`)
    this.index = getIndexAbove(this.index)
    const props = { ...new NoteShapeUtil({} as never).getDefaultProps(), richText: toRichText(text), textLastEditedBy: authorId ?? null }
    const shape = store.schema.types.shape.create({ id, type: 'note', parentId: parentId as TLParentId, x, y, index: this.index, props } as never)
    store.put([shape as TLShape])
    this.flush()
    return id
  }

  /** A page, as tldraw writes one when someone adds it. */
  page(id: string, index: string, name = id): void {
    const store = this.participant()
    store.put([store.schema.types.page.create({ id, name, index } as never) as TLRecord])
    this.flush()
  }

  /** The record of a shape placed by a template, as the document holds it. */
  shapes(): TLShape[] {
    return this.participant().query.records('shape').get()
  }

  dispose(): void {
    this.binding?.dispose()
  }

  private participant(): TLStore {
    if (this.store) return this.store
    this.store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    this.binding = bindBoard({ store: this.store, doc: this.doc })
    this.binding.start()
    return this.store
  }

  private flush(): void {
    this.store?._flushHistory()
    this.binding?.flush()
  }
}

function sectionOf(template: TemplateDefinition, key: string) {
  const section = template.sections.find((candidate) => candidate.key === key)
  if (!section) throw new Error(`${template.id} has no section ${key}`)
  return section
}

export function contextFor(team: string, options: Partial<SheetContext> = {}): SheetContext {
  return {
    event: { id: 'event-1', title: 'Hackathon des mobilités', date: '2026-11-26' },
    team: { id: `team-${team}`, name: team, boardId: `board-${team}` },
    members: ['Alice', 'Bob'],
    challenge: {
      title: 'Mieux informer les voyageurs',
      description: 'Les horaires changent : comment prévenir à temps ?',
      datasets: [{ title: 'Horaires GTFS', url: 'https://transport.data.gouv.fr/datasets/horaires' }],
    },
    exportedAt: new Date('2026-11-26T16:30:00Z'),
    ...options,
  }
}
