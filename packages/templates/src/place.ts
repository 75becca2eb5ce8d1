import { appendNewFields, fieldKey, PRESENCE_FIELD, RECORDS_ARRAY, readSomeFields, readSomeFieldsInTurns, recordsOf, recordToFields, SCHEMA_KEY, SCHEMA_MAP, sharedFieldMap } from '@fabrique/board'
// tldraw's light packages, not 'tldraw' itself (editor, UI, React): the server writes templates
// with this module, and importing 'tldraw' would cost it some 130 MB and 3 s at start.
import { createTLSchema, DocumentRecordType, PageRecordType, type TLPageId, type TLRecord } from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import { type EventTemplateContent, instantiateEventTemplate, type SavedTemplate } from './eventTemplate.ts'
import { findFreeSpace } from './freeSpace.ts'
import { instantiateTemplate } from './instantiate.ts'
import { NOTE_SIZE } from './sectionLayout.ts'
import type { Locale, Rect, TemplateDefinition } from './types.ts'

/** The map of a board's document that remembers every push it received, by push id. */
export const PUSHES_MAP = 'pushes'

export interface PushEntry {
  templateId: string
  locale: Locale
  at: number
  /** Shapes and bindings written by the push (a withdrawal removes them all). */
  shapeIds: string[]
  /** Of the pushed records as written: a withdrawal compares it to see whether anyone edited them. */
  fingerprint: string
  withdrawnAt?: number
}

export interface PlaceOptions {
  /** A built-in template, or one a facilitator saved for the event. */
  template: TemplateDefinition | SavedTemplate
  locale: Locale
  /** Same id, same push: a retried push writes nothing twice. */
  pushId: string
  createId?: () => string
  now?: () => number
}

export type PlaceResult = { status: 'placed'; shapeIds: string[] } | { status: 'already'; shapeIds: string[] }

/**
 * Writes a template into a board's document, as the server does when a facilitator pushes it to
 * boards nobody may have open: on the board's first page, in free space, above everything else.
 * Call inside the transaction of the room that owns the document.
 */
export function placeTemplate(doc: Y.Doc, { template, locale, pushId, createId, now = Date.now }: PlaceOptions): PlaceResult {
  const pushes = doc.getMap<PushEntry>(PUSHES_MAP)
  const previous = pushes.get(pushId)
  if (previous) return { status: 'already', shapeIds: previous.shapeIds }

  const outline = outlineFor(doc)
  const setup: TLRecord[] = []
  let pageId = firstPage(outline.pages)
  if (!pageId) {
    // A board nobody opened yet: give it what tldraw would create, with tldraw's own default ids.
    const page = PageRecordType.create({ id: 'page:page' as TLPageId, name: 'Page 1', index: 'a1' as IndexKey })
    pageId = page.id
    setup.push(page)
    if (!outline.hasDocument) setup.push(DocumentRecordType.create({ id: 'document:document' as never }))
  }
  const onPage = outline.shapes.filter((shape) => shape.parentId === pageId)
  const size = 'content' in template ? template.content.size : template.size
  const origin = findFreeSpace(onPage.map((shape) => shape.bounds), size)
  const top = onPage.reduce<IndexKey | undefined>((highest, shape) => (!highest || shape.index > highest ? shape.index : highest), undefined)
  const where = { origin, pageId, pushId, createId, index: getIndexAbove(top) }
  const shapes: TLRecord[] = 'content' in template ? savedRecords(template.content, where) : instantiateTemplate(template, { locale, ...where })

  const sets: Array<[string, unknown]> = []
  for (const record of [...setup, ...shapes]) {
    for (const [field, value] of recordToFields(record)) sets.push([fieldKey(record.id, field), value])
  }
  const shapeIds = shapes.filter((record) => record.typeName !== 'asset').map((record) => record.id)
  const pushed = shapes.filter((record) => record.typeName !== 'asset')
  doc.transact((transaction) => {
    ownWrites.add(transaction)
    // Every key is new: the template's records have ids of their own.
    appendNewFields(doc, sets)
    const schema = doc.getMap(SCHEMA_MAP)
    if (!schema.has(SCHEMA_KEY)) schema.set(SCHEMA_KEY, serializedSchema())
    pushes.set(pushId, { templateId: template.id, locale, at: now(), shapeIds, fingerprint: fingerprint(pushed) })
  })
  // The outline stays good for the next push: what this one wrote is all that changed.
  if (setup.length > 0) {
    outline.pages.push({ id: pageId, index: 'a1' as IndexKey })
    outline.hasDocument = true
  }
  for (const shape of pushed) {
    if (shape.typeName === 'shape' && shape.parentId === pageId) outline.shapes.push({ parentId: pageId, index: shape.index, bounds: boundsOf(recordToFields(shape)) })
  }
  return { status: 'placed', shapeIds }
}

export type WithdrawResult = 'withdrawn' | 'touched' | 'not-pushed' | 'already-withdrawn'

/**
 * Takes a pushed template back off a board, only if nobody touched it: its shapes are as pushed
 * and nothing was added inside it. Otherwise the team's work stays and the answer is `touched`.
 */
export function withdrawPush(doc: Y.Doc, pushId: string, now = Date.now): WithdrawResult {
  const pushes = doc.getMap<PushEntry>(PUSHES_MAP)
  const entry = pushes.get(pushId)
  if (!entry) return 'not-pushed'
  if (entry.withdrawnAt) return 'already-withdrawn'
  const fields = sharedFieldMap(doc)
  const records = recordsOf(fields)
  const pushed = new Set(entry.shapeIds)
  const current = records.filter((record) => pushed.has(record.id))
  const addedInside = records.some((record) => record.typeName === 'shape' && !pushed.has(record.id) && pushed.has(record.parentId))
  if (addedInside || current.length !== pushed.size || fingerprint(current) !== entry.fingerprint) return 'touched'
  const deletes: string[] = []
  for (const id of pushed) for (const field of fields.fieldsOf(id)?.keys() ?? []) deletes.push(fieldKey(id, field))
  doc.transact(() => {
    fields.write([], deletes)
    pushes.set(pushId, { ...entry, withdrawnAt: now() })
  })
  return 'withdrawn'
}

/** A saved template's records, images first so that the image shapes find them. */
function savedRecords(content: EventTemplateContent, where: Parameters<typeof instantiateEventTemplate>[1]): TLRecord[] {
  const { shapes, bindings, assets } = instantiateEventTemplate(content, where)
  return [...assets, ...shapes, ...bindings]
}

let schemaOfThisVersion: ReturnType<ReturnType<typeof createTLSchema>['serialize']> | undefined
/** Building tldraw's schema takes milliseconds: once per process, not once per board of a push. */
const serializedSchema = () => (schemaOfThisVersion ??= createTLSchema().serialize())

/** What placing a template needs to know of a board. */
interface BoardOutline {
  pages: Array<{ id: TLPageId; index: IndexKey }>
  hasDocument: boolean
  shapes: Array<{ parentId: unknown; index: IndexKey; bounds: Rect }>
}

/** Items of the records array read per turn of the event loop by prepareOutline. */
const OUTLINE_ITEMS_PER_TURN = 16_384
/** Scans started again because the board changed under them, before giving up (placeTemplate then reads it). */
const OUTLINE_ATTEMPTS = 3

/**
 * Reads the board's outline ahead of placeTemplate, over several turns of the event loop (a
 * 2,000-shape board's 53,000 entries in four), and keeps it for placeTemplate, which then only
 * writes: a server pushing to every board of an event never holds its loop for a whole board's
 * read (50-90 ms while its code is still cold, ~20 ms after). If the board's records change during
 * the read, it starts again; after a few attempts placeTemplate reads the outline itself.
 */
export async function prepareOutline(
  doc: Y.Doc,
  pushId?: string,
  { itemsPerTurn = OUTLINE_ITEMS_PER_TURN, nextTurn }: { itemsPerTurn?: number; nextTurn?: () => Promise<unknown> } = {},
): Promise<void> {
  for (let attempt = 0; attempt < OUTLINE_ATTEMPTS; attempt++) {
    // A push already placed here is answered without the outline.
    if (outlines.has(doc) || (pushId !== undefined && doc.getMap(PUSHES_MAP).has(pushId))) return
    watch(doc)
    const generation = generations.get(doc) ?? 0
    const changed = () => (generations.get(doc) ?? 0) !== generation
    const records = await readSomeFieldsInTurns(doc, OUTLINE_FIELDS, { itemsPerTurn, changed, nextTurn })
    if (records && !changed()) {
      outlines.set(doc, outlineOf(records))
      return
    }
  }
}

/** Each board's outline, kept while only pushes write its records (see outlineFor). */
const outlines = new WeakMap<Y.Doc, BoardOutline>()
/** Transactions of placeTemplate's writes, which update the outline themselves. */
const ownWrites = new WeakSet<Y.Transaction>()
/** How many transactions changed each watched document's records (own writes included). */
const generations = new WeakMap<Y.Doc, number>()

/** Follows the changes to the document's records: the kept outline goes when anything but a push changes them. */
function watch(doc: Y.Doc): void {
  if (generations.has(doc)) return
  generations.set(doc, 0)
  const records = doc.getArray(RECORDS_ARRAY) as unknown as Y.AbstractType<Y.YEvent<Y.Array<unknown>>>
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (!transaction.changed.has(records)) return
    generations.set(doc, (generations.get(doc) ?? 0) + 1)
    if (!ownWrites.has(transaction)) outlines.delete(doc)
  })
}

/**
 * A board's outline, read once and kept until anything but a push changes the board's records: a
 * facilitator pushes several templates in a row to every board of the event, and reading a
 * 2,000-shape board's outline costs several times writing a template into it.
 */
function outlineFor(doc: Y.Doc): BoardOutline {
  const kept = outlines.get(doc)
  if (kept) return kept
  watch(doc)
  const outline = outlineOf(readSomeFields(doc, OUTLINE_FIELDS))
  outlines.set(doc, outline)
  return outline
}

/** The fields outlineOf reads. */
const OUTLINE_FIELDS: ReadonlySet<string> = new Set([PRESENCE_FIELD, 'id', 'parentId', 'index', 'x', 'y', 'props.w', 'props.h', 'props.scale', 'props.growY'])

/**
 * The board's pages and shapes from some of their fields (readSomeFields): a push goes to every
 * board of an event, and decoding all of a 2,000-shape board, or keeping it indexed in a FieldMap,
 * cost several times the rest of the push. Records are those recordsOf would give: with their
 * presence field and id.
 */
function outlineOf(records: ReadonlyMap<string, ReadonlyMap<string, unknown>>): BoardOutline {
  const outline: BoardOutline = { pages: [], hasDocument: false, shapes: [] }
  for (const record of records.values()) {
    if (!record.has(PRESENCE_FIELD) || !record.has('id')) continue
    switch (record.get(PRESENCE_FIELD)) {
      case 'page':
        outline.pages.push({ id: record.get('id') as TLPageId, index: record.get('index') as IndexKey })
        break
      case 'document':
        outline.hasDocument = true
        break
      case 'shape':
        outline.shapes.push({ parentId: record.get('parentId'), index: record.get('index') as IndexKey, bounds: boundsOf(record) })
        break
    }
  }
  return outline
}

function firstPage(pages: BoardOutline['pages']): TLPageId | undefined {
  return [...pages].sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))[0]?.id
}

/** Page bounds of a top-level shape, close enough to keep a template clear of it. */
function boundsOf(record: ReadonlyMap<string, unknown>): Rect {
  const scale = numberIn(record, 'props.scale') ?? 1
  const w = numberIn(record, 'props.w') ?? NOTE_SIZE
  const h = (numberIn(record, 'props.h') ?? NOTE_SIZE) + (numberIn(record, 'props.growY') ?? 0)
  return { x: numberIn(record, 'x') ?? 0, y: numberIn(record, 'y') ?? 0, w: w * scale, h: h * scale }
}

function numberIn(record: ReadonlyMap<string, unknown>, field: string): number | undefined {
  const value = record.get(field)
  return typeof value === 'number' ? value : undefined
}

/** FNV-1a over the records' canonical JSON (keys sorted): equal records, equal fingerprint. */
function fingerprint(records: readonly TLRecord[]): string {
  const text = canonicalJson([...records].sort((a, b) => (a.id < b.id ? -1 : 1)))
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `${hash.toString(16)}:${text.length}`
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
