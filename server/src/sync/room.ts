import { applyUpdateIn, CloseCode, encodeStateAsEntryColumns, MessageType, PackedFormat, SyncStep } from '@fabrique/protocol'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { BoardStorage, BoardSummary } from '../storage/types.ts'
import { AwarenessRefused, AwarenessRelay, CROWDED_FRAME_MS, CROWDED_ROOM_PEERS, RENEWAL_HOLD_MS } from './awarenessRelay.ts'
import { summariseDoc } from './boardSummary.ts'
import { encodeSyncMessage, ProtocolError } from './messages.ts'
import { asV1, diffAsV1, PACK_ANSWERS_OVER_BYTES, PACK_UPDATES_OVER_BYTES, packAnswer, packedFormatOf, packedWithoutColumns, packUpdate, unpackAnswer } from './packedAnswers.ts'
import type { AwarenessPeer } from './awarenessRelay.ts'
import type { Peer } from './peer.ts'
import type { Relay, RelayMessage } from './relay.ts'
import type { SyncMetrics } from './syncMetrics.ts'
import { checkUpdate, NOT_AN_UPDATE, type UpdateLayout } from './updateCheck.ts'

export interface RoomDeps {
  storage: BoardStorage
  logger: Logger
  metrics: SyncMetrics
  compactAfterUpdates: number
  maxAwarenessStateBytes: number
  /** Past this stored size, the board takes only small changes (deletions, moves). */
  maxBoardBytes: number
  /** How long after a stored change the board's summary (shape count, preview) is rewritten. */
  summaryDelayMs: number
  /** False while no facilitator console has asked for summaries lately: then none are made. */
  summariesWanted: () => boolean
  /** What clients may write into the document (checked before it is applied). */
  layout: UpdateLayout
  /** How long after its last change a board rests: kept encoded instead of as a live document (0: never). */
  restAfterMs: number
  /**
   * What the server keeps of a board's document while it rests, besides its bytes (a template push's
   * ground): handed to the changes made at rest (see Room.changeAtRest). Throwing keeps nothing.
   */
  describeAtRest?(doc: Y.Doc): unknown
  /**
   * The board's document became live (loaded, or woken from rest), its stored updates applied: what
   * follows a board's changes from the server side starts here (a push's outline). Throwing changes
   * nothing for the board.
   */
  onLive?(doc: Y.Doc): void
  /** Asks for flushAwareness() to be called once the current event-loop turn is over. */
  requestAwarenessFlush(room: Room): void
  /** The room dropped a live document of this many Yjs items (it rested or was destroyed). */
  onReleased?(items: number): void
  /** Called once updates of the board are stored (every write of a room goes through its queue). */
  onStored?(boardId: string): void
  /** Called when the last peer left, or when the room failed and must be forgotten. */
  onEmpty(room: Room): void
  onFailed(room: Room): void
  /** The other server instances, when there are several. */
  relay?: Relay
}

/** Origin of a change made by the server itself (see applyServerChange). */
const SERVER = Symbol('server')

/** Origin of an update another instance accepted and stored: broadcast here, not stored again. */
const RELAYED = Symbol('relayed')
/** Origin of a sync answer from another instance: it may not be stored yet, so it is stored here too. */
const RELAY_SYNC = Symbol('relay-sync')

interface PendingWrite {
  update: Uint8Array
  from: Peer | typeof RELAY_SYNC | typeof SERVER | undefined
}

/**
 * Updates waiting for changes the server has not seen. A little is normal (a client's live edit may
 * overtake the offline edits it sends in its sync step 2); a lot is a broken or hostile client.
 */
const MAX_PENDING_BYTES = 1024 * 1024

interface PendingStore {
  pendingStructs: { update: Uint8Array } | null
  pendingDs: Uint8Array | null
}

function pendingBytes(doc: Y.Doc): number {
  const store = doc.store as unknown as PendingStore
  return (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0)
}

function dropPending(doc: Y.Doc): void {
  const store = doc.store as unknown as PendingStore
  store.pendingStructs = null
  store.pendingDs = null
}

/** First byte of a sync request: "send me your own request too". */
const ASK_BACK = 1

/** Changes this small are taken even on a full board: deleting and moving must stay possible. */
const SMALL_CHANGE_BYTES = 1024

/** An update that carries nothing: no structs, no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((byte) => byte === 0)
}

/** The state vector of an empty document: a client that has nothing gets the cached full state. */
const EMPTY_STATE_VECTOR = 0

/** A resting board busy with a write or a summary tries to rest again this much later. */
const REST_RETRY_MS = 1000

interface RestingState {
  /** The whole state as a packed answer (entry columns, or Yjs's first format when it rested from storage). */
  packedMessage: Uint8Array
  /** Of the packed state and the changes made at rest. */
  stateVector: Uint8Array
  /** Of the packed state alone. */
  clocks: Map<number, number>
  /** What a peer holding every change of the packed state lacks: its deletions alone (made on first use). */
  deletions?: Uint8Array
  /** What RoomDeps.describeAtRest made of the document (none when the board rested from storage). */
  note?: unknown
  /** Changes made at rest (changeAtRest), in order, as updates: sent after the packed state, applied on waking. */
  changes: Uint8Array[]
  changeBytes: number
  /**
   * The board's summary, changes made at rest included, when known: the one written last before it
   * rested, followed through each change. Unknown (undefined), a summary decodes the board.
   */
  summary?: BoardSummary
}

/** What a change made at rest gives back (see Room.changeAtRest). */
export interface ChangeAtRest<T> {
  result: T
  /** The update to store and send (none: nothing to change). */
  update?: Uint8Array
  /** The note once the change is made. */
  note: unknown
  /** The board's summary after the change, from the one before; without it the next summary decodes the board. */
  summary?: (previous: BoardSummary) => BoardSummary
}

/** Past this many changes made at rest, or this many bytes, the board wakes for the next one (and rests again whole). */
const MAX_CHANGES_AT_REST = 16
const MAX_CHANGE_BYTES_AT_REST = 1024 * 1024

/** Items a document holds, from its state vector (deleted ones included, merged ones not). */
function itemCount(clocks: Map<number, number>): number {
  let items = 0
  for (const clock of clocks.values()) items += clock
  return items
}

/** True when a peer with `theirs` holds every change of `ours`. */
function covers(theirs: Map<number, number>, ours: Map<number, number>): boolean {
  for (const [client, clock] of ours) if ((theirs.get(client) ?? 0) < clock) return false
  return true
}

/** The update carried by a sync message (a view, not a copy). */
function payloadOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

/**
 * One board in memory: its document, its peers, and the order of things — an update is applied,
 * appended to storage, and only then broadcast.
 */
/** Rooms' background work waiting for its turn of the event loop (see onePerTurn). */
const backgroundTurns: Array<() => unknown> = []

/**
 * Runs one room's background work (a summary, a rest) per turn of the event loop: boards changed
 * together (a push to every board, a kickoff) would otherwise summarise back to back, and boards
 * left together rest together (their timers expire in the same turn), one stall of 50 × their cost.
 */
function onePerTurn(task: () => unknown): void {
  backgroundTurns.push(task)
  if (backgroundTurns.length === 1) setImmediate(nextBackgroundTurn)
}

function nextBackgroundTurn(): void {
  const task = backgroundTurns.shift()
  void task?.()
  if (backgroundTurns.length > 0) setImmediate(nextBackgroundTurn)
}

export class Room {
  /** The document while the board is edited; undefined while it rests (see rest()). */
  private live: Y.Doc | undefined
  /**
   * While the board rests: its whole state, packed, and its state vector. A live 2,000-shape board
   * holds ~24 MB of heap, its encoded state 3 MB, packed ~0.3 MB: joins, returning tabs and presence
   * are all served from the bytes; the first write decodes them again (see `doc`).
   */
  private rested: RestingState | undefined
  private restTimer: NodeJS.Timeout | undefined
  private lastChangeMs = performance.now()
  readonly peers = new Set<Peer>()
  readonly awareness: AwarenessRelay
  private updatesInLog = 0
  /** Bytes of the stored log, history included until the next compaction. */
  private storedBytes = 0
  private queue: PendingWrite[] = []
  private draining: Promise<void> | undefined
  private compacting: Promise<void> | undefined
  /** Sync step 2 for a client with an empty document, encoded once until the document changes. */
  private fullStateMessage: Uint8Array | undefined
  /** The same as packed answers (for our own clients), by format, made once until the document changes. */
  private readonly packedStateMessages = new Map<PackedFormat, Uint8Array>()
  private failed = false
  private destroyed = false
  /** Set once a stored change is not in the saved summary yet. */
  private summaryTimer: NodeJS.Timeout | undefined
  /** Renewals of presence waiting for the room's next awareness flush (see RENEWAL_HOLD_MS). */
  private renewalTimer: NodeJS.Timeout | undefined
  /** A crowded room's next presence flush, once its frame is over (see CROWDED_ROOM_PEERS). */
  private frameTimer: NodeJS.Timeout | undefined
  /** When presence last went out (performance.now()). */
  private lastAwarenessFlushMs = Number.NEGATIVE_INFINITY
  private lastSummaryMs = 0
  /** The summary written last, and when it was taken (performance.now()): current while no change came after. */
  private written: { summary: BoardSummary; takenMs: number } | undefined
  /** Stands for the clients of the other instances in the awareness relay. */
  private readonly relayPeer: AwarenessPeer = { clientIds: new Set() }

  private constructor(
    readonly boardId: string,
    private readonly deps: RoomDeps,
  ) {
    this.awareness = new AwarenessRelay(deps.maxAwarenessStateBytes, deps.relay && this.relayPeer)
  }

  /**
   * Loads the board from storage; the room answers nobody before this resolves. A board stored as
   * one snapshot starts resting (nothing decoded until someone writes); a longer log is replayed.
   */
  static async load(boardId: string, deps: RoomDeps): Promise<Room> {
    const room = new Room(boardId, deps)
    const started = performance.now()
    const log = await deps.storage.load(boardId)
    room.updatesInLog = log.updates.length
    room.storedBytes = log.bytes
    const [snapshot] = log.updates
    if (!(log.updates.length === 1 && snapshot && deps.restAfterMs > 0 && room.restOn(snapshot))) room.replay(log.updates.map((update) => ({ update })))
    deps.metrics.loadSeconds.observe((performance.now() - started) / 1000)
    if (room.updatesInLog >= deps.compactAfterUpdates) room.compact()
    return room
  }

  /** Makes the board live from stored updates (or a resting state), skipping the unreadable ones. */
  private replay(updates: ReadonlyArray<{ update: Uint8Array; format?: PackedFormat }>): Y.Doc {
    const doc = new Y.Doc({ gc: true })
    let skipped = 0
    doc.transact(() => {
      for (const { update, format } of updates) {
        try {
          applyUpdateIn(format ?? PackedFormat.V1, doc, update)
        } catch {
          skipped++
        }
      }
    }, 'storage')
    if (skipped > 0) this.deps.logger.error('skipped unreadable stored updates', { boardId: this.boardId, skipped })
    doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin))
    this.live = doc
    try {
      this.deps.onLive?.(doc)
    } catch (error) {
      this.deps.logger.warn('could not follow a board as it became live', { boardId: this.boardId, error: String(error) })
    }
    this.lastChangeMs = performance.now()
    this.scheduleRest(this.deps.restAfterMs)
    return doc
  }

  /** Rests on a stored snapshot; false when it cannot be read (it is then replayed, and skipped). */
  private restOn(update: Uint8Array): boolean {
    let stateVector: Uint8Array
    try {
      stateVector = Y.encodeStateVectorFromUpdate(update)
    } catch {
      return false
    }
    // Held packed (a tenth of the size): a plain client's first join inflates it again (~1 ms a MB).
    const packedMessage = packAnswer(PackedFormat.V1, update)
    this.rested = { packedMessage, stateVector, clocks: Y.decodeStateVector(stateVector), changes: [], changeBytes: 0 }
    return true
  }

  /** The board's document, decoded first if the board rests. */
  get doc(): Y.Doc {
    return this.live ?? this.wake()
  }

  /** Decodes a resting board into a live document now (its next write or read would). */
  wake(): Y.Doc {
    if (this.live) return this.live
    const started = performance.now()
    const { rested } = this
    const doc = this.replay(rested ? [unpackAnswer(rested.packedMessage), ...rested.changes.map((update) => ({ update }))] : [])
    this.rested = undefined
    // Made at rest, they lack the changes made at rest, which newcomers got after them.
    this.fullStateMessage = undefined
    this.packedStateMessages.clear()
    this.deps.metrics.wakeSeconds.observe((performance.now() - started) / 1000)
    return doc
  }

  get isResting(): boolean {
    return this.rested !== undefined
  }

  private scheduleRest(delayMs: number): void {
    if (this.restTimer || !(this.deps.restAfterMs > 0)) return
    const rest = () => {
      this.restTimer = undefined
      this.restIfIdle()
    }
    this.restTimer = setTimeout(() => onePerTurn(rest), delayMs)
    this.restTimer.unref()
  }

  private restIfIdle(): void {
    const doc = this.live
    if (!doc || this.failed || this.destroyed) return
    const idleMs = performance.now() - this.lastChangeMs
    if (idleMs < this.deps.restAfterMs) {
      this.scheduleRest(this.deps.restAfterMs - idleMs)
      return
    }
    const busy = this.queue.length > 0 || this.draining !== undefined || this.summaryTimer !== undefined || pendingBytes(doc) > 0
    if (busy) {
      this.scheduleRest(Math.min(REST_RETRY_MS, this.deps.restAfterMs))
      return
    }
    // In entry columns: a third of the size in the second format, and what our clients read.
    const packedMessage = this.packedStateSyncMessage(PackedFormat.EntryColumns)
    const stateVector = Y.encodeStateVector(doc)
    const deletions = Y.encodeStateAsUpdate(doc, stateVector)
    const summary = this.written && this.written.takenMs > this.lastChangeMs ? this.written.summary : undefined
    this.rested = { packedMessage, stateVector, clocks: Y.decodeStateVector(stateVector), deletions, note: this.describe(doc), changes: [], changeBytes: 0, summary }
    this.live = undefined
    // The plain encoding is ten times the packed one: a plain client's join makes it again.
    this.fullStateMessage = undefined
    this.packedStateMessages.clear()
    doc.destroy()
    this.deps.onReleased?.(itemCount(this.rested.clocks))
    this.deps.logger.debug('board resting', { boardId: this.boardId, bytes: packedMessage.byteLength })
  }

  private describe(doc: Y.Doc): unknown {
    try {
      return this.deps.describeAtRest?.(doc)
    } catch (error) {
      this.deps.logger.warn('could not describe a resting board: it wakes for changes', { boardId: this.boardId, error: String(error) })
      return undefined
    }
  }

  /**
   * Changes a resting board without decoding it: `change` gets the note describeAtRest made and
   * gives back the update to make, built from the note alone, and the note after it. The update is
   * stored, sent and relayed as any change of the live document; newcomers get it after the resting
   * state, and waking applies it. Undefined when the board is live, has no note, or holds
   * MAX_CHANGES_AT_REST such changes already, or when `change` declines: then change the document.
   */
  changeAtRest<T>(change: (note: unknown) => ChangeAtRest<T> | undefined): { result: T } | undefined {
    const { rested } = this
    if (this.failed || !rested || rested.note === undefined) return undefined
    if (rested.changes.length >= MAX_CHANGES_AT_REST || rested.changeBytes >= MAX_CHANGE_BYTES_AT_REST) return undefined
    const done = change(rested.note)
    if (!done) return undefined
    rested.note = done.note
    const { update } = done
    if (update && !isEmptyUpdate(update)) {
      rested.summary = rested.summary && done.summary?.(rested.summary)
      rested.changes.push(update)
      rested.changeBytes += update.byteLength
      const clocks = Y.decodeStateVector(rested.stateVector)
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
        if (clock > (clocks.get(client) ?? 0)) clocks.set(client, clock)
      }
      rested.stateVector = Y.encodeStateVector(clocks)
      this.lastChangeMs = performance.now()
      this.queue.push({ update, from: SERVER })
      this.draining ??= this.drain()
    }
    return { result: done.result }
  }

  /** Sync step 2 with the board's whole state, encoded once until it changes (at rest: without the changes made at rest). */
  private fullStateSyncMessage(): Uint8Array {
    if (!this.fullStateMessage) {
      const resting = this.rested && unpackAnswer(this.rested.packedMessage)
      const update = resting ? asV1(resting.format, resting.update) : Y.encodeStateAsUpdate(this.doc)
      this.fullStateMessage = encodeSyncMessage(SyncStep.Step2, update)
    }
    return this.fullStateMessage
  }

  /**
   * The same as a packed answer, for a client that gets whole states in `format`: entry columns
   * (a thirtieth of the plain size once deflated) or Yjs's second format (a tenth). At rest: the
   * resting state as it is held when the client reads it, else in Yjs's second format.
   */
  private packedStateSyncMessage(format: PackedFormat): Uint8Array {
    let message = this.packedStateMessages.get(format)
    if (message) return message
    const { rested } = this
    if (rested) {
      if (format === PackedFormat.EntryColumns || packedFormatOf(rested.packedMessage) !== PackedFormat.EntryColumns) return rested.packedMessage
      message = packedWithoutColumns(rested.packedMessage)
    } else if (format === PackedFormat.EntryColumns) {
      message = packAnswer(format, encodeStateAsEntryColumns(this.doc))
    } else {
      message = packAnswer(PackedFormat.V2, Y.encodeStateAsUpdateV2(this.doc))
    }
    this.packedStateMessages.set(format, message)
    return message
  }

  /** The board's whole state, changes made at rest included. */
  private fullState(): Uint8Array {
    const state = payloadOf(this.fullStateSyncMessage())
    const changes = this.rested?.changes ?? []
    return changes.length > 0 ? Y.mergeUpdates([state, ...changes]) : state
  }

  private stateVector(): Uint8Array {
    return this.rested ? this.rested.stateVector : Y.encodeStateVector(this.doc)
  }

  /** What a peer holding `stateVector` lacks, in one update. */
  private missingFor(stateVector: Uint8Array): Uint8Array {
    const [missing, ...changes] = this.missingParts(stateVector)
    return changes.length > 0 ? Y.mergeUpdates([missing as Uint8Array, ...changes]) : (missing as Uint8Array)
  }

  /** What a peer holding `stateVector` lacks: of the state, then of each change made at rest. */
  private missingParts(stateVector: Uint8Array): Uint8Array[] {
    const changes = this.rested?.changes ?? []
    return [this.missingOfState(stateVector), ...changes.map((update) => Y.diffUpdate(update, stateVector))]
  }

  /** What a peer holding `stateVector` lacks of the document, or of the packed resting state. */
  private missingOfState(stateVector: Uint8Array): Uint8Array {
    const { rested } = this
    if (!rested) return Y.encodeStateAsUpdate(this.doc, stateVector)
    // A returning tab usually holds every change: diffUpdate would read the whole state to find none.
    const holdsEverything = covers(Y.decodeStateVector(stateVector), rested.clocks)
    if (holdsEverything && rested.deletions) return rested.deletions
    const { format, update } = unpackAnswer(rested.packedMessage)
    const diff = diffAsV1(format, update, stateVector)
    if (holdsEverything) rested.deletions = diff
    return diff
  }

  /**
   * Sends our state vector: the peer answers with everything we lack. On join, and when a peer may
   * write again (a board unlocked): the writes we dropped meanwhile come back, and the ones that
   * depend on them can apply.
   */
  askForMissing(peer: Peer): void {
    peer.send(encodeSyncMessage(SyncStep.Step1, this.stateVector()))
  }

  get isFailed(): boolean {
    return this.failed
  }

  join(peer: Peer): void {
    this.peers.add(peer)
    this.askForMissing(peer)
    const awareness = this.awareness.snapshot()
    if (awareness) peer.send(awareness)
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    this.awareness.removePeer(peer)
    this.scheduleAwarenessFlush()
    if (this.peers.size === 0) this.deps.onEmpty(this)
  }

  /** Reads one y-websocket message; throws ProtocolError when it is not one. */
  handleMessage(peer: Peer, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync:
        this.handleSync(peer, decoder)
        return
      case MessageType.Awareness:
        try {
          this.awareness.receive(decoding.readVarUint8Array(decoder), peer)
        } catch (error) {
          throw new ProtocolError(error instanceof AwarenessRefused ? error.message : 'malformed awareness update', { cause: error })
        }
        this.scheduleAwarenessFlush()
        return
      case MessageType.QueryAwareness: {
        const snapshot = this.awareness.snapshot()
        if (snapshot) peer.send(snapshot)
        return
      }
      case MessageType.Auth:
        return
      default:
        throw new ProtocolError(`unknown message type ${type}`)
    }
  }

  private handleSync(peer: Peer, decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (subtype === SyncStep.Step1) {
      for (const message of this.syncStep2For(payload, peer.packing)) peer.send(message)
      return
    }
    if (subtype !== SyncStep.Step2 && subtype !== SyncStep.Update) throw new ProtocolError(`unknown sync message ${subtype}`)
    if (peer.readOnly) {
      this.deps.metrics.readOnlyUpdatesDropped.inc()
      return
    }
    // Most joins answer with nothing: a resting board stays at rest.
    if (isEmptyUpdate(payload)) return
    if (payload.byteLength > SMALL_CHANGE_BYTES && this.storedBytes + payload.byteLength > this.deps.maxBoardBytes) {
      throw new ProtocolError(`board over its ${this.deps.maxBoardBytes}-byte limit`, { code: CloseCode.BoardFull })
    }
    const refusal = checkUpdate(this.doc, payload, this.deps.layout)
    if (refusal) {
      this.deps.metrics.updatesRefused.inc()
      const code = refusal === NOT_AN_UPDATE ? CloseCode.MalformedMessage : CloseCode.InvalidUpdate
      throw new ProtocolError(`update refused: ${refusal}`, { code })
    }
    try {
      Y.applyUpdate(this.doc, payload, peer)
    } catch (error) {
      throw new ProtocolError('update Yjs cannot apply', { cause: error })
    }
    if (pendingBytes(this.doc) > MAX_PENDING_BYTES) {
      // Updates whose dependencies never arrive would sit in memory and go to every newcomer.
      dropPending(this.doc)
      throw new ProtocolError('updates depend on changes the server never received')
    }
  }

  /**
   * The answer to a sync step 1: packed when the peer reads packed answers and it is worth it. At
   * rest, the changes made at rest follow as updates, as the peers that were there received them.
   */
  private syncStep2For(stateVector: Uint8Array, packing: PackedFormat | undefined): Uint8Array[] {
    const isEmpty = stateVector.length === 1 && stateVector[0] === EMPTY_STATE_VECTOR
    if (isEmpty) {
      const changes = (this.rested?.changes ?? []).map((update) => encodeSyncMessage(SyncStep.Update, update))
      return [packing ? this.packedStateSyncMessage(packing) : this.fullStateSyncMessage(), ...changes]
    }
    let missing: Uint8Array[]
    try {
      missing = this.missingParts(stateVector)
    } catch (error) {
      throw new ProtocolError('malformed state vector', { cause: error })
    }
    const [ofState, ...ofChanges] = missing as [Uint8Array, ...Uint8Array[]]
    // A tab back after a long while (its copy from IndexedDB far behind) may lack megabytes.
    const answer = packing && ofState.byteLength > PACK_ANSWERS_OVER_BYTES ? packAnswer(PackedFormat.V1, ofState) : encodeSyncMessage(SyncStep.Step2, ofState)
    return [answer, ...ofChanges.filter((update) => !isEmptyUpdate(update)).map((update) => encodeSyncMessage(SyncStep.Update, update))]
  }

  /** Only what actually changed the document reaches here: duplicates are dropped by Yjs. */
  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    this.fullStateMessage = undefined
    this.packedStateMessages.clear()
    this.lastChangeMs = performance.now()
    if (origin === RELAYED) {
      this.broadcastUpdate(update, undefined)
      return
    }
    this.queue.push({ update, from: origin as PendingWrite['from'] })
    this.draining ??= this.drain()
  }

  /** A change made by the server itself: stored, broadcast to every peer and relayed, like a client's. */
  applyServerChange<T>(change: (doc: Y.Doc) => T): T {
    if (this.failed) throw new Error(`board ${this.boardId} is unavailable after a storage failure`)
    let result: T | undefined
    this.doc.transact(() => {
      result = change(this.doc)
    }, SERVER)
    return result as T
  }

  /** A message from another instance about this board. */
  receiveRelayed(message: RelayMessage): void {
    try {
      switch (message.kind) {
        case 'update':
          Y.applyUpdate(this.doc, message.payload, RELAYED)
          return
        case 'sync-answer':
          Y.applyUpdate(this.doc, message.payload, RELAY_SYNC)
          return
        case 'sync-request': {
          const askBack = message.payload[0] === ASK_BACK
          const missing = this.missingFor(message.payload.subarray(1))
          if (!isEmptyUpdate(missing)) this.deps.relay?.publish(this.boardId, { kind: 'sync-answer', payload: missing })
          // The requester may hold what this instance lacks (its edits, or deletions, which state
          // vectors do not show), e.g. when our own request went out before it had resubscribed.
          if (askBack) this.requestSync(false)
          return
        }
        case 'access-changed':
          return
        case 'awareness': {
          const decoder = decoding.createDecoder(message.payload)
          decoding.readVarUint(decoder)
          this.awareness.receive(decoding.readVarUint8Array(decoder), this.relayPeer)
          this.scheduleAwarenessFlush()
          return
        }
      }
    } catch (error) {
      this.deps.logger.warn('ignored an unreadable message from another instance', { boardId: this.boardId, kind: message.kind, error: String(error) })
    }
  }

  /**
   * Asks the other instances for whatever this one lacks (after loading, or after a lost link);
   * with `askBack` they also ask this one, so both directions are covered.
   */
  requestSync(askBack = true): void {
    if (!this.deps.relay) return
    const stateVector = this.stateVector()
    const payload = new Uint8Array(stateVector.length + 1)
    payload[0] = askBack ? ASK_BACK : 0
    payload.set(stateVector, 1)
    this.deps.relay.publish(this.boardId, { kind: 'sync-request', payload })
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failed) {
      const batch = this.queue
      this.queue = []
      const started = performance.now()
      try {
        await this.deps.storage.append(
          this.boardId,
          batch.map((w) => w.update),
        )
      } catch (error) {
        this.fail(error)
        break
      }
      this.deps.metrics.appendSeconds.observe((performance.now() - started) / 1000)
      this.scheduleSummary()
      this.deps.onStored?.(this.boardId)
      this.updatesInLog += batch.length
      for (const write of batch) this.storedBytes += write.update.byteLength
      for (const write of batch) {
        this.broadcastUpdate(write.update, write.from)
        if (write.from !== RELAY_SYNC) this.deps.relay?.publish(this.boardId, { kind: 'update', payload: write.update })
      }
    }
    this.draining = undefined
    if (this.updatesInLog >= this.deps.compactAfterUpdates) this.compact()
  }

  /**
   * Sends an update to every peer but its author: plain, or packed once for all the peers that read
   * packed updates when it is large (a pushed template, a pasted board).
   */
  private broadcastUpdate(update: Uint8Array, from: PendingWrite['from']): void {
    let plain: Uint8Array | undefined
    let packed: Uint8Array | undefined
    const large = update.byteLength > PACK_UPDATES_OVER_BYTES
    for (const peer of this.peers) {
      if (peer === from) continue
      if (large && peer.packedUpdates) {
        packed ??= packUpdate(update)
        peer.send(packed)
      } else {
        plain ??= encodeSyncMessage(SyncStep.Update, update)
        peer.send(plain)
      }
    }
  }

  /**
   * Changes go out at the end of this turn, in a crowded room once its frame is over; renewals alone
   * wait up to RENEWAL_HOLD_MS for company.
   */
  private scheduleAwarenessFlush(): void {
    if (this.awareness.hasPending) {
      const wait = this.peers.size > CROWDED_ROOM_PEERS ? this.lastAwarenessFlushMs + CROWDED_FRAME_MS - performance.now() : 0
      if (wait <= 0) this.deps.requestAwarenessFlush(this)
      else if (!this.frameTimer) {
        this.frameTimer = setTimeout(() => {
          this.frameTimer = undefined
          this.deps.requestAwarenessFlush(this)
        }, wait)
        this.frameTimer.unref()
      }
    } else if (this.awareness.hasRenewals && !this.renewalTimer) {
      this.renewalTimer = setTimeout(() => {
        this.renewalTimer = undefined
        this.deps.requestAwarenessFlush(this)
      }, RENEWAL_HOLD_MS)
      this.renewalTimer.unref()
    }
  }

  flushAwareness(): void {
    const out = this.awareness.flush()
    if (!out) return
    this.lastAwarenessFlushMs = performance.now()
    for (const peer of this.peers) if (peer !== out.onlyFrom) peer.send(out.message)
    if (out.ownMessage) this.deps.relay?.publish(this.boardId, { kind: 'awareness', payload: out.ownMessage })
  }

  /**
   * Summaries are written by the room, which holds the document anyway, a while after a change (one
   * per burst of edits): the console then reads a row per board instead of loading 50 documents on
   * every poll. Updates relayed from another instance are summarised by the instance that stored them.
   */
  private scheduleSummary(): void {
    if (this.summaryTimer) return
    // A board slow to summarise (thousands of shapes) is summarised less often: at most 5% of the time.
    // Reading a whole board costs: only while a console shows the previews (the console fills in,
    // from storage, the boards that changed before it was opened).
    if (!this.deps.summariesWanted()) return
    const delay = Math.max(this.deps.summaryDelayMs, 20 * this.lastSummaryMs)
    this.summaryTimer = setTimeout(() => onePerTurn(() => this.flushSummary()), delay)
    this.summaryTimer.unref()
  }

  /** Writes the summary now if a change is not in it yet (before unloading). */
  async flushSummary(): Promise<void> {
    if (!this.summaryTimer) return
    clearTimeout(this.summaryTimer)
    this.summaryTimer = undefined
    const started = performance.now()
    try {
      // A resting board whose summary followed its changes made at rest (a push) is not decoded for it.
      const known = this.rested?.summary
      const summary = known ? { ...known, at: Date.now() } : summariseDoc(this.doc)
      if (!known) this.lastSummaryMs = performance.now() - started
      await this.deps.storage.saveSummary(this.boardId, summary)
      this.written = { summary, takenMs: started }
      this.deps.logger.debug('summarised board', { boardId: this.boardId, shapes: summary.shapes, ms: Math.round(this.lastSummaryMs) })
    } catch (error) {
      // Only the console's preview is behind; the next change, or a console poll, tries again.
      this.deps.logger.warn('could not summarise board', { boardId: this.boardId, error: String(error) })
    }
  }

  /** Merges the stored log into one snapshot; runs at most once at a time. */
  compact(): Promise<void> {
    this.compacting ??= (async () => {
      try {
        // Alone on the board (no relay), the room's document holds every stored update: its snapshot
        // replaces the log in a few milliseconds, where reading and merging the log stalled the
        // event loop for hundreds (500 drag updates on a board under event load).
        const { storage } = this.deps
        const result = !this.deps.relay && storage.replaceLog ? await storage.replaceLog(this.boardId, this.fullState()) : await storage.compact(this.boardId)
        this.updatesInLog = Math.max(1, this.updatesInLog - result.updatesBefore + 1)
        this.storedBytes = Math.max(result.bytesAfter, this.storedBytes - result.bytesBefore + result.bytesAfter)
        this.deps.metrics.compactions.inc()
        this.deps.logger.debug('compacted board', { boardId: this.boardId, ...result })
      } catch (error) {
        this.deps.metrics.storageFailures.inc()
        this.deps.logger.error('compaction failed', { boardId: this.boardId, error: String(error) })
      } finally {
        this.compacting = undefined
      }
    })()
    return this.compacting
  }

  /** Resolves once every accepted update is stored. */
  async settled(): Promise<void> {
    while (this.draining || this.compacting) {
      await this.draining
      await this.compacting
    }
  }

  /**
   * Storage refused a write: the room is dropped and its clients told to reconnect. On reconnect
   * they resend what the server lacks (sync step 2), so nothing they hold is lost.
   */
  private fail(error: unknown): void {
    this.failed = true
    clearTimeout(this.restTimer)
    clearTimeout(this.summaryTimer)
    clearTimeout(this.renewalTimer)
    clearTimeout(this.frameTimer)
    this.summaryTimer = undefined
    this.deps.metrics.storageFailures.inc()
    this.deps.logger.error('storage failed; dropping the room', { boardId: this.boardId, error: String(error) })
    for (const peer of [...this.peers]) peer.close(CloseCode.StorageFailure, 'storage failure')
    this.deps.onFailed(this)
  }

  destroy(): void {
    this.destroyed = true
    clearTimeout(this.summaryTimer)
    this.summaryTimer = undefined
    clearTimeout(this.restTimer)
    this.restTimer = undefined
    clearTimeout(this.renewalTimer)
    this.renewalTimer = undefined
    clearTimeout(this.frameTimer)
    this.frameTimer = undefined
    if (this.live) {
      this.deps.onReleased?.(itemCount(Y.decodeStateVector(Y.encodeStateVector(this.live))))
      this.live.destroy()
    }
    this.rested = undefined
    this.peers.clear()
  }
}
