import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default SQLite checkpoints inside the
 * commit that makes the WAL pass 1,000 pages: under event load that commit, on the server's only
 * thread, stalled every socket for 100-400 ms. Here the server's connection never checkpoints
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs a PASSIVE
 * checkpoint every `intervalMs`, which never blocks the writer. The last checkpoint runs at close.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker
  private stopped: Promise<void> | undefined

  constructor(
    private readonly db: Database.Database,
    file: string,
    intervalMs = 1000,
    onError: (message: string) => void = () => {},
  ) {
    db.pragma('wal_autocheckpoint = 0')
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3')
    // Plain JavaScript, evaluated: the worker needs no TypeScript loader.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, file, intervalMs } })
    this.worker.on('message', (message: { error?: string }) => {
      if (message.error) onError(message.error)
    })
    this.worker.on('error', (error) => onError(String(error)))
    this.worker.unref()
  }

  /** Stops the worker, then checkpoints what is left through the server's connection. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.worker.terminate()
      if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)')
    })()
    return this.stopped
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 5000')
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (error) {
    parentPort.postMessage({ error: 'WAL checkpoint failed: ' + String(error) })
  }
}, workerData.intervalMs)
`
