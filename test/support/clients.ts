import { acceptPackedAnswers, type PACK_COLUMNS, type PACK_COLUMNS_UPDATES, type PACK_DEFLATE_RAW, PACK_PARAM } from '@fabrique/protocol'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { nextEvent } from './wait.ts'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves when the first sync with the server completed. */
  synced: Promise<void>
  destroy(): void
}

/**
 * A stock y-websocket client, exactly as browsers use it, on Node's `ws`; with `pack`, it also reads
 * packed answers (and updates), as our own client does (`columns-updates`) or as earlier ones did
 * (`columns`, `deflate-raw`).
 */
export function connectClient(
  syncUrl: string,
  boardId: string,
  options: { params?: Record<string, string>; pack?: typeof PACK_COLUMNS_UPDATES | typeof PACK_COLUMNS | typeof PACK_DEFLATE_RAW } = {},
): TestClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { ...options.params, ...(options.pack ? { [PACK_PARAM]: options.pack } : {}) },
    maxBackoffTime: 200,
    // Providers of one room in one process would otherwise sync over BroadcastChannel, bypassing the server.
    disableBc: true,
  })
  if (options.pack) {
    acceptPackedAnswers(provider, (error) => {
      throw error
    })
  }
  const synced = provider.synced ? Promise.resolve() : nextEvent<[boolean]>(provider, 'sync', 15_000).then(() => undefined)
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export interface RawSocket {
  ws: WebSocket
  opened: Promise<void>
  /** The close code the server sent. */
  closed: Promise<number>
}

/** A bare WebSocket on a board, to send frames no y-websocket client would. */
export function rawSocket(syncUrl: string, boardId: string): RawSocket {
  const ws = new WebSocket(`${syncUrl}/${boardId}`)
  ws.on('error', () => {})
  const opened = nextEvent<[]>(ws, 'open').then(() => undefined)
  const closed = nextEvent<[number]>(ws, 'close', 15_000).then(([code]) => code)
  return { ws, opened, closed }
}

/** The close code of the provider's next closed connection. */
export function nextCloseCode(provider: WebsocketProvider): Promise<number> {
  return new Promise((resolve) => provider.once('connection-close', (event) => resolve(event?.code ?? -1)))
}
