/**
 * The export thread's entry (see ExportThread): reads boards into project sheets and renders
 * their files (JSON, Markdown, PDF, notes.csv), away from the event loop that serves the boards.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import {
  type EventEntries,
  entryContent,
  eventEntries,
  eventEntriesOfRows,
  extractProjectSheet,
  notesCsvRows,
  type ProjectSheet,
  type SheetContext,
  sheetEntry,
  sheetOfEntry,
  sheetsPdf,
  type ZipEntry,
  zipEntry,
} from '@fabrique/export'
import { entriesOf, type ExportJob, type FromExportThread, type TeamEntries, type ToExportThread } from './jobs.ts'
import { docOfUpdates } from './storedDoc.ts'

const port = parentPort
if (!port) throw new Error('worker.ts runs in a worker thread (see ExportThread)')

const running = new Map<number, AbortController>()

/**
 * The export gives way to the thread serving the boards: on a busy machine, at the same priority,
 * it took the CPU from it (cursors stalled 0.6 s at a time during an export of 50 boards). On
 * Linux a thread has a niceness of its own, set through its thread id; elsewhere the export runs
 * at normal priority.
 */
function yieldToTheBoards(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 19)
  } catch {
    // Not Linux, or not allowed: normal priority.
  }
}
yieldToTheBoards()

async function run(job: ExportJob, signal: AbortSignal): Promise<TeamEntries | EventEntries | Uint8Array<ArrayBuffer>> {
  switch (job.op) {
    case 'team': {
      const sheet = 'json' in job.from ? sheetOfEntry(job.from.json) : sheetOfBoard(job.from.updates, job.from.context)
      // The JSON does not depend on the language (the locale argument is not read for it).
      const made: TeamEntries = { json: 'json' in job.from ? job.from.json : await sheetEntry(sheet, 'json', 'fr'), md: {}, pdf: {}, csv: {} }
      // The team's part of the event's notes.csv, in the languages its files are made in.
      for (const locale of new Set([...job.md, ...job.pdf])) made.csv[locale] = zipEntry(notesCsvRows(sheet, locale))
      for (const locale of job.md) made.md[locale] = await sheetEntry(sheet, 'md', locale)
      for (const locale of job.pdf) {
        // A PDF is made without a pause for messages: let a cancellation in before each.
        await new Promise((resolve) => setImmediate(resolve))
        signal.throwIfAborted()
        made.pdf[locale] = await sheetEntry(sheet, 'pdf', locale)
      }
      return made
    }
    case 'event': {
      if (!job.rows) return eventEntries(sheetsOf(job.sheets, signal), job.locale, { teamPdfs: job.pdfs })
      const first = job.sheets[0]
      return eventEntriesOfRows(job.rows.map(entryContent), job.locale, { teamPdfs: job.pdfs, created: first ? new Date(sheetOfEntry(first).exportedAt) : new Date() })
    }
    case 'pdf':
      return sheetsPdf(job.pdfs.map(entryContent), job.locale, { title: job.title })
  }
}

function sheetOfBoard(updates: Uint8Array[], context: SheetContext): ProjectSheet {
  const doc = docOfUpdates(updates)
  try {
    // The document is this job's own and destroyed below: read it in one pass (`once`).
    return extractProjectSheet(doc, context, { once: true })
  } finally {
    doc.destroy()
  }
}

function sheetsOf(entries: readonly ZipEntry[], signal: AbortSignal): ProjectSheet[] {
  return entries.map((entry) => {
    signal.throwIfAborted()
    return sheetOfEntry(entry)
  })
}

/** Every buffer the result holds, once each: they move to the event loop's thread instead of being copied. */
function buffersOf(result: TeamEntries | EventEntries | Uint8Array<ArrayBuffer>): ArrayBuffer[] {
  const entries: Array<ZipEntry | undefined> =
    result instanceof Uint8Array
      ? []
      : 'json' in result
        ? entriesOf(result)
        : [result.notesCsv, result.eventPdf]
  const buffers = new Set<ArrayBuffer>(result instanceof Uint8Array ? [result.buffer] : [])
  for (const entry of entries) if (entry) buffers.add(entry.data.buffer as ArrayBuffer)
  return [...buffers]
}

port.on('message', (message: ToExportThread) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort()
    return
  }
  const { id, job } = message
  const controller = new AbortController()
  running.set(id, controller)
  run(job, controller.signal).then(
    (result) => {
      const reply: FromExportThread = { id, ok: true, result }
      port.postMessage(reply, buffersOf(result))
    },
    (error: unknown) => {
      const reply: FromExportThread = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error), aborted: controller.signal.aborted }
      port.postMessage(reply)
    },
  ).finally(() => running.delete(id))
})
