import { extractProjectSheet, type ProjectSheet, type SheetContext } from '@fabrique/export'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { contextFor, SeededBoard } from '../../../packages/export/src/fixtures.ts'
import { ExportThread } from './exportThread.ts'

const thread = new ExportThread()
let updates: Uint8Array[]
let context: SheetContext
let sheet: ProjectSheet

beforeAll(() => {
  const board = new SeededBoard()
  const frame = board.place('project-sheet')
  board.noteInSection(frame, 'project-sheet', 'title', 'Bus à l’heure')
  for (let i = 0; i < 8; i++) board.noteInSection(frame, 'project-sheet', 'achievements', `Étape ${i} : un texte assez long pour passer à la ligne.`, { slot: i % 5 })
  updates = [Y.encodeStateAsUpdate(board.doc)]
  context = contextFor('Mobilité', { exportedAt: new Date('2026-12-06T10:00:00Z') })
  const doc = new Y.Doc()
  Y.applyUpdate(doc, updates[0] as Uint8Array)
  sheet = extractProjectSheet(doc, context, { once: true })
})

afterAll(() => thread.close())

/** Runs `work` while a 5 ms timer ticks; the longest gap between ticks is how long the loop was held. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; ms: number }> {
  let last = performance.now()
  let stallMs = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 5)
  const started = performance.now()
  try {
    const result = await work()
    return { result, stallMs: Math.max(stallMs, performance.now() - last), ms: performance.now() - started }
  } finally {
    clearInterval(timer)
  }
}

describe('ExportThread', () => {
  test('makes the same sheet from stored updates as the event loop would', async () => {
    const made = await thread.run({ op: 'sheet', updates, context })
    expect(made).toEqual(sheet)
    expect(made.team.name).toBe('Mobilité')
  })

  test('renders a ZIP of 80 sheets with their PDFs while the event loop stays free', async () => {
    const sheets = Array.from({ length: 80 }, (_, i) => ({ ...sheet, team: { ...sheet.team, id: `t${i}`, name: `Équipe ${i}` } }))
    const { result, stallMs, ms } = await longestStall(() => thread.run({ op: 'zip', sheets, options: { locale: 'fr', formats: ['json', 'pdf'] } }))
    // A ZIP names each file twice (its local header, the central directory); PDFs are stored as is.
    const text = Buffer.from(result).toString('latin1')
    expect(text.startsWith('PK')).toBe(true)
    expect(text.match(/fiche\.pdf/g)).toHaveLength(160)
    expect(text.match(/event\.pdf/g)).toHaveLength(2)
    expect(text.match(/%PDF-/g)).toHaveLength(81)
    // The work took a while; on the event loop it would have held it that long (PDFs are made
    // without a pause for timers). Other test files share the machine's cores: some slack.
    expect(ms).toBeGreaterThan(400)
    expect(stallMs).toBeLessThan(250)
  })

  test('a cancelled ZIP stops with an AbortError and the thread carries on', async () => {
    const sheets = Array.from({ length: 60 }, () => sheet)
    const controller = new AbortController()
    const zip = thread.run({ op: 'zip', sheets, options: { locale: 'en', formats: ['pdf'] } }, controller.signal)
    setTimeout(() => controller.abort(), 30)
    await expect(zip).rejects.toMatchObject({ name: 'AbortError' })
    await expect(thread.run({ op: 'pdf', sheets: [sheet], locale: 'en', options: {} })).resolves.toBeInstanceOf(Uint8Array)
  })

  test('stopping the thread fails what it was doing; the next job starts another', async () => {
    const other = new ExportThread()
    const pdf = other.run({ op: 'pdf', sheets: Array.from({ length: 30 }, () => sheet), locale: 'fr', options: {} })
    const failed = expect(pdf).rejects.toThrow('the export thread was stopped')
    await other.close()
    await failed
    await expect(other.run({ op: 'sheet', updates, context })).resolves.toEqual(sheet)
    await other.close()
  })
})
