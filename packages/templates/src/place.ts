import { appendNewFields, fieldKey, PRESENCE_FIELD, RECORDS_ARRAY, readSomeFields, readSomeFieldsInTurns, recordsOf, recordToFields, SCHEMA_KEY, SCHEMA_MAP, sharedFieldMap } from '@fabrique/board'
// tldraw's light packages, not 'tldraw' itself (editor, UI, React): the server writes templates
// with this module, and importing 'tldraw' would cost it some 130 MB and 3 s at start.
import { createTLSchema, DocumentRecordType, PageRecordType, type TLPageId, type TLRecord } from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { type EventTemplateContent, instantiateEventTemplate, type SavedTemplate } from './eventTemplate.ts'
import { findFreeSpace, isUsable, union } from './freeSpace.ts'
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
export function placeTemplate(doc: Y.Doc, options: PlaceOptions): PlaceResult {
  const previous = doc.getMap<PushEntry>(PUSHES_MAP).get(options.pushId)
  if (previous) return { status: 'already', shapeIds: previous.shapeIds }
  const placement = plan(outlineFor(doc), options)
  doc.transact((transaction) => {
    ownWrites.add(transaction)
    write(doc, placement)
  })
  // The outline stays good for the next push: what this one wrote is all that changed.
  outlines.set(doc, placement.outline)
  return { status: 'placed', shapeIds: placement.entry.shapeIds }
}

/** A template laid out for one board: its records, the board's push entry, and the outline after it. */
interface Placement {
  pushId: string
  records: TLRecord[]
  entry: PushEntry
  outline: BoardOutline
}

/** The records of a template placed on a board of this outline, and what the outline becomes. */
function plan(outline: BoardOutline, { template, locale, pushId, createId, now = Date.now }: PlaceOptions): Placement {
  const setup: TLRecord[] = []
  let page = outline.page
  if (!page) {
    // A board nobody opened yet: give it what tldraw would create, with tldraw's own default ids.
    const record = PageRecordType.create({ id: DEFAULT_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey })
    page = { id: record.id, index: record.index }
    setup.push(record)
    if (!outline.hasDocument) setup.push(DocumentRecordType.create({ id: 'document:document' as never }))
  }
  const size = 'content' in template ? template.content.size : template.size
  const origin = findFreeSpace(outline.content ? [outline.content] : [], size)
  const where = { origin, pageId: page.id, pushId, createId, index: getIndexAbove(outline.top) }
  const shapes: TLRecord[] = 'content' in template ? savedRecords(template.content, where) : instantiateTemplate(template, { locale, ...where })
  const pushed = shapes.filter((record) => record.typeName !== 'asset')
  const entry: PushEntry = { templateId: template.id, locale, at: now(), shapeIds: pushed.map((record) => record.id), fingerprint: fingerprint(pushed) }

  let top = outline.top
  const added: Rect[] = []
  for (const shape of pushed) {
    if (shape.typeName !== 'shape' || shape.parentId !== page.id) continue
    added.push(boundsOf(recordToFields(shape)))
    if (!top || shape.index > top) top = shape.index
  }
  return { pushId, records: [...setup, ...shapes], entry, outline: { page, hasDocument: true, top, content: around(outline.content, added) } }
}

/** Writes a placement into a document, in the caller's transaction. */
function write(doc: Y.Doc, { pushId, records, entry }: Placement): void {
  const sets: Array<[string, unknown]> = []
  for (const record of records) {
    for (const [field, value] of recordToFields(record)) sets.push([fieldKey(record.id, field), value])
  }
  // Every key is new: the template's records have ids of their own.
  appendNewFields(doc, sets)
  const schema = doc.getMap(SCHEMA_MAP)
  if (!schema.has(SCHEMA_KEY)) schema.set(SCHEMA_KEY, serializedSchema())
  doc.getMap<PushEntry>(PUSHES_MAP).set(pushId, entry)
}

/**
 * What a push needs of a board while it rests (see placeTemplateAtRest): taken from the document
 * when the server drops it and keeps only its bytes.
 */
export class PushGround {
  constructor(
    readonly outline: BoardOutline,
    /** The id an append names as its left neighbour: the records array's last item's last id (null: empty array). */
    readonly recordsEnd: Y.ID | null,
    /** The pushes the board received, by id: the shapes of each (a retried push answers with them). */
    readonly pushes: ReadonlyMap<string, readonly string[]>,
    readonly hasSchema: boolean,
    /** The clients the document holds changes of: a change made at rest needs another. */
    readonly clients: ReadonlySet<number>,
  ) {}
}

/** A board's push ground, read from its document (its outline is read unless kept from a push). */
export function pushGroundOf(doc: Y.Doc): PushGround {
  const pushes = new Map<string, readonly string[]>()
  for (const [pushId, entry] of doc.getMap<PushEntry>(PUSHES_MAP)) pushes.set(pushId, entry.shapeIds)
  return new PushGround(outlineFor(doc), lastRecordId(doc), pushes, doc.getMap(SCHEMA_MAP).has(SCHEMA_KEY), new Set(doc.store.clients.keys()))
}

export interface PlacedAtRest {
  result: PlaceResult
  /** The change to store and send, as Yjs would have encoded it from the live document (none: already placed). */
  update?: Uint8Array
  /** The ground once the change is made. */
  ground: PushGround
  /** The records the change writes (none: already placed). */
  records: readonly TLRecord[]
  /** Whether they went to a page that had shapes already: the page a board's preview shows (see addToPreview). */
  onShownPage: boolean
}

/**
 * Places a template on a resting board without its document: the change is written into a small
 * stand-in whose records array ends where the board's does, and encoded from there. The update is
 * the one placeTemplate would have made from the whole document with the same client id (a test
 * compares them byte for byte): a push to fifty resting boards decodes none of them.
 */
export function placeTemplateAtRest(ground: PushGround, options: PlaceOptions & { clientId?: number }): PlacedAtRest {
  const previous = ground.pushes.get(options.pushId)
  if (previous) return { result: { status: 'already', shapeIds: [...previous] }, ground, records: [], onShownPage: false }
  const placement = plan(ground.outline, options)
  const clientId = options.clientId ?? newClientId(ground.clients)
  const doc = standIn(ground, clientId)
  doc.clientID = clientId
  // The transaction's own update, as the room stores the live document's (encodeStateAsUpdate
  // would add every deletion of the stand-in, its placeholder range included).
  let update: Uint8Array | undefined
  doc.on('update', (written: Uint8Array) => {
    update = written
  })
  doc.transact(() => write(doc, placement))
  const recordsEnd = lastRecordId(doc)
  doc.destroy()
  const pushes = new Map(ground.pushes).set(options.pushId, placement.entry.shapeIds)
  const next = new PushGround(placement.outline, recordsEnd, pushes, true, new Set(ground.clients).add(clientId))
  return {
    result: { status: 'placed', shapeIds: placement.entry.shapeIds },
    update,
    ground: next,
    records: placement.records,
    // The first page in tldraw's order; it had a top-level shape, so it is the first holding shapes.
    onShownPage: ground.outline.top !== undefined,
  }
}

/** The last id of the records array's last item, deleted or not: what Y.Array's push names as the left neighbour. */
function lastRecordId(doc: Y.Doc): Y.ID | null {
  let last: Y.Item | null = null
  for (let item = doc.getArray(RECORDS_ARRAY)._start; item !== null; item = item.right) last = item
  return last && Y.createID(last.id.client, last.id.clock + last.length - 1)
}

/** A client id the board has no change of (Yjs draws them at random as well). */
function newClientId(taken: ReadonlySet<number>): number {
  for (;;) {
    const id = Math.floor(Math.random() * 0x1_0000_0000)
    if (!taken.has(id)) return id
  }
}

/**
 * A document with just enough of a resting board for placeTemplate's write to encode as it would on
 * the board: its records array's last item (with the id of the board's, so that what is appended
 * names it as its left neighbour) and, when the board has one, a schema entry (so none is written).
 * The last item comes from a hand-made update: a GC range for the clocks before it, then the item.
 */
function standIn(ground: PushGround, clientId: number): Y.Doc {
  if (ground.clients.has(clientId)) throw new Error(`placeTemplateAtRest: client ${clientId} has changes on the board already`)
  const doc = new Y.Doc()
  // The placeholders' own client, never the one of the change.
  doc.clientID = newClientId(new Set(ground.clients).add(clientId))
  const end = ground.recordsEnd
  if (end) {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1) // clients
    encoding.writeVarUint(encoder, end.clock > 0 ? 2 : 1) // structs of that client
    encoding.writeVarUint(encoder, end.client)
    encoding.writeVarUint(encoder, 0) // first clock
    if (end.clock > 0) {
      encoding.writeUint8(encoder, 0) // GC struct: clocks 0 to end.clock - 1
      encoding.writeVarUint(encoder, end.clock)
    }
    encoding.writeUint8(encoder, BINARY_CONTENT) // an item without origins: its parent follows
    encoding.writeVarUint(encoder, 1) // the parent is a root type, named
    encoding.writeVarString(encoder, RECORDS_ARRAY)
    encoding.writeVarUint8Array(encoder, new Uint8Array(0))
    encoding.writeVarUint(encoder, 0) // no deletions
    Y.applyUpdate(doc, encoding.toUint8Array(encoder))
  }
  if (ground.hasSchema) doc.getMap(SCHEMA_MAP).set(SCHEMA_KEY, null)
  return doc
}

/** Yjs's content reference for binary content (ContentBinary), what the records array holds. */
const BINARY_CONTENT = 3

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

/** tldraw's id of a board's first page, which a board nobody opened gets from a push. */
const DEFAULT_PAGE_ID = 'page:page' as TLPageId

/** What placing a template needs to know of a board: its first page and what is on it. */
export interface BoardOutline {
  /** The page a template goes on (the board's first), or none yet (a board nobody opened). */
  page: { id: TLPageId; index: IndexKey } | undefined
  hasDocument: boolean
  /** The highest index of the page's shapes: a template goes above it. */
  top: IndexKey | undefined
  /**
   * The box around the page's shapes (none when the page is empty). Without a viewport, free space
   * is right of everything: findFreeSpace finds the same place from this box as from every shape's,
   * and a board keeps four numbers while it rests, not one box per shape.
   */
  content: Rect | undefined
}

/** The box around `box` and `rects`, those findFreeSpace would use. */
function around(box: Rect | undefined, rects: readonly Rect[]): Rect | undefined {
  const usable = rects.filter(isUsable)
  if (box) usable.push(box)
  return usable.length > 0 ? union(usable) : undefined
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
 * the read, it starts again; after a few attempts placeTemplate reads the outline itself. Pushes
 * to the same board at once (a facilitator sends several templates) share one read.
 */
export function prepareOutline(doc: Y.Doc, pushId?: string, options: ReadAheadOptions = {}): Promise<void> {
  // A push already placed here is answered without the outline.
  if (outlines.has(doc) || (pushId !== undefined && doc.getMap(PUSHES_MAP).has(pushId))) return Promise.resolve()
  let read = readsAhead.get(doc)
  if (!read) {
    read = readAhead(doc, options).finally(() => readsAhead.delete(doc))
    readsAhead.set(doc, read)
  }
  return read
}

interface ReadAheadOptions {
  itemsPerTurn?: number
  nextTurn?: () => Promise<unknown>
}

/** The outline reads under way, by board. */
const readsAhead = new WeakMap<Y.Doc, Promise<void>>()

async function readAhead(doc: Y.Doc, { itemsPerTurn = OUTLINE_ITEMS_PER_TURN, nextTurn }: ReadAheadOptions): Promise<void> {
  for (let attempt = 0; attempt < OUTLINE_ATTEMPTS && !outlines.has(doc); attempt++) {
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
  const pages: Array<{ id: TLPageId; index: IndexKey }> = []
  const shapes: Array<ReadonlyMap<string, unknown>> = []
  let hasDocument = false
  for (const record of records.values()) {
    if (!record.has(PRESENCE_FIELD) || !record.has('id')) continue
    switch (record.get(PRESENCE_FIELD)) {
      case 'page':
        pages.push({ id: record.get('id') as TLPageId, index: record.get('index') as IndexKey })
        break
      case 'document':
        hasDocument = true
        break
      case 'shape':
        shapes.push(record)
        break
    }
  }
  const page = pages.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))[0]
  const pageId = page?.id ?? DEFAULT_PAGE_ID
  const onPage = shapes.filter((shape) => shape.get('parentId') === pageId)
  let top: IndexKey | undefined
  for (const shape of onPage) {
    const index = shape.get('index') as IndexKey
    if (!top || index > top) top = index
  }
  return { page, hasDocument, top, content: around(undefined, onPage.map(boundsOf)) }
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
  // Kept a 32-bit integer throughout (`>>> 0` in the loop made a heap number of every step).
  let hash = 0x811c9dc5 | 0
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return `${(hash >>> 0).toString(16)}:${text.length}`
}

/** JSON with every object's keys sorted. Pushes stored earlier hold fingerprints of this exact text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '['
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i])
    return `${text}]`
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>
    let text = '{'
    for (const key of Object.keys(object).sort()) text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(object[key])}`
    return `${text}}`
  }
  return JSON.stringify(value) ?? 'null'
}
