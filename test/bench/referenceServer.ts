/**
 * The reference: @y/websocket-server's stock connection handler (what its bin runs), without
 * persistence, on port 0 so that the benchmark never races for a port. Same `ws` as Fabrique.
 * Benchmark commands (peerCommands.ts): its room count, and a server-side script applying updates
 * to rooms through its own getYDoc (how a template would be pushed into it).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { docs, getYDoc, setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { registerPeerCommands } from './peerCommands.ts'

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => response.end('okay'))
wss.on('connection', (ws, request) => setupWSConnection(ws, request))
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
registerPeerCommands({
  rooms: () => docs.size,
  apply: (board, updates) => {
    const doc = getYDoc(board)
    for (const update of updates) Y.applyUpdate(doc, update, 'bench-script')
  },
})
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`y-websocket-server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
