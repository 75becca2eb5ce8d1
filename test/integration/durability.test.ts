import { CloseCode } from '@fabrique/protocol'
import path from 'node:path'
import { type BoardStorage, SqliteStorage } from '@fabrique/server'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectClient, nextCloseCode, rawSocket } from '../support/clients.ts'
import { startServer, startServerProcess, storedDoc, syncUrl, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('durability of the real server process', () => {
  it('loses no broadcast update when killed with SIGKILL in the middle of edits', async () => {
    const dataDir = tempDir()
    const proc = await startServerProcess(dataDir)
    const url = `${proc.url.replace('http', 'ws')}/sync`
    const writer = connectClient(url, 'board-sigkill')
    const observer = connectClient(url, 'board-sigkill')
    await Promise.all([writer.synced, observer.synced])

    // Stop both clients from reconnecting to a new server: only what the server stored may count.
    const seen = new Set<string>()
    observer.doc.getMap('m').observe((event) => {
      for (const key of event.keysChanged) seen.add(key)
    })
    let i = 0
    const editing = setInterval(() => {
      for (let k = 0; k < 5; k++) writer.doc.getMap('m').set(`k${i++}`, 'x'.repeat(50))
    }, 2)
    await waitFor(() => seen.size >= 300, 'a few hundred broadcast edits')
    proc.child.kill('SIGKILL')
    await proc.exited
    clearInterval(editing)
    writer.provider.shouldConnect = false
    observer.provider.shouldConnect = false
    const broadcast = [...seen]
    writer.destroy()
    observer.destroy()
    expect(broadcast.length).toBeGreaterThanOrEqual(300)

    const restarted = await startServer({ dataDir })
    try {
      const stored = (await storedDoc(restarted, 'board-sigkill')).getMap('m')
      const missing = broadcast.filter((key) => !stored.has(key))
      expect(missing).toEqual([])
    } finally {
      await restarted.close()
    }
  })

  it('on SIGTERM tells clients to reconnect, stores everything and exits cleanly', async () => {
    const dataDir = tempDir()
    const proc = await startServerProcess(dataDir)
    const url = `${proc.url.replace('http', 'ws')}/sync`
    const raw = rawSocket(url, 'board-sigterm')
    await raw.opened
    const writer = connectClient(url, 'board-sigterm')
    await writer.synced
    for (let i = 0; i < 100; i++) writer.doc.getMap('m').set(`k${i}`, 'v')
    writer.doc.getMap('m').set('last', 'yes')
    const observer = connectClient(url, 'board-sigterm')
    await waitFor(() => observer.doc.getMap('m').get('last') === 'yes', 'the edits at an observer')

    proc.child.kill('SIGTERM')
    expect(await raw.closed).toBe(CloseCode.ServerShuttingDown)
    expect(await proc.exited).toBe(0)
    writer.destroy()
    observer.destroy()

    const restarted = await startServer({ dataDir })
    try {
      expect((await storedDoc(restarted, 'board-sigterm')).getMap('m').size).toBe(101)
    } finally {
      await restarted.close()
    }
  })

  it('reaps a socket that stops answering pings', async () => {
    const s = await startServer({ sync: { heartbeatMs: 100 } })
    try {
      const ws = new WebSocket(`${syncUrl(s)}/board-heartbeat`, { autoPong: false })
      ws.on('error', () => {})
      await new Promise((resolve) => ws.once('open', resolve))
      await waitFor(() => s.sync.connectionCount === 1, 'the socket counted')
      await waitFor(() => s.sync.connectionCount === 0, 'the silent socket reaped', 5_000)
      ws.terminate()
    } finally {
      await s.close()
    }
  })

  it('pings only sockets that were silent or sent nothing, and reaps one that falls silent', async () => {
    // Ticks of 400 ms and a message every 40 ms: ten exchanges a tick, however loaded the machine.
    const s = await startServer({ sync: { heartbeatMs: 400 } })
    try {
      const ws = new WebSocket(`${syncUrl(s)}/board-heartbeat-talker`, { autoPong: false })
      ws.on('error', () => {})
      let pings = 0
      ws.on('ping', () => pings++)
      await new Promise((resolve) => ws.once('open', resolve))
      const talk = async (message: Uint8Array, ms: number) => {
        const timer = setInterval(() => ws.send(message), 40)
        await new Promise((resolve) => setTimeout(resolve, ms))
        clearInterval(timer)
      }
      // A sync step 1 every 40 ms: the server answers each, so messages go both ways.
      await talk(new Uint8Array([0, 0, 1, 0]), 1300)
      expect(s.sync.connectionCount).toBe(1)
      expect(pings).toBe(0)
      // A query for presence, which nobody's presence answers: the server sends nothing and pings,
      // so that a proxy between them sees traffic; the socket is alive and stays.
      await talk(new Uint8Array([3]), 1300)
      expect(pings).toBeGreaterThan(0)
      expect(s.sync.connectionCount).toBe(1)
      // Silent, and it does not answer pings (autoPong off): reaped.
      await waitFor(() => s.sync.connectionCount === 0, 'the silent socket reaped', 5_000)
      ws.terminate()
    } finally {
      await s.close()
    }
  })

  it('disconnects a client that stops reading instead of buffering for it without end', async () => {
    const s = await startServer({ limits: { maxBufferedBytes: 256 * 1024 } })
    try {
      const slow = rawSocket(syncUrl(s), 'board-slowreader')
      await slow.opened
      // Stop reading from the TCP socket: the server's send buffer for it can only grow.
      ;(slow.ws as unknown as { _socket: { pause(): void } })._socket.pause()
      const writer = connectClient(syncUrl(s), 'board-slowreader')
      await writer.synced
      await waitFor(() => s.sync.connectionCount === 2, 'both connected')
      for (let i = 0; i < 1500; i++) writer.doc.getMap('m').set(`k${i}`, 'x'.repeat(20_000))
      await waitFor(() => s.sync.connectionCount === 1, 'the slow reader disconnected', 15_000)
      expect(writer.provider.wsconnected).toBe(true)
      writer.destroy()
      slow.ws.terminate()
    } finally {
      await s.close()
    }
  })

  it('drops a room whose storage fails, and clients resend what it lacked', async () => {
    const dataDir = tempDir()
    const real = new SqliteStorage({ file: path.join(dataDir, 'flaky.sqlite') })
    let failing = false
    const flaky: BoardStorage = {
      load: (boardId) => real.load(boardId),
      append: (boardId, updates) => (failing ? Promise.reject(new Error('disk full')) : real.append(boardId, updates)),
      compact: (boardId) => real.compact(boardId),
      stats: (boardIds) => real.stats(boardIds),
      saveSummary: (boardId, summary) => real.saveSummary(boardId, summary),
      summary: (boardId) => real.summary(boardId),
      remove: (boardId) => real.remove(boardId),
      close: () => real.close(),
    }
    const s2 = await startServer({ dataDir }, { storage: flaky })
    try {
      const a = connectClient(syncUrl(s2), 'board-flaky')
      await a.synced
      a.doc.getMap('m').set('before', '1')
      await waitFor(async () => (await storedDoc(s2, 'board-flaky')).getMap('m').has('before'), 'first edit stored')
      failing = true
      const closed = nextCloseCode(a.provider)
      a.doc.getMap('m').set('during', '2')
      expect(await closed).toBe(CloseCode.StorageFailure)
      failing = false
      // y-websocket reconnects after a 45xx code and resends what the server lacks.
      await waitFor(async () => (await storedDoc(s2, 'board-flaky')).getMap('m').has('during'), 'the edit stored after reconnecting')
      a.destroy()
    } finally {
      await s2.close()
    }
  })
})
