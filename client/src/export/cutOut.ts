/**
 * Where a frame lies in a picture of the whole board: a frame's picture is cut out of the board's
 * instead of being drawn again (drawing is what an export of many boards spends its time on).
 */

/** A rectangle on the board's page, in board units. */
export interface PageBox {
  x: number
  y: number
  w: number
  h: number
}

/** A rectangle of pixels, whole numbers, inside the picture. */
export interface PixelBox {
  x: number
  y: number
  w: number
  h: number
}

export interface BoardImageArea {
  /** The part of the page the picture shows. */
  page: PageBox
  /** The picture's size in pixels. */
  width: number
  height: number
}

/**
 * The pixels of `area`'s picture that show `box` and `margin` board units around it, clipped to the
 * picture; undefined when nothing of it is in the picture.
 */
export function pixelsOf(area: BoardImageArea, box: PageBox, margin = 0): PixelBox | undefined {
  const sx = area.width / area.page.w
  const sy = area.height / area.page.h
  const left = Math.max(0, Math.floor((box.x - margin - area.page.x) * sx))
  const top = Math.max(0, Math.floor((box.y - margin - area.page.y) * sy))
  const right = Math.min(area.width, Math.ceil((box.x + box.w + margin - area.page.x) * sx))
  const bottom = Math.min(area.height, Math.ceil((box.y + box.h + margin - area.page.y) * sy))
  if (right <= left || bottom <= top) return undefined
  return { x: left, y: top, w: right - left, h: bottom - top }
}

/** Pixels per board unit of the picture (the same both ways, up to rounding). */
export const pixelsPerUnit = (area: BoardImageArea): number => area.width / area.page.w

/** The scale that brings a `w` × `h` area to at most `maxSide` pixels on its longest side; never above 1. */
export const scaleToFit = (w: number, h: number, maxSide: number): number => Math.min(1, maxSide / Math.max(w, h, 1))
