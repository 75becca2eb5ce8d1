import { bindBoard, fieldKey, sharedFieldMap } from '@fabrique/board'
import { createShapeId, createTLStore, getIndexAbove, type IndexKey, defaultBindingUtils, defaultShapeUtils, GeoShapeUtil, type TLShape, type TLStore } from 'tldraw'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getTemplate } from './catalog.ts'
import type { TemplateId } from './types.ts'
import { followOutline, PUSHES_MAP, type PushEntry, placeTemplate, placeTemplateAtRest, prepareOutline, pushGroundOf, withdrawPush } from './place.ts'

/** A participant's view of the board: a real store bound to the document. */
function participant(doc: Y.Doc): TLStore {
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  bindBoard({ store, doc }).start()
  return store
}

/** A participant's store ready for the team's own shapes (its page and document created). */
function drawingParticipant(doc: Y.Doc): TLStore {
  const store = participant(doc)
  ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
  return store
}

/** A rectangle the team drew on the first page, at (x, 0). */
function geo(store: TLStore, id: string, x: number, index: string, { w, h }: { w: number; h: number }): TLShape {
  return store.schema.types.shape.create({
    id: createShapeId(id),
    type: 'geo',
    x,
    y: 0,
    parentId: 'page:page',
    index,
    props: { ...new GeoShapeUtil({} as never).getDefaultProps(), w, h },
  } as never) as TLShape
}

function shapesOf(store: TLStore): TLShape[] {
  return store.query.records('shape').get()
}

describe('placeTemplate', () => {
  test('writes a valid template into a board nobody opened, with a page, readable by a participant', () => {
    const doc = new Y.Doc()
    const result = placeTemplate(doc, { template: getTemplate('empathy-map'), locale: 'fr', pushId: 'push-1' })
    expect(result.status).toBe('placed')

    const store = participant(doc)
    const shapes = shapesOf(store)
    expect(shapes).toHaveLength(result.shapeIds.length)
    expect(store.query.records('page').get()).toHaveLength(1)
    const frame = shapes.find((shape) => shape.type === 'frame')
    expect(frame?.meta).toMatchObject({ fabrique: { templateId: 'empathy-map', pushId: 'push-1', role: 'template' } })
  })

  test('a retried push with the same id writes nothing twice', () => {
    const doc = new Y.Doc()
    const first = placeTemplate(doc, { template: getTemplate('five-whys'), locale: 'en', pushId: 'push-2' })
    const size = Y.encodeStateAsUpdate(doc).byteLength
    const again = placeTemplate(doc, { template: getTemplate('five-whys'), locale: 'en', pushId: 'push-2' })
    expect(again).toEqual({ status: 'already', shapeIds: first.shapeIds })
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBe(size)
    expect(doc.getMap<PushEntry>(PUSHES_MAP).get('push-2')?.templateId).toBe('five-whys')
  })

  test('lands in free space, clear of what the team already drew, and appears live for them', () => {
    const doc = new Y.Doc()
    const store = drawingParticipant(doc)
    const note = geo(store, 'team-note', 0, 'a1', { w: 3000, h: 2000 })
    store.put([note])
    store._flushHistory()

    placeTemplate(doc, { template: getTemplate('lean-canvas'), locale: 'fr', pushId: 'push-3' })
    const frame = shapesOf(store).find((shape) => shape.type === 'frame') as TLShape & { props: { w: number; h: number } }
    expect(frame).toBeDefined()
    const overlaps = frame.x < 3000 && frame.x + frame.props.w > 0 && frame.y < 2000 && frame.y + frame.props.h > 0
    expect(overlaps).toBe(false)
    expect(frame.index > note.index).toBe(true)
  })

  test('one push into several boards: each gets the same template in its own free space, above its own shapes', () => {
    const empty = new Y.Doc()
    const worked = new Y.Doc()
    const store = drawingParticipant(worked)
    const note = geo(store, 'team-note', 0, 'a5', { w: 3000, h: 2000 })
    store.put([note])
    store._flushHistory()
    // The same options for every board, as a facilitator's push gives them: the template is instantiated once.
    const push = { template: getTemplate('journey-map'), locale: 'en' as const, pushId: 'push-everywhere' }
    const intoEmpty = placeTemplate(empty, push)
    const intoWorked = placeTemplate(worked, push)
    expect(intoWorked.shapeIds).toEqual(intoEmpty.shapeIds)

    const frames = [participant(empty), store].map((board) => shapesOf(board).find((shape) => shape.type === 'frame') as TLShape)
    expect(frames[0]?.parentId).toBe('page:page')
    expect(frames[1]?.parentId).toBe(note.parentId)
    expect(frames[1]?.x).toBeGreaterThanOrEqual(3000)
    expect(frames[0]?.x).toBeLessThan(3000)
    expect(frames[1]?.index > note.index).toBe(true)
    // Everything inside the frame is the same on both boards.
    const pushed = new Set<string>(intoEmpty.shapeIds)
    const inside = (board: TLStore) => shapesOf(board).filter((shape) => pushed.has(shape.id) && shape.type !== 'frame').sort((a, b) => (a.id < b.id ? -1 : 1))
    expect(inside(store)).toEqual(inside(participant(empty)))
    expect(inside(store).length).toBeGreaterThan(10)
  })

  test('an outline read ahead over several turns sees what the team changed meanwhile', async () => {
    const doc = new Y.Doc()
    const store = drawingParticipant(doc)
    const small = { w: 5, h: 5 }
    store.put([geo(store, 'top', 0, 'a9', small), ...Array.from({ length: 6 }, (_, i) => geo(store, `other-${i}`, 100 + i * 10, 'a1', small))])
    store._flushHistory()
    // Eighty entries per turn: the topmost shape is read in the first turn, then the team deletes it.
    let turns = 0
    await prepareOutline(doc, 'ahead-1', {
      itemsPerTurn: 80,
      nextTurn: async () => {
        if (turns++ === 0) {
          store.remove([createShapeId('top')])
          store._flushHistory()
        }
      },
    })
    expect(turns).toBeGreaterThanOrEqual(2)
    placeTemplate(doc, { template: getTemplate('lean-canvas'), locale: 'fr', pushId: 'ahead-1' })
    // The template goes on top of what is on the page now, not of the deleted shape.
    const frame = shapesOf(store).find((shape) => shape.type === 'frame')
    expect(frame?.index).toBe(getIndexAbove('a1' as IndexKey))
  })

  test('a board followed from its first entry places a push where a fresh read of it would', () => {
    const followed = new Y.Doc()
    followOutline(followed)
    const store = drawingParticipant(followed)
    const small = { w: 40, h: 30 }
    // The team draws, moves its widest shape away, deletes the topmost: the box and the top shrink.
    store.put([geo(store, 'wide', 0, 'a5', { w: 3000, h: 100 }), geo(store, 'top', 50, 'a9', small), ...Array.from({ length: 5 }, (_, i) => geo(store, `n-${i}`, i * 60, 'a1', small))])
    store._flushHistory()
    store.update(createShapeId('wide'), (shape) => ({ ...shape, x: -200, props: { ...shape.props, w: 100 } }) as TLShape)
    store.remove([createShapeId('top')])
    store._flushHistory()
    // The same board, never followed: its outline is read at the push.
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(followed))
    const ids = () => {
      let n = 0
      return () => `same-${n++}`
    }
    const frameOf = (doc: Y.Doc) => {
      placeTemplate(doc, { template: getTemplate('lean-canvas'), locale: 'fr', pushId: 'followed', createId: ids(), now: () => 1 })
      return shapesOf(participant(doc)).find((shape) => shape.type === 'frame')
    }
    const placed = frameOf(followed)
    expect(placed).toEqual(frameOf(fresh))
    // Right of the moved shape's new box (100 wide), not of its old one (3,000 wide).
    expect(placed?.x).toBeLessThan(3000)
    expect(placed?.index).toBe(getIndexAbove('a5' as IndexKey))
  })

  test('pushes to one board at once read its outline once', async () => {
    const board = () => {
      const doc = new Y.Doc()
      placeTemplate(doc, { template: getTemplate('lean-canvas'), locale: 'fr', pushId: 'base' })
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      return copy
    }
    const turnsOf = async (doc: Y.Doc, pushes: number) => {
      let turns = 0
      const nextTurn = async () => {
        turns++
      }
      await Promise.all(Array.from({ length: pushes }, (_, i) => prepareOutline(doc, `at-once-${i}`, { itemsPerTurn: 50, nextTurn })))
      return turns
    }
    const alone = await turnsOf(board(), 1)
    expect(alone).toBeGreaterThan(2)
    expect(await turnsOf(board(), 5)).toBe(alone)
  })

  test.each([
    ['read at each push', false],
    ['followed, each push in a transaction of its own (a room\'s)', true],
  ])('pushes in a row stay clear of each other and of what the team draws or moves in between (%s)', (_, followed) => {
    const doc = new Y.Doc()
    if (followed) followOutline(doc)
    const place = (options: Parameters<typeof placeTemplate>[1]) => (followed ? doc.transact(() => placeTemplate(doc, options)) : placeTemplate(doc, options))
    const store = participant(doc)
    const frames = () => shapesOf(store).filter((shape): shape is TLShape & { props: { w: number; h: number } } => shape.type === 'frame')
    const overlap = (a: { x: number; y: number; props: { w: number; h: number } }, b: typeof a) =>
      a.x < b.x + b.props.w && b.x < a.x + a.props.w && a.y < b.y + b.props.h && b.y < a.y + a.props.h
    place({ template: getTemplate('lean-canvas'), locale: 'fr', pushId: 'row-1' })
    place({ template: getTemplate('problem-tree'), locale: 'fr', pushId: 'row-2' })
    const [first, second] = frames()
    expect(second && first && overlap(first, second)).toBe(false)

    // The team drags the first frame just right of the second, where the next push would go.
    store.update(first?.id as TLShape['id'], (shape) => ({ ...shape, x: (second?.x ?? 0) + (second?.props.w ?? 0) + 100, y: second?.y ?? 0 }))
    store._flushHistory()
    place({ template: getTemplate('five-whys'), locale: 'fr', pushId: 'row-3' })
    const all = frames()
    expect(all).toHaveLength(3)
    for (const a of all) for (const b of all) if (a !== b) expect(overlap(a, b)).toBe(false)
    const third = all.find((shape) => (shape.meta as { fabrique?: { pushId?: string } }).fabrique?.pushId === 'row-3')
    for (const other of all) if (other !== third) expect((third?.index ?? '') > other.index).toBe(true)
  })
})

describe('placeTemplateAtRest', () => {
  /** The same options on both sides: ids from a counter, one clock. */
  const options = (pushId: string, templateId: TemplateId) => {
    let next = 0
    return { template: getTemplate(templateId), locale: 'fr' as const, pushId, createId: () => `${pushId}-${next++}`, now: () => 1_700_000_000_000 }
  }

  /** A board a team worked on: notes from two people, the last ones deleted (a tombstone ends the records array). */
  function workedOnBoard(): Y.Doc {
    const doc = new Y.Doc()
    const store = drawingParticipant(doc)
    const size = { w: 200, h: 100 }
    store.put([geo(store, 'a', 0, 'a1', size), geo(store, 'b', 300, 'a2', size)])
    store._flushHistory()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    placeTemplate(other, { template: getTemplate('five-whys'), locale: 'en', pushId: 'earlier' })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    store.put([geo(store, 'c', 600, 'a3', size), geo(store, 'd', 900, 'a4', size)])
    store._flushHistory()
    store.remove([createShapeId('c'), createShapeId('d')])
    store._flushHistory()
    return doc
  }

  test.each([
    ['a board a team worked on', workedOnBoard],
    ['a board nobody opened', () => new Y.Doc()],
  ])('writes the update placeTemplate writes, byte for byte, push after push (%s)', (_, board) => {
    const live = board()
    const ground = pushGroundOf(live)
    const atRest = new Y.Doc()
    Y.applyUpdate(atRest, Y.encodeStateAsUpdate(live))

    let current = ground
    for (const [pushId, templateId] of [['rest-1', 'lean-canvas'], ['rest-2', 'problem-tree']] as const) {
      const clientId = 1000 + current.clients.size
      live.clientID = clientId
      // What the room stores and sends: the transaction's update.
      let expected: Uint8Array | undefined
      live.once('update', (update: Uint8Array) => {
        expected = update
      })
      expect(placeTemplate(live, options(pushId, templateId)).status).toBe('placed')

      const placed = placeTemplateAtRest(current, { ...options(pushId, templateId), clientId })
      expect(placed.result.status).toBe('placed')
      expect(placed.update).toEqual(expected)
      Y.applyUpdate(atRest, placed.update as Uint8Array)
      current = placed.ground
    }
    expect(Y.encodeStateAsUpdate(atRest)).toEqual(Y.encodeStateAsUpdate(live))
    expect(participant(atRest).query.records('shape').get().length).toBe(participant(live).query.records('shape').get().length)
  })

  test('a retried push answers with its shapes and writes nothing', () => {
    const ground = pushGroundOf(workedOnBoard())
    const first = placeTemplateAtRest(ground, options('again', 'persona'))
    const again = placeTemplateAtRest(first.ground, options('again', 'persona'))
    expect(again).toEqual({ result: { status: 'already', shapeIds: first.result.shapeIds }, ground: first.ground, records: [], onShownPage: false })
    // The first one says what it wrote, on a page that had the team's shapes (for the board's preview).
    expect(first.records.map((record) => record.id)).toEqual(expect.arrayContaining(first.result.shapeIds))
    expect(first.onShownPage).toBe(true)
    expect(placeTemplateAtRest(ground, options('earlier', 'persona')).result.status).toBe('already')
  })

  test('refuses a client id that already wrote on the board', () => {
    const ground = pushGroundOf(workedOnBoard())
    const [taken] = ground.clients
    expect(() => placeTemplateAtRest(ground, { ...options('taken', 'persona'), clientId: taken })).toThrow(/has changes on the board/)
  })
})

describe('withdrawPush', () => {
  test('withdraws pushes stored by earlier versions, which kept a fingerprint of the records instead of where they were written', () => {
    // Values written by the first implementation (canonical JSON, FNV-1a), pinned.
    const expected = { 'problem-statement': 'e3880d47:8357', 'journey-map': '446d726:27900', 'lean-canvas': '72552170:24647' }
    for (const [templateId, fingerprint] of Object.entries(expected)) {
      const stored = (touch: boolean) => {
        const doc = new Y.Doc()
        let next = 0
        placeTemplate(doc, { template: getTemplate(templateId as TemplateId), locale: 'fr', pushId: 'p', createId: () => `id-${next++}`, now: () => 1 })
        const pushes = doc.getMap<PushEntry>(PUSHES_MAP)
        const { written: _, ...entry } = pushes.get('p') as PushEntry
        pushes.set('p', { ...entry, fingerprint })
        if (touch) {
          // Moved and moved back: the records are as pushed, which is all an earlier push can tell.
          const store = participant(doc)
          const note = shapesOf(store).find((shape) => shape.type === 'note') as TLShape
          store.update(note.id, (shape) => ({ ...shape, x: shape.x + 10 }))
          store.update(note.id, (shape) => ({ ...shape, x: shape.x - 10 }))
          store._flushHistory()
        }
        return doc
      }
      expect(withdrawPush(stored(false), 'p'), templateId).toBe('withdrawn')
      expect(withdrawPush(stored(true), 'p'), templateId).toBe('withdrawn')
      const edited = stored(false)
      const store = participant(edited)
      const note = shapesOf(store).find((shape) => shape.type === 'note') as TLShape
      store.update(note.id, (shape) => ({ ...shape, y: shape.y + 1 }))
      store._flushHistory()
      expect(withdrawPush(edited, 'p'), templateId).toBe('touched')
    }
  })

  test('a push placed at rest is withdrawn once the board is loaded, and left when the team moved a note there and back', () => {
    const placedAtRest = () => {
      const doc = new Y.Doc()
      const { update } = placeTemplateAtRest(pushGroundOf(doc), { template: getTemplate('persona'), locale: 'fr', pushId: 'rest' })
      Y.applyUpdate(doc, update as Uint8Array)
      return doc
    }
    expect(withdrawPush(placedAtRest(), 'rest')).toBe('withdrawn')

    const doc = placedAtRest()
    const store = participant(doc)
    const note = shapesOf(store).find((shape) => shape.type === 'note') as TLShape
    store.update(note.id, (shape) => ({ ...shape, x: shape.x + 10 }))
    store._flushHistory()
    store.update(note.id, (shape) => ({ ...shape, x: shape.x - 10 }))
    store._flushHistory()
    expect(withdrawPush(doc, 'rest')).toBe('touched')
  })

  test('a field taken off a pushed record counts as an edit', () => {
    const doc = new Y.Doc()
    placeTemplate(doc, { template: getTemplate('persona'), locale: 'fr', pushId: 'push-6' })
    const fields = sharedFieldMap(doc)
    const [noteId] = [...fields.recordIds()].filter((id) => fields.fieldsOf(id)?.get('type')?.v === 'note')
    fields.write([], [fieldKey(noteId as string, 'meta')])
    expect(withdrawPush(doc, 'push-6')).toBe('touched')
  })

  test('takes back a template nobody touched', () => {
    const doc = new Y.Doc()
    const { shapeIds } = placeTemplate(doc, { template: getTemplate('persona'), locale: 'fr', pushId: 'push-4' })
    const store = participant(doc)
    expect(withdrawPush(doc, 'push-4')).toBe('withdrawn')
    expect(shapeIds.some((id) => store.has(id as TLShape['id']))).toBe(false)
    expect(withdrawPush(doc, 'push-4')).toBe('already-withdrawn')
    expect(withdrawPush(doc, 'never-pushed')).toBe('not-pushed')
  })

  test('leaves a template the team wrote in', () => {
    const doc = new Y.Doc()
    const { shapeIds } = placeTemplate(doc, { template: getTemplate('persona'), locale: 'fr', pushId: 'push-5' })
    const store = participant(doc)
    const placeholder = shapesOf(store).find((shape) => shape.type === 'note') as TLShape
    store.update(placeholder.id, (shape) => ({ ...shape, x: shape.x + 10 }))
    store._flushHistory()

    expect(withdrawPush(doc, 'push-5')).toBe('touched')
    expect(shapeIds.every((id) => store.has(id as TLShape['id']))).toBe(true)
  })
})
