import * as Y from 'yjs'
import { encodeEntry, fieldsOfRecord, keyEnd, RECORDS_ARRAY, splitKey } from './fieldMap.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Whether the bytes of `raw` between `from` and `to` spell one of `fields` (ASCII). */
function spellsOneOf(raw: Uint8Array, from: number, to: number, fields: readonly Uint8Array[]): boolean {
  const length = to - from
  next: for (const field of fields) {
    if (field.length !== length) continue
    for (let i = 0; i < length; i++) if (raw[from + i] !== field[i]) continue next
    return true
  }
  return false
}

const SLASH = 0x2f

/**
 * Some fields of every record, as the document holds them (the rightmost entry of each key, as a
 * FieldMap resolves them), decoding only the entries of the fields asked for, picked by their bytes:
 * a server writing a template into a board needs pages, parents, positions and sizes, some ten
 * fields of a shape's twenty-odd, and decoding all of a 2,000-shape board (50,000 entries) took
 * longer than the write. Nothing is indexed, observed or kept.
 */
export function readSomeFields(doc: Y.Doc, wanted: ReadonlySet<string>): Map<string, Map<string, unknown>> {
  const fieldBytes = [...wanted].map((field) => encoder.encode(field))
  const records = new Map<string, Map<string, unknown>>()
  for (let item = doc.getArray<Uint8Array>(RECORDS_ARRAY)._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentBinary)) continue
    const raw = item.content.getContent()[0] as Uint8Array
    let key: string
    let value: unknown
    const end = keyEnd(raw)
    if (end !== undefined) {
      let slash = end - 1
      while (slash > 2 && raw[slash] !== SLASH) slash--
      if (!spellsOneOf(raw, slash + 1, end, fieldBytes)) continue
      key = decoder.decode(raw.subarray(2, end))
      value = JSON.parse(decoder.decode(raw.subarray(end + 2, raw.length - 1)))
    } else {
      ;[key, value] = JSON.parse(decoder.decode(raw)) as [string, unknown]
    }
    const { recordId, field } = splitKey(key)
    if (!wanted.has(field)) continue
    // Later entries win: what a FieldMap keeps of a key written twice at once.
    fieldsOfRecord(records, recordId).set(field, value)
  }
  return records
}

/**
 * Appends entries for keys the document does not hold yet (a new record's fields), without the
 * FieldMap a change of existing keys needs. Call inside the caller's transaction, if any.
 */
export function appendNewFields(doc: Y.Doc, sets: ReadonlyArray<readonly [key: string, value: unknown]>): void {
  if (sets.length === 0) return
  doc.getArray<Uint8Array>(RECORDS_ARRAY).push(sets.map(([key, value]) => encodeEntry(key, value)))
}
