import type { Locale } from '@fabrique/templates'
import { strToU8, type Zippable, zipSync } from 'fflate'
import { notesCsv } from './csv.ts'
import { slugify } from './labels.ts'
import { toMarkdown } from './markdown.ts'
import { toPdf } from './pdf.ts'
import { PROJECT_SHEET_JSON_SCHEMA } from './schema.ts'
import type { ProjectSheet } from './types.ts'

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
export function teamFolders(sheets: readonly ProjectSheet[]): string[] {
  const used = new Set<string>()
  return sheets.map((sheet) => {
    const base = slugify(sheet.team.name)
    let name = base
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`
    used.add(name)
    return name
  })
}

/**
 * The whole event in one ZIP: a folder per team with fiche.json, fiche.md and fiche.pdf; at the
 * root notes.csv (every note), event.pdf (every sheet) and fiche.schema.json (the JSON's schema).
 * `formats` leaves some of them out; notes.csv is always there.
 */
export async function eventZip(sheets: readonly ProjectSheet[], options: EventZipOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const locale = options.locale ?? 'fr'
  const formats = new Set(options.formats ?? SHEET_FORMATS)
  const files: Zippable = {}
  const folders = teamFolders(sheets)
  // PDFs are compressed already: storing them saves time and no space.
  const stored = { level: 0 } as const
  for (const [i, sheet] of sheets.entries()) {
    // PDFs are made without a pause for other events: let a cancellation in between two teams.
    if (options.signal) await new Promise((resolve) => setTimeout(resolve, 0))
    options.signal?.throwIfAborted()
    const folder: Zippable = {}
    if (formats.has('json')) folder['fiche.json'] = strToU8(`${JSON.stringify(sheet, null, 2)}\n`)
    if (formats.has('md')) folder['fiche.md'] = strToU8(toMarkdown(sheet, locale, { timeZone: options.timeZone }))
    if (formats.has('pdf')) folder['fiche.pdf'] = [await toPdf([sheet], locale, { timeZone: options.timeZone }), stored]
    files[folders[i]] = folder
    options.onProgress?.(i + 1, sheets.length + 1)
  }
  options.signal?.throwIfAborted()
  files['notes.csv'] = strToU8(notesCsv(sheets, locale))
  if (formats.has('pdf')) files['event.pdf'] = [await toPdf(sheets, locale, { timeZone: options.timeZone }), stored]
  if (formats.has('json')) files['fiche.schema.json'] = strToU8(`${JSON.stringify(PROJECT_SHEET_JSON_SCHEMA, null, 2)}\n`)
  options.onProgress?.(sheets.length + 1, sheets.length + 1)
  // Level 1: three times faster than fflate's default on the sheets' JSON and Markdown, for a
  // bundle about a fifth larger (the text bundle of 50 boards is some 300 KB either way).
  // fflate allocates plain ArrayBuffers; its types only say ArrayBufferLike.
  return zipSync(files, { level: 1 }) as Uint8Array<ArrayBuffer>
}
