import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ExportJob, ExportResult, FromExportThread, ToExportThread } from './jobs.ts'

/** A thread nobody asked anything of for this long is stopped (it holds its own heap). */
const IDLE_MS = 60_000

/**
 * Reading a board into its project sheet and rendering PDFs took some 100-250 ms of CPU per board
 * each; on the event loop, an export of 50 boards froze every cursor and edit of the event for
 * seconds at a time. Here they run in one worker thread, started on the first export and stopped
 * after a minute without any. Jobs run in the order they are given.
 */
export class ExportThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>()
  private idleTimer: NodeJS.Timeout | undefined

  /**
   * Runs a job in the thread; `signal` cancels it (a team's job stops before its next PDF). A team's
   * job read from stored updates gives them up: they move to the thread (see transferredBy).
   */
  run<J extends ExportJob>(job: J, signal?: AbortSignal): Promise<ExportResult<J>> {
    signal?.throwIfAborted()
    const worker = this.start()
    const id = this.nextId++
    clearTimeout(this.idleTimer)
    return new Promise<ExportResult<J>>((resolve, reject) => {
      const onAbort = () => this.post({ type: 'cancel', id })
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(value)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      })
      const message: ToExportThread = { type: 'job', id, job }
      worker.postMessage(message, transferredBy(job))
    })
  }

  /** Stops the thread; jobs still running fail. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer)
    const worker = this.worker
    this.worker = undefined
    this.failAll(new Error('the export thread was stopped'))
    await worker?.terminate()
  }

  private post(message: ToExportThread): void {
    this.worker?.postMessage(message)
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = BUILT
      ? new Worker(new URL('./exportWorker.js', import.meta.url))
      : new Worker(BOOTSTRAP, { eval: true, workerData: { tsxApi: tsxApiUrl(), entry: new URL('./worker.ts', import.meta.url).href } })
    // An export in progress does not keep a stopping server alive, nor does an idle thread.
    worker.unref()
    worker.on('message', (reply: FromExportThread) => this.settle(reply))
    worker.on('error', (error) => this.failAll(error))
    worker.on('exit', (code) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.failAll(new Error(`the export thread stopped (exit code ${code})`))
    })
    this.worker = worker
    return worker
  }

  private settle(reply: FromExportThread): void {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    if (reply.ok) waiting.resolve(reply.result as never)
    else waiting.reject(reply.aborted ? new DOMException('The export was cancelled', 'AbortError') : new Error(`export failed in its thread: ${reply.error}`))
    if (this.pending.size === 0) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS)
      this.idleTimer.unref()
    }
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const { reject } of waiting) reject(error)
  }
}

/**
 * A board's stored updates move to the thread instead of being copied there: they were loaded for
 * this job (BoardStorage.load hands out buffers of the caller's own). Copying a 2,000-shape board's
 * 2.5 MB on the event loop, 50 times in an export, stalled it (allocations that brought on
 * collections of a heap holding every live board). Only buffers the update fills alone move.
 */
function transferredBy(job: ExportJob): ArrayBuffer[] {
  if (job.op !== 'team' || !('updates' in job.from)) return []
  const buffers = new Set<ArrayBuffer>()
  for (const update of job.from.updates) {
    if (update.buffer instanceof ArrayBuffer && update.byteOffset === 0 && update.byteLength === update.buffer.byteLength) buffers.add(update.buffer)
  }
  return [...buffers]
}

/**
 * Running from the server's build (`server/dist/main.js`, see server/build.ts), this module is
 * JavaScript and the worker's entry is built beside it as `exportWorker.js`.
 */
const BUILT = import.meta.url.endsWith('.js')

/**
 * From source, the worker is TypeScript, like the rest of the server: it registers tsx's loader (a
 * dependency of the server, which `pnpm dev` and the tests start with) before importing its entry.
 * Worker threads take no `--import`.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads')
import(workerData.tsxApi).then((api) => {
  api.register()
  return import(workerData.entry)
})
`

let tsxApi: string | undefined
function tsxApiUrl(): string {
  if (tsxApi) return tsxApi
  const require = createRequire(import.meta.url)
  const manifest = require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }
  const entry = manifest.exports['./esm/api']?.import.default
  if (!entry) throw new Error('tsx/esm/api not found: the export thread needs tsx (a dependency of the server)')
  tsxApi = new URL(entry, `file://${require.resolve('tsx/package.json')}`).href
  return tsxApi
}
