/**
 * The suite's client (issue 12): a raw `ws` socket speaking the wire protocol of the server under
 * test, with only the work a measurement needs. It keeps no Awareness object and, unless asked, no
 * Y.Doc: cursor states are decoded entry by entry from the awareness messages, drags and template
 * pushes from the update messages. With hundreds of clients in one room, a harness that applied
 * every message like a browser tab would measure itself; clients that are not observers only read
 * the bytes. The bytes it sends are those of a y-websocket (or Hocuspocus) provider: the same sync
 * request, the same awareness encoding (one entry: client id, clock, JSON state).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { PACKED_SYNC_ANSWER, PACKED_UPDATE, PackedFormat } from '@fabrique/protocol'
import { PUSHES_MAP } from '@fabrique/templates'
import { asV1 } from '../../server/src/sync/packedAnswers.ts'
import { applySyncAnswer, now, type Stamp, type SyncAnswer, unpackSyncAnswer } from './client.ts'
import type { WireProtocol } from './servers.ts'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_AUTH = 2
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2
const AUTH_TOKEN = 0
const AUTH_PERMISSION_DENIED = 1
/** What @hocuspocus/provider 4.8.0 sends after its token. */
const HOCUSPOCUS_PROVIDER_VERSION = '4.8.0'

/** An empty document's state vector and update: what a newcomer has. */
const EMPTY_STATE_VECTOR = new Uint8Array([0])
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())

const textDecoder = new TextDecoder()

/** Called on receipt by observer clients; `receivedAt` is taken when the message arrived. */
export interface ThinSink {
  cursor?(stamp: Stamp, receivedAt: number): void
  update?(stamp: Stamp, receivedAt: number): void
  /** An entry of the board's `pushes` map (a template push) arrived. */
  push?(pushId: string, receivedAt: number): void
}

export interface ThinClientOptions {
  /** WebSocket URL of the board (the board id already in it, for the servers that route by URL). */
  url: string
  board: string
  protocol: WireProtocol
  /** Global id, embedded in what this client sends. */
  id: number
  /** Receipts are decoded and timed only when set: the client is an observer. */
  sink?: ThinSink
  /** Sent in the sync request: empty (a newcomer) unless set (a returning tab that has the board). */
  stateVector?: Uint8Array
  /** Apply the server's answer to a Y.Doc: a client is only synced once it has. */
  applySync?: boolean
  /** Offer permessage-deflate, as browsers do; used only if the server accepts it. */
  deflate?: boolean
  /** Pushes to look for in document updates (the sink's `push`). */
  watchPushes?: ReadonlySet<string>
}

/** Socket bytes read so far (frames as on the wire: compressed if deflate was agreed). */
function socketBytesRead(ws: WebSocket): number {
  return (ws as unknown as { _socket?: { bytesRead: number } })._socket?.bytesRead ?? 0
}

/** What an update holds when a drag stamp is in it: the start of a `…/meta` entry holding one (see Stamp). */
const DRAG_STAMP = Buffer.from('/meta",{"s":')

/**
 * What an update holds when it sets the pushes map's key `pushId` for the first time (Yjs's first
 * format): an item with no neighbour names its parent, the root type, then its key, each as a
 * length and the characters. Control characters cannot appear raw in the JSON entries around it.
 */
function pushNeedle(pushId: string): Buffer {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, PUSHES_MAP)
  encoding.writeVarString(encoder, pushId)
  return Buffer.from(encoding.toUint8Array(encoder))
}

export class ThinClient {
  /** Resolves once the server's answer to the sync request has arrived (and been applied if asked). */
  readonly synced: Promise<void>
  readonly createdAt = now()
  openedAt = Number.NaN
  /** Whole answer received (epoch ms). */
  syncReceivedAt = Number.NaN
  /** Answer applied to the client's document (applySync only). */
  syncAppliedAt = Number.NaN
  /** Size of the sync answer (the message, uncompressed). */
  syncBytes = 0
  /** Socket bytes read from open to the sync answer, frames included: what crossed the wire. */
  syncWireBytes = 0
  /** Records in the document once synced (applySync only). */
  syncedEntries = 0
  /** Close code when the socket closed without close() being called. */
  lostWith: number | undefined
  /** Highest cursor sequence number seen from each sender (observers): older moves are stale. */
  readonly maxCursorSeen = new Map<number, number>()
  readonly doc: Y.Doc | undefined
  private readonly ws: WebSocket
  private readonly clientId = Math.floor(Math.random() * 0xffffffff)
  private clock = 0
  private closing = false
  private bytesAtOpen = 0
  private readonly prefix: Uint8Array | undefined
  /** Resolves the next sync answer once synced (requestSync). */
  private pendingSyncAnswer: ((update: Uint8Array) => void) | undefined
  private syncedOnce = false
  /** Resolves when the socket has closed, whoever closed it. */
  readonly closed: Promise<void>
  /** The pushes watched, each with the bytes that tell it arrived. */
  private readonly pushNeedles: ReadonlyArray<readonly [string, Buffer]> | undefined

  constructor(private readonly options: ThinClientOptions) {
    this.pushNeedles = options.watchPushes && [...options.watchPushes].map((pushId) => [pushId, pushNeedle(pushId)] as const)
    this.ws = new WebSocket(options.url, { perMessageDeflate: options.deflate ?? false })
    this.ws.binaryType = 'nodebuffer'
    if (options.applySync) {
      this.doc = new Y.Doc()
      // Defined before the answer arrives, as the board binding does: its entries are then counted.
      this.doc.getArray('records')
    }
    if (options.protocol === 'hocuspocus') {
      const encoder = encoding.createEncoder()
      encoding.writeVarString(encoder, options.board)
      this.prefix = encoding.toUint8Array(encoder)
    }
    let resolveSynced: () => void = () => {}
    let rejectSynced: (error: Error) => void = () => {}
    this.synced = new Promise<void>((resolve, reject) => {
      resolveSynced = resolve
      rejectSynced = reject
    })
    // A rejection nobody awaits yet (the socket failed before the caller awaited) must not crash.
    this.synced.catch(() => {})
    const markSynced = () => {
      this.syncWireBytes = socketBytesRead(this.ws) - this.bytesAtOpen
      resolveSynced()
    }

    this.ws.on('open', () => {
      this.openedAt = now()
      this.bytesAtOpen = socketBytesRead(this.ws)
      if (options.protocol === 'relay') {
        // Nothing holds the document: there is no answer to wait for.
        this.syncReceivedAt = this.openedAt
        this.syncAppliedAt = this.openedAt
        resolveSynced()
        return
      }
      if (options.protocol === 'hocuspocus') {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_AUTH)
        encoding.writeVarUint(encoder, AUTH_TOKEN)
        encoding.writeVarString(encoder, '')
        encoding.writeVarString(encoder, HOCUSPOCUS_PROVIDER_VERSION)
        this.send(encoding.toUint8Array(encoder))
      }
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, SYNC_STEP1)
      encoding.writeVarUint8Array(encoder, options.stateVector ?? EMPTY_STATE_VECTOR)
      this.send(encoding.toUint8Array(encoder))
    })
    this.ws.on('message', (data: Buffer) => {
      const receivedAt = now()
      try {
        this.onMessage(data, receivedAt, markSynced)
      } catch (error) {
        rejectSynced(error as Error)
      }
    })
    this.ws.on('error', (error) => rejectSynced(error))
    this.closed = new Promise<void>((resolve) => {
      this.ws.on('close', (code) => {
        if (!this.closing) this.lostWith = code
        rejectSynced(new Error(`socket closed with ${code} before sync`))
        resolve()
      })
    })
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** Sends this client's awareness state: who it is and, when moving, its cursor stamped with the send time. */
  sendPresence(cursor: { x: number; y: number; stamp: Stamp } | null): void {
    const state = {
      user: { id: `user:${this.options.id}`, name: `Participant ${this.options.id}`, color: '#f2c94c' },
      cursor: cursor ? { x: cursor.x, y: cursor.y, ...cursor.stamp } : null,
    }
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, this.clientId)
    encoding.writeVarUint(inner, ++this.clock)
    encoding.writeVarString(inner, JSON.stringify(state))
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
    this.send(encoding.toUint8Array(encoder))
  }

  /** Sends a document update (as a provider does for a local change). */
  sendUpdate(update: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, SYNC_UPDATE)
    encoding.writeVarUint8Array(encoder, update)
    this.send(encoding.toUint8Array(encoder))
  }

  /** Asks for what the server has beyond `stateVector`: its answer arrives after everything sent before. */
  requestSync(stateVector: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.pendingSyncAnswer = resolve
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, SYNC_STEP1)
      encoding.writeVarUint8Array(encoder, stateVector)
      this.send(encoding.toUint8Array(encoder))
    })
  }

  /** Bytes the client has queued but the socket has not taken yet. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  close(): void {
    this.closing = true
    this.ws.terminate()
    this.doc?.destroy()
  }

  /** A clean close (close frame), as a tab that is closed. */
  leave(): void {
    this.closing = true
    this.ws.close(1000)
    this.doc?.destroy()
  }

  private send(message: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return
    if (!this.prefix) {
      this.ws.send(message)
      return
    }
    const framed = new Uint8Array(this.prefix.length + message.length)
    framed.set(this.prefix)
    framed.set(message, this.prefix.length)
    this.ws.send(framed)
  }

  private onMessage(data: Buffer, receivedAt: number, markSynced: () => void): void {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    if (this.prefix) decoding.readVarString(decoder)
    const type = decoding.readVarUint(decoder)
    if (type === PACKED_SYNC_ANSWER && !this.prefix) {
      this.readSyncAnswer(data, receivedAt, markSynced, unpackSyncAnswer(decoder))
      return
    }
    if (type === PACKED_UPDATE && !this.prefix) {
      // A large update (a pushed template), deflated, as Fabrique sends it to our client.
      if (this.options.sink) this.readUpdate(unpackSyncAnswer(decoder).update, receivedAt)
      return
    }
    if (type === MESSAGE_SYNC) {
      const subtype = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (subtype === SYNC_STEP1) {
        // The server asks what we have: a newcomer has nothing (a real provider answers the same).
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        encoding.writeVarUint(encoder, SYNC_STEP2)
        encoding.writeVarUint8Array(encoder, EMPTY_UPDATE)
        this.send(encoding.toUint8Array(encoder))
        return
      }
      if (subtype === SYNC_STEP2) {
        this.readSyncAnswer(data, receivedAt, markSynced, { update: payload, format: PackedFormat.V1 })
        return
      }
      if (subtype === SYNC_UPDATE && this.options.sink) this.readUpdate(payload, receivedAt)
      return
    }
    if (type === MESSAGE_AWARENESS) {
      if (this.options.sink?.cursor) this.readAwareness(decoding.readVarUint8Array(decoder), receivedAt)
      return
    }
    if (type === MESSAGE_AUTH && this.prefix) {
      if (decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED) throw new Error(`permission denied: ${decoding.readVarString(decoder)}`)
    }
    // Query-awareness, Hocuspocus's sync status and the like: nothing to measure.
  }

  /** A sync answer, plain or packed: the first one makes the client synced. */
  private readSyncAnswer(data: Buffer, receivedAt: number, markSynced: () => void, answer: SyncAnswer): void {
    if (this.pendingSyncAnswer) {
      const resolve = this.pendingSyncAnswer
      this.pendingSyncAnswer = undefined
      resolve(asV1(answer.format, answer.update))
      return
    }
    if (this.syncedOnce) return
    this.syncedOnce = true
    this.syncReceivedAt = receivedAt
    this.syncBytes = data.byteLength
    if (this.doc) {
      applySyncAnswer(this.doc, answer)
      this.syncAppliedAt = now()
      this.syncedEntries = this.doc.getArray('records').length
    }
    markSynced()
  }

  private readAwareness(update: Uint8Array, receivedAt: number): void {
    const sink = this.options.sink
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
      const json = decoding.readVarString(decoder)
      if (json === 'null') continue
      const cursor = (JSON.parse(json) as { cursor?: Partial<Stamp> | null }).cursor
      if (typeof cursor?.t !== 'number' || typeof cursor.s !== 'number' || typeof cursor.n !== 'number' || cursor.s === this.options.id) continue
      const seen = this.maxCursorSeen.get(cursor.s)
      if (seen !== undefined && seen >= cursor.n) continue
      this.maxCursorSeen.set(cursor.s, cursor.n)
      sink?.cursor?.(cursor as Stamp, receivedAt)
    }
  }

  /**
   * Stamps of drags (a `…/meta` field entry holding the stamp) and template pushes in an update.
   * Both are first looked for in its bytes: decoding every template update (up to 1,350 items) in
   * each of 500 observers took the load generators' cores while the servers sent them, which then
   * timed their own lag.
   */
  private readUpdate(update: Uint8Array, receivedAt: number): void {
    const sink = this.options.sink
    const pushes = sink?.push ? this.pushNeedles : undefined
    if (!sink || (!sink.update && !pushes)) return
    const bytes = Buffer.from(update.buffer, update.byteOffset, update.byteLength)
    if (pushes) for (const [pushId, needle] of pushes) if (bytes.includes(needle)) sink.push?.(pushId, receivedAt)
    if (!sink.update || !bytes.includes(DRAG_STAMP)) return
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentBinary)) continue
      const entry = struct.content.content
      // Only the stamp field: `["shape:…/meta",{"s":…`; every other field is skipped unparsed.
      if (entry.length > 200 || entry[entry.length - 2] !== 0x7d) continue
      const [key, value] = JSON.parse(textDecoder.decode(entry)) as [string, Partial<Stamp>]
      if (!key.endsWith('/meta') || typeof value?.t !== 'number' || typeof value.s !== 'number' || value.s === this.options.id) continue
      sink.update(value as Stamp, receivedAt)
    }
  }
}
