import { bindBoard } from '@fabrique/board'
import {
  AssetRecordType,
  createBindingId,
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  type IndexKey,
  PageRecordType,
  type TLAssetId,
  type TLRecord,
  type TLShape,
  type TLStore,
} from 'tldraw'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getTemplate } from './catalog.ts'
import { checkTemplateRecords, type EventTemplateContent, normaliseSelection, TEMPLATE_ROOT_PARENT } from './eventTemplate.ts'
import { instantiateTemplate } from './instantiate.ts'
import { placeTemplate, withdrawPush } from './place.ts'

const pageId = PageRecordType.createId('page')

/** A selection as tldraw copies it: a built-in template's frame and children, roots in page space, plus an arrow bound to a note. */
function selection() {
  const shapes = instantiateTemplate(getTemplate('five-whys'), { locale: 'fr', origin: { x: 500, y: 300 }, pageId, pushId: 'old-push' })
  const note = shapes.find((shape) => shape.type === 'note') as TLShape
  const frame = shapes[0] as TLShape
  const arrow = {
    ...frame,
    id: createShapeId('arrow'),
    type: 'arrow',
    parentId: frame.id,
    index: 'a0' as IndexKey,
    meta: {},
    props: {
      kind: 'arc', labelColor: 'black', color: 'black', fill: 'none', dash: 'draw', size: 'm', arrowheadStart: 'none', arrowheadEnd: 'arrow', font: 'draw',
      start: { x: 0, y: 0 }, end: { x: 100, y: 100 }, bend: 0, richText: { type: 'doc', content: [] }, labelPosition: 0.5, scale: 1, elbowMidPoint: 0.5,
    },
  } as unknown as TLShape
  const binding = {
    id: createBindingId('arrow-note'),
    typeName: 'binding',
    type: 'arrow',
    fromId: arrow.id,
    toId: note.id,
    meta: {},
    props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
  } as unknown as TLRecord
  return normaliseSelection({ shapes: [...shapes, arrow], bindings: [binding as never], rootShapeIds: [frame.id] }, { x: 500, y: 300, w: 1200, h: 800 })
}

function accepted(records: readonly unknown[]): EventTemplateContent {
  const check = checkTemplateRecords(records, { w: 1200, h: 800 })
  if (!check.ok) throw new Error(check.problem.en)
  return check.content
}

const problem = (records: readonly unknown[]) => {
  const check = checkTemplateRecords(records, { w: 100, h: 100 })
  return check.ok ? undefined : check.problem.en
}

describe('saving a selection as an event template', () => {
  test('roots start at the origin and forget the push they came from', () => {
    const { records, size } = selection()
    const frame = records.find((record) => record.typeName === 'shape' && record.type === 'frame') as TLShape
    expect(size).toEqual({ w: 1200, h: 800 })
    expect(frame).toMatchObject({ x: 0, y: 0, parentId: TEMPLATE_ROOT_PARENT })
    expect(JSON.stringify(records)).not.toContain('old-push')
    expect(accepted(records).shapes.length).toBe(records.length - 1)
  })

  test('refuses with a clear message what is not a template', () => {
    const { records } = selection()
    const frame = records[0] as TLShape
    expect(problem([])).toMatch(/empty/)
    expect(problem([{ ...frame, typeName: 'page' }])).toMatch(/only shapes, bindings and images/)
    expect(problem([{ ...frame, props: { ...frame.props, w: 'wide' } }])).toMatch(/not valid for tldraw/)
    expect(problem(records.filter((record) => record !== frame))).toMatch(/not in the selection/)
    expect(problem([frame, frame])).toMatch(/appears twice/)
    expect(problem(records.filter((record) => record.typeName !== 'shape' || record.type !== 'arrow'))).toMatch(/connects a shape/)
    expect(checkTemplateRecords([frame], { w: 0, h: 10 }).ok).toBe(false)
  })

  test('keeps images uploaded to the server, refuses others', () => {
    const assetId = AssetRecordType.createId('photo') as TLAssetId
    const asset = (src: string) =>
      AssetRecordType.create({ id: assetId, type: 'image', props: { name: 'photo.png', src, w: 10, h: 10, mimeType: 'image/png', isAnimated: false } })
    const image = {
      ...(selection().records[0] as TLShape),
      id: createShapeId('image'),
      type: 'image',
      meta: {},
      props: { w: 10, h: 10, playing: true, url: '', assetId, crop: null, flipX: false, flipY: false, altText: '' },
    }
    expect(problem([image])).toMatch(/image of shape/)
    expect(problem([image, asset('/api/assets/abcdefgh12')])).toBeUndefined()
    expect(problem([image, asset('data:image/png;base64,AAAA')])).toMatch(/Only images dropped on a Fabrique board/)
  })

  test('pushed to a board: fresh ids, bindings follow, valid in a store, idempotent and withdrawable', () => {
    const content = accepted(selection().records)
    const doc = new Y.Doc()
    const store: TLStore = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    bindBoard({ store, doc }).start()
    const template = { id: 'evt-tpl', content }
    const placed = placeTemplate(doc, { template, locale: 'fr', pushId: 'push-evt-1' })
    expect(placed.status).toBe('placed')
    expect(placeTemplate(doc, { template, locale: 'fr', pushId: 'push-evt-1' }).status).toBe('already')

    const shapes = store.query.records('shape').get()
    expect(shapes).toHaveLength(content.shapes.length)
    expect(shapes.some((shape) => content.shapes.some((saved) => saved.id === shape.id))).toBe(false)
    const [binding] = store.query.records('binding').get()
    expect(shapes.map((shape) => shape.id)).toContain(binding?.toId)
    const frame = shapes.find((shape) => shape.type === 'frame')
    expect(frame?.parentId).toBe('page:page')
    expect(frame?.meta).toMatchObject({ fabrique: { pushId: 'push-evt-1' } })

    expect(withdrawPush(doc, 'push-evt-1')).toBe('withdrawn')
    expect(store.query.records('shape').get()).toHaveLength(0)
    expect(store.query.records('binding').get()).toHaveLength(0)
  })
})
