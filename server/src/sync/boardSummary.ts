import { boardPreview, readBoardRecords } from '@fabrique/export'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { BoardStats, BoardStorage, BoardSummary } from '../storage/types.ts'

/**
 * A board's shape count and preview boxes, read through the document's shared FieldMap (built on
 * the first summary or push, then kept up to date by its observer): after the first, a 2,000-note
 * board reads in milliseconds instead of decoding its 50,000 entries again, at the price of keeping
 * the decoded entries while the room is loaded. Building it may delete entries that lost a
 * concurrent write: the same tidy-up every client makes when it opens the board, stored and
 * broadcast like theirs.
 */
export function summariseDoc(doc: Y.Doc, at = Date.now()): BoardSummary {
  return { ...boardPreview(readBoardRecords(doc)), at }
}

/** The same from storage, for a board no room summarised; unreadable updates are skipped, as a room does. */
export async function summariseStored(storage: Pick<BoardStorage, 'load'>, boardId: string): Promise<BoardSummary> {
  // Taken before reading: the summary covers at least every change stored until now.
  const at = Date.now()
  const { updates } = await storage.load(boardId)
  const doc = new Y.Doc()
  try {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update)
      } catch {
        // skipped, as Room.load does
      }
    }
    // A copy read once and destroyed: decoded in one pass, no FieldMap kept.
    return { ...boardPreview(readBoardRecords(doc, { once: true })), at }
  } finally {
    doc.destroy()
  }
}

export interface SummaryBackfillOptions {
  storage: Pick<BoardStorage, 'load' | 'saveSummary'>
  logger: Logger
  /** A summary this much older than the board's last change has no room left to refresh it. */
  staleAfterMs: number
  /** Boards summarised per call: a console poll never loads more than this many documents. */
  perCall?: number
}

/**
 * Rooms write summaries as boards change; this fills in the boards no room will: written before
 * summaries existed, or changed while the instance holding them crashed. Each such board is read
 * from storage once, a few per console poll, and never by two polls at once.
 */
export class SummaryBackfill {
  private readonly running = new Map<string, Promise<BoardSummary | undefined>>()
  /** Boards that could not be summarised, and when: not retried on every poll. */
  private readonly failedAt = new Map<string, number>()

  constructor(private readonly options: SummaryBackfillOptions) {}

  /** Summarises the boards of `stats` that need it (a few), and writes the results into `stats`. */
  async fill(stats: Map<string, BoardStats>): Promise<void> {
    const now = Date.now()
    const due = [...stats]
      .filter(([id, s]) => this.needs(s) && now - (this.failedAt.get(id) ?? 0) > this.options.staleAfterMs)
      .slice(0, this.options.perCall ?? 4)
    await Promise.all(
      due.map(async ([id, s]) => {
        const summary = await this.summarise(id)
        if (summary) s.summary = { shapes: summary.shapes, at: summary.at }
      }),
    )
  }

  private needs(stats: BoardStats): boolean {
    // A room writes its summary within its delay of a change: a summary further behind has no room.
    return !stats.summary || stats.lastActivity > stats.summary.at + this.options.staleAfterMs
  }

  private summarise(boardId: string): Promise<BoardSummary | undefined> {
    let pending = this.running.get(boardId)
    if (!pending) {
      pending = (async () => {
        try {
          const summary = await summariseStored(this.options.storage, boardId)
          await this.options.storage.saveSummary(boardId, summary)
          this.failedAt.delete(boardId)
          return summary
        } catch (error) {
          this.failedAt.set(boardId, Date.now())
          this.options.logger.warn('could not summarise a board for the console', { boardId, error: String(error) })
          return undefined
        } finally {
          this.running.delete(boardId)
        }
      })()
      this.running.set(boardId, pending)
    }
    return pending
  }
}
