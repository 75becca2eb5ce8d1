import * as Y from 'yjs'
import { appendEntries } from './append.ts'
import { BACKSLASH, CLOSE_BRACKET, COMMA, OPEN_BRACKET, parseValue, QUOTE, SLASH, textOf } from './entryBytes.ts'
import { encodeEntry, fieldsOfRecord, RECORDS_ARRAY, splitKey } from './fieldMap.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Which of `fields` the bytes of `raw` between `from` and `to` spell (ASCII), or -1. */
function fieldSpelled(raw: Uint8Array, from: number, to: number, fields: readonly Uint8Array[]): number {
  const length = to - from
  next: for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as Uint8Array
    if (field.length !== length) continue
    for (let i = 0; i < length; i++) if (raw[from + i] !== field[i]) continue next
    return f
  }
  return -1
}

/** Whether `a[2, aEnd)` and `b[2, bEnd)` hold the same bytes: two entries' record ids. */
function sameRecordId(a: Uint8Array, aEnd: number, b: Uint8Array, bEnd: number): boolean {
  if (aEnd !== bEnd) return false
  for (let i = aEnd - 1; i >= 2; i--) if (a[i] !== b[i]) return false
  return true
}

/**
 * Some fields of every record, as the document holds them (the rightmost entry of each key, as a
 * FieldMap resolves them), decoding only the entries of the fields asked for, picked by their bytes:
 * a server writing a template into a board needs pages, parents, positions and sizes, some ten
 * fields of a shape's twenty-odd, and decoding all of a 2,000-shape board (50,000 entries) took
 * longer than the write. Nothing is indexed, observed or kept.
 *
 * A record's fields are appended together, so an entry's record id is compared by its bytes with
 * the previous entry's and decoded only when it differs, and plain values are read from their bytes
 * (entryBytes.ts): a 2,000-shape board's outline 1.5-1.7 times faster than decoding each wanted
 * entry with TextDecoder and JSON.parse (18-34 ms against 32-50, alternating runs, Node 20).
 */
export function readSomeFields(doc: Y.Doc, wanted: ReadonlySet<string>): Map<string, Map<string, unknown>> {
  const scan = scanSomeFields(doc, wanted, Number.POSITIVE_INFINITY)
  for (let step = scan.next(); ; step = scan.next()) if (step.done) return step.value
}

/**
 * readSomeFields over several turns of the event loop, `itemsPerTurn` items of the array at a time
 * (the outline of a 2,000-shape board took 50-90 ms in one go while the server's code was still
 * cold). Between turns `changed()` is asked: a change to the array may have unlinked the item the
 * scan stands on (merged tombstones), so a changed array ends the scan, and the answer is undefined.
 */
export async function readSomeFieldsInTurns(
  doc: Y.Doc,
  wanted: ReadonlySet<string>,
  options: { itemsPerTurn: number; changed: () => boolean; nextTurn?: () => Promise<unknown> },
): Promise<Map<string, Map<string, unknown>> | undefined> {
  const nextTurn = options.nextTurn ?? (() => new Promise((resolve) => setImmediate(resolve)))
  const scan = scanSomeFields(doc, wanted, options.itemsPerTurn)
  for (let step = scan.next(); ; step = scan.next()) {
    if (step.done) return step.value
    await nextTurn()
    if (options.changed()) return undefined
  }
}

/** The scan of readSomeFields, pausing (yielding) after every `itemsPerStep` items. */
function* scanSomeFields(doc: Y.Doc, wanted: ReadonlySet<string>, itemsPerStep: number): Generator<void, Map<string, Map<string, unknown>>> {
  const fieldNames = [...wanted]
  const fieldBytes = fieldNames.map((field) => encoder.encode(field))
  const records = new Map<string, Map<string, unknown>>()
  // The last record id decoded on the fast path: the entry it came from, where its id ends, its fields.
  let lastRaw: Uint8Array | undefined
  let lastSlash = 0
  let lastFields: Map<string, unknown> | undefined
  let untilPause = itemsPerStep
  for (let item = doc.getArray<Uint8Array>(RECORDS_ARRAY)._start; item !== null; item = item.right) {
    if (--untilPause <= 0) {
      yield
      untilPause = itemsPerStep
    }
    if (item.deleted || !(item.content instanceof Y.ContentBinary)) continue
    const raw = item.content.content
    // One pass over the key: where it ends (its closing quote) and its last slash.
    let end: number | undefined
    let slash = 0
    if (raw[0] === OPEN_BRACKET && raw[1] === QUOTE && raw[raw.length - 1] === CLOSE_BRACKET) {
      for (let i = 2; i < raw.length; i++) {
        const byte = raw[i] as number
        if (byte === QUOTE) {
          if (raw[i + 1] === COMMA) end = i
          break
        }
        if (byte === SLASH) slash = i
        else if (byte === BACKSLASH || byte >= 0x80) break
      }
    }
    if (end === undefined || slash === 0) {
      // An escaped or non-ASCII key: parse the entry whole.
      const [key, value] = JSON.parse(decoder.decode(raw)) as [string, unknown]
      const { recordId, field } = splitKey(key)
      // Later entries win: what a FieldMap keeps of a key written twice at once.
      if (wanted.has(field)) fieldsOfRecord(records, recordId).set(field, value)
      continue
    }
    const f = fieldSpelled(raw, slash + 1, end, fieldBytes)
    if (f < 0) continue
    if (lastFields === undefined || lastRaw === undefined || !sameRecordId(lastRaw, lastSlash, raw, slash)) {
      lastFields = fieldsOfRecord(records, textOf(raw, 2, slash))
      lastRaw = raw
      lastSlash = slash
    }
    lastFields.set(fieldNames[f] as string, parseValue(raw, end + 2, raw.length - 1))
  }
  return records
}

/**
 * Appends entries for keys the document does not hold yet (a new record's fields), without the
 * FieldMap a change of existing keys needs. Call inside the caller's transaction, if any.
 */
export function appendNewFields(doc: Y.Doc, sets: ReadonlyArray<readonly [key: string, value: unknown]>): void {
  if (sets.length === 0) return
  appendEntries(doc.getArray<Uint8Array>(RECORDS_ARRAY), sets.map(([key, value]) => encodeEntry(key, value)))
}
