/**
 * A benchmark client: a raw `ws` socket speaking the y-websocket protocol, with the Y.Doc and the
 * Awareness a browser tab holds. Not the stock WebsocketProvider: it reconnects on its own and
 * hides when messages arrive, whereas here every receipt must be timed and a lost socket counted.
 */
import zlib from 'node:zlib'
import { applyUpdateIn, PACKED_SYNC_ANSWER, PACKED_UPDATE, type PackedFormat, readPackedAnswer } from '@fabrique/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1

/** Origin of every change that came from the server, to tell it from our own. */
const REMOTE = Symbol('remote')

/** A sync answer's update and its encoding. */
export interface SyncAnswer {
  update: Uint8Array
  format: PackedFormat
}

/**
 * A packed sync answer or update (Fabrique's, to clients whose address says `pack=columns-updates`),
 * read after its message type: the update, inflated, and its format.
 */
export function unpackSyncAnswer(decoder: decoding.Decoder): SyncAnswer {
  const answer = readPackedAnswer(decoder)
  return { update: zlib.inflateRawSync(answer.deflated), format: answer.format }
}

/** Applies a sync answer as our client does. */
export function applySyncAnswer(doc: Y.Doc, answer: SyncAnswer, origin?: unknown): void {
  applyUpdateIn(answer.format, doc, answer.update, origin)
}

/** Epoch milliseconds with sub-millisecond precision, comparable between processes of one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now()
}

/** Who sent something and when, embedded in cursors and records so that receivers can time it. */
export interface Stamp {
  /** Global id of the sending client. */
  s: number
  /** Send time (epoch ms). */
  t: number
  /** The sender's sequence number for this kind of message. */
  n: number
}

/** Called for each remote cursor move or record change this client receives. */
export interface ReceiptSink {
  /**
   * `superseded`: earlier moves of that sender that never arrived here but are replaced by this
   * one. A server may coalesce cursor moves (latest position wins); that is not a loss.
   */
  cursor(stamp: Stamp, receivedAt: number, superseded: number): void
  update(stamp: Stamp, receivedAt: number): void
}

/** A tldraw note shape as stored in the document: ~300 bytes of JSON. */
export function noteRecord(n: number, stamp?: Stamp): Record<string, unknown> {
  return {
    id: `shape:${n}`,
    typeName: 'shape',
    type: 'note',
    x: (n % 80) * 220,
    y: Math.floor(n / 80) * 220,
    rotation: 0,
    index: `a${n.toString(36)}`,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      text: `Idée ${n} : un atelier par équipe, puis une restitution`,
    },
    meta: stamp ? { ...stamp } : {},
  }
}

export class BenchClient {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly records = this.doc.getMap<Record<string, unknown>>('records')
  /** Resolves once the server's sync step 2 has been applied. */
  readonly synced: Promise<void>
  readonly opened: Promise<void>
  readonly createdAt = performance.now()
  openedAt = 0
  syncedAt = 0
  /** Byte size of the server's sync step 2. */
  syncBytes = 0
  /** Close code when the socket closed without close() being called. */
  lostWith: number | undefined
  private readonly ws: WebSocket
  private closing = false

  constructor(
    url: string,
    /** Global id, embedded in what this client sends. */
    readonly id: number,
    sink?: ReceiptSink,
  ) {
    // No permessage-deflate: neither server enables it, and it would only cost generator CPU.
    this.ws = new WebSocket(url, { perMessageDeflate: false })
    this.ws.binaryType = 'nodebuffer'
    let resolveSynced: () => void = () => {}
    let rejectSynced: (error: Error) => void = () => {}
    this.synced = new Promise<void>((resolve, reject) => {
      resolveSynced = resolve
      rejectSynced = reject
    })
    this.opened = new Promise<void>((resolve) => this.ws.once('open', () => resolve()))
    // A rejection nobody awaits yet (the socket failed before the caller awaited) must not crash.
    this.synced.catch(() => {})

    this.ws.on('open', () => {
      this.openedAt = performance.now()
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeSyncStep1(encoder, this.doc)
      this.send(encoding.toUint8Array(encoder))
    })
    this.ws.on('message', (data: Buffer) => {
      if (this.onMessage(data)) {
        this.syncedAt = performance.now()
        this.syncBytes = data.byteLength
        resolveSynced()
      }
    })
    this.ws.on('error', (error) => rejectSynced(error))
    this.ws.on('close', (code) => {
      if (!this.closing) this.lostWith = code
      rejectSynced(new Error(`socket closed with ${code} before sync`))
    })

    // Our own document changes go to the server as the stock provider sends them.
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeUpdate(encoder, update)
      this.send(encoding.toUint8Array(encoder))
    })
    if (sink) this.observeReceipts(sink)
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** Moves the cursor and sends the new awareness state, stamped with the send time. */
  moveCursor(x: number, y: number, stamp: Stamp): void {
    this.awareness.setLocalStateField('cursor', { x, y, ...stamp })
    this.sendAwareness()
  }

  /** Announces who this is (what a tab sends on connecting). */
  introduce(): void {
    this.awareness.setLocalState({ user: { id: `user:${this.id}`, name: `Participant ${this.id}`, color: '#f2c94c' }, cursor: null })
    this.sendAwareness()
  }

  /** Moves this client's own note: one record set in the map, i.e. one small document update. */
  moveNote(step: number, stamp: Stamp): void {
    const record = noteRecord(this.id, stamp)
    record.x = (step * 7) % 1000
    this.records.set(`shape:${this.id}`, record)
  }

  close(): void {
    this.closing = true
    this.ws.terminate()
    this.awareness.destroy()
    this.doc.destroy()
  }

  private sendAwareness(): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]))
    this.send(encoding.toUint8Array(encoder))
  }

  private send(message: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message)
  }

  /** Returns true when the message was the server's sync step 2. */
  private onMessage(data: Buffer): boolean {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      const subtype = syncProtocol.readSyncMessage(decoder, encoder, this.doc, REMOTE)
      // Sync step 1 from the server asks for our state: answer with step 2.
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder))
      return subtype === syncProtocol.messageYjsSyncStep2
    }
    if (type === PACKED_SYNC_ANSWER) {
      applySyncAnswer(this.doc, unpackSyncAnswer(decoder), REMOTE)
      return true
    }
    if (type === PACKED_UPDATE) {
      applySyncAnswer(this.doc, unpackSyncAnswer(decoder), REMOTE)
      return false
    }
    if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), REMOTE)
    }
    return false
  }

  private observeReceipts(sink: ReceiptSink): void {
    /** Last cursor sequence number seen from each sender. */
    const lastCursor = new Map<number, number>()
    this.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
      if (origin !== REMOTE) return
      const receivedAt = now()
      const states = this.awareness.getStates()
      for (const clientId of [...added, ...updated]) {
        const cursor = states.get(clientId)?.cursor as Partial<Stamp> | null | undefined
        if (typeof cursor?.t !== 'number' || typeof cursor.s !== 'number' || typeof cursor.n !== 'number' || cursor.s === this.id) continue
        const last = lastCursor.get(cursor.s)
        lastCursor.set(cursor.s, cursor.n)
        sink.cursor(cursor as Stamp, receivedAt, last === undefined ? 0 : Math.max(0, cursor.n - last - 1))
      }
    })
    this.records.observe((event) => {
      if (event.transaction.origin !== REMOTE) return
      const receivedAt = now()
      for (const key of event.keysChanged) {
        const meta = this.records.get(key)?.meta as Partial<Stamp> | undefined
        if (typeof meta?.t === 'number' && typeof meta.s === 'number' && meta.s !== this.id) sink.update(meta as Stamp, receivedAt)
      }
    })
  }
}
