import { readTemplateMeta } from '@fabrique/templates'
import type { Editor, TLFrameShape, TLGeoShape, TLNoteShape, TLShape, TLShapeId } from 'tldraw'
import type { Rect } from './noteSlot.ts'

export interface OutlineNote {
  id: TLShapeId
  text: string
  /** Who last wrote the note's text, when tldraw knows their name. */
  author: string | null
}

export interface OutlineSection {
  id: TLShapeId
  title: string
  /** The template frame the section belongs to: notes moved into the section go in it. */
  frameId: TLShapeId
  notes: OutlineNote[]
}

export interface OutlineFrame {
  id: TLShapeId
  title: string
  sections: OutlineSection[]
}

export interface BoardOutline {
  frames: OutlineFrame[]
  /** Notes whose centre is in no section: on the page, or in a frame but between its sections. */
  outside: OutlineNote[]
}

/** The plain text of a tldraw rich-text document: one line per paragraph. */
export function plainText(node: unknown): string {
  if (!node || typeof node !== 'object') return ''
  const { type, text, content } = node as { type?: string; text?: string; content?: unknown[] }
  if (type === 'text') return text ?? ''
  if (type === 'hardBreak') return '\n'
  const parts = (content ?? []).map(plainText)
  return type === 'doc' || type === 'bulletList' || type === 'orderedList' || type === 'listItem' ? parts.join('\n') : parts.join('')
}

const isNote = (shape: TLShape): shape is TLNoteShape => shape.type === 'note'
const isFrame = (shape: TLShape): shape is TLFrameShape => shape.type === 'frame'
const isGeo = (shape: TLShape): shape is TLGeoShape => shape.type === 'geo'

/** Row by row, then left to right: the order a sighted person reads a wall of sticky notes. */
const ROW_HEIGHT = 100
function readingOrder(a: Rect, b: Rect): number {
  return Math.floor(a.y / ROW_HEIGHT) - Math.floor(b.y / ROW_HEIGHT) || a.x - b.x
}

function contains(rect: Rect, point: { x: number; y: number }): boolean {
  return point.x >= rect.x && point.x <= rect.x + rect.w && point.y >= rect.y && point.y <= rect.y + rect.h
}

export interface PlacedSection {
  id: TLShapeId
  bounds: Rect
}

/** The section a point of the page falls in; the smallest one if sections overlap. */
export function sectionAt<T extends PlacedSection>(sections: readonly T[], point: { x: number; y: number }): T | undefined {
  let found: T | undefined
  for (const section of sections) {
    if (!contains(section.bounds, point)) continue
    if (!found || section.bounds.w * section.bounds.h < found.bounds.w * found.bounds.h) found = section
  }
  return found
}

export interface SectionPlacement extends PlacedSection {
  title: string
  frameId: TLShapeId
}

/** Every template section on the current page with its page bounds, frame by frame, in template order. */
export function readSections(editor: Editor): Array<{ frame: TLFrameShape; bounds: Rect; sections: SectionPlacement[] }> {
  const frames = editor
    .getCurrentPageShapes()
    .filter(isFrame)
    .filter((frame) => readTemplateMeta(frame.meta)?.role === 'template')
    .flatMap((frame) => {
      const bounds = editor.getShapePageBounds(frame)
      return bounds ? [{ frame, bounds: { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h } }] : []
    })
    .sort((a, b) => readingOrder(a.bounds, b.bounds))
  return frames.map(({ frame, bounds }) => {
    const sections = editor
      .getSortedChildIdsForParent(frame.id)
      .map((id) => editor.getShape(id))
      .filter((shape): shape is TLGeoShape => !!shape && isGeo(shape) && readTemplateMeta(shape.meta)?.role === 'section')
      .flatMap((shape): SectionPlacement[] => {
        const box = editor.getShapePageBounds(shape)
        if (!box) return []
        // A heading is never empty: a section whose label was erased is named by its template key.
        const title = plainText(shape.props.richText).trim() || (readTemplateMeta(shape.meta) as { sectionKey: string }).sectionKey
        return [{ id: shape.id, title, frameId: frame.id, bounds: { x: box.x, y: box.y, w: box.w, h: box.h } }]
      })
    return { frame, bounds, sections }
  })
}

/** Every note of the current page with its page bounds. */
export function readNotes(editor: Editor): Array<{ note: TLNoteShape; bounds: Rect }> {
  return editor
    .getCurrentPageShapes()
    .filter(isNote)
    .flatMap((note) => {
      const box = editor.getShapePageBounds(note)
      return box ? [{ note, bounds: { x: box.x, y: box.y, w: box.w, h: box.h } }] : []
    })
}

export const centerOf = (rect: Rect) => ({ x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 })

/**
 * The board as a document: template frames, their sections, the notes in each (by where their
 * centre lies, whatever their parent), and the notes outside any section. Reads signals, so it can
 * run inside a `computed` and follow every change, local or remote.
 */
export function readOutline(editor: Editor): BoardOutline {
  const placed = readSections(editor)
  const allSections = placed.flatMap((frame) => frame.sections)
  const bySection = new Map<TLShapeId, Array<{ item: OutlineNote; bounds: Rect }>>()
  const outside: Array<{ item: OutlineNote; bounds: Rect }> = []
  for (const { note, bounds } of readNotes(editor)) {
    const item: OutlineNote = {
      id: note.id,
      text: plainText(note.props.richText).trim(),
      author: editor.getAttributionDisplayName(note.props.textLastEditedBy),
    }
    const section = sectionAt(allSections, centerOf(bounds))
    if (!section) {
      outside.push({ item, bounds })
      continue
    }
    const list = bySection.get(section.id) ?? []
    list.push({ item, bounds })
    bySection.set(section.id, list)
  }
  const ordered = (list: Array<{ item: OutlineNote; bounds: Rect }> = []) =>
    [...list].sort((a, b) => readingOrder(a.bounds, b.bounds)).map((entry) => entry.item)
  return {
    frames: placed.map(({ frame, sections }) => ({
      id: frame.id,
      title: frame.props.name.trim() || (readTemplateMeta(frame.meta)?.templateId ?? ''),
      sections: sections.map((section) => ({ id: section.id, title: section.title, frameId: section.frameId, notes: ordered(bySection.get(section.id)) })),
    })),
    outside: ordered(outside),
  }
}

/** Outlines are rebuilt on every change of a shape; React only hears of the ones that show. */
export function sameOutline(a: BoardOutline, b: BoardOutline): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
