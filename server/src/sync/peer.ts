import type { AwarenessPeer } from './awarenessRelay.ts'

/** One client of a room, as the room sees it: the transport stays outside. */
export interface Peer extends AwarenessPeer {
  /** Viewers, jury and locked boards: their document updates are dropped by the server. */
  readonly readOnly: boolean
  send(message: Uint8Array): void
  close(code: number, reason: string): void
}
