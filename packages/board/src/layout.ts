import type { TLRecord } from 'tldraw'
import type { FieldEntry, FieldMap } from './fieldMap.ts'

/**
 * How a tldraw record is spread over fields. Top-level properties are fields (`x`, `y`, `parentId`,
 * `index`, `meta`...), and so is each property of `props` (`props.color`, `props.richText`...): one
 * person moving a note while another recolours it or types in it write different fields, and both
 * changes survive. A field's value is replaced whole, so two people typing in the same note at the
 * same instant still resolve to one text, as in tldraw itself.
 */
const PROPS_PREFIX = 'props.'

/** Set on every record: a record whose `typeName` field is gone has been deleted. */
export const PRESENCE_FIELD = 'typeName'

export function recordToFields(record: TLRecord): Map<string, unknown> {
  const fields = new Map<string, unknown>()
  for (const [key, value] of Object.entries(record)) {
    if (key === 'props' && isPlainObject(value)) {
      // An empty props object still needs a field, or the record would come back without `props`.
      fields.set('props', {})
      for (const [prop, propValue] of Object.entries(value)) fields.set(PROPS_PREFIX + prop, propValue)
    } else {
      fields.set(key, value)
    }
  }
  return fields
}

/**
 * The record the fields describe, or `undefined` when they do not describe one (deleted record).
 * `valueOfField` reads a field's value where the map holds something else (a FieldMap's entries),
 * so that a record is built without copying its fields into a map first.
 */
export function fieldsToRecord<V>(fields: ReadonlyMap<string, V>, valueOfField: (value: V) => unknown = (value) => value): TLRecord | undefined {
  if (!fields.has(PRESENCE_FIELD) || !fields.has('id')) return undefined
  const record: Record<string, unknown> = {}
  let props: Record<string, unknown> | undefined
  for (const [field, value] of fields) {
    if (field === 'props') {
      props ??= {}
    } else if (field.startsWith(PROPS_PREFIX)) {
      props ??= {}
      props[field.slice(PROPS_PREFIX.length)] = valueOfField(value)
    } else {
      record[field] = valueOfField(value)
    }
  }
  if (props) record.props = props
  return record as unknown as TLRecord
}

/** The fields to write and delete to turn `from` into `to`. Values compare by JSON structure. */
export function diffRecords(from: TLRecord, to: TLRecord): { sets: Array<[string, unknown]>; deletes: string[] } {
  const before = recordToFields(from)
  const after = recordToFields(to)
  const sets: Array<[string, unknown]> = []
  const deletes: string[] = []
  for (const [field, value] of after) {
    if (!before.has(field) || !jsonEqual(before.get(field), value)) sets.push([field, value])
  }
  for (const field of before.keys()) {
    if (!after.has(field)) deletes.push(field)
  }
  return { sets, deletes }
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  const aKeys = Object.keys(a)
  const bRecord = b as Record<string, unknown>
  if (aKeys.length !== Object.keys(bRecord).length) return false
  const aRecord = a as Record<string, unknown>
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && jsonEqual(aRecord[key], bRecord[key]))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A FieldMap entry's value, for fieldsToRecord. */
export const valueOfEntry = (entry: FieldEntry): unknown => entry.v

/** Every complete record a FieldMap holds (records missing required fields are left out). */
export function recordsOf(fields: FieldMap): TLRecord[] {
  const records: TLRecord[] = []
  for (const entries of fields.byRecord.values()) {
    const record = fieldsToRecord(entries, valueOfEntry)
    if (record) records.push(record)
  }
  return records
}
