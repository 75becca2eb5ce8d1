import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { connectClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'
import { fuzzFrame, seededRandom } from './frames.ts'

/**
 * Seeds the live fuzz found, replayed deterministically: one frame at a time, each followed by a
 * sync request whose answer (or the socket's close) says the server has read the frame.
 * 602113: a mutated update held an item of zero length; the server integrated it and relayed its
 * zero-length deletion, which the other clients of the board could not apply ("Unexpected case").
 */
const PINNED = [
  { seed: 602113, frames: 3200 },
  { seed: 8, frames: 3500 },
]

type Server = Awaited<ReturnType<typeof startServer>>
let server: Server

beforeAll(async () => {
  server = await startServer({ limits: { maxMessagesPerSecond: 100_000 } })
})
afterAll(async () => {
  await server.close()
})

const probe = (() => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()))
  return encoding.toUint8Array(e)
})()

/** An attacker that sends frames in order, reconnecting whenever the server closes it. */
class Replayer {
  private ws: WebSocket | undefined
  private answered: (() => void) | undefined

  constructor(private readonly url: string) {}

  private async open(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return this.ws
    const ws = new WebSocket(this.url)
    ws.on('error', () => {})
    // Only a sync step 2 answers the probe (the greeting is a sync step 1 and awareness).
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) this.answered?.()
    })
    ws.on('close', () => this.answered?.())
    await new Promise((resolve) => ws.once('open', resolve).once('close', resolve))
    this.ws = ws
    return ws
  }

  async send(frame: Uint8Array): Promise<void> {
    const ws = await this.open()
    if (ws.readyState !== WebSocket.OPEN) return
    const done = new Promise<void>((resolve) => {
      this.answered = resolve
    })
    ws.send(frame)
    ws.send(probe)
    await done
  }

  close(): void {
    this.ws?.terminate()
  }
}

describe('pinned fuzz seeds', () => {
  for (const { seed, frames } of PINNED) {
    it(`seed ${seed}: clients of the fuzzed board apply everything the server sends them, and converge`, async () => {
      const board = `board-pinned-${seed}`
      const url = syncUrl(server)
      const a = connectClient(url, board)
      const b = connectClient(url, board)
      await Promise.all([a.synced, b.synced])
      const errors: string[] = []
      const consoleError = console.error
      console.error = (...args: unknown[]) => {
        errors.push(args.map(String).join(' ').slice(0, 300))
      }
      const attacker = new Replayer(`${url}/${board}`)
      try {
        const random = seededRandom(seed)
        for (let i = 0; i < frames; i++) {
          await attacker.send(fuzzFrame(random))
          if (i % 200 === 0) {
            a.doc.getMap('m').set(`a${i}`, i)
            b.doc.getMap('m').set(`b${i}`, i)
          }
        }
        const last = frames - (frames % 200 === 0 ? 200 : frames % 200)
        await waitFor(() => a.doc.getMap('m').has(`b${last}`) && b.doc.getMap('m').has(`a${last}`), `the victims to converge (seed ${seed})`)
        const late = connectClient(url, board)
        await late.synced
        expect(late.doc.getMap('m').toJSON()).toEqual(a.doc.getMap('m').toJSON())
        expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
        late.destroy()
      } finally {
        console.error = consoleError
        attacker.close()
        a.destroy()
        b.destroy()
      }
      expect(errors, `seed ${seed}: clients logged errors`).toEqual([])
    })
  }
})
