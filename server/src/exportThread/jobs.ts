import type { EventEntries, SheetContext, ZipEntry } from '@fabrique/export'
import type { Locale } from '@fabrique/templates'

/**
 * A team's sheet as ZIP entries: fiche.json (the sheet itself, whatever the language), fiche.md and
 * fiche.pdf per language; and its rows of the event's notes.csv (notesCsvRows, deflated as entries
 * are) in each language its files were made in.
 */
export interface TeamEntries {
  json: ZipEntry
  md: Partial<Record<Locale, ZipEntry>>
  pdf: Partial<Record<Locale, ZipEntry>>
  csv: Partial<Record<Locale, ZipEntry>>
}

/** Every entry a team's sheet holds (to count its bytes, or move it between threads). */
export function entriesOf(entries: TeamEntries): ZipEntry[] {
  return [entries.json, ...Object.values(entries.md), ...Object.values(entries.pdf), ...Object.values(entries.csv)]
}

/** What the export thread does (worker.ts), and what it answers. */
export type ExportJob =
  /**
   * A team's sheet: read from the board's stored updates (then its fiche.json is made too), or from
   * the fiche.json of an earlier job; with the Markdown and PDF of each language asked for.
   */
  | { op: 'team'; from: { updates: Uint8Array[]; context: SheetContext } | { json: ZipEntry }; md: Locale[]; pdf: Locale[] }
  /**
   * notes.csv of the sheets given as their fiche.json, and event.pdf of their PDFs when given (same
   * order, same language). With `rows`, each sheet's rows of notes.csv in that language, the file is
   * put together from them and only the first sheet is read (event.pdf's date).
   */
  | { op: 'event'; sheets: ZipEntry[]; rows?: ZipEntry[]; pdfs?: ZipEntry[]; locale: Locale }
  /** Teams' PDFs (fiche.pdf) as one document titled `title`. */
  | { op: 'pdf'; pdfs: ZipEntry[]; locale: Locale; title: string }

export type ExportResult<J extends ExportJob> = J['op'] extends 'team' ? TeamEntries : J['op'] extends 'event' ? EventEntries : Uint8Array<ArrayBuffer>

export type ToExportThread = ({ type: 'job'; id: number } & { job: ExportJob }) | { type: 'cancel'; id: number }

export type FromExportThread =
  | { id: number; ok: true; result: TeamEntries | EventEntries | Uint8Array<ArrayBuffer> }
  | { id: number; ok: false; error: string; aborted: boolean }
