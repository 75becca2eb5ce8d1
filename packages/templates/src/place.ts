import { appendNewEntries, type FieldMap, FieldWatch, fieldKey, newRecordEntries, PRESENCE_FIELD, RECORDS_ARRAY, recordsOf, recordToFields, SCHEMA_KEY, SCHEMA_MAP, sharedFieldMap, type WatchedEntry } from '@fabrique/board'
// tldraw's light packages, not 'tldraw' itself (editor, UI, React): the server writes templates
// with this module, and importing 'tldraw' would cost it some 130 MB and 3 s at start.
import { createTLSchema, DocumentRecordType, PageRecordType, type TLPageId, type TLRecord, type TLShape } from '@tldraw/tlschema'
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
  /**
   * The entries the push wrote (the Yjs client and first clock of the run, its length) and how many
   * of them hold its shapes' and bindings' fields: a withdrawal finds them all still live, and no
   * other, when nobody edited the pushed records.
   */
  written?: PushWrite
  /** Of the pushed records as written, by pushes stored before `written` (see legacyFingerprint). */
  fingerprint?: string
  withdrawnAt?: number
}

export interface PushWrite {
  client: number
  clock: number
  length: number
  /** Of those entries, the ones of the pushed records (the rest: a new board's page, images). */
  pushed: number
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
  let own: Y.Transaction | undefined
  doc.transact((transaction) => {
    own = transaction
    write(doc, placement)
  })
  // The outline after this write is the one the placement worked out: kept for the next push, once
  // the watch has read the write (when its transaction ends, maybe after this returns: the room's).
  const watch = watches.get(doc)
  if (watch && !watch.stoppedSoFar) outlines.set(watch, { version: watch.version, outline: placement.outline, by: own })
  return { status: 'placed', shapeIds: placement.entry.shapeIds }
}

/** A template laid out for one board: its records and their entries, the board's push entry, and the outline after it. */
interface Placement {
  pushId: string
  records: TLRecord[]
  /** The records' entries, in their order. */
  entries: Uint8Array[]
  /** How many of them hold the pushed records' fields. */
  pushedEntries: number
  entry: PushEntry
  outline: BoardOutline
}

/**
 * A template instantiated once for every board of a push: its records where the top-level shapes
 * are placed on no board yet (at the origin, on a stand-in page), and the entries of the others,
 * which every board gets as they are. Each board then only places the top-level shapes (its page,
 * its free space, above its shapes): the records of one push have the same ids on every board, each
 * board being a document of its own. Instantiating, then encoding 880 entries, for each of fifty
 * boards was a third of a push's time.
 */
interface PreparedPush {
  template: PlaceOptions['template']
  locale: Locale
  pushId: string
  records: readonly TLRecord[]
  /** The positions in `records` of the top-level shapes, in their index order. */
  roots: readonly number[]
  /** The entries of each record, top-level shapes' left out (undefined). */
  entries: ReadonlyArray<readonly Uint8Array[] | undefined>
  /** The ids of the pushed records (those but the images). */
  shapeIds: readonly string[]
  /** How many entries those records are written with (a top-level shape's fields are the same on every board). */
  pushedEntries: number
}

/** The page the prepared top-level shapes stand on, before they are placed on a board's. */
const PREPARED_PAGE = 'page:fabrique-prepared-push' as TLPageId

/** Prepared pushes by the options a caller gives for every board of its push (facilitation's). */
const preparedPushes = new WeakMap<PlaceOptions, PreparedPush>()

function preparedFor(options: PlaceOptions): PreparedPush {
  const { template, locale, pushId, createId } = options
  const kept = preparedPushes.get(options)
  if (kept && kept.template === template && kept.locale === locale && kept.pushId === pushId) return kept
  const where = { origin: { x: 0, y: 0 }, pageId: PREPARED_PAGE, pushId, createId }
  const records: TLRecord[] = 'content' in template ? savedRecords(template.content, where) : instantiateTemplate(template, { locale, ...where })
  const roots: number[] = []
  records.forEach((record, i) => {
    if (record.typeName === 'shape' && record.parentId === PREPARED_PAGE) roots.push(i)
  })
  roots.sort((a, b) => ((records[a] as TLShape).index < (records[b] as TLShape).index ? -1 : 1))
  const isRoot = new Set(roots)
  const pushed = records.filter((record) => record.typeName !== 'asset')
  const prepared: PreparedPush = {
    template,
    locale,
    pushId,
    records,
    roots,
    entries: records.map((record, i) => (isRoot.has(i) ? undefined : newRecordEntries(record))),
    shapeIds: pushed.map((record) => record.id),
    pushedEntries: pushed.reduce((sum, record) => sum + recordToFields(record).size, 0),
  }
  preparedPushes.set(options, prepared)
  return prepared
}

/** The records of a template placed on a board of this outline, and what the outline becomes. */
function plan(outline: BoardOutline, options: PlaceOptions): Placement {
  const { template, locale, pushId, now = Date.now } = options
  const setup: TLRecord[] = []
  let page = outline.page
  if (!page) {
    // A board nobody opened yet: give it what tldraw would create, with tldraw's own default ids.
    const record = PageRecordType.create({ id: DEFAULT_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey })
    page = { id: record.id, index: record.index }
    setup.push(record)
    if (!outline.hasDocument) setup.push(DocumentRecordType.create({ id: 'document:document' as never }))
  }
  const prepared = preparedFor(options)
  const size = 'content' in template ? template.content.size : template.size
  const origin = findFreeSpace(outline.content ? [outline.content] : [], size)

  // The top-level shapes, placed on this board: above its shapes, one above the other in their order.
  const records = [...prepared.records]
  const entries = prepared.entries.slice() as Array<readonly Uint8Array[] | undefined>
  const added: Rect[] = []
  let top = outline.top
  for (const i of prepared.roots) {
    const shape = records[i] as TLShape
    const index = getIndexAbove(top)
    const placed = { ...shape, parentId: page.id, index, x: shape.x + origin.x, y: shape.y + origin.y } as TLShape
    records[i] = placed
    entries[i] = newRecordEntries(placed)
    const fields = recordToFields(placed)
    added.push(boundsOf((field) => fields.get(field)))
    top = index
  }
  const entry: PushEntry = { templateId: template.id, locale, at: now(), shapeIds: [...prepared.shapeIds] }
  return {
    pushId,
    records: [...setup, ...records],
    entries: [...setup.flatMap(newRecordEntries), ...entries.flatMap((recordEntries) => recordEntries ?? [])],
    pushedEntries: prepared.pushedEntries,
    entry,
    outline: { page, hasDocument: true, top, content: around(outline.content, added) },
  }
}

/** Writes a placement into a document, in the caller's transaction. */
function write(doc: Y.Doc, { pushId, entries, pushedEntries, entry }: Placement): void {
  // Every key is new: the template's records have ids of their own.
  const clock = Y.getState(doc.store, doc.clientID)
  appendNewEntries(doc, entries)
  const schema = doc.getMap(SCHEMA_MAP)
  if (!schema.has(SCHEMA_KEY)) schema.set(SCHEMA_KEY, serializedSchema())
  const written: PushWrite = { client: doc.clientID, clock, length: entries.length, pushed: pushedEntries }
  doc.getMap<PushEntry>(PUSHES_MAP).set(pushId, { ...entry, written })
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
  if (addedInside || current.length !== pushed.size) return 'touched'
  if (entry.written ? !asWritten(fields, pushed, entry.written) : legacyFingerprint(current) !== entry.fingerprint) return 'touched'
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
/** Reads started again because the board changed under them, before giving up (placeTemplate then reads it). */
const OUTLINE_ATTEMPTS = 3

/**
 * Follows a board's outline from now on (a FieldWatch of the fields outlineOf reads), so that a
 * push finds it ready instead of reading a 2,000-shape board's 53,000 entries (15-20 ms each, for
 * fifty boards at once). The server calls it for every board it loads: a new board (every board of
 * an event starts empty) is followed from its first entry, at the cost of each change's own
 * entries; one loaded with more than `maxItems` entries in its records array is read at its first
 * push instead (prepareOutline), not at every load.
 */
export function followOutline(doc: Y.Doc, maxItems = Number.POSITIVE_INFINITY): void {
  if (watches.get(doc)?.following) return
  if (doc.getArray(RECORDS_ARRAY)._length > maxItems) return
  watches.set(doc, FieldWatch.read(doc, OUTLINE_FIELDS))
}

/**
 * Reads the board's outline ahead of placeTemplate when it is not followed yet, over several turns
 * of the event loop (a 2,000-shape board's 53,000 entries in four), and follows it from there:
 * placeTemplate then only writes, and a server pushing to every board of an event never holds its
 * loop for a whole board's read (50-90 ms while its code is still cold, ~20 ms after). If the board's
 * records change during the read, it starts again; after a few attempts placeTemplate reads the
 * outline itself. Pushes to the same board at once (a facilitator sends several templates) share one
 * read.
 */
export function prepareOutline(doc: Y.Doc, pushId?: string, options: ReadAheadOptions = {}): Promise<void> {
  // A push already placed here is answered without the outline.
  const watch = watches.get(doc)
  if ((watch && !watch.stoppedSoFar) || (pushId !== undefined && doc.getMap(PUSHES_MAP).has(pushId))) return Promise.resolve()
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
  for (let attempt = 0; attempt < OUTLINE_ATTEMPTS && !watches.get(doc)?.following; attempt++) {
    const watch = await FieldWatch.readInTurns(doc, OUTLINE_FIELDS, { itemsPerTurn, nextTurn })
    // A push may have read the board meanwhile (placeTemplate after the last attempt).
    if (watch && !watches.get(doc)?.following) watches.set(doc, watch)
    else watch?.dispose()
  }
}

/** The boards whose outline fields are followed. */
const watches = new WeakMap<Y.Doc, FieldWatch>()
/**
 * The outline last worked out from each watch, and the watch's version it was worked out at; or, for
 * a placement's, the transaction that wrote it: the watch's version after that transaction is the
 * outline's too (the server writes nothing else in a push's transaction).
 */
const outlines = new WeakMap<FieldWatch, { version: number; outline: BoardOutline; by?: Y.Transaction }>()

/**
 * A board's outline, from the fields the board's watch follows (read now when nobody follows them:
 * a facilitator pushes several templates in a row to every board of the event, and each push after
 * the first finds them followed).
 */
function outlineFor(doc: Y.Doc): BoardOutline {
  let watch = watches.get(doc)
  const kept = watch && outlines.get(watch)
  if (watch && kept && !watch.stoppedSoFar) {
    if (kept.version !== watch.version && kept.by !== undefined && watch.lastChange === kept.by) {
      // Nothing but the placement's own write since: its outline stands, the write left unread.
      kept.version = watch.version
      kept.by = undefined
    }
    if (kept.version === watch.version) return kept.outline
  }
  if (!watch?.following) {
    watch = FieldWatch.read(doc, OUTLINE_FIELDS)
    watches.set(doc, watch)
  }
  const outline = outlineOf(watch.records)
  outlines.set(watch, { version: watch.version, outline })
  return outline
}

/** The fields outlineOf reads. */
const OUTLINE_FIELDS: ReadonlySet<string> = new Set([PRESENCE_FIELD, 'id', 'parentId', 'index', 'x', 'y', 'props.w', 'props.h', 'props.scale', 'props.growY'])

/**
 * The board's pages and shapes from the fields a FieldWatch follows: a push goes to every
 * board of an event, and decoding all of a 2,000-shape board, or keeping it indexed in a FieldMap,
 * cost several times the rest of the push. Records are those recordsOf would give: with their
 * presence field and id.
 */
function outlineOf(records: ReadonlyMap<string, ReadonlyMap<string, WatchedEntry>>): BoardOutline {
  let page: { id: TLPageId; index: IndexKey } | undefined
  let hasDocument = false
  for (const fields of records.values()) {
    if (!fields.has('id')) continue
    const typeName = fields.get(PRESENCE_FIELD)?.value
    if (typeName === 'page') {
      const index = fields.get('index')?.value as IndexKey
      // The first page in index order (the earliest read of equal ones).
      if (!page || index < page.index) page = { id: fields.get('id')?.value as TLPageId, index }
    } else if (typeName === 'document') {
      hasDocument = true
    }
  }
  const pageId = page?.id ?? DEFAULT_PAGE_ID
  let top: IndexKey | undefined
  // The box around the page's shapes, as its edges (union's, without a box per shape).
  let left = Number.POSITIVE_INFINITY
  let upper = Number.POSITIVE_INFINITY
  let right = Number.NEGATIVE_INFINITY
  let lower = Number.NEGATIVE_INFINITY
  const get = (fields: ReadonlyMap<string, WatchedEntry>) => (field: string) => fields.get(field)?.value
  for (const fields of records.values()) {
    if (fields.get(PRESENCE_FIELD)?.value !== 'shape' || !fields.has('id') || fields.get('parentId')?.value !== pageId) continue
    const index = fields.get('index')?.value as IndexKey
    if (!top || index > top) top = index
    const box = boundsOf(get(fields))
    if (!isUsable(box)) continue
    left = Math.min(left, box.x)
    upper = Math.min(upper, box.y)
    right = Math.max(right, box.x + box.w)
    lower = Math.max(lower, box.y + box.h)
  }
  const content = left <= right ? { x: left, y: upper, w: right - left, h: lower - upper } : undefined
  return { page, hasDocument, top, content }
}

/** Page bounds of a top-level shape (its fields read through `get`), close enough to keep a template clear of it. */
function boundsOf(get: (field: string) => unknown): Rect {
  const scale = numberIn(get('props.scale')) ?? 1
  const w = numberIn(get('props.w')) ?? NOTE_SIZE
  const h = (numberIn(get('props.h')) ?? NOTE_SIZE) + (numberIn(get('props.growY')) ?? 0)
  return { x: numberIn(get('x')) ?? 0, y: numberIn(get('y')) ?? 0, w: w * scale, h: h * scale }
}

function numberIn(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

/**
 * Whether the pushed records' live entries are exactly those the push wrote: any edit of a field
 * (even back to its pushed value), a field removed or added, replaces or adds an entry of another
 * writer or another time.
 */
function asWritten(fields: FieldMap, pushed: ReadonlySet<string>, written: PushWrite): boolean {
  let live = 0
  for (const id of pushed) {
    for (const { client, clock } of fields.entryIdsOf(id)) {
      if (client !== written.client || clock < written.clock || clock >= written.clock + written.length) return false
      live++
    }
  }
  return live === written.pushed
}

/**
 * FNV-1a over the records' canonical JSON (keys sorted), and that text's length: equal records,
 * equal fingerprint. Pushes stored before PushWrite hold fingerprints of this exact text, which
 * their withdrawal compares.
 */
function legacyFingerprint(records: readonly TLRecord[]): string {
  const hasher = new CanonicalHasher()
  hasher.value([...records].sort((a, b) => (a.id < b.id ? -1 : 1)))
  return `${(hasher.hash >>> 0).toString(16)}:${hasher.length}`
}

/** Feeds JSON with every object's keys sorted to FNV-1a, a piece at a time. */
class CanonicalHasher {
  // Kept a 32-bit integer throughout (`>>> 0` in the loop made a heap number of every step).
  hash = 0x811c9dc5 | 0
  length = 0

  value(value: unknown): void {
    if (Array.isArray(value)) {
      this.text('[')
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.text(',')
        this.value(value[i])
      }
      this.text(']')
    } else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>
      this.text('{')
      let first = true
      for (const key of Object.keys(object).sort()) {
        if (!first) this.text(',')
        first = false
        this.text(JSON.stringify(key))
        this.text(':')
        this.value(object[key])
      }
      this.text('}')
    } else {
      this.text(JSON.stringify(value) ?? 'null')
    }
  }

  private text(text: string): void {
    let hash = this.hash
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
    this.hash = hash
    this.length += text.length
  }
}
