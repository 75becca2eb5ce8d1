/**
 * What a room tells the other server instances, and hears from them. One implementation rides on
 * Redis pub/sub (one channel per board); without REDIS_URL there is none.
 */
export type RelayMessage =
  /** An update this instance accepted and stored. */
  | { kind: 'update'; payload: Uint8Array }
  /** Awareness entries of this instance's clients: the payload of an awareness message. */
  | { kind: 'awareness'; payload: Uint8Array }
  /**
   * [askBack flag byte][state vector]: every instance with the board loaded answers with what the
   * requester lacks, and sends its own request back when the flag is 1.
   */
  | { kind: 'sync-request'; payload: Uint8Array }
  /** What the requester lacked; may include updates not yet stored, so the receiver stores it too. */
  | { kind: 'sync-answer'; payload: Uint8Array }
  /** Who may write on the board changed (locked, unlocked): decide again for open connections. */
  | { kind: 'access-changed'; payload: Uint8Array }

export interface Relay {
  /** Resolves once messages of this board are being received. */
  subscribe(boardId: string): Promise<void>
  unsubscribe(boardId: string): Promise<void>
  publish(boardId: string, message: RelayMessage): void
  /**
   * Sends what was published so far now. Publishes go out together at the end of the turn; the
   * awareness flush, itself a callback of the turn's end, calls this so that its cursors do not
   * wait for the next turn.
   */
  flush?(): void
  /** Messages from other instances (never this one's own). */
  onMessage(handler: (boardId: string, message: RelayMessage) => void): void
  /** Called after a lost connection to the broker came back: messages may have been missed. */
  onReconnect(handler: () => void): void
  close(): Promise<void>
}
