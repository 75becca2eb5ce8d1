/**
 * Hocuspocus 4 as a peer: its stock Server (crossws on Node's http, no extension, no persistence),
 * on port 0, quiet. Benchmark commands (peerCommands.ts): its document count, and a server-side
 * script applying updates through a direct connection (Hocuspocus's own API for server-side writes).
 */
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'
import { registerPeerCommands } from './peerCommands.ts'

const server = new Server({ port: Number(process.env.PORT ?? 0), address: process.env.HOST ?? '127.0.0.1', quiet: true })
await server.listen()
registerPeerCommands({
  rooms: () => server.hocuspocus.getDocumentsCount(),
  apply: async (board, updates) => {
    const connection = await server.hocuspocus.openDirectConnection(board)
    try {
      for (const update of updates) await connection.transact((doc) => Y.applyUpdate(doc, update))
    } finally {
      await connection.disconnect()
    }
  },
})
process.stdout.write(`Hocuspocus listening on http://127.0.0.1:${server.address.port}\n`)
