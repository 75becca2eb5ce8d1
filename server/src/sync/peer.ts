import type { PackedFormat } from '@fabrique/protocol'
import type { AwarenessPeer } from './awarenessRelay.ts'

/** One client of a room, as the room sees it: the transport stays outside. */
export interface Peer extends AwarenessPeer {
  /** Viewers, jury and locked boards: their document updates are dropped by the server. */
  readonly readOnly: boolean
  /**
   * Reads packed sync answers, and gets a whole state in this format (our own client asks with
   * `?pack=columns`: entry columns); undefined, plain sync answers.
   */
  readonly packing?: PackedFormat | undefined
  /** Reads packed updates (our client asks with `?pack=columns-updates`): large ones come packed. */
  readonly packedUpdates?: boolean
  send(message: Uint8Array): void
  close(code: number, reason: string): void
}
