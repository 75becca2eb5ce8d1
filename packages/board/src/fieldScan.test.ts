import type { TLRecord } from 'tldraw'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { FieldMap, fieldKey, RECORDS_ARRAY } from './fieldMap.ts'
import { appendNewEntries, newRecordEntries, readSomeFields } from './fieldScan.ts'
import { recordsOf } from './layout.ts'

const raw = (text: string) => new Uint8Array(new TextEncoder().encode(text))

describe('readSomeFields', () => {
  test('reads what a FieldMap holds for the fields asked, whatever form the entries take', () => {
    const doc = new Y.Doc()
    const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    fields.write(
      [
        [fieldKey('shape:a', 'x'), 10],
        [fieldKey('shape:a', 'y'), -5.5],
        [fieldKey('shape:a', 'props.richText'), { type: 'doc', content: [] }],
        [fieldKey('shape:é/b', 'x'), 3],
        [fieldKey('shape:"q"', 'x'), 4],
        [fieldKey('shape:a', 'props.w'), 200],
      ],
      [],
    )
    fields.write([[fieldKey('shape:a', 'x'), 11]], [fieldKey('shape:a', 'props.w')])
    // An entry another client wrote with spaces, and two writes of one key at once (later wins).
    const array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
    array.push([raw('[ "shape:c/x" , 7 ]'), raw('["shape:c/y",1]'), raw('["shape:c/y",2]')])

    const some = readSomeFields(doc, new Set(['x', 'y', 'props.w']))
    expect([...some.keys()].sort()).toEqual(['shape:"q"', 'shape:a', 'shape:c', 'shape:é/b'])
    for (const [recordId, values] of some) {
      for (const [field, value] of values) expect(value).toEqual(fields.fieldsOf(recordId)?.get(field)?.v)
    }
    expect(some.get('shape:a')).toEqual(new Map<string, unknown>([['y', -5.5], ['x', 11]]))
    expect(some.get('shape:c')).toEqual(new Map<string, unknown>([['x', 7], ['y', 2]]))
    expect(some.get('shape:é/b')?.get('x')).toBe(3)
    expect(some.get('shape:"q"')?.get('x')).toBe(4)
  })

  test('reads every form a JSON value can take as JSON.parse does', () => {
    const values = ['"plain"', '""', '"a\\"b"', '"\\u0041"', '"é"', '0', '-0', '7', '-12', '123456789012345', '12345678901234567890', '1.5', '-0.25', '1e3', 'true', 'null', '{"a":[1,"x"]}', '[]']
    const doc = new Y.Doc()
    doc.getArray<Uint8Array>(RECORDS_ARRAY).push(values.map((value, i) => raw(`["shape:${i}/x",${value}]`)))
    const read = readSomeFields(doc, new Set(['x']))
    for (const [i, value] of values.entries()) expect(read.get(`shape:${i}`)?.get('x'), value).toEqual(JSON.parse(value))
    expect(Object.is(read.get('shape:6')?.get('x'), -0)).toBe(true)
  })

  test('appendNewEntries appends at the end after a read, even when the entries the read ended on were deleted since', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
    array.push(['a', 'b', 'c', 'd'].map((id) => raw(`["shape:${id}/x",1]`)))
    readSomeFields(doc, new Set(['x']))
    array.delete(2, 2)
    appendNewEntries(doc, [raw('["shape:e/x",2]')])
    array.push([raw('["shape:f/x",3]')])
    appendNewEntries(doc, [raw('["shape:g/x",4]')])
    expect([...readSomeFields(doc, new Set(['x'])).keys()]).toEqual(['shape:a', 'shape:b', 'shape:e', 'shape:f', 'shape:g'])
  })

  test('appendNewEntries writes a new record’s entries, which a FieldMap reads back', () => {
    const doc = new Y.Doc()
    const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    const record = { id: 'shape:n', typeName: 'shape', x: 1, props: { text: 'Œuvre' } } as unknown as TLRecord
    appendNewEntries(doc, newRecordEntries(record))
    expect(fields.fieldsOf('shape:n')?.get('props.text')?.v).toBe('Œuvre')
    expect(recordsOf(fields)).toEqual([record])
    expect(readSomeFields(doc, new Set(['x'])).get('shape:n')).toEqual(new Map([['x', 1]]))
    // Who wrote each entry: this document's client, one clock per entry.
    expect(fields.entryIdsOf('shape:n').map((id) => [id.client, id.clock]).sort((a, b) => a[1] - b[1])).toEqual([0, 1, 2, 3, 4].map((clock) => [doc.clientID, clock]))
  })
})
