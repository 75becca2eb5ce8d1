import { describe, expect, it } from 'vitest'
import { pixelsOf, pixelsPerUnit, scaleToFit } from './cutOut.ts'

describe('cutting a frame out of the board’s picture', () => {
  // A board from (-1000, -500) to (5000, 2500) drawn 2400 px wide: 0.4 px per unit.
  const area = { page: { x: -1000, y: -500, w: 6000, h: 3000 }, width: 2400, height: 1200 }

  it('maps the frame’s page bounds to the picture’s pixels, margin included', () => {
    expect(pixelsPerUnit(area)).toBeCloseTo(0.4)
    expect(pixelsOf(area, { x: 0, y: 0, w: 2000, h: 1500 })).toEqual({ x: 400, y: 200, w: 800, h: 600 })
    expect(pixelsOf(area, { x: 0, y: 0, w: 2000, h: 1500 }, 10)).toEqual({ x: 396, y: 196, w: 808, h: 608 })
  })

  it('rounds outwards and clips to the picture', () => {
    expect(pixelsOf(area, { x: 1, y: 1, w: 10, h: 10 })).toEqual({ x: 400, y: 200, w: 5, h: 5 })
    expect(pixelsOf(area, { x: 4000, y: 2000, w: 3000, h: 3000 })).toEqual({ x: 2000, y: 1000, w: 400, h: 200 })
    expect(pixelsOf(area, { x: 9000, y: 0, w: 100, h: 100 })).toBeUndefined()
  })

  it('scales a picture down to its longest side, never up', () => {
    expect(scaleToFit(6000, 3000, 2400)).toBeCloseTo(0.4)
    expect(scaleToFit(3000, 6000, 2400)).toBeCloseTo(0.4)
    expect(scaleToFit(800, 600, 2400)).toBe(1)
    expect(scaleToFit(0, 0, 2400)).toBe(1)
  })
})
