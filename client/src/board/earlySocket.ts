/**
 * Hands the board's socket opened by `earlySocket.boot.js` (before the app's scripts had even
 * compiled) to y-websocket's provider, as if the provider had opened it: a 5,000-shape board then
 * downloads while the browser compiles tldraw instead of after it.
 */

import { PACK_COLUMNS_UPDATES, PACK_PARAM, PROTOCOL_VERSION } from '@fabrique/protocol'

/**
 * The query of a board's sync socket: this client's protocol version, packed answers and updates,
 * the access token if any. The boot script repeats it (it cannot import this module).
 */
export function boardSocketParams(token: string | undefined): Record<string, string> {
  return { v: String(PROTOCOL_VERSION), [PACK_PARAM]: PACK_COLUMNS_UPDATES, ...(token ? { token } : {}) }
}

/** What the boot script leaves on `window` (see earlySocket.boot.js). */
export interface EarlySocket {
  url: string
  socket: WebSocket
  /** Events seen before the app took the socket, in order. */
  events: Event[]
  /** Set by the app when it takes the socket: receives every later event. */
  deliver: ((event: Event) => void) | null
  /** Whether the boot script sent sync step 1 of an empty document. */
  sentSyncStep1: boolean
}

declare global {
  interface Window {
    __fabriqueEarlySocket?: EarlySocket
  }
}

/** Sync step 1 of an empty document: what the boot script sent on open. */
const EMPTY_SYNC_STEP_1 = [0, 0, 1, 0]

function sameBytes(data: unknown, expected: readonly number[]): boolean {
  if (!(data instanceof Uint8Array) || data.length !== expected.length) return false
  return expected.every((byte, i) => data[i] === byte)
}

/**
 * The early socket for `url`, taken off `window` (once), or undefined when there is none, it was
 * opened for another URL (then closed), or it has already closed.
 */
function takeEarlySocket(url: string): EarlySocket | undefined {
  const early = window.__fabriqueEarlySocket
  if (!early) return undefined
  window.__fabriqueEarlySocket = undefined
  const usable = early.url === url && (early.socket.readyState === WebSocket.CONNECTING || early.socket.readyState === WebSocket.OPEN)
  if (!usable) {
    early.socket.close(1000)
    return undefined
  }
  return early
}

type Handler = ((event: Event) => void) | null

/**
 * The early socket as y-websocket uses a WebSocket: it sets `on…` handlers right after creating it,
 * then reads `readyState` and calls `send`/`close`. Events the socket saw before are replayed once
 * the handlers are set (a task later), before any that follows, so the provider sees them in order.
 */
class AdoptedSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  readonly CONNECTING = 0
  readonly OPEN = 1
  readonly CLOSING = 2
  readonly CLOSED = 3
  binaryType: BinaryType = 'arraybuffer'
  onopen: Handler = null
  onmessage: Handler = null
  onerror: Handler = null
  onclose: Handler = null
  private readonly socket: WebSocket
  /** The boot script's step 1 makes the provider's identical first one redundant. */
  private skipEmptySyncStep1: boolean

  constructor(early: EarlySocket) {
    this.socket = early.socket
    this.skipEmptySyncStep1 = early.sentSyncStep1
    const queued = early.events
    const waiting: Event[] = []
    let replayed = false
    early.deliver = (event) => (replayed ? this.dispatch(event) : waiting.push(event))
    setTimeout(() => {
      for (const event of queued) this.dispatch(event)
      for (const event of waiting) this.dispatch(event)
      replayed = true
    })
  }

  get readyState(): number {
    return this.socket.readyState
  }

  get url(): string {
    return this.socket.url
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  send(data: Uint8Array): void {
    const skip = this.skipEmptySyncStep1 && sameBytes(data, EMPTY_SYNC_STEP_1)
    this.skipEmptySyncStep1 = false
    if (!skip) this.socket.send(data)
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason)
  }

  private dispatch(event: Event): void {
    const handler = { open: this.onopen, message: this.onmessage, error: this.onerror, close: this.onclose }[event.type]
    handler?.call(this, event)
  }
}

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill` option: its first socket for the early
 * socket's URL is that socket; any other, and every reconnection, is a new WebSocket.
 */
export class EarlyWebSocket {
  constructor(url: string, protocols?: string | string[]) {
    const early = takeEarlySocket(url)
    // A constructor may return another object: y-websocket gets the adopted socket or a real one.
    // biome-ignore lint/correctness/noConstructorReturn: that is the point of this class
    return (early ? new AdoptedSocket(early) : new WebSocket(url, protocols)) as unknown as EarlyWebSocket
  }
}
