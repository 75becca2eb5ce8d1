import { describe, expect, test } from 'vitest'
import { listTemplates } from './catalog.ts'
import { FRAME_PADDING, frameSizeFor, grid } from './layout.ts'
import { NOTE_SIZE, placeholderPositions, promptBox, SECTION_PADDING } from './sectionLayout.ts'
import type { Rect } from './types.ts'

const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** A generous estimate of the width of a character of the prompt font (sans, 18 px). */
const PROMPT_CHAR_WIDTH = 10
const PROMPT_LINE_HEIGHT = 18 * 1.35

describe('grid', () => {
  test('places cells with gaps and padding, and spans', () => {
    const cell = grid({ columns: [100, 200], rows: [50, 60], gap: 10, padding: 40 })
    expect(cell(0, 0)).toEqual({ x: 40, y: 40, w: 100, h: 50 })
    expect(cell(1, 1)).toEqual({ x: 150, y: 100, w: 200, h: 60 })
    expect(cell(0, 0, 2, 2)).toEqual({ x: 40, y: 40, w: 310, h: 120 })
    expect(() => cell(1, 0, 2)).toThrow(/out of range/)
    expect(frameSizeFor([cell(0, 0, 2, 2)])).toEqual({ w: 350 + FRAME_PADDING, h: 160 + FRAME_PADDING })
  })
})

describe.each(listTemplates().map((template) => [template.id, template] as const))('%s layout', (_id, template) => {
  const frame = { x: 0, y: 0, w: template.size.w, h: template.size.h }
  const boxes = [
    ...template.sections.map((section) => ({ key: section.key, box: section.box })),
    ...(template.dividers ?? []).map((divider) => ({ key: divider.key, box: divider.box })),
  ]

  test('sections and dividers sit inside the frame and do not overlap', () => {
    for (const { key, box } of boxes) expect(inside(box, frame), key).toBe(true)
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(overlap(a.box, b.box), `${a.key} / ${b.key}`).toBe(false)
    }
  })

  test('placeholder notes fit inside their section, below the prompt, without overlapping', () => {
    for (const section of template.sections) {
      const notes = placeholderPositions(section.box, section.placeholders ?? 0).map((p) => ({
        ...p,
        w: NOTE_SIZE,
        h: NOTE_SIZE,
      }))
      const prompt = promptBox(section.box)
      for (const note of notes) {
        expect(inside(note, section.box), section.key).toBe(true)
        expect(note.y, section.key).toBeGreaterThanOrEqual(prompt.y + prompt.h)
      }
      for (const [i, a] of notes.entries()) {
        for (const b of notes.slice(i + 1)) expect(overlap(a, b), section.key).toBe(false)
      }
    }
  })

  test('prompts fit in the room left for them, in both languages', () => {
    for (const section of template.sections) {
      const prompt = promptBox(section.box)
      const charsPerLine = Math.floor(prompt.w / PROMPT_CHAR_WIDTH)
      const lines = Math.floor(prompt.h / PROMPT_LINE_HEIGHT)
      for (const locale of ['fr', 'en'] as const) {
        const text = section.prompt[locale]
        expect(text.length, `${section.key} (${locale}): ${text}`).toBeLessThanOrEqual(charsPerLine * lines)
      }
      expect(section.box.w).toBeGreaterThan(SECTION_PADDING * 2 + NOTE_SIZE)
    }
  })
})
