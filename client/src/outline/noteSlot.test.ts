import { NOTE_SIZE, SECTION_HEADER_HEIGHT, SECTION_PADDING } from '@fabrique/templates'
import { describe, expect, it } from 'vitest'
import { findNoteSlot, type Rect } from './noteSlot.ts'

const section: Rect = { x: 1000, y: 500, w: 520, h: 420 }

const noteAt = (slot: { x: number; y: number; scale: number }): Rect => ({ x: slot.x, y: slot.y, w: NOTE_SIZE * slot.scale, h: NOTE_SIZE * slot.scale })
const inside = (rect: Rect, outer: Rect) => rect.x >= outer.x && rect.y >= outer.y && rect.x + rect.w <= outer.x + outer.w && rect.y + rect.h <= outer.y + outer.h
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('findNoteSlot', () => {
  it('puts the first note under the section’s title and prompt, at full size', () => {
    expect(findNoteSlot(section, [])).toEqual({ x: section.x + SECTION_PADDING, y: section.y + SECTION_HEADER_HEIGHT, scale: 1 })
  })

  it('fills the grid without overlapping, then with half-size notes', () => {
    const large: Rect = { x: 0, y: 0, w: 1040, h: 840 }
    const placed: Rect[] = []
    for (let i = 0; i < 14; i++) {
      const rect = noteAt(findNoteSlot(large, placed))
      expect(inside(rect, large), `note ${i} inside`).toBe(true)
      expect(placed.some((other) => overlaps(other, rect)), `note ${i} free`).toBe(false)
      placed.push(rect)
    }
    // 4 × 3 full-size cells under the header, then the half-size ones in what is left.
    expect(placed.filter((rect) => rect.w === NOTE_SIZE)).toHaveLength(12)
    expect(placed.slice(12).every((rect) => rect.w === NOTE_SIZE / 2)).toBe(true)
  })

  it('once the section is full, puts a half-size note where it hides the least, still inside', () => {
    const placed = [noteAt(findNoteSlot(section, []))]
    placed.push(noteAt(findNoteSlot(section, placed)))
    expect(placed.every((rect) => rect.w === NOTE_SIZE)).toBe(true)
    const third = noteAt(findNoteSlot(section, placed))
    expect(third.w).toBe(NOTE_SIZE / 2)
    expect(inside(third, section)).toBe(true)
    const hidden = placed.reduce((sum, rect) => {
      const w = Math.min(rect.x + rect.w, third.x + third.w) - Math.max(rect.x, third.x)
      const h = Math.min(rect.y + rect.h, third.y + third.h) - Math.max(rect.y, third.y)
      return sum + (w > 0 && h > 0 ? w * h : 0)
    }, 0)
    expect(hidden).toBeLessThan(third.w * third.h * 0.5)
  })

  it('steps around notes put there by hand', () => {
    const byHand = { x: section.x + 20, y: section.y + SECTION_HEADER_HEIGHT + 10, w: NOTE_SIZE, h: NOTE_SIZE }
    const rect = noteAt(findNoteSlot(section, [byHand]))
    expect(overlaps(rect, byHand)).toBe(false)
    expect(inside(rect, section)).toBe(true)
  })

  it('keeps the centre of the note in the section when the section is full or tiny', () => {
    const full = findNoteSlot(section, [section])
    const centre = { x: full.x + (NOTE_SIZE * full.scale) / 2, y: full.y + (NOTE_SIZE * full.scale) / 2 }
    expect(centre.x > section.x && centre.x < section.x + section.w && centre.y > section.y && centre.y < section.y + section.h).toBe(true)
    const tiny = { x: 0, y: 0, w: 60, h: 60 }
    const slot = findNoteSlot(tiny, [])
    expect(slot.x + (NOTE_SIZE * slot.scale) / 2).toBe(30)
    expect(slot.y + (NOTE_SIZE * slot.scale) / 2).toBe(30)
  })
})
