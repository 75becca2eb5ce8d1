/**
 * The reference: @y/websocket-server's stock connection handler (what its bin runs), without
 * persistence, on port 0 so that the benchmark never races for a port. Same `ws` as Fabrique.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => response.end('okay'))
wss.on('connection', (ws, request) => setupWSConnection(ws, request))
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`y-websocket-server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
