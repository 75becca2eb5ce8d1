import type { EventZipOptions, PdfOptions, ProjectSheet, SheetContext } from '@fabrique/export'
import type { Locale } from '@fabrique/templates'

/** What the export thread does (worker.ts), and what it answers. */
export type ExportJob =
  /** A board's stored updates → its project sheet. */
  | { op: 'sheet'; updates: Uint8Array[]; context: SheetContext }
  /** Sheets → the event's ZIP (the signal is the thread's own: see ExportThread.run). */
  | { op: 'zip'; sheets: ProjectSheet[]; options: Omit<EventZipOptions, 'signal' | 'onProgress'> }
  | { op: 'pdf'; sheets: ProjectSheet[]; locale: Locale; options: PdfOptions }

export type ExportResult<J extends ExportJob> = J['op'] extends 'sheet' ? ProjectSheet : Uint8Array<ArrayBuffer>

export type ToExportThread = ({ type: 'job'; id: number } & { job: ExportJob }) | { type: 'cancel'; id: number }

export type FromExportThread = { id: number; ok: true; result: ProjectSheet | Uint8Array<ArrayBuffer> } | { id: number; ok: false; error: string; aborted: boolean }
