import type { Locale } from '@fabrique/templates'
import type { ProjectSheet, SheetNote } from './types.ts'

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark. */
export const UTF8_BOM = '\ufeff'

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (=, +, @, or - not followed by a space) gets a
 * leading apostrophe: the notes come from participants, the file is opened by organisers.
 */
export function csvField(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && /^(?:[=+@\t\r]|-(?!\s|$))/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const csvLine = (fields: ReadonlyArray<string | number>) => `${fields.map(csvField).join(',')}\r\n`

/** Stable, for scripts; the section names in the rows follow the locale. */
export const NOTES_CSV_COLUMNS = ['board', 'team', 'section', 'author', 'text', 'votes'] as const

/**
 * Every note of every board, once: board, team, section ("template › section"; the template alone
 * for a note in a frame but in none of its sections; empty elsewhere), author, text, votes. CRLF
 * line ends and a BOM, for Excel.
 */
export function notesCsv(sheets: readonly ProjectSheet[], locale: Locale = 'fr'): string {
  let out = NOTES_CSV_HEAD
  for (const sheet of sheets) out += notesCsvRows(sheet, locale)
  return out
}

/** What notes.csv starts with: the byte order mark and the header line. */
export const NOTES_CSV_HEAD = UTF8_BOM + csvLine(NOTES_CSV_COLUMNS)

/**
 * One sheet's rows of notes.csv: the file is NOTES_CSV_HEAD and the rows of each sheet in turn. The
 * server keeps each team's with its files, so that the event's file is put together, not made again
 * from every sheet when one team's board changed.
 */
export function notesCsvRows(sheet: ProjectSheet, locale: Locale): string {
  let out = ''
  // What rows share is quoted once (an event's file holds some 100,000 notes): board and team per
  // sheet, the section per section, authors as they come back.
  const board = `${csvField(sheet.team.boardId)},${csvField(sheet.team.name)},`
  const authors = new Map<string, string>()
  const rows = (section: string, notes: readonly SheetNote[]) => {
    const start = `${board}${csvField(section)},`
    for (const note of notes) {
      const name = note.author ?? ''
      let author = authors.get(name)
      if (author === undefined) {
        author = csvField(name)
        authors.set(name, author)
      }
      out += `${start}${author},${csvField(note.text)},${csvField(note.votes)}\r\n`
    }
  }
  const frameOf = new Map<string, string>()
  for (const template of sheet.templates) {
    for (const section of template.sections) rows(`${template.title[locale]} › ${section.title[locale]}`, section.notes)
    for (const note of template.otherNotes) frameOf.set(note.shapeId, template.title[locale])
  }
  for (const note of sheet.otherNotes) rows(frameOf.get(note.shapeId) ?? '', [note])
  return out
}
