import { type EventLoopUtilization, performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import vm from 'node:vm'
import type { Logger } from '../logger.ts'
import type { SyncMetrics } from './syncMetrics.ts'

/**
 * Heap a live document holds per Yjs item, measured: a 2,000-shape board (53,000 entries) weighs
 * ~24 MB. Only used to decide when enough was released to be worth a collection.
 */
export const HEAP_BYTES_PER_ITEM = 450

export interface MemoryReclaimerOptions {
  /** Runs a full garbage collection; undefined turns the reclaimer off. */
  collect: (() => void) | undefined
  /**
   * Runs a collection of the young generation, `settleMs` before the full one (none: straight to the
   * full one). At a full collection V8 gives back its young generation's space (128 MB with 64 MB
   * semi-spaces) only if the program allocated little over the last 5 s, counted from the collection
   * before it: boards that were read and encoded as they went to rest count, unless a young
   * collection after them starts the count afresh (S8: 128 MB kept, RSS 360-400 MB instead of 245-270).
   */
  collectYoung?: (() => void) | undefined
  settleMs?: number
  /**
   * Gives the C heap's free pages back to the system (glibc's malloc_trim, see
   * @fabrique/native-memory), run `trimDelayMs` after the collection; undefined: collect only.
   */
  trimHeap?: (() => boolean | Promise<boolean>) | undefined
  trimDelayMs?: number
  /**
   * Compacts V8's heap and gives back the pages it no longer needs (see @fabrique/native-memory's
   * reduceV8Heap), run with the trim, before it. After the full collection the heap holds what is
   * alive only, and the compaction moves that (S8: 32 MB) instead of marking the dead boards too.
   */
  compactHeap?: (() => void) | undefined
  /** Collect once this much heap was released (estimated)... */
  minReleasedBytes: number
  /** ...and nothing more was released for this long (a batch of boards resting together)... */
  quietMs: number
  /** ...and the previous collection is at least this old... */
  minIntervalMs: number
  /**
   * ...and the event loop was busy at most this share of the time since the last release (0-1;
   * undefined: not checked). A busy server allocates, so V8 collects on its own; a full collection
   * forced in the middle of a push to every board, with them all live, stopped the loop for 1.1 s.
   */
  maxLoopUtilization?: number
  /**
   * Every this often (none: never), an idle server (event loop busy at most `idleUtilization` of the
   * time since the last look) whose V8 heap holds `minUnusedBytes` more unused space than after the
   * last reclaim (`unusedBytes`: committed minus used) runs a reclaim too, though no board was
   * released: a burst of connections that came and went (S8's churn) grows the young generation to
   * its 128 MB and leaves it there.
   */
  idleCheckMs?: number
  idleUtilization?: number
  minUnusedBytes?: number
  unusedBytes?: () => number
  /**
   * Whether the server holds nothing live (every board resting or unloaded): only then does the idle
   * check reclaim. With live boards the heap is large and what V8 holds unused comes and goes with
   * the editing: a full collection then took 0.8 s, and kept coming back.
   */
  nothingLive?: () => boolean
  logger: Logger
  metrics: SyncMetrics
}

/**
 * Gives the memory of boards that went to rest or were unloaded back to the system. V8 collects its
 * old generation when the program allocates, not when it idles: a server whose 50 boards of 2,000
 * shapes rested kept their 1.2 GB of dead documents (RSS 2.1 GB) for as long as it stayed quiet.
 * Once enough was released and things are quiet, one full collection returns it; it pauses the
 * event loop for the time it takes to mark what is still alive (tens of milliseconds on a heap of
 * resting boards), which is why it waits for a quiet moment and runs at most every `minIntervalMs`.
 *
 * The collection frees the documents, but most of a board's bytes are Node buffers and Yjs updates,
 * allocated with C's malloc: glibc keeps their pages, free between live ones, for later (S8: 860 MB
 * resident after the collection, of which 685 MB of free pages). `trimHeap` then gives them back
 * (S8: 245 MB); it runs a moment after the collection, once V8's background thread has freed the
 * buffers the collection found dead, on a thread of libuv's pool (it takes 100-300 ms).
 */
export class MemoryReclaimer {
  private released = 0
  private timer: NodeJS.Timeout | undefined
  private trimTimer: NodeJS.Timeout | undefined
  private lastRunMs = Number.NEGATIVE_INFINITY
  /** The young collection ran and nothing was released since: the full one comes next. */
  private youngCollected = false
  /** The event loop's utilisation when the current wait began. */
  private loopMark: EventLoopUtilization = performance.eventLoopUtilization()
  private idleTimer: NodeJS.Timeout | undefined
  /** The event loop's utilisation right after the last full collection. */
  private collectedMark: EventLoopUtilization = performance.eventLoopUtilization()
  private idleMark: EventLoopUtilization = performance.eventLoopUtilization()
  /**
   * Unused heap after the last reclaim. None at start: what starting the server left unused counts
   * (loading and compiling its modules leaves V8's heap at ~107 MB for 31 MB used), so that the
   * first idle check gives it back when nothing called reclaimStartUp (a server embedded in tests).
   */
  private unusedAfter = 0

  constructor(private readonly options: MemoryReclaimerOptions) {
    const { idleCheckMs, unusedBytes } = options
    if (options.collect && idleCheckMs && unusedBytes) {
      this.idleTimer = setInterval(() => this.checkIdle(), idleCheckMs)
      this.idleTimer.unref()
    }
  }

  /** A reclaim for an idle server whose heap grew unused space since the last one (see idleCheckMs). */
  private checkIdle(): void {
    const utilization = performance.eventLoopUtilization(this.idleMark).utilization
    this.idleMark = performance.eventLoopUtilization()
    if (this.timer || this.trimTimer || this.youngCollected) return
    if (utilization > (this.options.idleUtilization ?? 0.1)) return
    if (performance.now() - this.lastRunMs < this.options.minIntervalMs) return
    if (this.options.nothingLive && !this.options.nothingLive()) return
    const unused = this.options.unusedBytes?.() ?? 0
    if (unused - this.unusedAfter < (this.options.minUnusedBytes ?? Number.POSITIVE_INFINITY)) return
    this.options.logger.debug('memory reclaim: the idle heap holds unused space', { unusedMB: Math.round(unused / 1e6) })
    this.schedule(0)
  }

  /**
   * Gives back, at once, what starting the process left unused: loading and compiling the modules
   * leaves V8's heap at ~107 MB for 31 MB used, which no later collection hands back unless the
   * server idles first (RSS 182 → 143 MB). For the entry point, once it listens: no board is open
   * yet, so the pause (~180 ms: collection, compaction, trim) holds nobody up.
   */
  async reclaimStartUp(): Promise<void> {
    const { collect, compactHeap, trimHeap, logger } = this.options
    if (!collect) return
    const before = process.memoryUsage.rss()
    const started = performance.now()
    collect()
    compactHeap?.()
    try {
      await trimHeap?.()
    } catch (error) {
      logger.warn('could not give the C heap back', { error: String(error) })
    }
    this.lastRunMs = performance.now()
    this.noteUnusedAfter()
    logger.info('gave back the memory used to start', {
      rssBeforeMB: Math.round(before / 1e6),
      rssAfterMB: Math.round(process.memoryUsage.rss() / 1e6),
      ms: Math.round(performance.now() - started),
    })
  }

  /** A document of `items` Yjs items was dropped (rested or unloaded). */
  noteReleased(items: number): void {
    if (!this.options.collect) return
    this.released += items * HEAP_BYTES_PER_ITEM
    this.youngCollected = false
    if (this.released < this.options.minReleasedBytes) return
    this.schedule(this.options.quietMs)
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer)
    this.loopMark = performance.eventLoopUtilization()
    this.timer = setTimeout(() => this.run(), delayMs)
    this.timer.unref()
  }

  private run(): void {
    this.timer = undefined
    const wait = this.lastRunMs + this.options.minIntervalMs - performance.now()
    if (wait > 0) {
      this.schedule(wait)
      return
    }
    const { maxLoopUtilization } = this.options
    if (maxLoopUtilization !== undefined) {
      const utilization = performance.eventLoopUtilization(this.loopMark).utilization
      if (utilization > maxLoopUtilization) {
        this.options.logger.debug('memory reclaim postponed: the server is busy', { utilization: Math.round(utilization * 100) / 100 })
        this.youngCollected = false
        this.schedule(this.options.quietMs)
        return
      }
    }
    const { collectYoung } = this.options
    if (collectYoung && !this.youngCollected) {
      collectYoung()
      this.youngCollected = true
      this.schedule(this.options.settleMs ?? 0)
      return
    }
    this.youngCollected = false
    const before = process.memoryUsage.rss()
    const started = performance.now()
    this.options.collect?.()
    this.collectedMark = performance.eventLoopUtilization()
    const seconds = (performance.now() - started) / 1000
    this.lastRunMs = performance.now()
    this.options.metrics.reclaimSeconds.observe(seconds)
    this.options.logger.info('returned the memory of resting boards', {
      releasedMB: Math.round(this.released / 1e6),
      rssBeforeMB: Math.round(before / 1e6),
      rssAfterMB: Math.round(process.memoryUsage.rss() / 1e6),
      ms: Math.round(seconds * 1000),
    })
    this.released = 0
    if (this.options.trimHeap || this.options.compactHeap) {
      clearTimeout(this.trimTimer)
      this.trimTimer = setTimeout(() => void this.trim(), this.options.trimDelayMs ?? 0)
      this.trimTimer.unref()
    } else {
      this.noteUnusedAfter()
    }
  }

  private noteUnusedAfter(): void {
    this.unusedAfter = this.options.unusedBytes?.() ?? 0
  }

  private async trim(): Promise<void> {
    this.trimTimer = undefined
    // The compaction pauses the loop (100-200 ms): not if the server got busy since the collection.
    const { maxLoopUtilization } = this.options
    const busy = maxLoopUtilization !== undefined && performance.eventLoopUtilization(this.collectedMark).utilization > maxLoopUtilization
    if (busy && this.options.compactHeap) this.options.logger.debug('heap compaction skipped: the server got busy')
    if (this.options.compactHeap && !busy) {
      const before = process.memoryUsage.rss()
      const started = performance.now()
      this.options.compactHeap()
      const seconds = (performance.now() - started) / 1000
      this.options.metrics.heapCompactSeconds.observe(seconds)
      this.options.logger.info('compacted the heap of resting boards', {
        rssBeforeMB: Math.round(before / 1e6),
        rssAfterMB: Math.round(process.memoryUsage.rss() / 1e6),
        ms: Math.round(seconds * 1000),
      })
    }
    this.noteUnusedAfter()
    if (!this.options.trimHeap) return
    const before = process.memoryUsage.rss()
    const started = performance.now()
    let released: boolean | undefined
    try {
      released = await this.options.trimHeap?.()
    } catch (error) {
      this.options.logger.warn('could not give the C heap back', { error: String(error) })
      return
    }
    const seconds = (performance.now() - started) / 1000
    this.options.metrics.heapTrimSeconds.observe(seconds)
    this.options.logger.info('returned the free pages of the C heap', {
      released,
      rssBeforeMB: Math.round(before / 1e6),
      rssAfterMB: Math.round(process.memoryUsage.rss() / 1e6),
      ms: Math.round(seconds * 1000),
    })
  }

  dispose(): void {
    clearInterval(this.idleTimer)
    clearTimeout(this.timer)
    clearTimeout(this.trimTimer)
    this.timer = undefined
    this.trimTimer = undefined
  }
}

/** V8's collection of the young generation only (see fullCollection). */
export function youngCollection(): (() => void) | undefined {
  const gc = fullCollection() as ((options?: { type: 'minor' }) => void) | undefined
  return gc && (() => gc({ type: 'minor' }))
}

/**
 * V8's full collection, without starting Node with --expose-gc: the flag exposes `gc` to contexts
 * created after it is set. Undefined if this V8 refuses.
 */
export function fullCollection(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc
  if (typeof existing === 'function') return existing
  try {
    v8.setFlagsFromString('--expose-gc')
    const gc: unknown = vm.runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}
