/**
 * The export thread's entry (see ExportThread): reads boards into project sheets and renders
 * PDFs and ZIPs, away from the event loop that serves the boards.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { eventZip, extractProjectSheet, type ProjectSheet, toPdf } from '@fabrique/export'
import type { ExportJob, FromExportThread, ToExportThread } from './jobs.ts'
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

async function run(job: ExportJob, signal: AbortSignal): Promise<ProjectSheet | Uint8Array<ArrayBuffer>> {
  switch (job.op) {
    case 'sheet': {
      const doc = docOfUpdates(job.updates)
      try {
        // The document is this job's own and destroyed below: read it in one pass (`once`).
        return extractProjectSheet(doc, job.context, { once: true })
      } finally {
        doc.destroy()
      }
    }
    case 'zip':
      return eventZip(job.sheets, { ...job.options, signal })
    case 'pdf':
      return toPdf(job.sheets, job.locale, job.options)
  }
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
      port.postMessage(reply, result instanceof Uint8Array ? [result.buffer] : [])
    },
    (error: unknown) => {
      const reply: FromExportThread = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error), aborted: controller.signal.aborted }
      port.postMessage(reply)
    },
  ).finally(() => running.delete(id))
})
