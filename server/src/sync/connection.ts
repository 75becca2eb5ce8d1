import { CloseCode, type PackedFormat } from '@fabrique/protocol'
import type { WebSocket } from 'ws'
import type { Logger } from '../logger.ts'
import { ProtocolError } from './messages.ts'
import type { Peer } from './peer.ts'
import type { Room } from './room.ts'
import type { SyncMetrics } from './syncMetrics.ts'

export interface ConnectionLimits {
  maxMessageBytes: number
  maxQueuedMessagesBeforeLoad: number
  maxBufferedBytes: number
  maxMessagesPerSecond: number
}

/** A connection may send this many seconds' worth of its rate at once (a resync after offline work). */
const BURST_SECONDS = 5

/** The TCP socket under a `ws` WebSocket (a private field of ws, hence the guard where it is read). */
type RawSocket = { cork(): void; uncork(): void; write(chunk: Uint8Array): boolean }

function rawSocketOf(ws: WebSocket): RawSocket | undefined {
  const socket = (ws as unknown as { _socket?: Partial<RawSocket> })._socket
  if (!socket || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function' || typeof socket.write !== 'function') return undefined
  return socket as RawSocket
}

/** Payloads up to this size are copied behind their frame header (one chunk to write); longer ones follow it. */
const JOINED_FRAME_BYTES = 16 * 1024

/**
 * The last message framed and its WebSocket frame (an unmasked binary frame, as a server sends
 * it): a room hands one message to each of its peers in a row, and ws would frame it again for
 * each (a header, an options object, two writes). Framed once, every socket writes the same bytes.
 * Messages are never changed once handed to send, so the same object is the same message.
 */
let framedMessage: Uint8Array | undefined
let frameChunks: Uint8Array[] = []

function frameOf(message: Uint8Array): Uint8Array[] {
  if (message === framedMessage) return frameChunks
  const length = message.byteLength
  const headerBytes = length < 126 ? 2 : length < 0x10000 ? 4 : 10
  const joined = length <= JOINED_FRAME_BYTES
  const header = Buffer.allocUnsafe(headerBytes + (joined ? length : 0))
  header[0] = 0x82 // FIN, binary
  if (length < 126) {
    header[1] = length
  } else if (length < 0x10000) {
    header[1] = 126
    header.writeUInt16BE(length, 2)
  } else {
    header[1] = 127
    header.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2)
    header.writeUInt32BE(length >>> 0, 6)
  }
  if (joined) header.set(message, headerBytes)
  framedMessage = message
  frameChunks = joined ? [header] : [header, message]
  return frameChunks
}

/**
 * Sockets corked during this turn of the event loop, uncorked together once its I/O is handled.
 * ws writes each frame with its own `writev`: at event load (500 sockets, tens of thousands of
 * small frames a second) those system calls were half the server's CPU. Corked, every frame a
 * socket gets during one turn leaves in a single `writev`, at most one turn later.
 */
const corked = new Set<RawSocket>()

/**
 * Sends every corked frame now. Called on its own at the end of the turn; the awareness flush,
 * itself a callback of the turn's end, calls it too: a cork made there would otherwise wait for
 * the next turn, after all of that turn's I/O.
 */
export function uncorkAll(): void {
  for (const socket of corked) socket.uncork()
  corked.clear()
}

function corkForThisTurn(socket: RawSocket): void {
  if (corked.has(socket)) return
  if (corked.size === 0) setImmediate(uncorkAll)
  socket.cork()
  corked.add(socket)
}

/**
 * One WebSocket of one board. Messages that arrive while the board loads are held, then read in
 * order; any message that is not valid y-websocket closes this socket only.
 */
export class Connection implements Peer {
  readonly clientIds = new Set<number>()
  /** Read-only until access is decided; messages are held until then anyway. */
  readOnly = true
  /** The participant behind this socket, when there is one (to disconnect them if removed). */
  memberId: string | undefined
  /** Decides access again with the socket's credentials (locks change it while it is open). */
  recheck: (() => Promise<import('./access.ts').BoardAccess>) | undefined
  /** The event whose board this is, once access is decided (for the per-event limit). */
  eventId: string | undefined
  /** Something (a message or a pong) arrived since the last heartbeat tick. */
  private heard = true
  /** Something was sent to it since the last tick. */
  private sent = false
  /** A ping went out at the last tick. */
  private pinged = false
  /** The client reads packed sync answers, whole states in this format (see @fabrique/protocol's packedState). */
  packing: PackedFormat | undefined
  /** The client reads packed updates (`pack=columns-updates`). */
  packedUpdates = false
  private room: Room | undefined
  /** The TCP socket under the WebSocket, and whether frames are written to it directly (see frameOf). */
  private readonly socket: RawSocket | undefined
  private readonly framesItself: boolean
  private held: Uint8Array[] | undefined = []
  private closed = false
  private tokens: number
  private refilledAt = performance.now()

  constructor(
    private readonly ws: WebSocket,
    readonly boardId: string,
    private readonly limits: ConnectionLimits,
    private readonly metrics: SyncMetrics,
    private readonly logger: Logger,
  ) {
    this.tokens = limits.maxMessagesPerSecond * BURST_SECONDS
    this.socket = rawSocketOf(ws)
    // ws frames with its own sender when an extension (compression) was negotiated.
    this.framesItself = this.socket !== undefined && ws.extensions === ''
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary))
    ws.on('pong', () => {
      this.heard = true
    })
    // Without an error listener a bad frame would throw in the process; ws closes the socket itself.
    ws.on('error', (error) => this.logger.warn('socket error', { boardId, error: error.message }))
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Changes what this socket may do while it is open (a board locked or unlocked). */
  setReadOnly(readOnly: boolean): void {
    const regained = this.readOnly && !readOnly
    this.readOnly = readOnly
    if (regained && this.room) this.room.askForMissing(this)
  }

  /** The board is loaded: join it and read what arrived meanwhile. */
  attach(room: Room): void {
    if (this.closed) return
    this.room = room
    room.join(this)
    const held = this.held ?? []
    this.held = undefined
    for (const message of held) {
      if (this.closed) break
      this.read(message)
    }
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn('closing a connection that does not read', { boardId: this.boardId, buffered: this.ws.bufferedAmount })
      this.close(CloseCode.SlowConsumer, 'client too slow')
      // It does not read, so it would never answer the close handshake either.
      this.ws.terminate()
      return
    }
    const { socket } = this
    if (socket) corkForThisTurn(socket)
    if (socket && this.framesItself) {
      for (const chunk of frameOf(message)) socket.write(chunk)
    } else {
      this.ws.send(message, { binary: true })
    }
    this.sent = true
    this.metrics.messagesOut.inc()
    this.metrics.bytesOut.inc(message.byteLength)
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.held = undefined
    this.room?.leave(this)
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason)
  }

  /** The socket is gone (closed by the peer or the network). */
  onSocketClosed(): void {
    if (this.closed) return
    this.closed = true
    this.held = undefined
    this.room?.leave(this)
  }

  /**
   * Each heartbeat tick, a socket is pinged unless messages went both ways since the last tick: a
   * silent one, to learn whether it is still there; one the server had nothing to send to, so that a
   * proxy's idle timeout (nginx's proxy_read_timeout) does not cut it. One that stayed silent after
   * a ping is closed: within two ticks of its last message, as when every socket was pinged at every
   * tick. y-protocols clients renew their presence every 15 s, so with the default 30 s the sockets
   * of an attended board cost no pings at all.
   */
  heartbeat(): void {
    if (this.closed) return
    if (!this.heard && this.pinged) {
      this.logger.info('closing a socket that stopped answering pings', { boardId: this.boardId })
      this.close(CloseCode.DeadConnection, 'no pong')
      this.ws.terminate()
      return
    }
    const ping = !this.heard || !this.sent
    this.heard = false
    this.sent = false
    this.pinged = ping
    if (ping) this.ws.ping()
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return
    this.heard = true
    this.metrics.messagesIn.inc()
    this.metrics.bytesIn.inc(data.byteLength)
    if (!this.takeToken()) {
      this.refuse(CloseCode.RateLimited, `more than ${this.limits.maxMessagesPerSecond} messages per second`)
      return
    }
    if (data.byteLength > this.limits.maxMessageBytes) {
      this.refuse(CloseCode.MessageTooLarge, `message of ${data.byteLength} bytes over the ${this.limits.maxMessageBytes} limit`)
      return
    }
    if (!isBinary) {
      this.refuse(CloseCode.MalformedMessage, 'text frame on a binary protocol')
      return
    }
    if (this.held) {
      if (this.held.length >= this.limits.maxQueuedMessagesBeforeLoad) {
        this.refuse(CloseCode.RateLimited, 'too many messages before the board loaded')
        return
      }
      this.held.push(data)
      return
    }
    this.read(data)
  }

  /** Token bucket: refills at the allowed rate, holds a few seconds' worth. */
  private takeToken(): boolean {
    const now = performance.now()
    const { maxMessagesPerSecond } = this.limits
    this.tokens = Math.min(maxMessagesPerSecond * BURST_SECONDS, this.tokens + ((now - this.refilledAt) / 1000) * maxMessagesPerSecond)
    this.refilledAt = now
    if (this.tokens < 1) return false
    this.tokens--
    return true
  }

  private read(message: Uint8Array): void {
    try {
      this.room?.handleMessage(this, message)
    } catch (error) {
      if (error instanceof ProtocolError) this.refuse(error.code, error.message, error)
      else this.refuse(CloseCode.MalformedMessage, 'malformed message', error)
    }
  }

  private refuse(code: number, reason: string, error?: unknown): void {
    this.metrics.protocolErrors.inc()
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : undefined
    this.logger.warn('closing a connection for a bad message', { boardId: this.boardId, code, reason, cause })
    this.close(code, reason.slice(0, 120))
  }
}
