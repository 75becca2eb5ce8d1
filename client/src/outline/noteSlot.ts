import { NOTE_SIZE, SECTION_HEADER_HEIGHT, SECTION_PADDING } from '@fabrique/templates'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface NoteSlot {
  /** Page coordinates of the note's top-left corner. */
  x: number
  y: number
  /** tldraw's note `scale` prop: 1 for a full-size note, less when the section is full. */
  scale: number
}

const GAP = 16
/** When no full-size note fits, notes get smaller rather than pile up on each other. */
const SCALES = [1, 0.5]
/** How finely a full section is searched for the spot that hides the least. */
const FINE_STEP = 12

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** The area notes go in: under the section's title and prompt, or all of it if that leaves no room. */
function noteArea(section: Rect, size: number): Rect {
  const underHeader = section.y + SECTION_HEADER_HEIGHT
  const bottom = section.y + section.h - SECTION_PADDING
  const top = underHeader + size <= bottom ? underHeader : section.y + SECTION_PADDING
  return { x: section.x + SECTION_PADDING, y: top, w: section.w - SECTION_PADDING * 2, h: bottom - top }
}

/** Candidate spots for a note of `size`, row by row, `step` apart, inside `area`. */
function spots(area: Rect, size: number, step: number): Rect[] {
  const cells: Rect[] = []
  for (let y = area.y; y + size <= area.y + area.h; y += step) {
    for (let x = area.x; x + size <= area.x + area.w; x += step) cells.push({ x, y, w: size, h: size })
  }
  return cells
}

const covered = (spot: Rect, occupied: readonly Rect[]) => occupied.reduce((sum, rect) => sum + overlap(spot, rect), 0)

/**
 * Where a new note goes in a section: the first free cell of a simple grid (reading order), at full
 * size, then at half size. Sections are drawn for a few notes; once full, a half-size note goes where
 * it hides the least of the others. The note's centre is always inside the section, so it belongs there.
 */
export function findNoteSlot(section: Rect, occupied: readonly Rect[]): NoteSlot {
  for (const scale of SCALES) {
    const size = NOTE_SIZE * scale
    const free = spots(noteArea(section, size), size, size + GAP * scale).find((spot) => covered(spot, occupied) === 0)
    if (free) return { x: free.x, y: free.y, scale }
  }
  const scale = SCALES[SCALES.length - 1]
  const size = NOTE_SIZE * scale
  let best: { spot: Rect; covered: number } | undefined
  for (const spot of spots(noteArea(section, size), size, FINE_STEP)) {
    const amount = covered(spot, occupied)
    if (!best || amount < best.covered) best = { spot, covered: amount }
  }
  if (best) return { x: best.spot.x, y: best.spot.y, scale }
  // A section smaller than the smallest note: centre the note on it.
  return { x: section.x + (section.w - size) / 2, y: section.y + (section.h - size) / 2, scale }
}
