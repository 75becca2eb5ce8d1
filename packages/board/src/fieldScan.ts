import type { TLRecord } from 'tldraw'
import * as Y from 'yjs'
import { appendEntries, noteRightEnd } from './append.ts'
import { keyBounds, parseValue, sameRecordId, spelledBy, textOf } from './entryBytes.ts'
import { encodeEntry, fieldKey, fieldsOfRecord, RECORDS_ARRAY, splitKey } from './fieldMap.ts'
import { recordToFields } from './layout.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/**
 * Some fields of every record, as the document holds them (the rightmost entry of each key, as a
 * FieldMap resolves them), read once: nothing is indexed, observed or kept. The read a FieldWatch
 * starts from (the server's pushes follow a board's outline with one), what its tests compare it
 * with, and how an export reads a stored board (the fields a project sheet shows).
 *
 * Only the entries of the fields asked for are decoded, picked by their bytes (EntryReader): a
 * 2,000-shape board's outline 1.5-1.7 times faster than decoding each wanted entry with TextDecoder
 * and JSON.parse (18-34 ms against 32-50, alternating runs, Node 20).
 */
export function readSomeFields(doc: Y.Doc, wanted: ReadonlySet<string>): Map<string, Map<string, unknown>> {
  const records = new Map<string, Map<string, unknown>>()
  // The last record's fields, found again without a lookup while its entries follow one another.
  let lastId: string | undefined
  let lastFields: Map<string, unknown> | undefined
  const scan = visitSomeFields(doc, wanted, Number.POSITIVE_INFINITY, (recordId, field, value) => {
    if (recordId !== lastId || lastFields === undefined) {
      lastFields = fieldsOfRecord(records, recordId)
      lastId = recordId
    }
    // Later entries win: what a FieldMap keeps of a key written twice at once.
    lastFields.set(field, value)
  })
  while (!scan.next().done);
  return records
}

/** What an EntryReader hands over of each entry of a wanted field. */
export type VisitEntry = (recordId: string, field: string, value: unknown, item: Y.Item) => void

/**
 * Reads entries of the records array for some of their fields, picked by their bytes. The same
 * record id is handed over as the same string while a record's entries follow one another (compared
 * by their bytes, decoded once): a record's fields are appended together.
 */
export class EntryReader {
  private readonly names: readonly string[]
  private readonly bytes: readonly Uint8Array[]
  // The last record id decoded on the fast path: the entry it came from, where its id ends.
  private lastRaw: Uint8Array | undefined
  private lastSlash = 0
  private lastId = ''

  constructor(private readonly wanted: ReadonlySet<string>) {
    this.names = [...wanted]
    this.bytes = this.names.map((field) => encoder.encode(field))
  }

  /**
   * Hands `visit` the entry `raw` (the content of `item`) if it is one of a wanted field. Whether
   * the item is deleted is the caller's to check (a deleted item's content is still there while its
   * transaction ends).
   */
  read(raw: Uint8Array, item: Y.Item, visit: VisitEntry): void {
    const key = keyBounds(raw)
    if (key === undefined) {
      // An escaped or non-ASCII key: parse the entry whole.
      const [whole, value] = JSON.parse(decoder.decode(raw)) as [string, unknown]
      const { recordId, field } = splitKey(whole)
      if (this.wanted.has(field)) visit(recordId, field, value, item)
      return
    }
    const slash = key >>> 16
    const end = key & 0xffff
    const f = spelledBy(raw, slash + 1, end, this.bytes)
    if (f < 0) return
    if (this.lastRaw === undefined || !sameRecordId(this.lastRaw, this.lastSlash, raw, slash)) {
      this.lastId = textOf(raw, 2, slash)
      this.lastRaw = raw
      this.lastSlash = slash
    }
    visit(this.lastId, this.names[f] as string, parseValue(raw, end + 2, raw.length - 1), item)
  }
}

/**
 * Hands `visit` every live entry of the array (left to right) whose field is one of `wanted`,
 * pausing after every `itemsPerStep` items.
 */
export function* visitSomeFields(doc: Y.Doc, wanted: ReadonlySet<string>, itemsPerStep: number, visit: VisitEntry): Generator<void, void> {
  const reader = new EntryReader(wanted)
  const array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
  let untilPause = itemsPerStep
  let lastLive: Y.Item | undefined
  for (let item = array._start; item !== null; item = item.right) {
    if (--untilPause <= 0) {
      yield
      untilPause = itemsPerStep
    }
    if (!item.deleted) {
      lastLive = item
      if (item.content instanceof Y.ContentBinary) reader.read(item.content.content, item, visit)
    }
  }
  // A live item stays in the list: the next append walks from it to the end (a push's first write
  // into a board walked its 53,000 items again).
  if (lastLive) noteRightEnd(array, lastLive)
}

/**
 * The entries of a record the document does not hold yet, encoded as the records array stores
 * them, for appendNewEntries: a server writing the same template into fifty boards encodes the
 * records they share once.
 */
export function newRecordEntries(record: TLRecord): Uint8Array[] {
  const entries: Uint8Array[] = []
  for (const [field, value] of recordToFields(record)) entries.push(encodeEntry(fieldKey(record.id, field), value))
  return entries
}

/**
 * Appends entries for keys the document does not hold yet (a new record's fields), without the
 * FieldMap a change of existing keys needs. Call inside the caller's transaction, if any. The
 * entries are stored as given, never copied: one entry may go into several documents.
 */
export function appendNewEntries(doc: Y.Doc, entries: readonly Uint8Array[]): void {
  appendEntries(doc.getArray<Uint8Array>(RECORDS_ARRAY), entries)
}
