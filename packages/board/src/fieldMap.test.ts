import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { FieldMap, fieldKey, RECORDS_ARRAY } from './fieldMap.ts'

/** Updates a document emits, to replay them elsewhere. */
function recordUpdates(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return updates
}

function structCounts(doc: Y.Doc): Array<[number, number]> {
  return [...doc.store.clients].map(([client, structs]) => [client, structs.length])
}

describe('FieldMap', () => {
  test('a batch of many deletions leaves the document exactly as plain Yjs does', () => {
    const alice = new Y.Doc()
    alice.clientID = 1
    const bob = new Y.Doc()
    bob.clientID = 2
    const aliceFields = new FieldMap(alice.getArray(RECORDS_ARRAY))
    const bobFields = new FieldMap(bob.getArray(RECORDS_ARRAY))
    const updates = [...[alice, bob].map(recordUpdates)]
    const sync = () => {
      Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice, Y.encodeStateVector(bob)))
      Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob, Y.encodeStateVector(alice)))
    }

    const ids = Array.from({ length: 300 }, (_, i) => `shape:${i}`)
    aliceFields.write(
      ids.flatMap((id, i) => [
        [fieldKey(id, 'x'), i],
        [fieldKey(id, 'y'), -i],
        [fieldKey(id, 'props.color'), 'black'],
        [fieldKey(id, 'props.text'), `note ${i}`],
      ]),
      [],
    )
    sync()
    // Both at once, each a batch of hundreds of ranges: every third shape moved and recoloured by
    // Alice, every fifth retyped and one in seven deleted by Bob.
    aliceFields.write(
      ids.filter((_, i) => i % 3 === 0).flatMap((id, i) => [[fieldKey(id, 'x'), i + 0.5], [fieldKey(id, 'y'), i - 0.5], [fieldKey(id, 'props.color'), 'blue']] as const),
      [],
    )
    bobFields.write(
      ids.filter((_, i) => i % 5 === 0).map((id) => [fieldKey(id, 'props.text'), `${id} edited`] as const),
      ids.filter((_, i) => i % 7 === 0).flatMap((id) => ['x', 'y', 'props.color', 'props.text'].map((field) => fieldKey(id, field))),
    )
    sync()
    // And once more on the merged tombstones: moving the same shapes again extends them.
    aliceFields.write(
      ids.filter((_, i) => i % 3 === 0).flatMap((id, i) => [[fieldKey(id, 'x'), i + 1], [fieldKey(id, 'y'), i - 1]] as const),
      [],
    )
    sync()

    const plain = new Y.Doc()
    for (const update of updates.flat()) Y.applyUpdate(plain, update)
    const withFieldMap = new Y.Doc()
    new FieldMap(withFieldMap.getArray(RECORDS_ARRAY))
    for (const update of updates.flat()) Y.applyUpdate(withFieldMap, update)

    const expected = Y.encodeStateAsUpdate(plain)
    for (const doc of [alice, bob, withFieldMap]) {
      expect(structCounts(doc)).toEqual(structCounts(plain))
      expect(Y.encodeStateAsUpdate(doc)).toEqual(expected)
    }
  })

  test('reads every field of a document with more field names than it shares strings for', () => {
    const doc = new Y.Doc()
    const writer = new FieldMap(doc.getArray(RECORDS_ARRAY))
    const names = Array.from({ length: 1500 }, (_, i) => `meta.f${i}`)
    writer.write(
      names.map((name, i) => [fieldKey(`shape:${i % 3}`, name), i]),
      [],
    )
    const reader = new FieldMap(doc.getArray(RECORDS_ARRAY))
    expect([0, 1, 2].map((n) => reader.fieldsOf(`shape:${n}`)?.size)).toEqual([500, 500, 500])
    expect(reader.get(fieldKey('shape:2', 'meta.f1499'))?.v).toBe(1499)
    expect(reader.get(fieldKey('shape:0', 'meta.f1499'))).toBeUndefined()
    // A key written again replaces its entry, found through the record's fields.
    writer.write([[fieldKey('shape:2', 'meta.f1499'), 'again']], [])
    expect(reader.get(fieldKey('shape:2', 'meta.f1499'))?.v).toBe('again')
    expect(doc.getArray(RECORDS_ARRAY).length).toBe(1500)
  })

  test('reads each entry from its bytes as JSON.parse reads it whole', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
    const entries: Array<[string, unknown]> = [
      // Notes and rectangles alternating: their fields part after `opacity`.
      ...[0, 1, 2, 3].flatMap((i): Array<[string, unknown]> => [
        [`shape:n${i}/x`, i * 10.25],
        [`shape:n${i}/opacity`, 1],
        [`shape:n${i}/props.${i % 2 === 0 ? 'color' : 'geo'}`, i % 2 === 0 ? 'light-violet' : 'rectangle'],
        [`shape:n${i}/props.richText`, { type: 'doc', content: [{ type: 'text', text: `Idée "${i}"\n` }] }],
        [`shape:n${i}/isLocked`, i % 2 === 0],
        [`shape:n${i}/meta`, {}],
      ]),
      // Ids one a prefix of the next, a slash in an id, escapes and characters beyond ASCII.
      ['shape:a/x', -3],
      ['shape:ab/x', 4],
      ['shape:a/b/x', null],
      ['shape:a/u', 1],
      ['shape:a"b/x', 'quoted'],
      ['shape:é/x', 'accent'],
      ['shape:a/y', 'é "quoted" \\ back'],
      ['shape:a/z', 1234567890123456],
      ['shape:a/w', -0.5e-7],
      ['shape:a/v', false],
      // Written again further on: the rightmost entry wins.
      ['shape:n0/x', 'moved'],
    ]
    array.push(entries.map(([key, value]) => new TextEncoder().encode(JSON.stringify([key, value]))))
    const expected = new Map<string, Map<string, unknown>>()
    for (const [key, value] of entries) {
      const slash = key.lastIndexOf('/')
      const fields = expected.get(key.slice(0, slash)) ?? new Map<string, unknown>()
      fields.set(key.slice(slash + 1), value)
      expected.set(key.slice(0, slash), fields)
    }
    const reader = new FieldMap(array)
    const read = new Map([...reader.byRecord].map(([recordId, fields]) => [recordId, new Map([...fields].map(([field, entry]) => [field, entry.v]))]))
    expect(read).toEqual(expected)
    expect(reader.fieldsOf('shape:n1')?.get('x')).toMatchObject({ v: 10.25 })
    // The entry written first waits behind the later one, in case someone deletes that.
    expect(array.length).toBe(entries.length)
  })

  test('a key keeps a value when the entry that won it is deleted by someone who had not seen the loser', () => {
    // Three peers; a field written by C and by B at once, C's entry to the right of B's (a higher
    // client id), and A deleting C's entry before it saw B's. Deleting B's entry as the loser of
    // the concurrent write left the field with no value on every peer.
    const peers = [1, 2, 3].map((clientID) => {
      const doc = new Y.Doc()
      doc.clientID = clientID
      return { doc, map: new FieldMap(doc.getArray(RECORDS_ARRAY)), updates: recordUpdates(doc) }
    })
    const [a, b, c] = peers as [(typeof peers)[number], (typeof peers)[number], (typeof peers)[number]]
    const key = fieldKey('shape:1', 'props.richText')
    a.map.write([[key, 'first']], [])
    for (const peer of [b, c]) for (const update of a.updates) Y.applyUpdate(peer.doc, update)
    const sent = { a: a.updates.length, b: b.updates.length, c: c.updates.length }
    c.map.write([[key, 'from C']], [])
    for (const update of c.updates.slice(sent.c)) Y.applyUpdate(a.doc, update)
    a.map.write([], [key])
    b.map.write([[key, 'from B']], [])
    // C gets B's write: C's entry is to the right of B's and wins, for now.
    for (const update of b.updates.slice(sent.b)) Y.applyUpdate(c.doc, update)
    expect(c.map.get(key)?.v).toBe('from C')
    // Everyone gets everything.
    const everything = peers.map((peer) => Y.encodeStateAsUpdate(peer.doc))
    for (const peer of peers) for (const update of everything) Y.applyUpdate(peer.doc, update)
    for (const peer of peers) expect(peer.map.get(key)?.v).toBe('from B')
    // The next write of the key replaces every entry of it.
    a.map.write([[key, 'last']], [])
    for (const peer of [b, c]) Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(a.doc))
    for (const peer of peers) {
      expect(peer.map.get(key)?.v).toBe('last')
      expect(peer.doc.getArray(RECORDS_ARRAY).length).toBe(1)
    }
  })
})
