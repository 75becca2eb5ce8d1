import type { AwarenessPeer } from './awarenessRelay.ts'

/** One client of a room, as the room sees it: the transport stays outside. */
export interface Peer extends AwarenessPeer {
  /** Viewers, jury and locked boards: their document updates are dropped by the server. */
  readonly readOnly: boolean
  /** Reads packed sync answers (our own client asks with `?pack=deflate-raw`). */
  readonly packs?: boolean
  send(message: Uint8Array): void
  close(code: number, reason: string): void
}
