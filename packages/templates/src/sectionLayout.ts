import type { Point, Rect } from './types.ts'

/** Inner margin of a section, around its title, prompt and notes. */
export const SECTION_PADDING = 16
/** Where the prompt starts below the section's top edge, leaving room for the title label. */
export const PROMPT_OFFSET = 56
/** Where placeholder notes start: the title and up to four lines of prompt sit above. */
export const SECTION_HEADER_HEIGHT = 168
/** tldraw's sticky note is 200 units square at scale 1. */
export const NOTE_SIZE = 200
export const NOTE_GAP = 16

export function promptBox(section: Rect): Rect {
  return {
    x: section.x + SECTION_PADDING,
    y: section.y + PROMPT_OFFSET,
    w: section.w - SECTION_PADDING * 2,
    h: SECTION_HEADER_HEIGHT - PROMPT_OFFSET - SECTION_PADDING,
  }
}

/**
 * Top-left corners of `count` placeholder notes under the section's header: spread over equal
 * slots across the width (so a lane's notes line up with the columns above it), wrapping to new
 * rows when the width is not enough.
 */
export function placeholderPositions(section: Rect, count: number): Point[] {
  if (count <= 0) return []
  const innerWidth = section.w - SECTION_PADDING * 2
  const fitPerRow = Math.max(1, Math.floor((innerWidth + NOTE_GAP) / (NOTE_SIZE + NOTE_GAP)))
  const perRow = Math.min(count, fitPerRow)
  const slotWidth = innerWidth / perRow
  return Array.from({ length: count }, (_, i) => ({
    x: section.x + SECTION_PADDING + (i % perRow) * slotWidth + (slotWidth - NOTE_SIZE) / 2,
    y: section.y + SECTION_HEADER_HEIGHT + Math.floor(i / perRow) * (NOTE_SIZE + NOTE_GAP),
  }))
}
