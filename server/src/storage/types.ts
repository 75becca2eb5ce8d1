import type { PreviewBox } from '@fabrique/export'

/**
 * Where board documents live. A board is an append-only log of Yjs updates; compaction replaces
 * the whole log by one snapshot. Adapters hold no per-board state, so several server instances
 * can share one database.
 */
export interface BoardStorage {
  /**
   * Every stored update of a board, oldest first; an unknown board has none. The buffers are the
   * caller's own (read for this call): it may hand them on, or move them to a thread.
   */
  load(boardId: string): Promise<StoredLog>
  /** Appends updates in one transaction; resolves once they are durable. */
  append(boardId: string, updates: readonly Uint8Array[]): Promise<void>
  /**
   * Merges the board's whole log into one snapshot, in one transaction: readers see either the old
   * log or the snapshot, and updates appended meanwhile are kept.
   */
  compact(boardId: string): Promise<CompactionResult>
  /**
   * Replaces the board's whole log by `snapshot`, which the caller guarantees holds every update
   * stored for the board (a room of the only instance, whose document has applied each update before
   * storing it). Cheaper than `compact`, which reads and merges the log; absent where another
   * instance may be writing the same board.
   */
  replaceLog?(boardId: string, snapshot: Uint8Array): Promise<CompactionResult>
  /** Size and last change of each board, with its summary's count; boards never written are absent. */
  stats(boardIds: readonly string[]): Promise<Map<string, BoardStats>>
  /**
   * Keeps a board's summary unless the stored one was made later (two instances holding the same
   * board, or a late lazy computation, must not put an older picture back).
   */
  saveSummary(boardId: string, summary: BoardSummary): Promise<void>
  /** The board's last saved summary, boxes included. */
  summary(boardId: string): Promise<BoardSummary | undefined>
  /** Removes a board's document. */
  remove(boardId: string): Promise<void>
  close(): Promise<void>
}

export interface StoredLog {
  updates: Uint8Array[]
  /** Total bytes of the updates. */
  bytes: number
}

export interface BoardStats {
  /** Bytes stored for the board's document (history included until the next compaction). */
  bytes: number
  /** When it last changed, ms since the epoch. */
  lastActivity: number
  /**
   * Changes whenever the stored log does (an append, a compaction, from any instance) and never
   * comes back to an earlier value: what was read from the board is still current while it is equal.
   * The newest update's id and the number of updates (ids are handed out before transactions commit:
   * an update committed late under an older id still changes the count).
   */
  version: string
  /** The count of its last summary, without the boxes (the console polls this). */
  summary?: { shapes: number; at: number }
}

/**
 * What the facilitator console shows of a board without loading its document: written by the room
 * holding the board a few seconds after it changes, so a console polling 50 boards reads rows.
 */
export interface BoardSummary {
  shapes: number
  boxes: PreviewBox[]
  /** When it was computed, ms since the epoch; it also versions the preview's URL. */
  at: number
}

export interface CompactionResult {
  updatesBefore: number
  bytesBefore: number
  bytesAfter: number
}

/** An append waiting for its adapter's next group commit. */
export interface PendingAppend {
  boardId: string
  updates: readonly Uint8Array[]
  resolve: () => void
  reject: (error: Error) => void
}

/** Thrown by an adapter when a write could not be made durable (disk full, database gone...). */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageError'
  }
}
