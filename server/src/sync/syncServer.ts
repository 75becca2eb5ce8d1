import { CloseCode, isValidBoardId, PROTOCOL_VERSION, readsPackedUpdates, wholeStateFormat } from '@fabrique/protocol'
import type { WebSocket } from 'ws'
import type * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { BoardStorage } from '../storage/types.ts'
import type { BoardAccess } from './access.ts'
import { Connection, type ConnectionLimits } from './connection.ts'
import type { Relay } from './relay.ts'
import { RoomManager } from './roomManager.ts'
import type { SyncMetrics } from './syncMetrics.ts'
import type { UpdateLayout } from './updateCheck.ts'

export interface SyncServerOptions {
  storage: BoardStorage
  logger: Logger
  metrics: SyncMetrics
  limits: ConnectionLimits & { maxAwarenessStateBytes: number; maxConnectionsPerAddress: number; maxConnectionsPerEvent: number; maxBoardBytes: number }
  roomIdleMs: number
  /** How long after its last change a board is kept encoded instead of live (0: never). */
  restAfterMs: number
  /** What is kept of a board's document while it rests, for changes made at rest (see RoomDeps). */
  describeAtRest?: (doc: Y.Doc) => unknown
  /** Called with each board's document as it becomes live (loaded or woken), see RoomDeps. */
  onLive?: (doc: Y.Doc) => void
  /** Full garbage collection after boards rest or unload (see memoryReclaimer.ts). */
  reclaimMemory?: boolean
  compactAfterUpdates: number
  heartbeatMs: number
  /** How long after a change a board's summary for the console is rewritten. */
  summaryDelayMs: number
  /** What clients may write into a board (see updateCheck.ts). */
  layout: UpdateLayout
  relay?: Relay
}

export interface AcceptOptions {
  /** Decided while the connection holds the client's first messages. */
  access: Promise<BoardAccess>
  /** The `v` query parameter our client sends; the stock y-websocket client sends none. */
  clientProtocolVersion: string | undefined
  /** The `pack` query parameter: how the client can read packed sync answers, if it can. */
  packing?: string | undefined
  /** The peer's address, for the per-address connection limit. */
  address: string
  /** Decides access again, with the same credentials (after a board is locked or unlocked). */
  recheck?: () => Promise<BoardAccess>
}

/** Takes upgraded sockets of /sync/:boardId and runs them in their rooms. */
/** How long after a console's last look rooms keep summarising their boards (it polls every few seconds). */
const SUMMARIES_WATCH_MS = 10 * 60_000

export class SyncServer {
  readonly rooms: RoomManager
  private readonly connections = new Set<Connection>()
  private readonly perAddress = new Map<string, number>()
  private readonly perEvent = new Map<string, number>()
  private readonly heartbeat: NodeJS.Timeout
  private closing = false
  /** When a facilitator console last asked for the boards' summaries (see watchSummaries). */
  private summariesWatchedAt = 0

  constructor(private readonly options: SyncServerOptions) {
    this.rooms = new RoomManager({
      storage: options.storage,
      logger: options.logger,
      metrics: options.metrics,
      roomIdleMs: options.roomIdleMs,
      restAfterMs: options.restAfterMs,
      describeAtRest: options.describeAtRest,
      onLive: options.onLive,
      reclaimMemory: options.reclaimMemory ?? false,
      compactAfterUpdates: options.compactAfterUpdates,
      maxAwarenessStateBytes: options.limits.maxAwarenessStateBytes,
      maxBoardBytes: options.limits.maxBoardBytes,
      summaryDelayMs: options.summaryDelayMs,
      summariesWanted: () => Date.now() - this.summariesWatchedAt < SUMMARIES_WATCH_MS,
      layout: options.layout,
      relay: options.relay,
      onAccessChanged: (boardId) => void this.recheckLocal([boardId]),
    })
    this.heartbeat = setInterval(() => {
      for (const connection of this.connections) connection.heartbeat()
    }, options.heartbeatMs)
    this.heartbeat.unref()
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /**
   * Rejections happen after the upgrade, with a 44xx close code: y-websocket stops retrying on
   * those, whereas an HTTP error on the upgrade makes it retry forever.
   */
  accept(ws: WebSocket, boardId: string, accept: AcceptOptions): void {
    const { logger, metrics, limits } = this.options
    if (this.closing) {
      ws.close(CloseCode.ServerShuttingDown, 'server shutting down')
      return
    }
    if (!isValidBoardId(boardId)) {
      ws.close(CloseCode.UnknownBoard, 'invalid board id')
      return
    }
    if (accept.clientProtocolVersion !== undefined && accept.clientProtocolVersion !== String(PROTOCOL_VERSION)) {
      ws.close(CloseCode.VersionMismatch, `protocol ${accept.clientProtocolVersion}, server speaks ${PROTOCOL_VERSION}`)
      return
    }
    if ((this.perAddress.get(accept.address) ?? 0) >= limits.maxConnectionsPerAddress) {
      logger.warn('too many connections from one address', { limit: limits.maxConnectionsPerAddress })
      ws.close(CloseCode.TooManyConnections, 'too many connections from this address')
      return
    }
    const connection = new Connection(ws, boardId, limits, metrics, logger)
    connection.recheck = accept.recheck
    connection.packing = wholeStateFormat(accept.packing)
    connection.packedUpdates = readsPackedUpdates(accept.packing)
    this.connections.add(connection)
    count(this.perAddress, accept.address, +1)
    ws.on('close', () => {
      this.connections.delete(connection)
      count(this.perAddress, accept.address, -1)
      if (connection.eventId) count(this.perEvent, connection.eventId, -1)
      connection.onSocketClosed()
    })
    void this.admit(connection, accept.access)
  }

  private async admit(connection: Connection, access: Promise<BoardAccess>): Promise<void> {
    const { boardId } = connection
    let decision: BoardAccess
    try {
      decision = await access
    } catch (error) {
      this.options.logger.error('could not decide access to a board', { boardId, error: String(error) })
      connection.close(CloseCode.StorageFailure, 'could not check access')
      return
    }
    if (decision.kind === 'refuse') {
      connection.close(decision.code, decision.reason)
      return
    }
    if (decision.eventId) {
      if ((this.perEvent.get(decision.eventId) ?? 0) >= this.options.limits.maxConnectionsPerEvent) {
        connection.close(CloseCode.TooManyConnections, 'too many connections to this event')
        return
      }
      connection.eventId = decision.eventId
      count(this.perEvent, decision.eventId, +1)
    }
    connection.readOnly = decision.kind === 'read'
    connection.memberId = decision.memberId
    try {
      const room = await this.rooms.open(boardId)
      if (connection.isClosed) return
      this.rooms.keepAlive(room)
      connection.attach(room)
    } catch (error) {
      this.options.logger.error('could not load board', { boardId, error: String(error) })
      connection.close(CloseCode.StorageFailure, 'could not load board')
    }
  }

  /** Who is connected to each board right now: socket count and the participants among them. */
  presence(boardIds: readonly string[]): Map<string, { connections: number; memberIds: string[] }> {
    const wanted = new Set(boardIds)
    const result = new Map<string, { connections: number; memberIds: string[] }>()
    for (const connection of this.connections) {
      if (!wanted.has(connection.boardId) || connection.isClosed) continue
      const entry = result.get(connection.boardId) ?? { connections: 0, memberIds: [] }
      result.set(connection.boardId, entry)
      entry.connections++
      if (connection.memberId && !entry.memberIds.includes(connection.memberId)) entry.memberIds.push(connection.memberId)
    }
    return result
  }

  /**
   * Decides again who may write on these boards, for the connections already open: a lock makes
   * participants read-only at once, an unlock gives them their pen back, without a reconnect.
   */
  /** A console shows the boards' previews: rooms keep their summaries current for a while. */
  watchSummaries(): void {
    this.summariesWatchedAt = Date.now()
  }

  async recheckAccess(boardIds: readonly string[]): Promise<void> {
    // Instances with clients on these boards hear it on the boards' channels.
    for (const boardId of boardIds) this.options.relay?.publish(boardId, { kind: 'access-changed', payload: new Uint8Array(0) })
    await this.recheckLocal(boardIds)
  }

  private async recheckLocal(boardIds: readonly string[]): Promise<void> {
    const wanted = new Set(boardIds)
    const affected = [...this.connections].filter((connection) => wanted.has(connection.boardId) && !connection.isClosed && connection.recheck)
    await Promise.all(
      affected.map(async (connection) => {
        try {
          const decision = await (connection.recheck as () => Promise<BoardAccess>)()
          if (decision.kind === 'refuse') connection.close(decision.code, decision.reason)
          else connection.setReadOnly(decision.kind === 'read')
        } catch (error) {
          this.options.logger.error('could not recheck access to a board', { boardId: connection.boardId, error: String(error) })
        }
      }),
    )
  }

  /** Closes every connection of one participant (removed from the event). */
  disconnectMember(memberId: string): void {
    for (const connection of [...this.connections]) {
      if (connection.memberId === memberId) connection.close(CloseCode.Forbidden, 'removed from the event')
    }
  }

  /** Stops taking sockets, tells every client to reconnect elsewhere, and waits for every write. */
  async close(): Promise<void> {
    this.closing = true
    clearInterval(this.heartbeat)
    for (const connection of [...this.connections]) connection.close(CloseCode.ServerShuttingDown, 'server shutting down')
    await this.rooms.closeAll()
  }
}

function count(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by
  if (next <= 0) counts.delete(key)
  else counts.set(key, next)
}
