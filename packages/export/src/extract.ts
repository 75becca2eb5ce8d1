import {
  getTemplate,
  listTemplates,
  type Locale,
  type Localized,
  PROJECT_SHEET_FIELD_TITLES,
  PROJECT_SHEET_FIELDS,
  type ProjectSheetField,
  readTemplateMeta,
} from '@fabrique/templates'
import type { TLRecord, TLShape } from 'tldraw'
import type * as Y from 'yjs'
import { BoardShapes, center, contains, type PageBox, type ReadBoardOptions, readBoardRecords } from './board.ts'
import { plainText } from './richText.ts'
import {
  PROJECT_SHEET_SCHEMA_VERSION,
  type ProjectSheet,
  type SectionSource,
  type SheetContext,
  type SheetField,
  type SheetNote,
  type SheetSection,
  type SheetSlide,
  type SheetTemplate,
} from './types.ts'

const PROJECT_SHEET_TEMPLATE = 'project-sheet'

/** Notes whose tops are closer than this sit on the same row when read left to right. */
const ROW_TOLERANCE = 100

interface PlacedNote {
  note: SheetNote
  box: PageBox & { pageId: string }
  /** Ancestor shape ids, to prefer the sections of the note's own frame. */
  ancestors: Set<string>
}

interface FoundSection {
  shape: TLShape
  key: string
  templateId: string
  frameId: string
  box: PageBox & { pageId: string }
  notes: PlacedNote[]
}

interface FoundFrame {
  shape: TLShape
  templateId: string
  locale: Locale
  box: PageBox & { pageId: string }
  sections: FoundSection[]
  otherNotes: PlacedNote[]
}

const catalogOrder = new Map(listTemplates().map((template, i) => [template.id as string, i]))

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * A team’s project sheet, read from its board’s document and the event.
 * Each field takes the notes of the project-sheet template's matching section; when that section is
 * empty or there is no project sheet, the notes of every other template's sections feeding the
 * field, merged in catalog order, then frame position.
 */
export function extractProjectSheet(doc: Y.Doc, context: SheetContext, options: ReadBoardOptions = {}): ProjectSheet {
  const records = readBoardRecords(doc, options)
  const board = new BoardShapes(records)
  const frames = findFrames(board)
  const sections = findSections(board, frames)
  const notes = findNotes(board, context.votes ?? {})

  const loose: PlacedNote[] = []
  for (const placed of notes) {
    const section = bestSection(sections, placed)
    if (section) {
      section.notes.push(placed)
      continue
    }
    loose.push(placed)
    const frame = frames.get([...placed.ancestors].find((id) => frames.has(id)) ?? '')
    frame?.otherNotes.push(placed)
  }

  const templates = [...frames.values()].sort(compareFrames).map(toSheetTemplate)
  const fields = fillFields(templates)
  const titleNotes = fields.title.notes.map((note) => note.text.replace(/\s+/g, ' ').trim()).filter(Boolean)

  return {
    schemaVersion: PROJECT_SHEET_SCHEMA_VERSION,
    title: titleNotes.length > 0 ? titleNotes.join(' / ') : context.team.name,
    event: { id: context.event.id, title: context.event.title, date: context.event.date },
    team: { id: context.team.id, name: context.team.name, boardId: context.team.boardId, members: [...context.members] },
    challenge: context.challenge
      ? {
          title: context.challenge.title,
          description: context.challenge.description,
          datasets: context.challenge.datasets.map(({ title, url }) => ({ title, url })),
        }
      : null,
    fields,
    otherNotes: readingOrder(loose),
    templates,
    juryScores: context.jury ?? null,
    presentation: presentationOf(context.slides, records),
    exportedAt: (context.exportedAt ?? new Date()).toISOString(),
  }
}

function findFrames(board: BoardShapes): Map<string, FoundFrame> {
  const frames = new Map<string, FoundFrame>()
  for (const shape of board.byId.values()) {
    const meta = readTemplateMeta(shape.meta)
    if (meta?.role !== 'template') continue
    frames.set(shape.id, { shape, templateId: meta.templateId, locale: meta.locale, box: board.bounds(shape), sections: [], otherNotes: [] })
  }
  return frames
}

/** Section rectangles, each attached to the nearest frame of its template. */
function findSections(board: BoardShapes, frames: Map<string, FoundFrame>): FoundSection[] {
  const sections: FoundSection[] = []
  for (const shape of board.byId.values()) {
    const meta = readTemplateMeta(shape.meta)
    if (meta?.role !== 'section') continue
    const frame = board.ancestors(shape).find((ancestor) => frames.get(ancestor.id)?.templateId === meta.templateId)
    // A section dragged out of its frame still counts, as a template of its own.
    let found = frame && frames.get(frame.id)
    if (!found) {
      found = { shape, templateId: meta.templateId, locale: 'fr', box: board.bounds(shape), sections: [], otherNotes: [] }
      frames.set(shape.id, found)
    }
    const section: FoundSection = { shape, key: meta.sectionKey, templateId: meta.templateId, frameId: found.shape.id, box: board.bounds(shape), notes: [] }
    found.sections.push(section)
    sections.push(section)
  }
  return sections
}

/** Sticky notes and texts the team wrote: prompts and section titles are the template's, not theirs. */
function findNotes(board: BoardShapes, votes: Readonly<Record<string, number>>): PlacedNote[] {
  const notes: PlacedNote[] = []
  for (const shape of board.byId.values()) {
    if (shape.type !== 'note' && shape.type !== 'text') continue
    const meta = readTemplateMeta(shape.meta)
    if (meta && meta.role !== 'placeholder') continue
    const props = shape.props as { richText?: unknown; text?: unknown }
    const text = plainText(props.richText ?? props.text)
    if (!text) continue
    const author = authorOf(shape, board)
    const note: SheetNote = { shapeId: shape.id, text, ...(author ? { author } : {}), votes: votes[shape.id] ?? 0 }
    notes.push({ note, box: board.bounds(shape), ancestors: new Set(board.ancestors(shape).map((ancestor) => ancestor.id)) })
  }
  return notes
}

/** Whoever the board says last wrote the note: Fabrique's own meta first, then tldraw's attribution. */
function authorOf(shape: TLShape, board: BoardShapes): string | undefined {
  const meta = shape.meta as { author?: unknown; fabrique?: { author?: unknown } }
  for (const candidate of [meta.fabrique?.author, meta.author]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim()
  }
  const userId = (shape.props as { textLastEditedBy?: unknown }).textLastEditedBy
  if (typeof userId !== 'string' || !userId) return undefined
  const name = board.userNames.get(userId.startsWith('user:') ? userId : `user:${userId}`)
  return name?.trim() || undefined
}

/**
 * The section a note's centre lies in, on the same page. Overlapping sections (a template dropped on
 * another) go to the note's own frame first, then to the smallest section.
 */
function bestSection(sections: readonly FoundSection[], placed: PlacedNote): FoundSection | undefined {
  const point = center(placed.box)
  let best: FoundSection | undefined
  let bestRank: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]
  for (const section of sections) {
    if (section.box.pageId !== placed.box.pageId || !contains(section.box, point)) continue
    const rank: [number, number] = [placed.ancestors.has(section.frameId) ? 0 : 1, section.box.w * section.box.h]
    if (rank[0] < bestRank[0] || (rank[0] === bestRank[0] && rank[1] < bestRank[1])) {
      best = section
      bestRank = rank
    }
  }
  return best
}

/** Top to bottom in rows, left to right within a row: how people read a wall of sticky notes. */
function readingOrder(placed: readonly PlacedNote[]): SheetNote[] {
  const byTop = [...placed].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x || compareIds(a.note.shapeId, b.note.shapeId))
  const rows: PlacedNote[][] = []
  for (const item of byTop) {
    const row = rows.at(-1)
    if (row && item.box.y - row[0].box.y < ROW_TOLERANCE) row.push(item)
    else rows.push([item])
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box.x - b.box.x || compareIds(a.note.shapeId, b.note.shapeId))).map((item) => item.note)
}

function compareFrames(a: FoundFrame, b: FoundFrame): number {
  const order = (frame: FoundFrame) => catalogOrder.get(frame.templateId) ?? Number.MAX_SAFE_INTEGER
  return (
    order(a) - order(b) ||
    compareIds(a.box.pageId, b.box.pageId) ||
    a.box.y - b.box.y ||
    a.box.x - b.box.x ||
    compareIds(a.shape.id, b.shape.id)
  )
}

const fallbackTitle = (text: string): Localized => ({ fr: text, en: text })

function toSheetTemplate(frame: FoundFrame): SheetTemplate {
  const definition = getTemplate(frame.templateId)
  const definitionOrder = new Map(definition?.sections.map((section, i) => [section.key, i]) ?? [])
  const sections = [...frame.sections].sort(
    (a, b) =>
      (definitionOrder.get(a.key) ?? Number.MAX_SAFE_INTEGER) - (definitionOrder.get(b.key) ?? Number.MAX_SAFE_INTEGER) ||
      a.box.y - b.box.y ||
      a.box.x - b.box.x ||
      compareIds(a.shape.id, b.shape.id),
  )
  return {
    templateId: frame.templateId,
    frameId: frame.shape.id,
    title: definition ? { ...definition.title } : fallbackTitle(frame.templateId),
    locale: frame.locale,
    sections: sections.map((section): SheetSection => {
      const known = definition?.sections.find((candidate) => candidate.key === section.key)
      return {
        key: section.key,
        title: known ? { ...known.title } : fallbackTitle(section.key),
        exportField: known?.exportField ?? null,
        notes: readingOrder(section.notes),
      }
    }),
    otherNotes: readingOrder(frame.otherNotes),
  }
}

function fillFields(templates: readonly SheetTemplate[]): Record<ProjectSheetField, SheetField> {
  const fields = {} as Record<ProjectSheetField, SheetField>
  for (const field of PROJECT_SHEET_FIELDS) {
    const feeding = (sheet: boolean) =>
      templates
        .filter((template) => (template.templateId === PROJECT_SHEET_TEMPLATE) === sheet)
        .flatMap((template) =>
          template.sections
            .filter((section) => section.exportField === field)
            .map((section) => ({ source: { templateId: template.templateId, sectionKey: section.key } as SectionSource, notes: section.notes })),
        )
    const fromSheet = feeding(true)
    const fromOthers = feeding(false)
    const chosen = fromSheet.some((section) => section.notes.length > 0) ? fromSheet : fromOthers
    const source = chosen.find((section) => section.notes.length > 0)?.source ?? fromSheet[0]?.source ?? fromOthers[0]?.source ?? null
    fields[field] = {
      title: { ...PROJECT_SHEET_FIELD_TITLES[field] },
      notes: chosen.flatMap((section) => section.notes),
      source,
    }
  }
  return fields
}

/** The presented slides with the title each shows (a section's label, a frame's name). */
function presentationOf(slides: readonly string[] | null | undefined, records: readonly TLRecord[]): SheetSlide[] | null {
  if (!slides || slides.length === 0) return null
  const byId = new Map(records.map((record) => [record.id as string, record]))
  return slides.map((shapeId) => {
    const shape = byId.get(shapeId) as (TLRecord & { props?: { name?: string; richText?: unknown } }) | undefined
    const title = shape?.props?.name ?? (shape?.props?.richText ? plainText(shape.props.richText) : '')
    return { shapeId, title }
  })
}
