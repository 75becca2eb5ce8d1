import zlib from 'node:zlib'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyEntryColumns, diffEntryColumns, encodeStateAsEntryColumns, entryColumnsToV1, entryColumnsToV2, v2ToEntryColumns } from './entryColumns.ts'

const utf8 = new TextEncoder()

/** A stored entry as the board writes it. */
function entry(key: string, value: unknown): Uint8Array {
  return utf8.encode(JSON.stringify([key, value]))
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'

/** Ids as random as tldraw's (21 characters of 64), the same every run: a linear congruential sequence's top bits. */
function idMaker(seed: number): () => string {
  let state = seed >>> 0
  return () => {
    let id = 'shape:'
    for (let c = 0; c < 21; c++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      id += ID_ALPHABET[state >>> 26]
    }
    return id
  }
}

/** Records laid out as the board lays them out: one entry per field, random ids, notes on a grid. */
function boardDoc(records: number, seed = 1): Y.Doc {
  const nextId = idMaker(seed)
  const doc = new Y.Doc()
  const array = doc.getArray<Uint8Array>('records')
  doc.transact(() => {
    for (let i = 0; i < records; i++) {
      const id = nextId()
      array.push([
        entry(`${id}/typeName`, 'shape'),
        entry(`${id}/id`, id),
        entry(`${id}/x`, (i % 50) * 240),
        entry(`${id}/y`, Math.floor(i / 50) * 240),
        entry(`${id}/rotation`, 0),
        entry(`${id}/isLocked`, false),
        entry(`${id}/opacity`, 1),
        entry(`${id}/meta`, {}),
        entry(`${id}/parentId`, 'page:page'),
        entry(`${id}/index`, `a${i.toString(36)}`),
        entry(`${id}/props`, {}),
        ...['w', 'h'].map((side) => entry(`${id}/props.${side}`, 200)),
        ...['dash', 'size', 'font'].map((prop) => entry(`${id}/props.${prop}`, 'draw')),
        entry(`${id}/props.color`, ['yellow', 'blue', 'green'][i % 3]),
        entry(`${id}/props.richText`, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Idée n° ${i}` }] }] }),
      ])
    }
  })
  return doc
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
}

/** The document applied from entry columns, as a client applies a packed answer. */
function fromColumns(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  applyEntryColumns(doc, update)
  return doc
}

describe('entry columns', () => {
  it('give back the very document encoded, and convert to both Yjs formats exactly', () => {
    const doc = boardDoc(300)
    // Edits from a second person, deletions (garbage collected) and contents of other kinds.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const records = other.getArray<Uint8Array>('records')
    other.transact(() => {
      records.delete(10, 40)
      records.insert(5, [entry('shape:moved/x', 12.5), entry('shape:moved/x', -3)])
      records.push([
        entry('shape:accents/props.richText', 'Été à l’atelier « données » ✓'),
        entry('shape:quote\\"d/x', 1),
        entry('shape:é/x', 1),
        entry('no-slash', 1),
        entry('/empty-id', 1),
        utf8.encode('not json at all'),
        new Uint8Array(0),
        new Uint8Array([0x5b, 0x22, 0x2f, 0x22, 0x2c, 0x5d]),
      ])
      other.getMap('meta').set('title', 'Défi 3')
      other.getMap('meta').set('raw', new Uint8Array([1, 2, 3]))
    })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))

    const columns = encodeStateAsEntryColumns(doc)
    expect(same(Y.encodeStateAsUpdate(fromColumns(columns)), Y.encodeStateAsUpdate(doc))).toBe(true)
    expect(same(entryColumnsToV1(columns), Y.encodeStateAsUpdate(doc))).toBe(true)
    expect(same(entryColumnsToV2(columns), Y.encodeStateAsUpdateV2(doc))).toBe(true)
    expect(same(v2ToEntryColumns(Y.encodeStateAsUpdateV2(doc)), columns)).toBe(true)
  })

  it('answer a peer with what it lacks, as Yjs would', () => {
    const doc = boardDoc(50)
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    const stateVector = Y.encodeStateVector(peer)
    doc.transact(() => {
      doc.getArray<Uint8Array>('records').delete(0, 9)
      doc.getArray<Uint8Array>('records').push([entry('shape:late/x', 42)])
    })
    const diff = diffEntryColumns(encodeStateAsEntryColumns(doc), stateVector)
    expect(same(diff, Y.encodeStateAsUpdate(doc, stateVector))).toBe(true)
    Y.applyUpdate(peer, diff)
    expect(same(Y.encodeStateAsUpdate(peer), Y.encodeStateAsUpdate(doc))).toBe(true)
  })

  it('keep the updates a document holds back until what they depend on arrives', () => {
    const source = boardDoc(20)
    const first = Y.encodeStateAsUpdate(source)
    const stateVector = Y.encodeStateVector(source)
    source.getArray<Uint8Array>('records').push([entry('shape:after/x', 1)])
    const second = Y.encodeStateAsUpdate(source, stateVector)

    const holder = new Y.Doc()
    Y.applyUpdate(holder, second)
    expect(holder.store.pendingStructs).not.toBeNull()
    const columns = encodeStateAsEntryColumns(holder)
    const receiver = fromColumns(columns)
    Y.applyUpdate(receiver, first)
    expect(same(Y.encodeStateAsUpdate(receiver), Y.encodeStateAsUpdate(source))).toBe(true)
  })

  it('deflate a board to well under half of Yjs’s second format deflated', () => {
    const doc = boardDoc(2000)
    const v2 = zlib.deflateRawSync(Y.encodeStateAsUpdateV2(doc), { level: 2 }).byteLength
    const columns = zlib.deflateRawSync(encodeStateAsEntryColumns(doc), { level: 2 }).byteLength
    expect(columns).toBeLessThan(v2 / 2)
  })

  it('refuse columns that do not add up, with an error', () => {
    const columns = encodeStateAsEntryColumns(boardDoc(5))
    expect(() => fromColumns(columns.subarray(0, columns.length >> 1))).toThrow()
    // A reference to a record that was never named.
    const forged = encoding.createEncoder()
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 10)
    for (const column of [[1], [7], [], [0], [1, 0x78], []]) encoding.writeVarUint8Array(inner, new Uint8Array(column))
    encoding.writeVarUint(inner, 0)
    encoding.writeVarUint8Array(forged, encoding.toUint8Array(inner))
    const withBinary = new Y.Doc()
    withBinary.getArray('records').push([entry('shape:a/x', 1)])
    encoding.writeUint8Array(forged, Y.encodeStateAsUpdateV2(withBinary).subarray(0))
    expect(() => fromColumns(encoding.toUint8Array(forged))).toThrow()
  })
})
