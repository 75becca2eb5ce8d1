import type { TLRecord } from 'tldraw'
import { BoardShapes } from './board.ts'

/** One mark of a board preview, in page coordinates (rounded: a preview is a thumbnail). */
export interface PreviewBox {
  x: number
  y: number
  w: number
  h: number
  kind: 'frame' | 'note' | 'shape'
  /** A tldraw colour name, for notes. */
  color?: string
}

/** What the facilitator console shows of a board without opening it. */
export interface BoardPreview {
  /** Shape records on the board, every page included. */
  shapes: number
  /** Frames first, then the other shapes of the first page; at most MAX_PREVIEW_BOXES. */
  boxes: PreviewBox[]
}

/** Enough to see a board's layout at 160×100; keeps a stored preview to a few kilobytes. */
export const MAX_PREVIEW_BOXES = 200

/** Fill of each tldraw note colour (light theme). */
const NOTE_FILLS: Record<string, string> = {
  black: '#fce19c',
  grey: '#c0cad3',
  'light-violet': '#dfb0f9',
  violet: '#db91fd',
  blue: '#8aa3ff',
  'light-blue': '#9bc4fd',
  yellow: '#fed49a',
  orange: '#faa475',
  green: '#6fc896',
  'light-green': '#98d08a',
  'light-red': '#f7a5a1',
  red: '#fc8282',
  white: '#ffffff',
}
const KIND_ORDER = { frame: 0, shape: 1, note: 2 } as const

/** The shape count and the boxes of a board's records (read with readBoardRecords). */
export function boardPreview(records: readonly TLRecord[]): BoardPreview {
  const board = new BoardShapes(records)
  const bounds = [...board.byId.values()].map((shape) => ({ shape, ...board.bounds(shape) }))
  const page = shownPage(records, bounds)
  const boxes: PreviewBox[] = []
  for (const { shape, x, y, w, h, pageId } of bounds) {
    // Arrows, lines, drawings and groups have no stored size: they are left out of the picture.
    if (pageId !== page || !(w > 0 && h > 0)) continue
    const kind = shape.type === 'frame' ? 'frame' : shape.type === 'note' ? 'note' : 'shape'
    const box: PreviewBox = { x: Math.round(x), y: Math.round(y), w: Math.max(1, Math.round(w)), h: Math.max(1, Math.round(h)), kind }
    const color = (shape.props as { color?: unknown }).color
    if (kind === 'note' && typeof color === 'string' && color in NOTE_FILLS) box.color = color
    boxes.push(box)
  }
  return { shapes: board.byId.size, boxes: shownBoxes(boxes) }
}

/** Frames first, then shapes, then notes, each in the board's order (a stable sort); at most MAX_PREVIEW_BOXES. */
function shownBoxes(boxes: PreviewBox[]): PreviewBox[] {
  return boxes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]).slice(0, MAX_PREVIEW_BOXES)
}

/**
 * A board's preview once records were added to it (a pushed template), from its preview before and
 * the added records alone: what boardPreview gives from all of them, without reading the board. The
 * added shapes are counted; their boxes join the others when they went to the page the preview shows
 * (`onShownPage`: the board's first page, which had shapes), and replace them otherwise (the first
 * page was empty: it is the page shown from now on). The added records come after the board's in its
 * order, as its records array has them.
 */
export function addToPreview(previous: BoardPreview, added: readonly TLRecord[], onShownPage: boolean): BoardPreview {
  const more = boardPreview(added)
  return { shapes: previous.shapes + more.shapes, boxes: onShownPage ? shownBoxes([...previous.boxes, ...more.boxes]) : more.boxes }
}

/** The first page (in tldraw's order) that holds shapes; without page records, the fullest one. */
function shownPage(records: readonly TLRecord[], shapes: ReadonlyArray<{ pageId: string }>): string | undefined {
  const counts = new Map<string, number>()
  for (const { pageId } of shapes) counts.set(pageId, (counts.get(pageId) ?? 0) + 1)
  const pages = records
    .filter((r): r is TLRecord & { index: string } => r.typeName === 'page' && counts.has(r.id))
    .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
  if (pages.length > 0) return pages[0].id
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}

export interface PreviewSvgOptions {
  width?: number
  height?: number
}

const PADDING = 4
const round = (n: number) => Math.round(n * 10) / 10

/**
 * The boxes fitted into a small SVG: frames as outlines, notes filled in their colour, other shapes
 * as grey rectangles. Every value written is a number or a fixed colour: nothing from the board is
 * copied into the markup as text.
 */
export function previewSvg(boxes: readonly PreviewBox[], { width = 160, height = 100 }: PreviewSvgOptions = {}): string {
  const open = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`
  if (boxes.length === 0) return `${open}</svg>`
  const left = Math.min(...boxes.map((b) => b.x))
  const top = Math.min(...boxes.map((b) => b.y))
  const right = Math.max(...boxes.map((b) => b.x + b.w))
  const bottom = Math.max(...boxes.map((b) => b.y + b.h))
  const scale = Math.min((width - 2 * PADDING) / (right - left), (height - 2 * PADDING) / (bottom - top))
  const offsetX = (width - (right - left) * scale) / 2
  const offsetY = (height - (bottom - top) * scale) / 2
  const marks = boxes.map((b) => {
    const geometry = `x="${round(offsetX + (b.x - left) * scale)}" y="${round(offsetY + (b.y - top) * scale)}" width="${Math.max(0.5, round(b.w * scale))}" height="${Math.max(0.5, round(b.h * scale))}"`
    switch (b.kind) {
      case 'frame':
        return `<rect class="frame" ${geometry} fill="none" stroke="#7b8794" stroke-width="0.8"/>`
      case 'note':
        return `<rect class="note" ${geometry} fill="${NOTE_FILLS[b.color ?? 'yellow'] ?? NOTE_FILLS.yellow}"/>`
      default:
        return `<rect class="shape" ${geometry} fill="#c4c9cf"/>`
    }
  })
  return `${open}${marks.join('')}</svg>`
}
