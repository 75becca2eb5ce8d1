import type { Locale } from '@fabrique/templates'
import { NOTES_CSV_HEAD, notesCsvRows } from './csv.ts'
import { LABELS, slugify } from './labels.ts'
import { toMarkdown } from './markdown.ts'
import { toPdf } from './pdf.ts'
import { mergePdfs } from './pdfMerge.ts'
import { PROJECT_SHEET_JSON_SCHEMA } from './schema.ts'
import type { ProjectSheet } from './types.ts'
import { entryContent, writeZip, type ZipEntry, zipEntry } from './zipWriter.ts'

/** A team's sheet as a file: fiche.json, fiche.md, fiche.pdf. */
export type SheetFormat = 'json' | 'md' | 'pdf'
export const SHEET_FORMATS: readonly SheetFormat[] = ['json', 'md', 'pdf']

export interface EventZipOptions {
  /**
   * The sheets' formats, every one by default. Without PDF the bundle takes a fraction of the time
   * (no PDF per team, no event.pdf); without JSON it has no fiche.schema.json either.
   */
  formats?: readonly SheetFormat[]
  /** Language of the Markdown, the PDFs and the CSV's section names; French by default. */
  locale?: Locale
  /** IANA time zone of the export time; Europe/Paris by default. */
  timeZone?: string
  /** Called after each team's files are ready, to show progress. */
  onProgress?: (done: number, total: number) => void
  /** Stops between teams (the PDF of one team is the unit of work). */
  signal?: AbortSignal
}

/** One folder name per team, from its name, unique within the event. */
export function teamFolders(teamNames: readonly string[]): string[] {
  const used = new Set<string>()
  return teamNames.map((teamName) => {
    const base = slugify(teamName)
    let name = base
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`
    used.add(name)
    return name
  })
}

/** A team's sheet in one format, as a ZIP entry: fiche.json, fiche.md or fiche.pdf. */
export async function sheetEntry(sheet: ProjectSheet, format: SheetFormat, locale: Locale, options: { timeZone?: string } = {}): Promise<ZipEntry> {
  switch (format) {
    // The JSON does not depend on the language: the server keeps one per sheet and reads sheets back from it.
    case 'json':
      return zipEntry(`${JSON.stringify(sheet, null, 2)}\n`)
    case 'md':
      return zipEntry(toMarkdown(sheet, locale, { timeZone: options.timeZone }))
    // PDFs are compressed already: storing them saves time and no space.
    case 'pdf':
      return zipEntry(await toPdf([sheet], locale, { timeZone: options.timeZone }), { store: true })
  }
}

/** The sheet a fiche.json entry holds. */
export function sheetOfEntry(entry: ZipEntry): ProjectSheet {
  return JSON.parse(new TextDecoder().decode(entryContent(entry))) as ProjectSheet
}

/** The files at the archive's root that gather every team: notes.csv always, event.pdf with the PDFs. */
export interface EventEntries {
  notesCsv: ZipEntry
  eventPdf?: ZipEntry
}

/** notes.csv of `sheets`, and event.pdf when their PDFs (`teamPdfs`, in the same order) are given. */
export async function eventEntries(sheets: readonly ProjectSheet[], locale: Locale, options: { teamPdfs?: readonly ZipEntry[] } = {}): Promise<EventEntries> {
  const encoder = new TextEncoder()
  return eventEntriesOfRows(
    sheets.map((sheet) => encoder.encode(notesCsvRows(sheet, locale))),
    locale,
    { teamPdfs: options.teamPdfs, created: sheets[0] ? new Date(sheets[0].exportedAt) : new Date() },
  )
}

/**
 * The same from each sheet's notes.csv rows as UTF-8 (notesCsvRows), in order: the file is put
 * together without reading the sheets; event.pdf is dated `created`.
 */
export async function eventEntriesOfRows(rows: readonly Uint8Array[], locale: Locale, options: { teamPdfs?: readonly ZipEntry[]; created: Date }): Promise<EventEntries> {
  const notes = zipEntry(Buffer.concat([Buffer.from(NOTES_CSV_HEAD), ...rows]))
  if (!options.teamPdfs) return { notesCsv: notes }
  return { notesCsv: notes, eventPdf: zipEntry(await sheetsPdf(options.teamPdfs.map(entryContent), locale, { created: options.created }), { store: true }) }
}

/**
 * Every team's sheet in one PDF, from each one's PDF (toPdf of that sheet alone): put together, not
 * typeset again. Titled `title`, "Project sheets" by default.
 */
export async function sheetsPdf(teamPdfs: readonly Uint8Array[], locale: Locale, options: { title?: string; created?: Date } = {}): Promise<Uint8Array<ArrayBuffer>> {
  if (teamPdfs.length === 0) return toPdf([], locale, { title: options.title })
  return mergePdfs(teamPdfs, { title: options.title ?? LABELS[locale].eventSheets, locale, created: options.created ?? new Date() })
}

let schemaEntry: ZipEntry | undefined

/**
 * The archive's layout: a folder per team with its sheet in each of `formats`, then notes.csv,
 * event.pdf (with PDFs) and fiche.schema.json (with JSON). Every entry named in `formats` must be there.
 */
export function bundleFiles(
  teams: ReadonlyArray<{ name: string; files: Partial<Record<SheetFormat, ZipEntry>> }>,
  root: EventEntries,
  formats: readonly SheetFormat[],
): Array<[string, ZipEntry]> {
  const files: Array<[string, ZipEntry]> = []
  const folders = teamFolders(teams.map((team) => team.name))
  for (const [i, team] of teams.entries()) {
    for (const format of SHEET_FORMATS) {
      if (!formats.includes(format)) continue
      const entry = team.files[format]
      if (!entry) throw new Error(`the ${format} sheet of team “${team.name}” is missing`)
      files.push([`${folders[i]}/fiche.${format}`, entry])
    }
  }
  files.push(['notes.csv', root.notesCsv])
  if (formats.includes('pdf')) {
    if (!root.eventPdf) throw new Error('event.pdf is missing')
    files.push(['event.pdf', root.eventPdf])
  }
  if (formats.includes('json')) {
    schemaEntry ??= zipEntry(`${JSON.stringify(PROJECT_SHEET_JSON_SCHEMA, null, 2)}\n`)
    files.push(['fiche.schema.json', schemaEntry])
  }
  return files
}

/**
 * The whole event in one ZIP: a folder per team with fiche.json, fiche.md and fiche.pdf; at the
 * root notes.csv (every note), event.pdf (every sheet) and fiche.schema.json (the JSON's schema).
 * `formats` leaves some of them out; notes.csv is always there.
 */
export async function eventZip(sheets: readonly ProjectSheet[], options: EventZipOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const locale = options.locale ?? 'fr'
  const formats = [...new Set(options.formats ?? SHEET_FORMATS)]
  const teams: Array<{ name: string; files: Partial<Record<SheetFormat, ZipEntry>> }> = []
  for (const [i, sheet] of sheets.entries()) {
    // PDFs are made without a pause for other events: let a cancellation in between two teams.
    if (options.signal) await new Promise((resolve) => setTimeout(resolve, 0))
    options.signal?.throwIfAborted()
    const files: Partial<Record<SheetFormat, ZipEntry>> = {}
    for (const format of formats) files[format] = await sheetEntry(sheet, format, locale, options)
    teams.push({ name: sheet.team.name, files })
    options.onProgress?.(i + 1, sheets.length + 1)
  }
  options.signal?.throwIfAborted()
  const root = await eventEntries(sheets, locale, { teamPdfs: formats.includes('pdf') ? teams.map((team) => team.files.pdf as ZipEntry) : undefined })
  options.onProgress?.(sheets.length + 1, sheets.length + 1)
  return writeZip(bundleFiles(teams, root, formats))
}
