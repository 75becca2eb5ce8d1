import type { DividerDefinition, Rect, SectionDefinition, Size, TemplateDefinition } from './types.ts'

/** Space between the frame's edge and its sections. */
export const FRAME_PADDING = 40
/** Space between neighbouring sections. */
export const SECTION_GAP = 24

export interface GridSpec {
  /** Width of each column, left to right. */
  columns: readonly number[]
  /** Height of each row, top to bottom. */
  rows: readonly number[]
  gap?: number
  padding?: number
}

export type GridCell = (column: number, row: number, columnSpan?: number, rowSpan?: number) => Rect

function spanLength(lengths: readonly number[], start: number, span: number, gap: number): number {
  const slice = lengths.slice(start, start + span)
  if (slice.length !== span) {
    throw new Error(`Grid cell out of range: ${start} + ${span} > ${lengths.length}`)
  }
  return slice.reduce((sum, length) => sum + length, 0) + gap * (span - 1)
}

/** Boxes on a grid of fixed columns and rows, so template data reads as a layout. */
export function grid({ columns, rows, gap = SECTION_GAP, padding = FRAME_PADDING }: GridSpec): GridCell {
  return (column, row, columnSpan = 1, rowSpan = 1) => ({
    x: padding + spanLength(columns, 0, column, 0) + gap * column,
    y: padding + spanLength(rows, 0, row, 0) + gap * row,
    w: spanLength(columns, column, columnSpan, gap),
    h: spanLength(rows, row, rowSpan, gap),
  })
}

/** The frame size that holds every box with the frame padding around them. */
export function frameSizeFor(boxes: readonly Rect[], padding = FRAME_PADDING): Size {
  let right = 0
  let bottom = 0
  for (const box of boxes) {
    right = Math.max(right, box.x + box.w)
    bottom = Math.max(bottom, box.y + box.h)
  }
  return { w: right + padding, h: bottom + padding }
}

/** A template whose frame size follows from its sections and dividers. */
export function defineTemplate(template: Omit<TemplateDefinition, 'size'>): TemplateDefinition {
  const boxes = [
    ...template.sections.map((section: SectionDefinition) => section.box),
    ...(template.dividers ?? []).map((divider: DividerDefinition) => divider.box),
  ]
  return { ...template, size: frameSizeFor(boxes) }
}
