import { entryContent, extractProjectSheet, notesCsvRows, type ProjectSheet, type SheetContext, sheetEntry, sheetOfEntry, toMarkdown, type ZipEntry } from '@fabrique/export'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { contextFor, SeededBoard } from '../../../packages/export/src/fixtures.ts'
import { ExportThread } from './exportThread.ts'

const thread = new ExportThread()
let stored: Uint8Array
/** A board's log as storage loads it: fresh buffers for each job, which moves them to the thread. */
const loaded = () => [stored.slice()]
let context: SheetContext
let sheet: ProjectSheet

beforeAll(() => {
  const board = new SeededBoard()
  const frame = board.place('project-sheet')
  board.noteInSection(frame, 'project-sheet', 'title', 'Bus à l’heure')
  for (let i = 0; i < 8; i++) board.noteInSection(frame, 'project-sheet', 'achievements', `Étape ${i} : un texte assez long pour passer à la ligne.`, { slot: i % 5 })
  stored = Y.encodeStateAsUpdate(board.doc)
  context = contextFor('Mobilité', { exportedAt: new Date('2026-12-06T10:00:00Z') })
  const doc = new Y.Doc()
  Y.applyUpdate(doc, stored)
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

const text = (entry: ZipEntry | undefined) => new TextDecoder().decode(entryContent(entry as ZipEntry))

describe('ExportThread', () => {
  test('makes the same sheet from stored updates as the event loop would, with its files in the languages asked for', async () => {
    const updates = loaded()
    const made = await thread.run({ op: 'team', from: { updates, context }, md: ['fr'], pdf: ['en'] })
    expect(sheetOfEntry(made.json)).toEqual(sheet)
    // Moved, not copied: the job's buffer is the thread's now.
    expect(updates[0]?.byteLength).toBe(0)
    expect(text(made.json)).toBe(`${JSON.stringify(sheet, null, 2)}\n`)
    expect(text(made.md.fr)).toBe(toMarkdown(sheet, 'fr'))
    expect(made.md.en).toBeUndefined()
    expect(text(made.pdf.en).startsWith('%PDF-')).toBe(true)
    expect(made.pdf.fr).toBeUndefined()

    // Its rows of the event's notes.csv, in the languages of its files.
    expect(text(made.csv.fr)).toBe(notesCsvRows(sheet, 'fr'))
    expect(text(made.csv.en)).toBe(notesCsvRows(sheet, 'en'))

    // From the fiche.json of that job: the other languages, without the board.
    const more = await thread.run({ op: 'team', from: { json: made.json }, md: ['en'], pdf: [] })
    expect(text(more.md.en)).toBe(toMarkdown(sheet, 'en'))
    expect(Object.keys(more.csv)).toEqual(['en'])
  })

  test('puts notes.csv together from the teams’ rows: the same file as from their sheets, and event.pdf of the same date', async () => {
    const teams = [0, 1, 2].map((i) => ({ ...sheet, team: { ...sheet.team, id: `t${i}`, name: `Équipe « ${i} », =1` } }))
    const made = await Promise.all(teams.map(async (team) => thread.run({ op: 'team', from: { json: await sheetEntry(team, 'json', 'fr') }, md: [], pdf: ['en'] })))
    const job = { op: 'event' as const, sheets: made.map((entries) => entries.json), pdfs: made.map((entries) => entries.pdf.en as ZipEntry), locale: 'en' as const }
    const fromSheets = await thread.run(job)
    const fromRows = await thread.run({ ...job, rows: made.map((entries) => entries.csv.en as ZipEntry) })
    expect(text(fromRows.notesCsv)).toBe(text(fromSheets.notesCsv))
    expect(text(fromRows.notesCsv).match(/Équipe « 2 »/g)).toHaveLength(9)
    expect(text(fromRows.eventPdf)).toBe(text(fromSheets.eventPdf))
  })

  test('typesets sheets, and makes notes.csv and event.pdf of 80 sheets, while the event loop stays free', async () => {
    const teams = Array.from({ length: 80 }, (_, i) => ({ ...sheet, team: { ...sheet.team, id: `t${i}`, name: `Équipe ${i}` } }))
    const sheets = await Promise.all(teams.map((team) => sheetEntry(team, 'json', 'fr')))
    const pdfs = await Promise.all(teams.map((team) => sheetEntry(team, 'pdf', 'fr')))
    const { result, stallMs, ms } = await longestStall(async () => {
      // Typesetting the Markdown and PDF of 60 teams in two languages: the thread's work (enough of
      // it to exceed the bound below on a fast machine too: 30 teams took 294 ms on one).
      const made = await Promise.all(sheets.slice(0, 60).map((json) => thread.run({ op: 'team', from: { json }, md: ['fr', 'en'], pdf: ['fr', 'en'] })))
      return { made: made[59] as (typeof made)[number], event: await thread.run({ op: 'event', sheets, pdfs, locale: 'fr' }) }
    })
    expect(text(result.event.notesCsv).match(/Équipe 79/g)).toHaveLength(9)
    expect(text(result.made.pdf.en).startsWith('%PDF-')).toBe(true)
    const pdf = text(result.event.eventPdf)
    expect(pdf.startsWith('%PDF-')).toBe(true)
    // A page per team at least.
    expect(Number(/\/Count (\d+)/.exec(pdf)?.[1])).toBeGreaterThanOrEqual(80)
    // The work took a while; on the event loop it would have held it that long (a PDF is made
    // without a pause for timers). Other test files share the machine's cores: some slack.
    expect(ms).toBeGreaterThan(300)
    expect(stallMs).toBeLessThan(250)
  })

  test('a cancelled job stops with an AbortError and the thread carries on', async () => {
    const json = await sheetEntry(sheet, 'json', 'fr')
    const pdf = await sheetEntry(sheet, 'pdf', 'en')
    // The thread busy first, so that the job and its cancellation wait in its queue together: posted
    // to an idle thread, the job once finished before the cancellation arrived (the whole suite on
    // two cores, this thread losing its core between the two messages).
    const busy = thread.run({ op: 'pdf', pdfs: Array.from({ length: 60 }, () => pdf), locale: 'en', title: 'Occupé' })
    const controller = new AbortController()
    const made = thread.run({ op: 'team', from: { json }, md: [], pdf: ['fr', 'en'] }, controller.signal)
    controller.abort()
    await expect(made).rejects.toMatchObject({ name: 'AbortError' })
    await busy
    await expect(thread.run({ op: 'pdf', pdfs: [pdf, pdf], locale: 'en', title: 'Fiches' })).resolves.toBeInstanceOf(Uint8Array)
  })

  test('stopping the thread fails what it was doing; the next job starts another', async () => {
    const other = new ExportThread()
    const pdf = other.run({ op: 'team', from: { updates: loaded(), context }, md: ['fr', 'en'], pdf: ['fr', 'en'] })
    const failed = expect(pdf).rejects.toThrow('the export thread was stopped')
    await other.close()
    await failed
    const made = await other.run({ op: 'team', from: { updates: loaded(), context }, md: [], pdf: [] })
    expect(sheetOfEntry(made.json)).toEqual(sheet)
    await other.close()
  })
})
