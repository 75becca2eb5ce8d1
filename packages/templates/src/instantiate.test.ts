import {
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  type IndexKey,
  PageRecordType,
  type TLRecord,
  type TLShape,
  type TLStore,
} from 'tldraw'
import { describe, expect, test } from 'vitest'
import { getTemplate, listTemplates } from './catalog.ts'
import { instantiateTemplate } from './instantiate.ts'
import { readTemplateMeta, type TemplateShapeMeta } from './meta.ts'
import { NOTE_SIZE } from './sectionLayout.ts'
import type { Locale } from './types.ts'

const pageId = PageRecordType.createId('templates')

function newStore(): TLStore {
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  store.put([PageRecordType.create({ id: pageId, name: 'Page', index: 'a1' as IndexKey })])
  return store
}

function counter(prefix: string) {
  let n = 0
  return () => `${prefix}${++n}`
}

function plainText(richText: unknown): string {
  const doc = richText as { content: { content?: { text: string }[] }[] }
  return doc.content.map((paragraph) => (paragraph.content ?? []).map((node) => node.text).join('')).join('\n')
}

const meta = (shape: TLShape) => readTemplateMeta(shape.meta) as TemplateShapeMeta
const cases = listTemplates().flatMap((template) =>
  (['fr', 'en'] as const).map((locale) => [template.id, locale, template] as const),
)

describe.each(cases)('%s (%s)', (_id, locale: Locale, template) => {
  const records = instantiateTemplate(template, {
    locale,
    origin: { x: 1000, y: -500 },
    pageId,
    createId: counter('t'),
  })
  const [frame, ...children] = records

  test('passes tldraw 5.4.2 schema validation in a real store', () => {
    const store = newStore()
    expect(() => store.put(records)).not.toThrow()
    expect(store.query.records('shape').get()).toHaveLength(records.length)
  })

  test('one frame on the page holding every other shape, named after the template', () => {
    expect(frame?.type).toBe('frame')
    expect(frame?.parentId).toBe(pageId)
    expect(frame).toMatchObject({ x: 1000, y: -500, props: { name: template.title[locale], ...template.size } })
    expect(meta(frame as TLShape)).toEqual({ templateId: template.id, role: 'template', locale })
    for (const child of children) expect(child.parentId).toBe(frame?.id)
  })

  test('children have distinct, increasing indexes', () => {
    const indexes = children.map((child) => child.index)
    expect([...indexes].sort()).toEqual(indexes)
    expect(new Set(indexes).size).toBe(indexes.length)
  })

  test('one labelled rectangle, one prompt and the placeholders per section', () => {
    for (const section of template.sections) {
      const own = children.filter((child) => {
        const m = meta(child)
        return 'sectionKey' in m && m.sectionKey === section.key
      })
      const rectangles = own.filter((shape) => meta(shape).role === 'section')
      const prompts = own.filter((shape) => meta(shape).role === 'prompt')
      const notes = own.filter((shape) => meta(shape).role === 'placeholder')

      expect(rectangles).toHaveLength(1)
      const rectangle = rectangles[0] as TLShape<'geo'>
      expect(rectangle).toMatchObject({ type: 'geo', x: section.box.x, y: section.box.y, props: { geo: 'rectangle' } })
      expect(rectangle.props).toMatchObject({ w: section.box.w, h: section.box.h })
      expect(plainText(rectangle.props.richText)).toBe(section.title[locale])

      expect(prompts).toHaveLength(1)
      const prompt = prompts[0] as TLShape<'text'>
      expect(prompt.type).toBe('text')
      expect(plainText(prompt.props.richText)).toBe(section.prompt[locale])

      expect(notes).toHaveLength(section.placeholders ?? 0)
      for (const note of notes as TLShape<'note'>[]) {
        expect(note.type).toBe('note')
        expect(plainText(note.props.richText)).toBe('')
      }
    }
  })

  test('every child is tagged with the template and a role', () => {
    for (const child of children) expect(meta(child).templateId).toBe(template.id)
    const dividers = children.filter((child) => meta(child).role === 'divider')
    expect(dividers).toHaveLength(2 * (template.dividers?.length ?? 0))
  })
})

describe('ids', () => {
  const template = getTemplate('lean-canvas')
  const options = { locale: 'fr', origin: { x: 0, y: 0 }, pageId } as const

  test('are fresh and unique across two instantiations', () => {
    const first = instantiateTemplate(template, options)
    const second = instantiateTemplate(template, options)
    const ids = [...first, ...second].map((shape) => shape.id)
    expect(new Set(ids).size).toBe(ids.length)

    const store = newStore()
    store.put([...first, ...second])
    expect(store.query.records('shape').get()).toHaveLength(ids.length)
  })

  test('come from createId, and the records are otherwise deterministic', () => {
    const a = instantiateTemplate(template, { ...options, createId: counter('x') })
    const b = instantiateTemplate(template, { ...options, createId: counter('x') })
    expect(a).toEqual(b)
    expect(a[0]?.id).toBe(createShapeId('x1'))
    expect(a.at(-1)?.id).toBe(createShapeId(`x${a.length}`))
  })

  test('two instances with different id sources share section keys, not ids', () => {
    const a = instantiateTemplate(template, { ...options, createId: counter('a') })
    const b = instantiateTemplate(template, { ...options, createId: counter('b') })
    const keys = (records: TLShape[]) =>
      records.map((shape) => {
        const m = meta(shape)
        return 'sectionKey' in m ? `${m.role}:${m.sectionKey}` : m.role
      })
    expect(keys(a)).toEqual(keys(b))
    expect(a.map((shape) => shape.id)).not.toEqual(b.map((shape) => shape.id))
  })
})

describe('options', () => {
  const template = getTemplate('restitution-pitch')

  test('pushId lands in every meta; without it, meta has no pushId key at all', () => {
    const pushed = instantiateTemplate(template, { locale: 'en', origin: { x: 0, y: 0 }, pageId, pushId: 'push-7' })
    for (const shape of pushed) expect(meta(shape).pushId).toBe('push-7')
    const plain = instantiateTemplate(template, { locale: 'en', origin: { x: 0, y: 0 }, pageId })
    for (const shape of plain) expect(Object.keys(shape.meta.fabrique as object)).not.toContain('pushId')
  })

  test('index places the frame among the page’s shapes; lockSections locks the scaffolding only', () => {
    const records = instantiateTemplate(template, {
      locale: 'fr',
      origin: { x: 0, y: 0 },
      pageId,
      index: 'a5' as IndexKey,
      lockSections: true,
    })
    expect(records[0]?.index).toBe('a5')
    for (const shape of records) {
      const { role } = meta(shape)
      expect(shape.isLocked, role).toBe(role === 'section' || role === 'prompt' || role === 'divider')
    }
    expect(() => newStore().put(records)).not.toThrow()
  })
})

describe('export by geometry', () => {
  /** What the export does: the section whose rectangle holds the note's centre, in page coordinates. */
  function sectionKeyAt(records: readonly TLRecord[], point: { x: number; y: number }): string | undefined {
    const shapes = records.filter((record): record is TLShape => record.typeName === 'shape')
    const frames = new Map(shapes.filter((shape) => shape.type === 'frame').map((frame) => [frame.id, frame]))
    for (const shape of shapes) {
      const m = readTemplateMeta(shape.meta)
      const frame = frames.get(shape.parentId as TLShape['id'])
      if (shape.type !== 'geo' || m?.role !== 'section' || !frame) continue
      const { w, h } = (shape as TLShape<'geo'>).props
      const x = frame.x + shape.x
      const y = frame.y + shape.y
      if (point.x >= x && point.x <= x + w && point.y >= y && point.y <= y + h) return m.sectionKey
    }
    return undefined
  }

  test('each placeholder note is found inside its own section', () => {
    const template = getTemplate('service-blueprint')
    const records = instantiateTemplate(template, { locale: 'fr', origin: { x: -300, y: 200 }, pageId })
    const frame = records[0] as TLShape
    for (const note of records.filter((shape) => shape.type === 'note')) {
      const m = meta(note)
      const centre = { x: frame.x + note.x + NOTE_SIZE / 2, y: frame.y + note.y + NOTE_SIZE / 2 }
      expect(sectionKeyAt(records, centre)).toBe('sectionKey' in m ? m.sectionKey : undefined)
    }
  })

  test('readTemplateMeta ignores foreign or malformed meta', () => {
    expect(readTemplateMeta({})).toBeUndefined()
    expect(readTemplateMeta(null)).toBeUndefined()
    expect(readTemplateMeta({ fabrique: { templateId: 'x', role: 'section' } })).toBeUndefined()
    expect(readTemplateMeta({ fabrique: { templateId: 'x', role: 'template', locale: 'de' } })).toBeUndefined()
    expect(readTemplateMeta({ fabrique: { templateId: 'x', role: 'other' } })).toBeUndefined()
    expect(readTemplateMeta({ fabrique: { templateId: 'x', role: 'prompt', sectionKey: 'k', pushId: 3 } })).toBeUndefined()
  })
})

test('the store rejects a bad record, so the validation above is real', () => {
  const [frame] = instantiateTemplate(getTemplate('persona'), { locale: 'fr', origin: { x: 0, y: 0 }, pageId })
  const broken = { ...frame, props: { ...(frame as TLShape<'frame'>).props, w: 0 } } as TLShape
  expect(() => newStore().put([broken])).toThrow()
})
