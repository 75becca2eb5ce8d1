import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { silentLogger } from '../logger.ts'
import { Metrics } from '../metrics.ts'
import { Connection } from './connection.ts'
import { createSyncMetrics } from './syncMetrics.ts'

const limits = { maxMessageBytes: 1 << 20, maxQueuedMessagesBeforeLoad: 100, maxBufferedBytes: 64 << 20, maxMessagesPerSecond: 1000 }

const closers: Array<() => void> = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

/** A ws server whose sockets become Connections, and `clients` real clients on it, each collecting what it receives. */
async function connected(clients: number, options: { perMessageDeflate?: boolean } = {}) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: options.perMessageDeflate ?? false })
  closers.push(() => server.close())
  const metrics = createSyncMetrics(new Metrics())
  const connections: Connection[] = []
  server.on('connection', (ws) => connections.push(new Connection(ws, 'board-unit', limits, metrics, silentLogger)))
  await new Promise((resolve) => server.once('listening', resolve))
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  const received: Uint8Array[][] = []
  const sockets: WebSocket[] = []
  for (let i = 0; i < clients; i++) {
    const client = new WebSocket(url, { perMessageDeflate: options.perMessageDeflate ?? false })
    closers.push(() => client.terminate())
    const inbox: Uint8Array[] = []
    client.on('message', (data: Buffer) => inbox.push(new Uint8Array(data)))
    await new Promise((resolve) => client.once('open', resolve))
    received.push(inbox)
    sockets.push(client)
  }
  await waitFor(() => connections.length === clients)
  return { connections, received, sockets }
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Messages of every frame length class: 7-bit, 16-bit and 64-bit lengths, joined and not. */
const SIZES = [0, 1, 125, 126, 127, 65_535, 65_536, 16 * 1024, 16 * 1024 + 1, 300_000]

function messageOf(size: number, seed: number): Uint8Array {
  const message = new Uint8Array(size)
  for (let i = 0; i < size; i++) message[i] = (i * 31 + seed) & 0xff
  return message
}

function expectSame(received: Uint8Array[], sent: Uint8Array[]): void {
  expect(received.map((message) => message.length)).toEqual(sent.map((message) => message.length))
  received.forEach((message, i) => {
    expect(Buffer.compare(message, sent[i] as Uint8Array)).toBe(0)
  })
}

describe('a connection sends', () => {
  it('every message whole and in order, to each peer a room hands it to', async () => {
    const { connections, received } = await connected(3)
    const messages = SIZES.map(messageOf)
    // As a room broadcasts: each message to every peer in a row, the same object each time.
    for (const message of messages) for (const connection of connections) connection.send(message)
    await waitFor(() => received.every((inbox) => inbox.length === messages.length))
    for (const inbox of received) expectSame(inbox, messages)
  })

  it('through ws itself where compression was negotiated', async () => {
    const { connections, received, sockets } = await connected(2, { perMessageDeflate: true })
    expect(sockets.every((socket) => socket.extensions.includes('permessage-deflate'))).toBe(true)
    const messages = SIZES.map(messageOf)
    for (const message of messages) for (const connection of connections) connection.send(message)
    await waitFor(() => received.every((inbox) => inbox.length === messages.length))
    for (const inbox of received) expectSame(inbox, messages)
  })
})
