import v8 from 'node:v8'
import { reduceV8Heap, trimHeapAsync } from '@fabrique/native-memory'
import type * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { BoardStorage } from '../storage/types.ts'
import type { Relay, RelayMessage } from './relay.ts'
import { uncorkAll } from './connection.ts'
import { fullCollection, MemoryReclaimer, youngCollection } from './memoryReclaimer.ts'
import { type ChangeAtRest, Room, type RoomDeps } from './room.ts'
import type { SyncMetrics } from './syncMetrics.ts'
import type { UpdateLayout } from './updateCheck.ts'

export interface RoomManagerOptions {
  storage: BoardStorage
  logger: Logger
  metrics: SyncMetrics
  roomIdleMs: number
  /** How long after its last change a board is kept encoded instead of live (0: never). */
  restAfterMs: number
  /** What is kept of a board's document while it rests, for changes made at rest (see RoomDeps). */
  describeAtRest?: (doc: Y.Doc) => unknown
  /** Called with each board's document as it becomes live (loaded or woken), see RoomDeps. */
  onLive?: (doc: Y.Doc) => void
  /** Run a full garbage collection once boards rested or unloaded (see memoryReclaimer.ts). */
  reclaimMemory: boolean
  compactAfterUpdates: number
  maxAwarenessStateBytes: number
  maxBoardBytes: number
  /** What clients may write into a board (see updateCheck.ts). */
  layout: UpdateLayout
  /** How long after a change a board's summary for the console is rewritten. */
  summaryDelayMs: number
  summariesWanted: () => boolean
  relay?: Relay
  /** Another instance changed who may write on this board (a lock). */
  onAccessChanged?: (boardId: string) => void
}

/** A full collection once ~100 MB of documents were dropped (four boards of 2,000 shapes)... */
const RECLAIM_AFTER_BYTES = 100 * 1024 * 1024
/** ...and none was dropped for 2 s: boards that rest together are collected together... */
const RECLAIM_QUIET_MS = 2_000
/** ...at most twice a minute. */
const RECLAIM_INTERVAL_MS = 30_000
/** ...and not while the event loop is busy more than half the time (see MemoryReclaimerOptions). */
const RECLAIM_MAX_LOOP_UTILIZATION = 0.5
/** A young collection runs first, and the full one this long after (V8 looks at the last 5 s). */
const RECLAIM_SETTLE_MS = 5_500
/** The C heap is trimmed this long after the collection, once V8 freed the dead buffers. */
const TRIM_AFTER_COLLECTION_MS = 1_000
/** An idle server (loop busy under 10 % of the time) looks this often at the space its heap holds unused... */
const RECLAIM_IDLE_CHECK_MS = 5_000
const RECLAIM_IDLE_UTILIZATION = 0.1
/** ...and reclaims once it holds this much more than after the last reclaim. */
const RECLAIM_UNUSED_BYTES = 32 * 1024 * 1024

/** How RoomManager.update may change a board besides `change`. */
export interface UpdateOptions<T> {
  /** Reads what the change needs, in a turn of the event loop before it (may take several). */
  prepare?: (doc: Y.Doc) => void | Promise<void>
  /**
   * The change for a resting board, made from what describeAtRest kept of it without decoding it
   * (undefined: decode it and make `change`). See Room.changeAtRest.
   */
  atRest?: (note: unknown) => ChangeAtRest<T> | undefined
}

/**
 * Room lifecycle in one place: one load per board however many join at once, unload a while after
 * the last peer leaves, and a coalesced awareness flush per event-loop turn for all rooms.
 */
export class RoomManager {
  private readonly rooms = new Map<string, Promise<Room>>()
  private readonly loaded = new Map<string, Room>()
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>()
  /** Rooms being unloaded: a new load of the same board waits for their last writes. */
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly awarenessDirty = new Set<Room>()
  private flushScheduled = false
  private readonly roomDeps: RoomDeps
  /** Relay messages for boards still loading: applied once they are. */
  private readonly heldRelayMessages = new Map<string, RelayMessage[]>()
  private readonly reclaimer: MemoryReclaimer
  private readonly storedListeners = new Set<(boardId: string) => void>()

  constructor(private readonly options: RoomManagerOptions) {
    this.reclaimer = new MemoryReclaimer({
      collect: options.reclaimMemory ? fullCollection() : undefined,
      collectYoung: options.reclaimMemory ? youngCollection() : undefined,
      settleMs: RECLAIM_SETTLE_MS,
      trimHeap: options.reclaimMemory ? trimHeapAsync : undefined,
      // A plain full collection leaves V8's old space fragmented and committed (116 MB for 32 MB used).
      compactHeap: options.reclaimMemory ? reduceV8Heap : undefined,
      trimDelayMs: TRIM_AFTER_COLLECTION_MS,
      minReleasedBytes: RECLAIM_AFTER_BYTES,
      quietMs: RECLAIM_QUIET_MS,
      minIntervalMs: RECLAIM_INTERVAL_MS,
      maxLoopUtilization: RECLAIM_MAX_LOOP_UTILIZATION,
      idleCheckMs: RECLAIM_IDLE_CHECK_MS,
      idleUtilization: RECLAIM_IDLE_UTILIZATION,
      minUnusedBytes: RECLAIM_UNUSED_BYTES,
      unusedBytes: () => {
        const heap = v8.getHeapStatistics()
        return heap.total_heap_size - heap.used_heap_size
      },
      nothingLive: () => this.restingCount === this.loadedCount,
      logger: options.logger,
      metrics: options.metrics,
    })
    this.roomDeps = {
      storage: options.storage,
      logger: options.logger,
      metrics: options.metrics,
      compactAfterUpdates: options.compactAfterUpdates,
      maxAwarenessStateBytes: options.maxAwarenessStateBytes,
      maxBoardBytes: options.maxBoardBytes,
      layout: options.layout,
      restAfterMs: options.restAfterMs,
      describeAtRest: options.describeAtRest,
      onLive: options.onLive,
      summaryDelayMs: options.summaryDelayMs,
      summariesWanted: options.summariesWanted,
      requestAwarenessFlush: (room) => this.requestAwarenessFlush(room),
      onReleased: (items) => this.reclaimer.noteReleased(items),
      onStored: (boardId) => {
        for (const listener of this.storedListeners) listener(boardId)
      },
      onEmpty: (room) => this.scheduleUnload(room),
      onFailed: (room) => this.forget(room),
      relay: options.relay,
    }
    options.relay?.onMessage((boardId, message) => this.onRelayed(boardId, message))
    options.relay?.onReconnect(() => {
      for (const room of this.loaded.values()) room.requestSync()
    })
  }

  private onRelayed(boardId: string, message: RelayMessage): void {
    if (message.kind === 'access-changed') {
      this.options.onAccessChanged?.(boardId)
      return
    }
    const room = this.loaded.get(boardId)
    if (room) room.receiveRelayed(message)
    else this.heldRelayMessages.get(boardId)?.push(message)
  }

  get loadedCount(): number {
    return this.loaded.size
  }

  /** Calls `listener` each time a room here stored updates of its board; returns what stops it. */
  onStored(listener: (boardId: string) => void): () => void {
    this.storedListeners.add(listener)
    return () => this.storedListeners.delete(listener)
  }

  /** See MemoryReclaimer.reclaimStartUp: for the entry point, once the server listens. */
  reclaimStartUpMemory(): Promise<void> {
    return this.reclaimer.reclaimStartUp()
  }

  /** Loaded boards held encoded, not as live documents. */
  get restingCount(): number {
    let resting = 0
    for (const room of this.loaded.values()) if (room.isResting) resting++
    return resting
  }

  /** The room of a board, loaded from storage once; concurrent callers share the same load. */
  open(boardId: string): Promise<Room> {
    let pending = this.rooms.get(boardId)
    if (!pending) {
      pending = this.load(boardId)
      this.rooms.set(boardId, pending)
      pending.catch(() => this.rooms.delete(boardId))
    }
    return pending
  }

  /**
   * With several instances: subscribe first, then read storage, so that an update is either in
   * storage or arrives on the channel; then ask the others for what they hold but did not store yet.
   */
  private async load(boardId: string): Promise<Room> {
    await this.unloading.get(boardId)
    const { relay } = this.options
    if (relay) {
      this.heldRelayMessages.set(boardId, [])
      await relay.subscribe(boardId)
    }
    try {
      const room = await Room.load(boardId, this.roomDeps)
      this.loaded.set(boardId, room)
      for (const message of this.heldRelayMessages.get(boardId) ?? []) room.receiveRelayed(message)
      room.requestSync()
      return room
    } catch (error) {
      if (relay) await relay.unsubscribe(boardId).catch(() => {})
      throw error
    } finally {
      this.heldRelayMessages.delete(boardId)
    }
  }

  /**
   * Changes a board from the server itself (a template push, a vote count): loads it if nobody has
   * it open, applies `change` in one transaction, and resolves once the result is stored and
   * broadcast. A board nobody has open is unloaded again after the idle delay. A resting board
   * takes `atRest` when it can; otherwise waking it, `prepare` (reading what the change needs) and
   * the change each take a turn of the event loop of their own, so that a push to every board never
   * holds it for all three.
   */
  async update<T>(boardId: string, change: (doc: Y.Doc) => T, { prepare, atRest }: UpdateOptions<T> = {}): Promise<T> {
    const room = await this.open(boardId)
    this.keepAlive(room)
    try {
      const rested = atRest && room.changeAtRest(atRest)
      if (rested) {
        await room.settled()
        return rested.result
      }
      if (room.isResting) {
        // Decoding a resting 2,000-shape board takes some 20 ms, the change as much again: a push
        // to every board of an event wakes them one after the other, each in a turn of its own.
        room.wake()
        await new Promise((resolve) => setImmediate(resolve))
      }
      if (prepare) {
        // What the change will read (a push: the board's outline), read in a turn before the write.
        await prepare(room.doc)
        await new Promise((resolve) => setImmediate(resolve))
      }
      const result = room.applyServerChange(change)
      await room.settled()
      return result
    } finally {
      if (room.peers.size === 0) this.scheduleUnload(room)
    }
  }

  /** Call when a peer joins, so that a pending unload is called off. */
  keepAlive(room: Room): void {
    const timer = this.idleTimers.get(room)
    if (timer) {
      clearTimeout(timer)
      this.idleTimers.delete(room)
    }
  }

  private scheduleUnload(room: Room): void {
    this.keepAlive(room)
    const timer = setTimeout(() => {
      this.idleTimers.delete(room)
      if (room.peers.size === 0) void this.unload(room)
    }, this.options.roomIdleMs)
    timer.unref()
    this.idleTimers.set(room, timer)
  }

  private async unload(room: Room): Promise<void> {
    if (this.loaded.get(room.boardId) !== room) return
    this.forget(room)
    const done = (async () => {
      await room.settled()
      await room.flushSummary()
      room.destroy()
      if (this.options.relay && !this.rooms.has(room.boardId)) await this.options.relay.unsubscribe(room.boardId).catch(() => {})
    })()
    this.unloading.set(room.boardId, done)
    try {
      await done
    } finally {
      if (this.unloading.get(room.boardId) === done) this.unloading.delete(room.boardId)
    }
    this.options.logger.debug('room unloaded', { boardId: room.boardId })
  }

  private forget(room: Room): void {
    this.keepAlive(room)
    this.awarenessDirty.delete(room)
    if (this.loaded.get(room.boardId) === room) {
      this.loaded.delete(room.boardId)
      this.rooms.delete(room.boardId)
    }
  }

  private requestAwarenessFlush(room: Room): void {
    this.awarenessDirty.add(room)
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      const rooms = [...this.awarenessDirty]
      this.awarenessDirty.clear()
      for (const r of rooms) r.flushAwareness()
      this.options.relay?.flush?.()
      uncorkAll()
    })
  }

  /** Waits for every room's writes, then drops them all (shutdown). */
  async closeAll(): Promise<void> {
    const rooms = [...this.loaded.values()]
    await Promise.all(rooms.map((room) => this.unload(room)))
    this.reclaimer.dispose()
  }
}
