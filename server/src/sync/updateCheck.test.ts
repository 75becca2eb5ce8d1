import { FieldMap, RECORDS_ARRAY, SCHEMA_KEY, SCHEMA_MAP } from '@fabrique/board'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkFieldEntry, checkUpdate } from './updateCheck.ts'

/** Everything `change` wrote into `doc`, as the update its 'update' event carries. */
function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = []
  const listener = (update: Uint8Array) => updates.push(update)
  doc.on('update', listener)
  change(doc)
  doc.off('update', listener)
  return Y.mergeUpdates(updates)
}

function writeNote(fields: FieldMap, id: string, x: number): void {
  fields.write(
    [
      [`${id}/id`, id],
      [`${id}/typeName`, 'shape'],
      [`${id}/x`, x],
    ],
    [],
  )
}

/** A V1 update by hand: what no Yjs document writes, but a client may send. */
function handMade(build: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  build(e)
  return encoding.toUint8Array(e)
}

describe('checkUpdate', () => {
  it('accepts what the board binding writes, first edits and later ones', () => {
    const client = new Y.Doc()
    const server = new Y.Doc()
    const fields = new FieldMap(client.getArray(RECORDS_ARRAY))
    const first = updateOf(client, () => {
      writeNote(fields, 'shape:a', 1)
      client.getMap(SCHEMA_MAP).set(SCHEMA_KEY, { schemaVersion: 2, sequences: {} })
    })
    expect(checkUpdate(server, first, 'board')).toBeUndefined()
    Y.applyUpdate(server, first)
    // A move: it deletes the old entry and appends after entries the server already has.
    const move = updateOf(client, () => writeNote(fields, 'shape:a', 2))
    expect(checkUpdate(server, move, 'board')).toBeUndefined()
    // A whole board as a newcomer's sync step 2 would carry it.
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(client), 'board')).toBeUndefined()
  })

  it('refuses roots that are not part of a board, unless the layout is free', () => {
    const update = updateOf(new Y.Doc(), (doc) => doc.getMap('m').set('k', 'v'))
    expect(checkUpdate(new Y.Doc(), update, 'board')).toMatch(/"m" is not part of a board/)
    expect(checkUpdate(new Y.Doc(), update, 'free')).toBeUndefined()
  })

  it('refuses records that are not field entries', () => {
    const plain = updateOf(new Y.Doc(), (doc) => doc.getArray(RECORDS_ARRAY).push([{ k: 'shape:a/x', v: 1 }]))
    expect(checkUpdate(new Y.Doc(), plain, 'board')).toMatch(/record entries only/)
    const notJson = updateOf(new Y.Doc(), (doc) => doc.getArray(RECORDS_ARRAY).push([new Uint8Array([0x7b, 0xff])]))
    expect(checkUpdate(new Y.Doc(), notJson, 'board')).toMatch(/not UTF-8 JSON/)
    const badKey = updateOf(new Y.Doc(), (doc) => doc.getArray(RECORDS_ARRAY).push([new TextEncoder().encode(JSON.stringify(['shape:a', 1]))]))
    expect(checkUpdate(new Y.Doc(), badKey, 'board')).toMatch(/recordId\/field/)
    const asMap = updateOf(new Y.Doc(), (doc) => doc.getMap(RECORDS_ARRAY).set('shape:a', { x: 1 }))
    expect(checkUpdate(new Y.Doc(), asMap, 'board')).toMatch(/record entries only/)
  })

  it('refuses nested shared types in any layout', () => {
    const nested = updateOf(new Y.Doc(), (doc) => doc.getMap(SCHEMA_MAP).set('inner', new Y.Map()))
    expect(checkUpdate(new Y.Doc(), nested, 'free')).toMatch(/ContentType/)
  })

  it('refuses an item of zero length and a deletion of zero length (seed 602113), in any layout', () => {
    const emptyItem = handMade((e) => {
      encoding.writeVarUint(e, 1) // one client
      encoding.writeVarUint(e, 1) // one struct
      encoding.writeVarUint(e, 42) // client
      encoding.writeVarUint(e, 0) // clock
      encoding.writeUint8(e, 8 | 0x20) // ContentAny, with a parent key
      encoding.writeVarUint(e, 1) // parent is a root, by name
      encoding.writeVarString(e, 'm')
      encoding.writeVarString(e, 'k')
      encoding.writeVarUint(e, 0) // no values
      encoding.writeVarUint(e, 0) // no deletions
    })
    expect(checkUpdate(new Y.Doc(), emptyItem, 'free')).toBe('a change of zero length')
    const emptyDeletion = handMade((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 42)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 5)
      encoding.writeVarUint(e, 0)
    })
    expect(checkUpdate(new Y.Doc(), emptyDeletion, 'free')).toBe('a deletion of zero length')
  })

  it('takes an entry that follows changes the server has not received (a client resyncing), but not a value', () => {
    const client = new Y.Doc()
    const fields = new FieldMap(client.getArray(RECORDS_ARRAY))
    updateOf(client, () => writeNote(fields, 'shape:a', 1))
    const later = updateOf(client, () => writeNote(fields, 'shape:b', 1))
    expect(checkUpdate(new Y.Doc(), later, 'board')).toBeUndefined()
    const map = new Y.Doc()
    updateOf(map, (doc) => doc.getMap(SCHEMA_MAP).set(SCHEMA_KEY, 1))
    const overwrite = updateOf(map, (doc) => doc.getMap(SCHEMA_MAP).set(SCHEMA_KEY, 2))
    expect(checkUpdate(new Y.Doc(), overwrite, 'board')).toMatch(/never received/)
  })
})

describe('checkFieldEntry', () => {
  it('takes UTF-8 JSON [recordId/field, value] only', () => {
    const entry = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
    expect(checkFieldEntry(entry(['shape:a/props.color', 'red']))).toBeUndefined()
    expect(checkFieldEntry(entry(['shape:a/', 1]))).toMatch(/recordId\/field/)
    expect(checkFieldEntry(entry(['/x', 1]))).toMatch(/recordId\/field/)
    expect(checkFieldEntry(entry([1, 2]))).toMatch(/not a string/)
    expect(checkFieldEntry(entry({ k: 'a/b' }))).toMatch(/pair/)
  })
})
