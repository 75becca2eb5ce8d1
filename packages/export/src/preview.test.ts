import { afterEach, describe, expect, test } from 'vitest'
import { readBoardRecords } from './board.ts'
import { SeededBoard } from './fixtures.ts'
import { boardPreview, MAX_PREVIEW_BOXES, previewSvg } from './preview.ts'

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
