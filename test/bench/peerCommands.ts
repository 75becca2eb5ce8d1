/**
 * What the peer servers (reference, Hocuspocus, relay) can be asked from the benchmark, registered
 * in their own process: how many rooms they hold, and a server-side script writing Yjs updates into
 * rooms (their way of pushing a template: they have no push API).
 */
import fs from 'node:fs'
import { onCommand } from './benchCommands.ts'

/** The job file of an `apply` command: the same updates, in order, into each board. */
export interface ApplyJob {
  boards: string[]
  /** Base64 Yjs updates, each applied in a transaction of its own (one per template). */
  updates: string[]
}

export interface PeerHooks {
  rooms(): number
  /** Applies the updates to a board, each as its own transaction, so that each is broadcast. */
  apply?(board: string, updates: Uint8Array[]): Promise<void> | void
}

export function registerPeerCommands(hooks: PeerHooks): void {
  onCommand('rooms', () => hooks.rooms())
  const apply = hooks.apply
  if (!apply) return
  onCommand('apply', async (file) => {
    const job = JSON.parse(fs.readFileSync(file, 'utf8')) as ApplyJob
    const updates = job.updates.map((update) => new Uint8Array(Buffer.from(update, 'base64')))
    const started = performance.now()
    for (const board of job.boards) {
      await apply(board, updates)
      // A script written for a live server yields between boards, as Fabrique's push does.
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { ms: performance.now() - started, boards: job.boards.length }
  })
}
