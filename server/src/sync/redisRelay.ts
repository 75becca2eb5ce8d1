import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import type { Relay, RelayMessage } from './relay.ts'

const kinds: RelayMessage['kind'][] = ['update', 'awareness', 'sync-request', 'sync-answer', 'access-changed']
const ID_BYTES = 16

/**
 * Redis pub/sub between instances: channel `<prefix>board:<id>`, frames of
 * [16 bytes instance id][1 byte kind][payload]. The id lets an instance drop its own messages.
 */
export class RedisRelay implements Relay {
  private readonly instanceId = randomBytes(ID_BYTES)
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly handlers: Array<(boardId: string, message: RelayMessage) => void> = []
  private readonly reconnectHandlers: Array<() => void> = []
  /** Set when either connection dropped after having been up; cleared by the resync. */
  private outage = false
  private publishFailuresLogged = false
  /** Published during this turn, sent together at its end: [channel, frame]. */
  private unsent: Array<[string, Buffer]> = []

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly prefix = 'fabrique:',
  ) {
    const retryStrategy = (times: number) => Math.min(times * 100, 2000)
    // Publishes made while Redis is down fail at once rather than pile up in memory: the resync
    // after the outage recovers them. Subscriptions do wait, and ioredis restores them itself.
    // The publishes of one event-loop turn go out in one write (see flush), not through ioredis's
    // auto-pipelining: it defers to setImmediate, which from the turn's end (where cursors are
    // flushed) is the next turn, after all of its I/O.
    this.pub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, enableOfflineQueue: false })
    this.sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, enableOfflineQueue: true })
    for (const [name, client] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      client.on('error', (error: Error) => this.logger.warn(`redis ${name} error`, { error: error.message }))
      client.on('close', () => {
        if (this.pub.status !== 'wait' && this.sub.status !== 'wait') this.outage = true
      })
      client.on('ready', () => this.resyncIfBack())
    }
    this.sub.on('messageBuffer', (channel: Buffer, frame: Buffer) => this.receive(channel.toString(), frame))
  }

  /** Once both connections are back after an outage, rooms ask the others for what they missed. */
  private resyncIfBack(): void {
    if (!this.outage || this.pub.status !== 'ready' || this.sub.status !== 'ready') return
    this.outage = false
    this.publishFailuresLogged = false
    this.logger.info('redis is back; resynchronising boards with the other instances')
    for (const handler of this.reconnectHandlers) handler()
  }

  private channel(boardId: string): string {
    return `${this.prefix}board:${boardId}`
  }

  private receive(channel: string, frame: Buffer): void {
    if (frame.length < ID_BYTES + 1 || frame.subarray(0, ID_BYTES).equals(this.instanceId)) return
    const kind = kinds[frame[ID_BYTES] as number]
    if (!kind || !channel.startsWith(`${this.prefix}board:`)) return
    const boardId = channel.slice(this.prefix.length + 'board:'.length)
    const message = { kind, payload: new Uint8Array(frame.buffer, frame.byteOffset + ID_BYTES + 1, frame.length - ID_BYTES - 1) }
    for (const handler of this.handlers) handler(boardId, message)
  }

  async subscribe(boardId: string): Promise<void> {
    await this.sub.subscribe(this.channel(boardId))
  }

  async unsubscribe(boardId: string): Promise<void> {
    await this.sub.unsubscribe(this.channel(boardId))
  }

  publish(boardId: string, message: RelayMessage): void {
    const frame = Buffer.allocUnsafe(ID_BYTES + 1 + message.payload.byteLength)
    this.instanceId.copy(frame, 0)
    frame[ID_BYTES] = kinds.indexOf(message.kind)
    frame.set(message.payload, ID_BYTES + 1)
    this.unsent.push([this.channel(boardId), frame])
    if (this.unsent.length === 1) setImmediate(() => this.flush())
  }

  flush(): void {
    if (this.unsent.length === 0) return
    const pipeline = this.pub.pipeline()
    for (const [channel, frame] of this.unsent) pipeline.publish(channel, frame)
    this.unsent = []
    const failed = (error: Error) => {
      if (this.publishFailuresLogged) return
      this.publishFailuresLogged = true
      this.logger.warn('redis publish failed; boards resync when it is back', { error: error.message })
    }
    pipeline.exec().then((results) => {
      const error = results?.find(([commandError]) => commandError)?.[0]
      if (error) failed(error)
    }, failed)
  }

  onMessage(handler: (boardId: string, message: RelayMessage) => void): void {
    this.handlers.push(handler)
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler)
  }

  async close(): Promise<void> {
    // What this turn published leaves before the connection closes.
    this.flush()
    await Promise.allSettled([this.sub.quit(), this.pub.quit()])
  }
}
