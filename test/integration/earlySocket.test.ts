import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { acceptPackedAnswers, PACKED_SYNC_ANSWER } from '@fabrique/protocol'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { boardSocketParams, type EarlySocket, EarlyWebSocket } from '../../client/src/board/earlySocket.ts'
import { connectClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { nextEvent, waitFor } from '../support/wait.ts'

const bootSource = fs.readFileSync(path.resolve(import.meta.dirname, '../../client/src/board/earlySocket.boot.js'), 'utf8')

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})

// earlySocket.ts runs in a page: it reads `window` and the global WebSocket, which Node 20 lacks.
const page = globalThis as unknown as { window: { __fabriqueEarlySocket?: EarlySocket }; WebSocket: unknown }
beforeAll(() => {
  page.window ??= globalThis as never
  page.WebSocket ??= WebSocket
})

/** Runs the boot script as a page at `pageUrl` would, with `socketClass` as its WebSocket. */
function runBoot(pageUrl: string, socketClass: unknown): EarlySocket | undefined {
  const url = new URL(pageUrl)
  const window: { __fabriqueEarlySocket?: EarlySocket } = {}
  const timers: Array<() => void> = []
  vm.runInNewContext(bootSource, {
    window,
    location: { pathname: url.pathname, hash: url.hash, protocol: url.protocol, host: url.host },
    WebSocket: socketClass,
    URLSearchParams,
    setTimeout: (fn: () => void) => timers.push(fn),
  })
  return window.__fabriqueEarlySocket
}

/** A WebSocket that only records what it was asked for. */
class RecordingSocket {
  static last: RecordingSocket | undefined
  readonly readyState = 0
  binaryType = 'blob'
  constructor(readonly url: string) {
    RecordingSocket.last = this
  }
  addEventListener() {}
}

/** The URL y-websocket's provider opens for a board, as BoardConnection configures it. */
function providerUrl(serverUrl: string, boardId: string, token?: string): string {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, boardId, doc, { params: boardSocketParams(token), connect: false, disableBc: true })
  const url = provider.url
  provider.destroy()
  doc.destroy()
  return url
}

/** A board's provider configured as BoardConnection configures it: the early socket's class, packed answers. */
function boardProvider(serverUrl: string, boardId: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, boardId, doc, {
    params: boardSocketParams(undefined),
    WebSocketPolyfill: EarlyWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  cleanups.push(() => {
    provider.destroy()
    doc.destroy()
  })
  acceptPackedAnswers(provider, (error) => {
    throw error
  })
  return { doc, provider }
}

describe('the board socket opened before the app loads', () => {
  it('asks for the same URL as the board connection, with and without a token; no socket off a board page', () => {
    for (const token of [undefined, 'a.b/c+d=']) {
      const hash = token ? `#token=${encodeURIComponent(token)}` : ''
      const early = runBoot(`https://fabrique.example/b/board-early-url${hash}`, RecordingSocket)
      expect(early?.url).toBe(providerUrl('wss://fabrique.example/sync', 'board-early-url', token))
      expect(RecordingSocket.last?.binaryType).toBe('arraybuffer')
    }
    expect(runBoot('http://localhost:8787/b/board-early-url/', RecordingSocket)?.url).toBe(providerUrl('ws://localhost:8787/sync', 'board-early-url'))
    for (const other of ['http://h/', 'http://h/e/event-1/facilitate', 'http://h/b/short', 'http://h/b/bad%20id-xxxxxxxx']) {
      RecordingSocket.last = undefined
      expect(runBoot(other, RecordingSocket)).toBeUndefined()
      expect(RecordingSocket.last).toBeUndefined()
    }
  })

  it('is taken by the provider: the board arrives once, in order, then edits flow both ways', async () => {
    const server = await startServer()
    cleanups.push(() => server.close())
    const boardId = 'board-early-adopted'
    const writer = connectClient(syncUrl(server), boardId)
    cleanups.push(() => writer.destroy())
    await writer.synced
    const notes = writer.doc.getMap<string>('notes')
    writer.doc.transact(() => {
      for (let i = 0; i < 2000; i++) notes.set(`note-${i}`, `idée ${i} `.repeat(5))
    })
    await waitFor(() => writer.provider.synced && writer.doc.getMap('notes').size === 2000, 'the board written')

    const early = runBoot(`${server.url}/b/${boardId}`, WebSocket)
    if (!early) throw new Error('the boot script opened no socket')
    // Every message the server sent on this socket, by type (first byte, then sync's own type).
    const received: string[] = []
    early.socket.addEventListener('message', (event: MessageEvent) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer)
      received.push(bytes[0] === 0 ? `sync-${bytes[1]}` : String(bytes[0]))
    })
    // The board arrives while "the app is still loading": nobody has taken the socket yet.
    await waitFor(() => received.includes(String(PACKED_SYNC_ANSWER)), 'the packed board on the early socket')
    expect(early.events.map((event) => event.type).slice(0, 1)).toEqual(['open'])

    page.window.__fabriqueEarlySocket = early
    const { doc, provider } = boardProvider(syncUrl(server), boardId)
    expect(page.window.__fabriqueEarlySocket).toBeUndefined()
    if (!provider.synced) await nextEvent(provider, 'sync', 15_000)
    expect(doc.getMap('notes').toJSON()).toEqual(notes.toJSON())

    // Edits both ways over the adopted socket.
    notes.set('after', 'written once the app had the socket')
    doc.getMap<string>('notes').set('from-adopter', 'sent through the adopted socket')
    await waitFor(() => doc.getMap('notes').has('after') && notes.has('from-adopter'), 'edits both ways')
    // The board was sent once: the provider's own (identical) step 1 was not sent again.
    expect(received.filter((type) => type === String(PACKED_SYNC_ANSWER) || type === 'sync-1')).toEqual([String(PACKED_SYNC_ANSWER)])
    expect(early.socket.readyState).toBe(WebSocket.OPEN)
  })

  it('a socket opened for another URL is closed; the provider opens its own and syncs', async () => {
    const server = await startServer()
    cleanups.push(() => server.close())
    const writer = connectClient(syncUrl(server), 'board-early-mismatch')
    cleanups.push(() => writer.destroy())
    await writer.synced
    writer.doc.getMap<string>('notes').set('n', 'une note')

    // As if the boot script and the app disagreed on the URL (another protocol version).
    const stale = runBoot(`${server.url}/b/board-early-mismatch`, WebSocket)
    if (!stale) throw new Error('the boot script opened no socket')
    stale.url = stale.url.replace('v=1', 'v=0')
    await waitFor(() => stale.socket.readyState === WebSocket.OPEN, 'the stale socket open')
    page.window.__fabriqueEarlySocket = stale
    const { doc, provider } = boardProvider(syncUrl(server), 'board-early-mismatch')
    await waitFor(() => stale.socket.readyState === WebSocket.CLOSED, 'the stale socket closed')
    if (!provider.synced) await nextEvent(provider, 'sync', 15_000)
    expect(doc.getMap('notes').get('n')).toBe('une note')
  })
})
