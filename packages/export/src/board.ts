import { fieldsToRecord, readSomeFields, recordsOf, sharedFieldMap } from '@fabrique/board'
import { NOTE_SIZE } from '@fabrique/templates'
import type { TLRecord, TLShape } from 'tldraw'
import type * as Y from 'yjs'

/** A rectangle in page coordinates. */
export interface PageBox {
  x: number
  y: number
  w: number
  h: number
}

export interface ReadBoardOptions {
  /**
   * The document is read this once and thrown away (a board read from storage for an export or a
   * preview): the entries of the fields this package reads (ONCE_FIELDS) are decoded in one pass and
   * nothing is kept, several times faster than building the shared FieldMap. The records have those
   * fields only.
   */
  once?: boolean
}

/**
 * The fields of a record this package reads: what a shape is and where, its text and size, its
 * template metadata and author, a user's name (project sheets: extract.ts, BoardShapes); a shape's
 * colour and a page's index (previews: preview.ts). A note's other style fields (font, size,
 * alignment...) and every shape's rotation, opacity and lock are left undecoded.
 */
const ONCE_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'typeName',
  'type',
  'parentId',
  'x',
  'y',
  'meta',
  'name',
  'props',
  'props.richText',
  'props.text',
  'props.name',
  'props.w',
  'props.h',
  'props.growY',
  'props.scale',
  'props.textLastEditedBy',
  'props.color',
  'index',
])

/**
 * Every record of a board, through the board package's own reader so that the export follows its
 * storage layout. The document's shared FieldMap is used (built once, then kept up to date), so a
 * server room read again for the console or a push does not decode every entry each time. Opening
 * it tidies up entries left over by concurrent writes, as any client opening the board does.
 */
export function readBoardRecords(doc: Y.Doc, { once = false }: ReadBoardOptions = {}): TLRecord[] {
  if (once) {
    const records: TLRecord[] = []
    for (const values of readSomeFields(doc, ONCE_FIELDS).values()) {
      const record = fieldsToRecord(values)
      if (record) records.push(record)
    }
    return records
  }
  return recordsOf(sharedFieldMap(doc))
}

/** Deeper than any real board; stops a corrupted parent cycle from looping forever. */
const MAX_DEPTH = 64

/** Shapes by id, with their page positions; rotation is ignored (templates are never rotated). */
export class BoardShapes {
  readonly byId = new Map<string, TLShape>()
  readonly userNames = new Map<string, string>()
  private readonly positions = new Map<string, { x: number; y: number; pageId: string }>()

  constructor(records: readonly TLRecord[]) {
    for (const record of records) {
      // A shape without props never passed tldraw's validation (clients hold such records back): left out.
      if (record.typeName === 'shape' && typeof record.props === 'object' && record.props !== null) this.byId.set(record.id, record)
      else if (record.typeName === 'user') this.userNames.set(record.id, (record as { name?: string }).name ?? '')
    }
  }

  /** The shape's ancestors, nearest first. */
  ancestors(shape: TLShape): TLShape[] {
    const chain: TLShape[] = []
    let parent = this.byId.get(shape.parentId)
    while (parent && chain.length < MAX_DEPTH) {
      chain.push(parent)
      parent = this.byId.get(parent.parentId)
    }
    return chain
  }

  /** Top-left corner in page coordinates, and the page the shape is on. */
  position(shape: TLShape): { x: number; y: number; pageId: string } {
    return this.positionAt(shape, 0)
  }

  bounds(shape: TLShape): PageBox & { pageId: string } {
    const { x, y, pageId } = this.position(shape)
    return { x, y, pageId, ...sizeOf(shape) }
  }

  private positionAt(shape: TLShape, depth: number): { x: number; y: number; pageId: string } {
    const known = this.positions.get(shape.id)
    if (known) return known
    if (depth >= MAX_DEPTH) return { x: shape.x, y: shape.y, pageId: '' }
    const parent = this.byId.get(shape.parentId)
    const base = parent ? this.positionAt(parent, depth + 1) : { x: 0, y: 0, pageId: shape.parentId }
    const position = { x: base.x + shape.x, y: base.y + shape.y, pageId: base.pageId }
    this.positions.set(shape.id, position)
    return position
  }
}

/** Text shapes have no stored height; one line of tldraw's medium text is about this tall. */
const TEXT_LINE_HEIGHT = 32

function sizeOf(shape: TLShape): { w: number; h: number } {
  const props = shape.props as { w?: unknown; h?: unknown; growY?: unknown; scale?: unknown }
  const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)
  const scale = num(props.scale, 1)
  const growY = num(props.growY, 0)
  switch (shape.type) {
    case 'note':
      return { w: NOTE_SIZE * scale, h: (NOTE_SIZE + growY) * scale }
    case 'text':
      return { w: num(props.w, NOTE_SIZE) * scale, h: TEXT_LINE_HEIGHT * scale }
    default:
      return { w: num(props.w, 0), h: num(props.h, 0) + growY }
  }
}

export function center(box: PageBox): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 }
}

export function contains(box: PageBox, point: { x: number; y: number }): boolean {
  return point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h
}
