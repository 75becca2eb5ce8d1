import type { Point, Rect, Size } from './types.ts'

export interface FindFreeSpaceOptions {
  /** Empty space kept between the new frame and anything already on the page. Default 80. */
  margin?: number
  /** The area the person is looking at, in page coordinates: the frame lands as close to its centre as it can. */
  viewport?: Rect
}

export const DEFAULT_FREE_SPACE_MARGIN = 80

/** Past this many boxes, only positions next to one box are tried, to stay fast on busy pages. */
const MAX_BOXES_FOR_COMBINED_CANDIDATES = 64

/** Moving left of or above the target costs this much more than moving right or down. */
const BACKWARD_COST = 2

/** A box free space can be found around: finite, not negative. */
export function isUsable(box: Rect): boolean {
  return Number.isFinite(box.x) && Number.isFinite(box.y) && Number.isFinite(box.w) && Number.isFinite(box.h) && box.w >= 0 && box.h >= 0
}

/** The box around `boxes` (at least one). */
export function union(boxes: readonly Rect[]): Rect {
  const left = Math.min(...boxes.map((box) => box.x))
  const top = Math.min(...boxes.map((box) => box.y))
  const right = Math.max(...boxes.map((box) => box.x + box.w))
  const bottom = Math.max(...boxes.map((box) => box.y + box.h))
  return { x: left, y: top, w: right - left, h: bottom - top }
}

function isFree(position: Point, size: Size, boxes: readonly Rect[], margin: number): boolean {
  return boxes.every(
    (box) =>
      position.x >= box.x + box.w + margin ||
      position.x + size.w + margin <= box.x ||
      position.y >= box.y + box.h + margin ||
      position.y + size.h + margin <= box.y,
  )
}

function cost(position: Point, target: Point): number {
  const dx = position.x - target.x
  const dy = position.y - target.y
  return (dx < 0 ? -dx * BACKWARD_COST : dx) + (dy < 0 ? -dy * BACKWARD_COST : dy)
}

function centredIn(viewport: Rect, size: Size): Point {
  return {
    x: viewport.x + Math.max(0, (viewport.w - size.w) / 2),
    y: viewport.y + Math.max(0, (viewport.h - size.h) / 2),
  }
}

function candidates(boxes: readonly Rect[], size: Size, margin: number, target: Point): Point[] {
  const xs = new Set<number>([target.x])
  const ys = new Set<number>([target.y])
  for (const box of boxes) {
    xs.add(box.x + box.w + margin).add(box.x - margin - size.w).add(box.x)
    ys.add(box.y + box.h + margin).add(box.y - margin - size.h).add(box.y)
  }
  if (boxes.length <= MAX_BOXES_FOR_COMBINED_CANDIDATES) {
    return [...xs].flatMap((x) => [...ys].map((y) => ({ x, y })))
  }
  return [
    target,
    ...boxes.flatMap((box) => [
      { x: box.x + box.w + margin, y: box.y },
      { x: box.x, y: box.y + box.h + margin },
      { x: box.x + box.w + margin, y: target.y },
      { x: target.x, y: box.y + box.h + margin },
      { x: box.x - margin - size.w, y: box.y },
      { x: box.x, y: box.y - margin - size.h },
    ]),
  ]
}

/**
 * Where to put a new frame of `size` so that it stays `margin` away from every existing box:
 * as close as possible to the centre of the viewport when one is given, otherwise just right of
 * the existing content, preferring positions to the right of and below the target.
 */
export function findFreeSpace(
  existingBounds: readonly Rect[],
  size: Size,
  options: FindFreeSpaceOptions = {},
): Point {
  const margin = options.margin ?? DEFAULT_FREE_SPACE_MARGIN
  const boxes = existingBounds.filter(isUsable)
  const { viewport } = options

  if (boxes.length === 0) return viewport ? centredIn(viewport, size) : { x: 0, y: 0 }

  const content = union(boxes)
  // Always free: right of everything, and below everything.
  const rightOfContent = { x: content.x + content.w + margin, y: content.y }
  const belowContent = { x: content.x, y: content.y + content.h + margin }
  const target = viewport ? centredIn(viewport, size) : rightOfContent
  // Nothing costs less than the target itself (on a board of thousands of shapes, sorting every
  // candidate took milliseconds per push, and without a viewport the target is always free).
  if (isFree(target, size, boxes, margin)) return target

  const best = [...candidates(boxes, size, margin, target), rightOfContent, belowContent]
    .map((position) => ({ position, cost: cost(position, target) }))
    .sort((a, b) => a.cost - b.cost)
    .find(({ position }) => isFree(position, size, boxes, margin))

  return best ? best.position : rightOfContent
}
