/**
 * The floor: a bare `ws` relay. Each path is a room; every message a socket sends goes, as the same
 * bytes, to the room's other sockets. No Yjs, no document, no state beyond the sockets: what
 * fan-out costs before any server logic.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import { registerPeerCommands } from './peerCommands.ts'

const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => response.end('relay'))

wss.on('connection', (ws, request) => {
  const name = (request.url ?? '/').slice(1).split('?')[0] ?? ''
  let room = rooms.get(name)
  if (!room) {
    room = new Set()
    rooms.set(name, room)
  }
  const peers = room
  peers.add(ws)
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    for (const peer of peers) if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary })
  })
  ws.on('close', () => {
    peers.delete(ws)
    if (peers.size === 0 && rooms.get(name) === peers) rooms.delete(name)
  })
  ws.on('error', () => ws.terminate())
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
registerPeerCommands({ rooms: () => rooms.size })
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`ws relay listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
