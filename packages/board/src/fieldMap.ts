import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { appendEntries } from './append.ts'
import { keyBounds, parseValue, sameRecordId, spells, textOf } from './entryBytes.ts'

/** One field's value (JSON) as the document holds it. */
export interface FieldEntry {
  v: unknown
}

/** What the array holds: one entry as UTF-8 JSON `[key, value]`. */
type StoredEntry = Uint8Array

interface IndexedEntry extends FieldEntry {
  /** The array element this entry was read from (identity is what deletions compare). */
  raw: StoredEntry
  /** The Yjs item holding it, to delete it without searching the array by index. */
  item: Y.Item
  /** Its key (`recordId/field`) split once, as indexing and every change need both parts. */
  recordId: string
  field: string
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Field names, one string each: a board holds a few dozen of them, each written once per record
 * (132,000 entries on a 5,000-shape board). Bounded, as a document may hold anything. Each is known
 * by its bytes too, and by the two fields that followed it last (the records of a type list their
 * fields in the same order; notes and rectangles part after `opacity`): an entry's field is most
 * often found by comparing a few bytes, without a string or a lookup.
 */
interface KnownField {
  name: string
  spelling: Uint8Array
  /** The numbers of the fields read after this one, the latest first, or -1. */
  next: number
  before: number
}

const knownFields: KnownField[] = []
const fieldNumbers = new Map<string, number>()
const MAX_FIELD_NAMES = 1000
/** The number of the field of the entry read last, or -1. */
let previousField = -1

/** The number of a field name, known from now on if there is room; -1 when there is none. */
function fieldNumber(name: string): number {
  const known = fieldNumbers.get(name)
  if (known !== undefined) return known
  if (knownFields.length >= MAX_FIELD_NAMES) return -1
  knownFields.push({ name, spelling: encoder.encode(name), next: -1, before: -1 })
  fieldNumbers.set(name, knownFields.length - 1)
  return knownFields.length - 1
}

function fieldName(name: string): string {
  const number = fieldNumber(name)
  return number < 0 ? name : (knownFields[number] as KnownField).name
}

/** The field name spelled by the ASCII bytes of `raw` between `from` and `to`. */
function fieldNameAt(raw: Uint8Array, from: number, to: number): string {
  const previous = knownFields[previousField]
  let number = -1
  if (previous) {
    const { next, before } = previous
    if (next >= 0 && spells(raw, from, to, (knownFields[next] as KnownField).spelling)) number = next
    else if (before >= 0 && spells(raw, from, to, (knownFields[before] as KnownField).spelling)) number = before
  }
  if (number < 0) {
    const name = textOf(raw, from, to)
    number = fieldNumber(name)
    if (number < 0) {
      previousField = -1
      return name
    }
  }
  if (previous && previous.next !== number) {
    previous.before = previous.next
    previous.next = number
  }
  previousField = number
  return (knownFields[number] as KnownField).name
}

/**
 * Decoded by each FieldMap as it indexes the entry, not cached by element: a weak map of every
 * element decoded, once a collection had dropped the elements of a destroyed document, took 100 ms
 * and more to add the next thousand entries to.
 *
 * Read from the entry's bytes when its key is plain ASCII (JSON.stringify writes every key of a
 * tldraw record so): the record id, the field and the value each found in place, most values
 * without a string or a JSON.parse (entryBytes.ts). A 5,000-shape board's index is built in 80-100 ms
 * in Chromium instead of 190-270 ms with a string and a JSON.parse per entry (medians of ten,
 * alternating), and in 125 ms instead of 195 ms in Node.
 */
function decode(item: Y.Item, raw: StoredEntry, previous?: IndexedEntry): IndexedEntry {
  const key = keyBounds(raw)
  if (key === undefined) return decodeWhole(item, raw, previous)
  const slash = key >>> 16
  const end = key & 0xffff
  // A record's entries are written side by side: the previous entry's id, when it is this one's,
  // is shared instead of built again. One string per record instead of one per field, and the maps
  // keyed by record id hash it once (a fresh copy is hashed at each lookup).
  const recordId =
    previous !== undefined && previous.recordId.length === slash - 2 && sameRecordId(previous.raw, slash, raw, slash) ? previous.recordId : textOf(raw, 2, slash)
  return { v: parseValue(raw, end + 2, raw.length - 1), raw, item, recordId, field: fieldNameAt(raw, slash + 1, end) }
}

/** An entry whose key has escapes or characters beyond ASCII: decoded and parsed whole. */
function decodeWhole(item: Y.Item, raw: StoredEntry, previous?: IndexedEntry): IndexedEntry {
  const [k, v] = JSON.parse(decoder.decode(raw)) as [string, unknown]
  const slash = k.lastIndexOf('/')
  const recordId = previous !== undefined && previous.recordId.length === slash && k.startsWith(previous.recordId) ? previous.recordId : k.slice(0, slash)
  return { v, raw, item, recordId, field: fieldName(k.slice(slash + 1)) }
}

/** The key of a stored entry, without decoding its value when the entry allows. */
function keyOf(raw: StoredEntry): string {
  const key = keyBounds(raw)
  return key === undefined ? (JSON.parse(decoder.decode(raw)) as [string])[0] : textOf(raw, 2, key & 0xffff)
}

/** A field entry as the array stores it. */
export function encodeEntry(key: string, value: unknown): StoredEntry {
  // Yjs recognises binary content by its constructor: re-wrap in this realm's Uint8Array when the
  // TextEncoder comes from another one (jsdom); a copy of every entry otherwise.
  const bytes = encoder.encode(JSON.stringify([key, value]))
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
}

/** What changed in one transaction, by record id. */
export interface FieldMapChange {
  recordIds: Set<string>
  transaction: Y.Transaction
}

/**
 * A key/value map stored in a `Y.Array`, the layout of y-utility's `YKeyValue`: writing a key
 * appends an entry and deletes the previous one, and the rightmost entry of a key wins. A `Y.Map`
 * keeps one tombstone per overwrite that never merges with its neighbours; here the overwritten
 * entries were appended one after the other, so their tombstones merge into a single range and a
 * shape moved ten thousand times costs a few bytes, not ten thousand records.
 *
 * Each entry is a `Uint8Array` (UTF-8 JSON), which Yjs keeps as one item per entry: JSON values
 * would be merged into one item holding a whole board, and deleting an entry in the middle of it
 * copies the item (a thousand changed shapes on a 5,000-shape board took seconds to apply).
 * Writes are batched: one transaction finds all the entries it replaces in a single pass over the
 * array (YKeyValue scans the array once per key, quadratic when a thousand shapes move at once).
 */
export class FieldMap {
  /**
   * record id → field → entry: what a record is rebuilt from, and the only index (a second map
   * keyed by `recordId/field` held a 5,000-shape board's 132,000 keys again, ~100 bytes each).
   */
  readonly byRecord = new Map<string, Map<string, IndexedEntry>>()
  /**
   * Live entries that lost to a concurrent write of their key (`recordId/field` → entries), kept in
   * the document instead of deleted: the winner may be deleted by someone who had not seen it (the
   * record deleted, or written whole again, on another peer), and the loser then holds the key
   * again, on every peer alike. Deleting the losers at once, as y-utility's YKeyValue does, lost
   * the field everywhere in that case (a note left without its text, refused by every store). The
   * next write or deletion of the key deletes them with the entry it replaces. Rare: concurrent
   * writes of one field.
   */
  private readonly shadowed = new Map<string, IndexedEntry[]>()
  private readonly listeners = new Set<(change: FieldMapChange) => void>()

  constructor(readonly array: Y.Array<StoredEntry>) {
    const doc = array.doc
    if (!doc) throw new Error('FieldMap needs a Y.Array that belongs to a Y.Doc')
    const values: IndexedEntry[] = []
    for (let item = array._start; item !== null; item = item.right) {
      if (!item.deleted && item.content instanceof Y.ContentBinary) values.push(decode(item, item.content.content, values[values.length - 1]))
    }
    // The rightmost entry of a key holds it; the others wait behind it (see `shadowed`).
    for (let i = values.length - 1; i >= 0; i--) {
      const entry = values[i] as IndexedEntry
      if (this.entryOf(entry.recordId, entry.field)) this.shadow(entry)
      else this.index(entry)
    }
    array.observe(this.onArrayChange)
    batchTombstones(doc).arrays.add(array)
  }

  get doc(): Y.Doc {
    return this.array.doc as Y.Doc
  }

  fieldsOf(recordId: string): ReadonlyMap<string, FieldEntry> | undefined {
    return this.byRecord.get(recordId)
  }

  /** The ids of the items holding a record's live entries: who wrote each field (Yjs's client), and when. */
  entryIdsOf(recordId: string): Y.ID[] {
    const ids: Y.ID[] = []
    for (const entry of this.byRecord.get(recordId)?.values() ?? []) ids.push(entry.item.id)
    return ids
  }

  /** The live entry of a `recordId/field` key. */
  get(key: string): FieldEntry | undefined {
    return this.entryAt(key)
  }

  private entryOf(recordId: string, field: string): IndexedEntry | undefined {
    return this.byRecord.get(recordId)?.get(field)
  }

  private entryAt(key: string): IndexedEntry | undefined {
    const { recordId, field } = splitKey(key)
    return this.entryOf(recordId, field)
  }

  recordIds(): IterableIterator<string> {
    return this.byRecord.keys()
  }

  /** Writes and deletes in one transaction (the caller's, if one is open). */
  write(sets: ReadonlyArray<readonly [key: string, value: unknown]>, deletes: Iterable<string>, origin?: unknown): void {
    const replaced = new Set<IndexedEntry>()
    const appended: StoredEntry[] = []
    const seen = new Set<string>()
    for (const [key, value] of sets) {
      if (seen.has(key)) throw new Error(`FieldMap.write: key ${key} written twice in one batch`)
      seen.add(key)
      const previous = this.entryAt(key)
      if (previous) replaced.add(previous)
      if (this.shadowed.size > 0) for (const loser of this.shadowed.get(key) ?? []) replaced.add(loser)
      appended.push(encodeEntry(key, value))
    }
    for (const key of deletes) {
      if (seen.has(key)) continue
      const previous = this.entryAt(key)
      if (previous) replaced.add(previous)
      if (this.shadowed.size > 0) for (const loser of this.shadowed.get(key) ?? []) replaced.add(loser)
    }
    if (replaced.size === 0 && appended.length === 0) return
    this.doc.transact(() => {
      if (replaced.size > 0) this.deleteEntries(replaced)
      appendEntries(this.array, appended)
    }, origin)
  }

  onChange(listener: (change: FieldMapChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.array.unobserve(this.onArrayChange)
    batchTombstones(this.doc).arrays.delete(this.array)
    this.listeners.clear()
  }

  private index(entry: IndexedEntry): void {
    fieldsOfRecord(this.byRecord, entry.recordId).set(entry.field, entry)
  }

  private unindex(entry: IndexedEntry): void {
    const fields = this.byRecord.get(entry.recordId)
    if (!fields) return
    fields.delete(entry.field)
    if (fields.size === 0) this.byRecord.delete(entry.recordId)
  }

  private shadow(entry: IndexedEntry): void {
    const key = fieldKey(entry.recordId, entry.field)
    const losers = this.shadowed.get(key)
    if (!losers) this.shadowed.set(key, [entry])
    else if (!losers.includes(entry)) losers.push(entry)
  }

  /** The live entries of a key that lost to another, after deleted ones are dropped. */
  private liveShadows(key: string): IndexedEntry[] {
    const losers = this.shadowed.get(key)
    if (!losers) return []
    const live = losers.filter((entry) => !entry.item.deleted)
    if (live.length === 0) this.shadowed.delete(key)
    else if (live.length < losers.length) this.shadowed.set(key, live)
    return live
  }

  /**
   * Deletes the given entries through their items: a search by index walks the array, and a
   * thousand deletions on a 100,000-entry board took seconds. The array's index cache (search
   * markers) is dropped afterwards, as Yjs rebuilds it on demand.
   */
  private deleteEntries(doomed: Iterable<IndexedEntry>): void {
    this.doc.transact((transaction) => {
      for (const entry of doomed) entry.item.delete(transaction)
      const markers = (this.array as unknown as { _searchMarker: unknown[] | null })._searchMarker
      if (markers) markers.length = 0
    })
  }

  private readonly onArrayChange = (_event: Y.YArrayEvent<StoredEntry>, transaction: Y.Transaction): void => {
    const recordIds = new Set<string>()
    // Added entries first: one replacing an entry this transaction deleted takes its place in the
    // index, and the record's fields keep their order. Deleted entries still indexed go after; when
    // every deleted entry was replaced (a batch of edits), there are none to look for.
    const added = this.addedIn(transaction)
    const replaced = added.length > 0 ? this.settleAdded(added, transaction, recordIds) : 0
    // An entry is one clock long: a delete set no longer than the entries replaced holds nothing
    // else, and its structs need not be looked up (a thousand binary searches for a batch of edits).
    if (deletedClocks(transaction) > replaced) {
      const uncovered = new Set<string>()
      for (const raw of this.deletedIn(transaction)) {
        const key = keyOf(raw)
        const entry = this.entryAt(key)
        if (entry?.raw === raw) {
          this.unindex(entry)
          recordIds.add(entry.recordId)
          if (this.shadowed.size > 0 && this.shadowed.has(key)) uncovered.add(key)
        } else if (this.shadowed.size > 0 && this.shadowed.has(key)) {
          // A loser deleted: dropped from the key's list (liveShadows prunes the deleted ones).
          this.liveShadows(key)
        }
      }
      // A key whose entry went while a loser of it is left: the loser holds it again.
      if (uncovered.size > 0) this.promoteShadows(uncovered)
    }
    if (recordIds.size === 0) return
    for (const listener of this.listeners) listener({ recordIds, transaction })
  }

  /**
   * Entries this transaction added to the array and did not delete, in the order of their structs,
   * found from the structs it created: `YArrayEvent.changes` would do, but it builds its delta by
   * concatenating arrays one item at a time, quadratic when a whole board arrives as 100,000 items.
   */
  private addedIn(transaction: Y.Transaction): IndexedEntry[] {
    const added: IndexedEntry[] = []
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after === before) continue
      const structs = transaction.doc.store.clients.get(client) ?? []
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]
        if (struct.id.clock >= after) break
        if (struct instanceof Y.Item && struct.parent === this.array && !struct.deleted && struct.content instanceof Y.ContentBinary) {
          added.push(decode(struct, struct.content.content, added[added.length - 1]))
        }
      }
    }
    return added
  }

  /**
   * Entries this transaction deleted (their content is still there while observers run), read from
   * the structs of its delete set as `addedIn` reads the added ones: Yjs's `iterateDeletedStructs`
   * hands each struct to a callback, splitting structs to hand them over whole.
   */
  private deletedIn(transaction: Y.Transaction): StoredEntry[] {
    const deleted: StoredEntry[] = []
    for (const [client, deletes] of transaction.deleteSet.clients) {
      const structs = transaction.doc.store.clients.get(client)
      if (!structs) continue
      for (const { clock, len } of deletes) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
          const struct = structs[i]
          if (struct instanceof Y.Item && struct.parent === this.array && struct.content instanceof Y.ContentBinary) deleted.push(struct.content.content)
        }
      }
    }
    return deleted
  }

  /**
   * New entries win over older ones of the same key when they sit further right; an entry that lost
   * (a concurrent write landed to its right) waits behind the winner (`shadowed`). Every peer makes
   * the same decision from the same array order, so they converge. Returns how many entries deleted
   * by the transaction the new ones replaced in the index.
   */
  private settleAdded(added: IndexedEntry[], transaction: Y.Transaction, recordIds: Set<string>): number {
    // A new entry that is the only live one of its key wins without a decision: the common case,
    // its previous entry deleted by the same write. Only keys written concurrently are contested.
    const contested = new Set<string>()
    let replaced = 0
    for (const entry of added) {
      const current = this.entryOf(entry.recordId, entry.field)
      // Already indexed: this map was built from within the transaction.
      if (current?.raw === entry.raw) continue
      if ((current && !current.item.deleted) || (this.shadowed.size > 0 && this.shadowed.has(fieldKey(entry.recordId, entry.field)))) {
        contested.add(fieldKey(entry.recordId, entry.field))
        continue
      }
      if (current) replaced++
      this.index(entry)
      recordIds.add(entry.recordId)
    }
    if (contested.size > 0) this.decideContested(contested, added, transaction, recordIds)
    return replaced
  }

  /**
   * The rightmost live entry of each contested key wins, found from the last item leftwards through
   * the items themselves: new entries sit at the end (a push appends), so the walk stops after
   * about as many items as were added, where copying the whole array (toArray) cost a
   * 60,000-entry board milliseconds on every transaction. The other live entries of the key wait
   * behind it (`shadowed`), the same on every peer that holds the same entries.
   */
  private decideContested(contested: Set<string>, added: IndexedEntry[], transaction: Y.Transaction, recordIds: Set<string>): void {
    // Added items are recognised by their clock, and their entries found by it.
    const addedOf = new Map<number, { before: number; entries: IndexedEntry[] }>()
    for (const entry of added) {
      const { client, clock } = entry.item.id
      let range = addedOf.get(client)
      if (!range) {
        range = { before: transaction.beforeState.get(client) ?? 0, entries: [] }
        addedOf.set(client, range)
      }
      range.entries[clock - range.before] = entry
    }
    // Every live entry of the contested keys, the winner among them once the walk finds it.
    const candidates = new Map<string, IndexedEntry[]>()
    const candidatesOf = (key: string): IndexedEntry[] => {
      let list = candidates.get(key)
      if (!list) {
        list = []
        candidates.set(key, list)
      }
      return list
    }
    for (const key of contested) {
      const list = candidatesOf(key)
      const current = this.entryAt(key)
      if (current && !current.item.deleted) list.push(current)
      list.push(...this.liveShadows(key))
    }
    for (const entry of added) {
      const key = fieldKey(entry.recordId, entry.field)
      if (contested.has(key)) candidatesOf(key).push(entry)
    }
    const deciding = new Set(contested)
    for (let item: Y.Item | null = lastItem(added[0] as IndexedEntry); item !== null && deciding.size > 0; item = item.left) {
      if (item.deleted || !(item.content instanceof Y.ContentBinary)) continue
      const range = addedOf.get(item.id.client)
      const raw = item.content.content
      const newEntry = range && item.id.clock >= range.before ? range.entries[item.id.clock - range.before] : undefined
      const key = newEntry ? fieldKey(newEntry.recordId, newEntry.field) : keyOf(raw)
      if (!deciding.delete(key)) continue
      const list = candidatesOf(key)
      const winner = list.find((entry) => entry.raw === raw) ?? newEntry ?? decode(item, raw)
      const current = this.entryAt(key)
      if (current?.raw !== winner.raw) {
        this.index(winner)
        recordIds.add(winner.recordId)
      }
      this.shadowed.delete(key)
      for (const entry of list) if (entry.raw !== winner.raw && !entry.item.deleted) this.shadow(entry)
    }
  }

  /** Gives each key the rightmost of its live losers, found from the array's end leftwards. */
  private promoteShadows(keys: Set<string>): void {
    const waiting = new Map<Y.Item, IndexedEntry>()
    for (const key of keys) for (const entry of this.liveShadows(key)) waiting.set(entry.item, entry)
    const [first] = waiting.values()
    if (!first) return
    let left = waiting.size
    for (let item: Y.Item | null = lastItem(first); item !== null && left > 0; item = item.left) {
      const entry = waiting.get(item)
      if (!entry) continue
      left--
      const key = fieldKey(entry.recordId, entry.field)
      if (!keys.delete(key)) continue
      this.index(entry)
      const losers = (this.shadowed.get(key) ?? []).filter((loser) => loser !== entry)
      if (losers.length > 0) this.shadowed.set(key, losers)
      else this.shadowed.delete(key)
    }
  }
}

/** How many clocks the transaction deleted: at least as many as the entries it deleted. */
function deletedClocks(transaction: Y.Transaction): number {
  let clocks = 0
  for (const deletes of transaction.deleteSet.clients.values()) for (const { len } of deletes) clocks += len
  return clocks
}

/** The last item of the array an entry's item belongs to (new entries sit at the end). */
function lastItem(entry: IndexedEntry): Y.Item {
  let item = entry.item
  for (let next = item.right; next !== null; next = next.right) item = next
  return item
}

/**
 * Above this many deleted ranges in one transaction, the entries' tombstones are made and merged in
 * one pass (batchTombstones); below it, Yjs's own way costs less.
 */
const BATCHED_TOMBSTONE_RANGES = 32

interface TombstoneBatching {
  /** The FieldMap arrays of the document: tombstones are batched while it has one. */
  arrays: Set<unknown>
  /**
   * Kept for their object layouts (LAYOUT_KEEPERS), with the document's last transaction. Held
   * here because a module constant that no code reads may be dropped once the module has run.
   */
  keepers: readonly unknown[]
  lastTransaction?: Y.Transaction
}

/**
 * Objects kept for their layouts (V8's hidden classes), so that the optimized code applying a
 * document update survives a full garbage collection. V8 drops the code built on a layout once no
 * object of it is left (`--trace-deopt`: "marking dependent code for deoptimization, reason: weak
 * objects"), and the decoders, transaction and events of an update live only while it is applied:
 * at every full collection (an idle page has them) Yjs's code went back to the interpreter, and
 * the next update ran unoptimized while V8 compiled it again on the other core. One decoder and one
 * encoder here, each document's last transaction below: a batch of 1,000 changed shapes on a
 * 5,000-shape board, applied right after a collection, took 39-60 ms instead of 55-75 ms (medians
 * of binding-batch's ten applies, four runs alternated with the code before), Yjs's part halved.
 */
const LAYOUT_KEEPERS = [new Y.UpdateDecoderV1(decoding.createDecoder(new Uint8Array(0))), new Y.UpdateEncoderV1()]

const tombstoneBatching = new WeakMap<Y.Doc, TombstoneBatching>()

/**
 * After each transaction Yjs replaces the content of deleted items with a tombstone
 * (`ContentDeleted`) and merges tombstones that sit next to each other: every merge is a `splice`
 * of the writer's struct array, one entry per field ever written (130,000 on a 5,000-shape board).
 * A thousand shapes moved at once delete their `x` and `y` entries, written side by side, so a
 * thousand merges, each moving the whole array: most of the time a peer took to apply the batch.
 *
 * For a transaction deleting many ranges, Yjs's own pass is switched off (`doc.gc` is false
 * while the transaction is cleaned up: a deleted item that keeps its content never merges, so Yjs
 * splices nothing, and its search of the struct array for each range is not made), and once Yjs's
 * cleanup is done (`afterTransactionCleanup`, before the `update` event is encoded) the same
 * tombstones are made, with the same `gcFilter`, and merged with the same neighbours as Yjs would,
 * the merged structs dropped from the struct array in a single pass. The document is the same as
 * Yjs makes: nothing of the layout changes, and peers without this do the same work the slow way.
 */
function batchTombstones(doc: Y.Doc): TombstoneBatching {
  const existing = tombstoneBatching.get(doc)
  if (existing) return existing
  const state: TombstoneBatching = { arrays: new Set(), keepers: LAYOUT_KEEPERS }
  tombstoneBatching.set(doc, state)
  let batching: Y.Transaction | null = null
  /** Whether the document collects deleted content (`doc.gc`) outside of a batch. */
  let collects = doc.gc
  doc.on('beforeObserverCalls', (transaction: Y.Transaction) => {
    let ranges = 0
    for (const deletes of transaction.deleteSet.clients.values()) ranges += deletes.length
    batching = ranges >= BATCHED_TOMBSTONE_RANGES && state.arrays.size > 0 ? transaction : null
    if (!batching) return
    collects = doc.gc
    doc.gc = false
  })
  doc.on('afterTransactionCleanup', (transaction: Y.Transaction) => {
    state.lastTransaction = transaction
    if (batching !== transaction) return
    batching = null
    doc.gc = collects
    mergeDeleted(doc, transaction.deleteSet, collects ? doc.gcFilter : undefined)
  })
  return state
}

/**
 * Yjs's tryGcDeleteSet and tryMergeDeleteSet in one pass per client: each deleted item the
 * `gcFilter` lets go is made a tombstone (when the document collects, `gcFilter` given), then each
 * struct of a deleted range, and the one right after it, is merged into its left neighbour when they
 * can merge (Yjs's own rule: same kind, both deleted or not, `mergeWith`), and the struct array is
 * compacted once instead of spliced per merge.
 */
function mergeDeleted(doc: Y.Doc, deleteSet: Y.Transaction['deleteSet'], gcFilter?: (item: Y.Item) => boolean): void {
  for (const [client, deletes] of deleteSet.clients) {
    const structs = doc.store.clients.get(client) as Array<Y.Item | Y.GC> | undefined
    if (!structs || deletes.length === 0) continue
    // Index intervals [from, to] of the structs to merge into their left neighbour (deletes are sorted by clock).
    const from: number[] = []
    const to: number[] = []
    let cursor = 0
    for (const { clock, len } of deletes) {
      if ((structs[cursor] as Y.Item | Y.GC).id.clock > clock) cursor = 0
      const found = indexOfClock(structs, clock, cursor)
      cursor = indexOfClock(structs, clock + len - 1, found)
      if (gcFilter) {
        for (let i = found; i <= cursor; i++) {
          const struct = structs[i]
          if (struct instanceof Y.Item && struct.deleted && !struct.keep && gcFilter(struct)) struct.gc(doc.store, false)
        }
      }
      const first = Math.max(1, found)
      const last = Math.min(structs.length - 1, 1 + cursor)
      if (first > last) continue
      if (to.length > 0 && first <= (to[to.length - 1] as number) + 1) to[to.length - 1] = Math.max(to[to.length - 1] as number, last)
      else {
        from.push(first)
        to.push(last)
      }
    }
    if (from.length === 0) continue
    let written = from[0] as number
    let interval = 0
    for (let i = written; i < structs.length; i++) {
      const right = structs[i] as Y.Item | Y.GC
      while (interval < from.length && i > (to[interval] as number)) interval++
      if (interval < from.length && i >= (from[interval] as number)) {
        const left = structs[written - 1] as Y.Item | Y.GC
        if (left.deleted === right.deleted && left.constructor === right.constructor && (left as Y.Item).mergeWith(right as Y.Item)) {
          if (right instanceof Y.Item && right.parentSub !== null) {
            const map = (right.parent as Y.AbstractType<unknown>)._map
            if (map.get(right.parentSub) === right) map.set(right.parentSub, left as Y.Item)
          }
          continue
        }
      }
      structs[written++] = right
    }
    structs.length = written
  }
}

/**
 * The index of the struct holding `clock`, searched forwards from `start` (a struct at or before
 * it): a transaction's deleted ranges come sorted by clock, and galloping from the previous one
 * reads structs next to it, where a binary search over the whole array (130,000 structs on a
 * 5,000-shape board) reads a dozen scattered in memory for each range: half of the time the
 * tombstones of a thousand changed shapes took to merge.
 */
function indexOfClock(structs: Array<Y.Item | Y.GC>, clock: number, start: number): number {
  const clockAt = (index: number) => (structs[index] as Y.Item | Y.GC).id.clock
  let low = start
  let step = 1
  while (low + step < structs.length && clockAt(low + step) <= clock) {
    low += step
    step *= 2
  }
  // clockAt(low) <= clock < clockAt(high + 1), or high is the last struct.
  let high = Math.min(low + step, structs.length) - 1
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if (clockAt(middle) <= clock) low = middle
    else high = middle - 1
  }
  const struct = structs[low] as Y.Item | Y.GC
  // Not there (cannot happen for a delete set of this document): Yjs's own search says so.
  return clock < struct.id.clock + struct.length ? low : Y.findIndexSS(structs, clock)
}

/** The Y.Array of a board's field entries. */
export const RECORDS_ARRAY = 'records'

const shared = new WeakMap<Y.Doc, FieldMap>()

/**
 * The one FieldMap of a document that is read more than once (a server room: pushes, withdrawals,
 * console summaries), kept up to date by its observer instead of rebuilt each time: building one
 * decodes every entry, which on a 2,000-shape board (50,000 entries) took a few hundred
 * milliseconds per push. Lives as long as the document; never destroy it.
 */
export function sharedFieldMap(doc: Y.Doc): FieldMap {
  let fields = shared.get(doc)
  if (!fields) {
    fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    shared.set(doc, fields)
  }
  return fields
}

/** The fields of `recordId` in a map of records' fields, added when missing. */
export function fieldsOfRecord<V>(records: Map<string, Map<string, V>>, recordId: string): Map<string, V> {
  let fields = records.get(recordId)
  if (!fields) {
    fields = new Map()
    records.set(recordId, fields)
  }
  return fields
}

export function fieldKey(recordId: string, field: string): string {
  return `${recordId}/${field}`
}

/** Field names never hold a slash; record ids might, so split at the last one. */
export function splitKey(key: string): { recordId: string; field: string } {
  const slash = key.lastIndexOf('/')
  return { recordId: key.slice(0, slash), field: key.slice(slash + 1) }
}
