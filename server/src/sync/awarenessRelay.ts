import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * Relays awareness (cursors, names, selections) within one room without decoding it into objects.
 *
 * Each entry of an incoming awareness update is kept as the bytes it arrived in; updates received
 * during one event-loop turn are coalesced, latest entry per client id winning, and sent as one
 * message. Under load that turns N cursor moves into one broadcast per room per turn; when idle it
 * adds no delay at all. The JSON of each state is parsed once, only to refuse what would throw in
 * every other browser.
 *
 * Renewals are held back: y-protocols clients send their unchanged state again every 15 s so that
 * the others do not drop them after 30 s. Such an entry (same client, same owner, same state, newer
 * clock) waits up to RENEWAL_HOLD_MS for the next flush of its room, with the room's other renewals:
 * an idle room of ten sends one message where it sent three, to each of its ten sockets.
 */
export interface AwarenessPeer {
  /** Client ids this peer announced; nobody else may speak for them. */
  readonly clientIds: Set<number>
}

interface Entry {
  clock: number
  /** varUint clientID, varUint clock, varString state: one entry of an awareness update. */
  bytes: Uint8Array
  /** The state's JSON: a renewal repeats it. */
  state: string
  owner: AwarenessPeer
  removed: boolean
}

/**
 * How long a renewal may wait: a client renews every 15 to 18 s and the others drop it 30 s after
 * its last update, so it still arrives 9 s early.
 */
export const RENEWAL_HOLD_MS = 3000

/**
 * A room of more than this many people sends presence at most once per CROWDED_FRAME_MS (the
 * first change at once, the next ones with whatever else came within the frame). Each flush costs
 * one send per person: a plenary board of 500 where 50 move their cursor at 3 Hz sent 150
 * messages a second to each of 500 sockets (60 % of a core, 27.5 % with the frame) and every
 * browser as many messages to read; within a 60 Hz frame, at most 60 flushes a second, each cursor
 * at most a frame later. Teams' boards (a handful to a few dozen people) go out at the end of each
 * event-loop turn.
 */
export const CROWDED_ROOM_PEERS = 100
export const CROWDED_FRAME_MS = 16

export class AwarenessRefused extends Error {}

export class AwarenessRelay {
  private readonly states = new Map<number, Entry>()
  private readonly pending = new Map<number, Entry>()
  /** Renewals waiting for the next flush (see RENEWAL_HOLD_MS). */
  private readonly renewals = new Map<number, Entry>()

  /**
   * @param relayPeer stands for the clients of other server instances: a client that reconnects
   *   here may take its id back from it, and it may take an id over with a newer clock.
   */
  constructor(
    private readonly maxStateBytes: number,
    private readonly relayPeer?: AwarenessPeer,
  ) {}

  get size(): number {
    return this.states.size
  }

  /** Changes to send at the end of this event-loop turn. */
  get hasPending(): boolean {
    return this.pending.size > 0
  }

  /** Renewals only, which may wait up to RENEWAL_HOLD_MS. */
  get hasRenewals(): boolean {
    return this.renewals.size > 0
  }

  /** Takes the payload of an awareness message; throws AwarenessRefused when it is malformed. */
  receive(update: Uint8Array, from: AwarenessPeer): void {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      const start = decoder.pos
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const stateStart = decoder.pos
      const state = decoding.readVarString(decoder)
      if (decoder.pos - stateStart > this.maxStateBytes) throw new AwarenessRefused('awareness state too large')
      try {
        JSON.parse(state)
      } catch {
        throw new AwarenessRefused('awareness state is not JSON')
      }
      const known = this.states.get(clientId)
      if (known && known.owner !== from) {
        const movedHere = known.owner === this.relayPeer
        const movedAway = from === this.relayPeer && clock > known.clock
        if (!movedHere && !movedAway) continue
        known.owner.clientIds.delete(clientId)
      }
      if (known && clock < known.clock) continue
      from.clientIds.add(clientId)
      const entry: Entry = { clock, bytes: update.slice(start, decoder.pos), state, owner: from, removed: state === 'null' }
      if (entry.removed) this.states.delete(clientId)
      else this.states.set(clientId, entry)
      // Renewals relayed by another instance were held there already.
      const renewal = !entry.removed && from !== this.relayPeer && known?.owner === from && known.state === state && !this.pending.has(clientId)
      if (renewal) {
        this.renewals.set(clientId, entry)
      } else {
        this.renewals.delete(clientId)
        this.pending.set(clientId, entry)
      }
    }
  }

  /** Marks every state of a departed peer as removed (clock + 1, state null), for the next flush. */
  removePeer(peer: AwarenessPeer): void {
    for (const clientId of peer.clientIds) {
      const entry = this.states.get(clientId)
      if (!entry || entry.owner !== peer) continue
      this.states.delete(clientId)
      this.renewals.delete(clientId)
      this.pending.set(clientId, { clock: entry.clock + 1, bytes: encodeEntry(clientId, entry.clock + 1, 'null'), state: 'null', owner: peer, removed: true })
    }
    peer.clientIds.clear()
  }

  /**
   * The coalesced message for the pending entries and the renewals held so far, and for each peer
   * whether it needs it (a peer whose own entries are all there is gets nothing back). Clears both.
   */
  flush(): { message: Uint8Array; onlyFrom: AwarenessPeer | undefined; ownMessage: Uint8Array | undefined } | undefined {
    if (this.pending.size === 0 && this.renewals.size === 0) return undefined
    const entries = [...this.pending.values(), ...this.renewals.values()]
    this.pending.clear()
    this.renewals.clear()
    const first = entries[0]?.owner
    const onlyFrom = entries.every((e) => e.owner === first) ? first : undefined
    const message = encodeAwarenessMessage(entries.map((e) => e.bytes))
    // What other instances need: the entries of this instance's own clients.
    const own = entries.filter((e) => e.owner !== this.relayPeer)
    const ownMessage = own.length === entries.length ? message : own.length === 0 ? undefined : encodeAwarenessMessage(own.map((e) => e.bytes))
    return { message, onlyFrom, ownMessage }
  }

  /** Every live state, as one awareness message, for a newcomer or a query; undefined when empty. */
  snapshot(): Uint8Array | undefined {
    if (this.states.size === 0) return undefined
    return encodeAwarenessMessage([...this.states.values()].map((e) => e.bytes))
  }
}

function encodeEntry(clientId: number, clock: number, state: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, clientId)
  encoding.writeVarUint(encoder, clock)
  encoding.writeVarString(encoder, state)
  return encoding.toUint8Array(encoder)
}

/** [messageAwareness, varUint8Array(varUint(n), entries...)] */
function encodeAwarenessMessage(entries: Uint8Array[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const bytes of entries) encoding.writeUint8Array(inner, bytes)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
  return encoding.toUint8Array(encoder)
}
