/**
 * Where board documents live. A board is an append-only log of Yjs updates; compaction replaces
 * the whole log by one snapshot. Adapters hold no per-board state, so several server instances
 * can share one database.
 */
export interface BoardStorage {
  /** Every stored update of a board, oldest first; an unknown board has none. */
  load(boardId: string): Promise<StoredLog>
  /** Appends updates in one transaction; resolves once they are durable. */
  append(boardId: string, updates: readonly Uint8Array[]): Promise<void>
  /**
   * Merges the board's whole log into one snapshot, in one transaction: readers see either the old
   * log or the snapshot, and updates appended meanwhile are kept.
   */
  compact(boardId: string): Promise<CompactionResult>
  /** Size and last change of each board; boards never written are absent. */
  stats(boardIds: readonly string[]): Promise<Map<string, BoardStats>>
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
}

export interface CompactionResult {
  updatesBefore: number
  bytesBefore: number
  bytesAfter: number
}

/** Thrown by an adapter when a write could not be made durable (disk full, database gone...). */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageError'
  }
}
