import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { appendEntries } from './append.ts'
import { seededRandom } from './testing.ts'

const entry = (text: string) => new Uint8Array(new TextEncoder().encode(text))

/** Two clients of one board: `alone` edits, `other` edits too, and they exchange updates on demand. */
function pair(clientIds: [number, number]) {
  const docs = clientIds.map((clientId) => {
    const doc = new Y.Doc()
    doc.clientID = clientId
    return doc
  })
  const sync = () => {
    const [a, b] = docs as [Y.Doc, Y.Doc]
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { docs: docs as [Y.Doc, Y.Doc], sync }
}

describe('appendEntries', () => {
  // The same edits, once with appendEntries and once with Y.Array.push, must give the same
  // document byte for byte: same items, same origins, same order. Tombstones merging, entries
  // appended by another client after this one's last, and deletions of the last entry are what
  // could send the remembered right end astray.
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('writes what Y.Array.push writes, whatever happened to the end of the array (seed %i)', (seed) => {
    const ours = pair([1, 2])
    const plain = pair([1, 2])
    const next = seededRandom(seed)
    for (let step = 0; step < 300; step++) {
      const side = next() < 0.7 ? 0 : 1
      const roll = next()
      const count = 1 + Math.floor(next() * 4)
      if (roll < 0.5) {
        const entries = Array.from({ length: count }, (_, i) => `${seed}-${step}-${i}`)
        appendEntries(ours.docs[side].getArray<Uint8Array>('records'), entries.map(entry))
        plain.docs[side].getArray<Uint8Array>('records').push(entries.map(entry))
      } else if (roll < 0.85) {
        // Delete some entries at the end (what rewriting the last-written fields does) or anywhere.
        const length = ours.docs[side].getArray('records').length
        if (length === 0) continue
        const at = next() < 0.6 ? Math.max(0, length - count) : Math.floor(next() * length)
        const n = Math.min(count, length - at)
        ours.docs[side].getArray('records').delete(at, n)
        plain.docs[side].getArray('records').delete(at, n)
      } else {
        ours.sync()
        plain.sync()
      }
      expect(Y.encodeStateAsUpdate(ours.docs[side])).toEqual(Y.encodeStateAsUpdate(plain.docs[side]))
    }
    ours.sync()
    plain.sync()
    const [a, b] = ours.docs
    expect(a.getArray('records').toArray()).toEqual(b.getArray('records').toArray())
    expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(plain.docs[0]))
  })

  test('appends in the caller’s transaction, as one update', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<Uint8Array>('records')
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.transact(() => {
      appendEntries(array, [entry('a'), entry('b')])
      appendEntries(array, [entry('c')])
    })
    expect(updates).toHaveLength(1)
    expect(array.toArray().map((bytes) => new TextDecoder().decode(bytes))).toEqual(['a', 'b', 'c'])
  })

  test('refuses an array that belongs to no document', () => {
    expect(() => appendEntries(new Y.Array<Uint8Array>(), [entry('a')])).toThrow(/belongs to a Y\.Doc/)
  })
})
