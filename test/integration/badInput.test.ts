import { CloseCode } from '@fabrique/protocol'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectClient, nextCloseCode, rawSocket, type TestClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type Started = Awaited<ReturnType<typeof startServer>>
const BOARD = 'board-badinput'
const LIMIT = 64 * 1024

let s: Started
let a: TestClient
let b: TestClient
let rounds = 0

beforeEach(async () => {
  s = await startServer({ limits: { maxMessageBytes: LIMIT } })
  a = connectClient(syncUrl(s), BOARD)
  b = connectClient(syncUrl(s), BOARD)
  await Promise.all([a.synced, b.synced])
})
afterEach(async () => {
  a.destroy()
  b.destroy()
  await s.close()
})

/** The good clients still converge after the offender was thrown out. */
async function othersStillConverge(): Promise<void> {
  rounds++
  a.doc.getMap('m').set(`after-${rounds}`, 'a')
  b.doc.getMap('m').set(`after-${rounds}-b`, 'b')
  await waitFor(() => b.doc.getMap('m').get(`after-${rounds}`) === 'a' && a.doc.getMap('m').get(`after-${rounds}-b`) === 'b', 'the good clients to converge')
  expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
  expect((await s.app.request('/healthz')).status).toBe(200)
}

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const e = encoding.createEncoder()
  for (const part of parts) part(e)
  return encoding.toUint8Array(e)
}
const uint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n)
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b)
const str = (t: string) => (e: encoding.Encoder) => encoding.writeVarString(e, t)

async function sendAndExpectClose(message: Uint8Array | string, expected: number): Promise<void> {
  const bad = rawSocket(syncUrl(s), BOARD)
  await bad.opened
  bad.ws.send(message)
  expect(await bad.closed).toBe(expected)
  await othersStillConverge()
}

describe('bad input closes only the offender', () => {
  it('random bytes', async () => {
    // Seeded so a failure can be replayed.
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    for (let round = 0; round < 20; round++) {
      const garbage = Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256))
      garbage[0] = 0 // a sync message, to reach the Yjs decoder rather than the type check
      const bad = rawSocket(syncUrl(s), BOARD)
      await bad.opened
      bad.ws.send(garbage)
      bad.ws.send(frame(uint(0), uint(2), bytes(garbage)))
      const code = await Promise.race([bad.closed, new Promise<number>((r) => setTimeout(() => r(-1), 300))])
      // Some random bytes happen to be a harmless valid message; all that matters is who is hurt.
      expect([CloseCode.MalformedMessage, -1]).toContain(code)
      bad.ws.terminate()
    }
    await othersStillConverge()
  })

  it('a truncated message', async () => {
    const update = frame(uint(0), uint(2), bytes(new Uint8Array(100).fill(7)))
    await sendAndExpectClose(update.subarray(0, 20), CloseCode.MalformedMessage)
  })

  it('a declared length far beyond the frame', async () => {
    await sendAndExpectClose(frame(uint(0), uint(2), uint(2 ** 31)), CloseCode.MalformedMessage)
  })

  it('an unknown message type', async () => {
    await sendAndExpectClose(frame(uint(99)), CloseCode.MalformedMessage)
  })

  it('an unknown sync sub-type', async () => {
    await sendAndExpectClose(frame(uint(0), uint(7), bytes(new Uint8Array([0]))), CloseCode.MalformedMessage)
  })

  it('an update Yjs cannot apply', async () => {
    await sendAndExpectClose(frame(uint(0), uint(2), bytes(new Uint8Array([1, 1, 200, 200, 200, 200, 9, 0, 4, 255]))), CloseCode.MalformedMessage)
  })

  it('a malformed state vector', async () => {
    await sendAndExpectClose(frame(uint(0), uint(0), bytes(new Uint8Array([5, 1]))), CloseCode.MalformedMessage)
  })

  it('awareness that is not JSON', async () => {
    const update = frame(uint(1), uint(12345), uint(1), str('{not json'))
    await sendAndExpectClose(frame(uint(1), bytes(update)), CloseCode.MalformedMessage)
  })

  it('a text frame', async () => {
    await sendAndExpectClose('hello', CloseCode.MalformedMessage)
  })

  it('a message over the size limit', async () => {
    await sendAndExpectClose(frame(uint(0), uint(2), bytes(new Uint8Array(LIMIT + 10))), CloseCode.MessageTooLarge)
  })

  it('a message far over the size limit', async () => {
    const bad = rawSocket(syncUrl(s), BOARD)
    await bad.opened
    bad.ws.send(new Uint8Array(LIMIT * 5))
    // Past four times the limit ws refuses the frame itself (1009) before reading it into memory.
    expect(await bad.closed).toBe(1009)
    await othersStillConverge()
  })

  it('an invalid board id', async () => {
    const bad = rawSocket(syncUrl(s), 'no')
    expect(await bad.closed).toBe(CloseCode.UnknownBoard)
    const traversal = rawSocket(syncUrl(s), '..%2F..%2Fetc%2Fpasswd')
    expect(await traversal.closed).toBe(CloseCode.UnknownBoard)
  })

  it('a client on another protocol version', async () => {
    const old = connectClient(syncUrl(s), BOARD, { params: { v: '0' } })
    expect(await nextCloseCode(old.provider)).toBe(CloseCode.VersionMismatch)
    old.destroy()
    await othersStillConverge()
  })

  it('a client that spoofs another client id in awareness is ignored for that id', async () => {
    a.provider.awareness.setLocalStateField('user', { name: 'Aïcha' })
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Aïcha', 'a presence')
    const bad = rawSocket(syncUrl(s), BOARD)
    await bad.opened
    const spoof = frame(uint(1), uint(a.doc.clientID), uint(10_000), str('null'))
    bad.ws.send(frame(uint(1), bytes(spoof)))
    await new Promise((r) => setTimeout(r, 200))
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Aïcha')
    bad.ws.close()
  })
})
