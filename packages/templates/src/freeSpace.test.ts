import { Box } from 'tldraw'
import { describe, expect, test } from 'vitest'
import { DEFAULT_FREE_SPACE_MARGIN, findFreeSpace } from './freeSpace.ts'
import type { Point, Rect, Size } from './types.ts'

/** mulberry32: a tiny seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Overlap closer than `margin`, with a hair of tolerance for floating point. */
function tooClose(position: Point, size: Size, box: Rect, margin: number): boolean {
  const epsilon = 1e-6
  return (
    position.x < box.x + box.w + margin - epsilon &&
    position.x + size.w + margin > box.x + epsilon &&
    position.y < box.y + box.h + margin - epsilon &&
    position.y + size.h + margin > box.y + epsilon
  )
}

describe('findFreeSpace', () => {
  test('an empty page: the origin, or the centre of the viewport', () => {
    expect(findFreeSpace([], { w: 100, h: 100 })).toEqual({ x: 0, y: 0 })
    expect(findFreeSpace([], { w: 100, h: 100 }, { viewport: { x: 0, y: 0, w: 1000, h: 500 } })).toEqual({
      x: 450,
      y: 200,
    })
    // Larger than the viewport: its top-left corner.
    expect(findFreeSpace([], { w: 3000, h: 100 }, { viewport: { x: 10, y: 20, w: 1000, h: 500 } })).toEqual({
      x: 10,
      y: 220,
    })
  })

  test('without a viewport, right of the existing content, top-aligned', () => {
    const boxes = [
      { x: 0, y: 0, w: 500, h: 300 },
      { x: 0, y: 400, w: 800, h: 300 },
    ]
    expect(findFreeSpace(boxes, { w: 200, h: 200 })).toEqual({ x: 800 + DEFAULT_FREE_SPACE_MARGIN, y: 0 })
    expect(findFreeSpace(boxes, { w: 200, h: 200 }, { margin: 10 })).toEqual({ x: 810, y: 0 })
  })

  test('with a viewport on empty space, right in its centre', () => {
    const boxes = [{ x: 0, y: 0, w: 500, h: 500 }]
    const viewport = { x: 2000, y: 2000, w: 1000, h: 800 }
    expect(findFreeSpace(boxes, { w: 200, h: 200 }, { viewport })).toEqual({ x: 2400, y: 2300 })
  })

  test('with a viewport on busy space, as close as possible, preferring right and below', () => {
    const boxes = [{ x: 0, y: 0, w: 1000, h: 1000 }]
    const viewport = { x: 0, y: 0, w: 1000, h: 1000 }
    const position = findFreeSpace(boxes, { w: 400, h: 400 }, { viewport })
    // From the centred target (300, 300): right costs 780, below costs 780, left or above twice as much.
    expect([
      { x: 1080, y: 300 },
      { x: 300, y: 1080 },
    ]).toContainEqual(position)
  })

  test('takes tldraw Boxes as they come from editor.getShapePageBounds', () => {
    const boxes = [new Box(0, 0, 100, 100), new Box(300, -50, 100, 100)]
    expect(findFreeSpace(boxes, { w: 50, h: 50 }, { margin: 20 })).toEqual({ x: 420, y: -50 })
  })

  test('ignores boxes with non-finite coordinates', () => {
    const boxes = [{ x: Number.NaN, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 100, h: 100 }]
    expect(findFreeSpace(boxes, { w: 10, h: 10 })).toEqual({ x: 180, y: 0 })
  })

  test('never overlaps (seeded random pages)', () => {
    const seed = 20_251_123
    const next = random(seed)
    const between = (min: number, max: number) => min + next() * (max - min)
    for (let run = 0; run < 400; run++) {
      const count = Math.floor(between(0, run % 10 === 0 ? 150 : 40))
      const boxes: Rect[] = Array.from({ length: count }, () => ({
        x: between(-3000, 3000),
        y: between(-3000, 3000),
        w: between(10, 1500),
        h: between(10, 1500),
      }))
      const size = { w: between(100, 2500), h: between(100, 2500) }
      const margin = next() < 0.5 ? DEFAULT_FREE_SPACE_MARGIN : between(0, 200)
      const viewport =
        next() < 0.6
          ? { x: between(-4000, 4000), y: between(-4000, 4000), w: between(300, 3000), h: between(300, 2000) }
          : undefined
      const position = findFreeSpace(boxes, size, { margin, viewport })
      expect(Number.isFinite(position.x) && Number.isFinite(position.y), `seed ${seed}, run ${run}`).toBe(true)
      for (const [i, box] of boxes.entries()) {
        expect(tooClose(position, size, box, margin), `seed ${seed}, run ${run}, box ${i}`).toBe(false)
      }
    }
  })

  test('is fast enough on a busy page', () => {
    const next = random(7)
    const boxes = Array.from({ length: 2000 }, () => ({
      x: next() * 50_000,
      y: next() * 50_000,
      w: 200,
      h: 200,
    }))
    const started = performance.now()
    findFreeSpace(boxes, { w: 2000, h: 1500 }, { viewport: { x: 20_000, y: 20_000, w: 1600, h: 900 } })
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
