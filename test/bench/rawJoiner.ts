/**
 * A joiner for the kickoff herd (S5): a WebSocket client reduced to what "served" needs. It does the
 * opening handshake, sends the sync request (as a y-websocket or Hocuspocus provider does), then
 * reads frame headers only: payload bytes are counted and skipped, never copied into messages. Fifty
 * joiners each receiving a board of several megabytes would otherwise spend more CPU assembling
 * those messages than the server spends sending them, on the same two cores, and the herd would time
 * the harness. The first message that is a sync answer (sync, step 2, or Fabrique's packed answer)
 * ends the wait: served.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { Socket } from 'node:net'
import { PACKED_SYNC_ANSWER } from '@fabrique/protocol'
import * as encoding from 'lib0/encoding'
import { now } from './client.ts'
import type { WireProtocol } from './servers.ts'

const MESSAGE_SYNC = 0
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const MESSAGE_AUTH = 2
const OPCODE_BINARY = 0x2

function encodeMessages(protocol: WireProtocol, board: string): Uint8Array[] {
  const prefixed = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder()
    if (protocol === 'hocuspocus') encoding.writeVarString(encoder, board)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
  const messages: Uint8Array[] = []
  if (protocol === 'hocuspocus') {
    messages.push(
      prefixed((encoder) => {
        encoding.writeVarUint(encoder, MESSAGE_AUTH)
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarString(encoder, '')
        encoding.writeVarString(encoder, '4.8.0')
      }),
    )
  }
  messages.push(
    prefixed((encoder) => {
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, SYNC_STEP1)
      encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
    }),
  )
  return messages
}

/** A client frame: FIN, binary, masked (clients must mask). */
function frame(payload: Uint8Array): Buffer {
  const length = payload.length
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10
  const out = Buffer.alloc(header + 4 + length)
  out[0] = 0x80 | OPCODE_BINARY
  if (length < 126) out[1] = 0x80 | length
  else if (length < 65536) {
    out[1] = 0x80 | 126
    out.writeUInt16BE(length, 2)
  } else {
    out[1] = 0x80 | 127
    out.writeBigUInt64BE(BigInt(length), 2)
  }
  const mask = randomBytes(4)
  mask.copy(out, header)
  for (let i = 0; i < length; i++) out[header + 4 + i] = (payload[i] as number) ^ (mask[i % 4] as number)
  return out
}

export interface RawJoinResult {
  /** Epoch ms of the open (handshake answered) and of the sync answer's last byte. */
  openedAt: number
  servedAt: number
  /** Payload bytes of the sync answer. */
  bytes: number
}

/** Opens a socket to `url`, asks for the board, resolves when the whole sync answer has arrived. */
export function rawJoin(url: string, board: string, protocol: WireProtocol, timeoutMs: number): Promise<RawJoinResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url.replace(/^ws/, 'http'))
    let socket: Socket | undefined
    const timer = setTimeout(() => {
      socket?.destroy()
      request.destroy()
      reject(new Error(`not served within ${timeoutMs} ms`))
    }, timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      socket?.destroy()
      reject(error)
    }
    const request = http.request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
      agent: false,
    })
    request.on('error', fail)
    request.on('response', (response) => fail(new Error(`HTTP ${response.statusCode} instead of an upgrade`)))
    request.on('upgrade', (_response, upgraded: Socket, head: Buffer) => {
      socket = upgraded
      const openedAt = now()
      for (const message of encodeMessages(protocol, board)) upgraded.write(frame(message))
      // Frame by frame: header bytes gathered one by one, then payload bytes counted and skipped,
      // except the first few, which say whether the message is the sync answer.
      const prefix = protocol === 'hocuspocus' ? board.length + 1 : 0
      let header: number[] = []
      let headerSize = 2
      let left = 0
      let size = 0
      let peek: number[] = []
      const isAnswer = () => (peek[prefix] === MESSAGE_SYNC && peek[prefix + 1] === SYNC_STEP2) || peek[prefix] === PACKED_SYNC_ANSWER
      const onData = (chunk: Buffer) => {
        let i = 0
        while (i < chunk.length) {
          if (left === 0) {
            header.push(chunk[i++] as number)
            if (header.length === 2) {
              const short = (header[1] as number) & 0x7f
              headerSize = short < 126 ? 2 : short === 126 ? 4 : 10
            }
            if (header.length < 2 || header.length < headerSize) continue
            left = size = payloadLength(header)
            header = []
            peek = []
            continue
          }
          const take = Math.min(left, chunk.length - i)
          for (let k = 0; k < take && peek.length < prefix + 2; k++) peek.push(chunk[i + k] as number)
          left -= take
          i += take
          if (left === 0 && isAnswer()) {
            clearTimeout(timer)
            upgraded.off('data', onData)
            resolve({ openedAt, servedAt: now(), bytes: size })
            upgraded.destroy()
            return
          }
        }
      }
      upgraded.on('data', onData)
      upgraded.on('error', fail)
      if (head.length > 0) onData(head)
    })
    request.end()
  })
}

/** The payload length a server frame's header gives (server frames are not masked). */
function payloadLength(header: number[]): number {
  const length = (header[1] as number) & 0x7f
  if (length < 126) return length
  const bytes = Buffer.from(header)
  return length === 126 ? bytes.readUInt16BE(2) : Number(bytes.readBigUInt64BE(2))
}
