// @vitest-environment jsdom
import { createShapeId, type TLArrowShape, type TLNoteShape, type TLRecord, toRichText } from 'tldraw'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { RECORDS_ARRAY, SCHEMA_MAP } from './binding.ts'
import { FieldMap, fieldKey } from './fieldMap.ts'
import { recordToFields } from './layout.ts'
import { arrowBinding, Network, PAGE_ID, shapeRecord } from './testing.ts'

function twoPeers() {
  const network = new Network()
  const alice = network.addPeer('alice')
  const bob = network.addPeer('bob')
  alice.binding.start()
  network.deliverAll()
  bob.binding.start()
  network.settle()
  return { network, alice, bob }
}

/** Writes a record into a document the way a (possibly misbehaving) peer would, bypassing any binding. */
function writeRawRecord(doc: Y.Doc, record: Record<string, unknown>): void {
  const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
  fields.write(
    [...recordToFields(record as unknown as TLRecord)].map(([field, value]) => [fieldKey(String(record.id), field), value] as const),
    [],
  )
  fields.destroy()
}

describe('bindBoard', () => {
  test('a note created by one person appears for the other', () => {
    const { network, alice, bob } = twoPeers()
    const note = shapeRecord(alice.store, 'note', { x: 10, y: 20, props: { richText: toRichText('Usagers') } })
    alice.edit((store) => store.put([note]))
    network.deliverAll()
    expect(bob.store.get(note.id)).toEqual(note)
  })

  test('one person moves a note while another recolours and retypes it: both changes survive', () => {
    const { network, alice, bob } = twoPeers()
    const note = shapeRecord(alice.store, 'note') as TLNoteShape
    alice.edit((store) => store.put([note]))
    network.deliverAll()

    alice.edit((store) => store.update(note.id, (shape) => ({ ...shape, x: 300, y: 400 })))
    bob.edit((store) =>
      store.update(note.id, (shape) => ({ ...shape, props: { ...(shape as TLNoteShape).props, color: 'green', richText: toRichText('Idée') } }) as TLNoteShape),
    )
    network.settle()

    for (const peer of [alice, bob]) {
      const shape = peer.store.get(note.id) as TLNoteShape
      expect(shape).toMatchObject({ x: 300, y: 400, props: { color: 'green', richText: toRichText('Idée') } })
    }
  })

  describe('while local changes wait for the next frame', () => {
    // In tests tldraw gives changes to listeners at once; in a browser it waits for the next frame.
    beforeEach(() => {
      ;(globalThis as { __FORCE_RAF_IN_TESTS__?: boolean }).__FORCE_RAF_IN_TESTS__ = true
    })
    afterEach(() => {
      ;(globalThis as { __FORCE_RAF_IN_TESTS__?: boolean }).__FORCE_RAF_IN_TESTS__ = false
    })

    /** Two people sharing a note; Alice moves it, and her move waits for her next frame. */
    function aliceMovesNote(move: { x: number; y?: number }) {
      const { network, alice, bob } = twoPeers()
      const note = shapeRecord(alice.store, 'note', { x: 0, y: 0 }) as TLNoteShape
      alice.edit((store) => store.put([note]))
      network.deliverAll()
      alice.store.update(note.id, (shape) => ({ ...shape, ...move }))
      expect(network.queue).toHaveLength(0)
      return { network, alice, bob, note }
    }

    test('a remote change arriving while a local change waits for its frame: both survive, and the stores agree', () => {
      const { network, alice, bob, note } = aliceMovesNote({ x: 500, y: 80 })
      // Meanwhile Bob's recolouring reaches her.
      bob.edit((store) => store.update(note.id, (shape) => ({ ...shape, props: { ...(shape as TLNoteShape).props, color: 'red' } }) as TLNoteShape))
      network.deliverAll()
      expect(alice.store.get(note.id)).toMatchObject({ x: 500, y: 80, props: { color: 'red' } })
      network.settle()

      for (const peer of [alice, bob]) expect(peer.store.get(note.id)).toMatchObject({ x: 500, y: 80, props: { color: 'red' } })
    })

    test('both move the same note within one frame: the stores agree on one position', () => {
      const { network, alice, bob, note } = aliceMovesNote({ x: 500 })
      bob.edit((store) => store.update(note.id, (shape) => ({ ...shape, x: 300 })))
      network.deliverAll()
      network.settle()

      const positions = [alice, bob].map((peer) => (peer.store.get(note.id) as TLNoteShape).x)
      expect(positions[0]).toBe(positions[1])
    })

    test('a note deleted by one person while the other moves it: both boards end the same', () => {
      const { network, alice, bob, note } = aliceMovesNote({ x: 500 })
      bob.edit((store) => store.remove([note.id]))
      network.deliverAll()
      network.settle()

      expect(alice.store.get(note.id)).toEqual(bob.store.get(note.id))
    })
  })

  test('a remote batch arrives in one mergeRemoteChanges, never as a user change, and is not echoed', () => {
    const { network, alice, bob } = twoPeers()
    const box = shapeRecord(alice.store, 'geo', { x: 0 })
    const target = shapeRecord(alice.store, 'geo', { x: 400 })
    const arrow = shapeRecord(alice.store, 'arrow', { x: 100 }) as TLArrowShape
    const bindings = [arrowBinding(alice.store, arrow, box.id, 'start'), arrowBinding(alice.store, arrow, target.id, 'end')]

    let merges = 0
    const merge = bob.store.mergeRemoteChanges.bind(bob.store)
    bob.store.mergeRemoteChanges = (fn) => {
      merges++
      merge(fn)
    }
    const userChanges: unknown[] = []
    bob.store.listen((entry) => userChanges.push(entry), { source: 'user', scope: 'document' })
    const bobUpdates: Uint8Array[] = []
    bob.doc.on('update', (update: Uint8Array) => bobUpdates.push(update))

    alice.edit((store) => store.put([box, target, arrow, ...bindings]))
    const queued = network.queue.length
    network.deliverAll()
    bob.binding.flush()

    expect(queued).toBe(1)
    expect(merges).toBe(1)
    expect(bob.store.get(bindings[1].id)).toEqual(bindings[1])
    expect(userChanges).toEqual([])
    // Bob's only document update is the one he received; nothing goes back to Alice.
    expect(bobUpdates).toHaveLength(1)
    expect(network.queue).toHaveLength(0)
  })

  test('nothing is written into the document before start(), so a default page cannot clobber a loading board', () => {
    const network = new Network()
    const alice = network.addPeer('alice')
    alice.binding.start()
    const note = shapeRecord(alice.store, 'note')
    alice.edit((store) => store.put([note]))
    network.deliverAll()

    const bob = network.addPeer('bob')
    bob.edit((store) => store.put([shapeRecord(bob.store, 'geo', { props: { color: 'red' } })]))
    expect(bob.doc.getArray(RECORDS_ARRAY).length).toBe(0)
    network.reconnect(bob)
    bob.binding.start()
    network.settle()

    // Bob's store now mirrors the board: Alice's note is there, his pre-sync shape is not.
    expect(bob.documentRecords()).toEqual(alice.documentRecords())
    expect(bob.store.get(note.id)).toEqual(note)
  })

  test('a new board receives the default page and document of the first client', () => {
    const network = new Network()
    const alice = network.addPeer('alice')
    alice.binding.start()
    const bob = network.addPeer('bob')
    network.reconnect(bob)
    bob.binding.start()
    network.settle()
    expect(bob.store.get(PAGE_ID)).toBeDefined()
    expect(bob.documentRecords()).toEqual(alice.documentRecords())
  })

  test('a record that fails validation is held back; the rest of the board keeps syncing', () => {
    const { network, alice, bob } = twoPeers()
    const bad = { ...shapeRecord(alice.store, 'note'), props: { ...shapeRecord(alice.store, 'note').props, color: 'chartreuse' } }
    writeRawRecord(alice.doc, bad)
    const good = shapeRecord(alice.store, 'note', { x: 50 })
    alice.edit((store) => store.put([good]))
    network.deliverAll()

    expect(bob.store.get(bad.id as TLRecord['id'])).toBeUndefined()
    expect(bob.store.get(good.id)).toEqual(good)
    expect(bob.problems).toEqual([expect.objectContaining({ kind: 'record-held-back', recordId: bad.id })])

    // Once someone writes a valid version, it shows and the problem goes away.
    writeRawRecord(alice.doc, { ...bad, props: { ...bad.props, color: 'blue' } })
    network.deliverAll()
    expect((bob.store.get(bad.id as TLRecord['id']) as TLNoteShape).props.color).toBe('blue')
    expect(bob.problems).toEqual([])
  })

  test('a shape type from a newer client is held back instead of breaking the board', () => {
    const { network, alice, bob } = twoPeers()
    const sparkle = { ...shapeRecord(alice.store, 'geo'), type: 'sparkle', props: { glow: 3 } }
    writeRawRecord(alice.doc, sparkle)
    network.deliverAll()
    expect(bob.store.get(sparkle.id as TLRecord['id'])).toBeUndefined()
    expect(bob.problems[0]).toMatchObject({ kind: 'record-held-back', recordId: sparkle.id })
  })

  test('a client older than the board does not write and is asked to reload', () => {
    const { network, alice, bob } = twoPeers()
    const schema = alice.store.schema.serialize() as { sequences: Record<string, number> }
    alice.doc.getMap(SCHEMA_MAP).set('tldraw', { schemaVersion: 2, sequences: { ...schema.sequences, 'com.tldraw.shape.note': 999 } })
    network.deliverAll()
    expect(bob.binding.writable).toBe(false)
    expect(bob.problems).toEqual([{ kind: 'client-outdated' }])

    bob.edit((store) => store.put([shapeRecord(bob.store, 'note')]))
    expect(network.queue).toHaveLength(0)
  })

  test('a board written by an older client is migrated to this client schema on start', () => {
    const network = new Network()
    const alice = network.addPeer('alice')
    const note = shapeRecord(alice.store, 'note')
    const schema = alice.store.schema.serialize() as { sequences: Record<string, number> }
    // The previous version of the note shape: no `textLastEditedBy` prop yet.
    const { textLastEditedBy: _, ...oldProps } = note.props as TLNoteShape['props']
    const older = { schemaVersion: 2, sequences: { ...schema.sequences, 'com.tldraw.shape.note': schema.sequences['com.tldraw.shape.note'] - 1 } }
    alice.doc.getMap(SCHEMA_MAP).set('tldraw', older)
    writeRawRecord(alice.doc, { ...note, props: oldProps })

    alice.binding.start()
    expect(alice.problems).toEqual([])
    expect(alice.store.get(note.id)).toEqual(note)
    expect(alice.doc.getMap(SCHEMA_MAP).get('tldraw')).toEqual(alice.store.schema.serialize())
  })

  test('10,000 moves of one shape grow the encoded document by at most 30 KB', () => {
    const { alice } = twoPeers()
    const note = shapeRecord(alice.store, 'note')
    alice.edit((store) => store.put([note]))
    const before = Y.encodeStateAsUpdate(alice.doc).byteLength
    for (let i = 1; i <= 10_000; i++) {
      alice.edit((store) => store.update(note.id, (shape) => ({ ...shape, x: i, y: i * 2 })))
    }
    const growth = Y.encodeStateAsUpdate(alice.doc).byteLength - before
    expect(alice.store.get(note.id)).toMatchObject({ x: 10_000, y: 20_000 })
    expect(growth).toBeLessThanOrEqual(30 * 1024)
  })

  test('a note added to a frame someone else deleted at the same moment lands on the page', () => {
    const { network, alice, bob } = twoPeers()
    const frame = shapeRecord(alice.store, 'frame')
    alice.edit((store) => store.put([frame]))
    network.deliverAll()

    const note = shapeRecord(bob.store, 'note', { id: createShapeId('orphan'), parentId: frame.id })
    bob.edit((store) => store.put([note]))
    alice.edit((store) => store.remove([frame.id]))
    network.settle()

    for (const peer of [alice, bob]) expect(peer.store.get(note.id)?.parentId).toBe(PAGE_ID)
    expect(alice.documentRecords()).toEqual(bob.documentRecords())
  })

  test('records of session or presence scope written into the document are never applied', () => {
    const { network, alice, bob } = twoPeers()
    writeRawRecord(alice.doc, { id: 'instance:instance', typeName: 'instance', currentPageId: 'page:evil' })
    network.deliverAll()
    expect(bob.store.get('instance:instance' as TLRecord['id'])).toMatchObject({ currentPageId: PAGE_ID })
    expect(bob.problems[0]).toMatchObject({ kind: 'record-held-back', recordId: 'instance:instance' })
  })
})
