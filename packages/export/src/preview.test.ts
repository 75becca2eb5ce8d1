import { afterEach, describe, expect, test } from 'vitest'
import { readBoardRecords } from './board.ts'
import { SeededBoard } from './fixtures.ts'
import type { TLRecord } from 'tldraw'
import { addToPreview, boardPreview, MAX_PREVIEW_BOXES, previewSvg } from './preview.ts'

const boards: SeededBoard[] = []
function seeded(): SeededBoard {
  const board = new SeededBoard()
  boards.push(board)
  return board
}
afterEach(() => {
  for (const board of boards.splice(0)) board.dispose()
})

const marks = (svg: string, kind: string) => svg.match(new RegExp(`<rect class="${kind}"`, 'g'))?.length ?? 0

describe('boardPreview', () => {
  test('counts every shape and draws frames, then notes in their colour, at page positions', () => {
    const board = seeded()
    const frame = board.place('project-sheet')
    board.note(frame, 100, 200, 'Dans le cadre')
    board.note('page:page', -3000, -2000, 'Sur la page')
    const records = readBoardRecords(board.doc)
    const shapeCount = records.filter((r) => r.typeName === 'shape').length

    const preview = boardPreview(records)

    expect(preview.shapes).toBe(shapeCount)
    expect(preview.boxes[0].kind).toBe('frame')
    const notes = preview.boxes.filter((b) => b.kind === 'note')
    expect(notes).toHaveLength(records.filter((r) => r.typeName === 'shape' && r.type === 'note').length)
    expect(notes.filter((n) => n.color === 'yellow').length).toBeGreaterThanOrEqual(2)
    const framed = preview.boxes.find((b) => b.kind === 'frame' && b.w > 1000) as (typeof preview.boxes)[number]
    // A note in a frame is placed relative to the frame: the preview puts it on the page.
    expect(notes.some((n) => n.x === framed.x + 100 && n.y === framed.y + 200)).toBe(true)
    expect(notes.some((n) => n.x === -3000 && n.y === -2000)).toBe(true)
  })

  test('keeps at most MAX_PREVIEW_BOXES boxes, yet counts every shape', () => {
    const board = seeded()
    for (let i = 0; i < MAX_PREVIEW_BOXES + 20; i++) board.note('page:page', (i % 20) * 250, Math.floor(i / 20) * 250, `idée ${i}`)
    const preview = boardPreview(readBoardRecords(board.doc))
    expect(preview.shapes).toBe(MAX_PREVIEW_BOXES + 20)
    expect(preview.boxes).toHaveLength(MAX_PREVIEW_BOXES)
  })

  test('an empty board has no shape and no box', () => {
    expect(boardPreview(readBoardRecords(seeded().doc))).toEqual({ shapes: 0, boxes: [] })
  })
})

describe('addToPreview', () => {
  /** The records of `after` that `before` does not have: what a push wrote. */
  const added = (before: readonly TLRecord[], after: readonly TLRecord[]) => {
    const ids = new Set(before.map((record) => record.id))
    return after.filter((record) => !ids.has(record.id))
  }

  test('from the preview before a push and the pushed records, gives the preview of the whole board, past the cap', () => {
    const board = seeded()
    board.place('problem-tree')
    for (let i = 0; i < MAX_PREVIEW_BOXES; i++) board.note('page:page', (i % 20) * 250, 3000 + Math.floor(i / 20) * 250, `idée ${i}`)
    const before = readBoardRecords(board.doc)
    board.place('lean-canvas')
    const after = readBoardRecords(board.doc)
    const preview = addToPreview(boardPreview(before), added(before, after), true)
    expect(preview).toEqual(boardPreview(after))
    // The template's frames come first: some of the notes gave way to them.
    expect(preview.boxes.filter((box) => box.kind === 'frame').length).toBeGreaterThan(boardPreview(before).boxes.filter((box) => box.kind === 'frame').length)
  })

  test('a push to an empty first page: the preview shows that page from now on', () => {
    const board = seeded()
    board.page('page:page', 'a1', 'Page 1')
    board.page('page:two', 'a2', 'Page 2')
    board.note('page:two', 0, 0, 'Sur la deuxième page')
    const before = readBoardRecords(board.doc)
    board.place('journey-map')
    const after = readBoardRecords(board.doc)
    const preview = addToPreview(boardPreview(before), added(before, after), false)
    expect(preview).toEqual(boardPreview(after))
    expect(preview.boxes.some((box) => box.x === 0 && box.y === 0 && box.kind === 'note')).toBe(false)
  })

  test('a push to a board nobody opened (its page written by the push)', () => {
    const board = seeded()
    board.place('persona')
    const after = readBoardRecords(board.doc)
    expect(addToPreview({ shapes: 0, boxes: [] }, after, false)).toEqual(boardPreview(after))
  })
})

describe('previewSvg', () => {
  test('fits the boxes in the view box, one mark per box, in fixed colours only', () => {
    const svg = previewSvg([
      { x: 0, y: 0, w: 2000, h: 1000, kind: 'frame' },
      { x: 100, y: 100, w: 200, h: 200, kind: 'note', color: 'blue' },
      { x: 1800, y: 800, w: 200, h: 200, kind: 'note', color: '"><script>' },
      { x: 500, y: 500, w: 300, h: 100, kind: 'shape' },
    ])
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 160 100"/)
    expect([marks(svg, 'frame'), marks(svg, 'note'), marks(svg, 'shape')]).toEqual([1, 2, 1])
    expect(svg).toContain('fill="#8aa3ff"')
    expect(svg).not.toContain('script')
    for (const [, x, y, w, h] of svg.matchAll(/x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(160)
      expect(Number(y) + Number(h)).toBeLessThanOrEqual(100)
    }
  })

  test('draws nothing for no box', () => {
    expect(previewSvg([])).not.toContain('<rect')
  })
})
