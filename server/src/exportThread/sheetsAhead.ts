import { performance } from 'node:perf_hooks'
import type { EventStore } from '../events/types.ts'
import type { Logger } from '../logger.ts'
import type { TeamEntries } from './jobs.ts'
import type { SheetFiles } from './sheetFiles.ts'

export interface SheetsAheadOptions {
  files: SheetFiles
  store: EventStore
  logger: Logger
  /** How long a board goes without a change before its event's sheets are made. */
  delayMs: number
  /**
   * Nothing is made while the event loop was busy more than this share of the time over the last
   * half second or more (0.5 by default): on a small machine the export thread shares the cores with
   * the thread serving the boards, whatever its priority.
   */
  maxLoopUtilization?: number
  /**
   * True while the server does something that must not share the cores (a facilitator's push to
   * every board): nothing is made meanwhile, whatever the event loop's load.
   */
  busy?: () => boolean
}

/** How often a busy server is looked at again before making sheets. */
const BUSY_RETRY_MS = 1000
/** The shortest stretch of time the event loop's utilization is measured over. */
const LOOK_WINDOW_MS = 500
/**
 * 0.25 until December 2026: S3a (500 people on 50 boards, a fifth of them moving their cursors)
 * keeps the loop busy 35-40 % of the time on the slower of the two-core machines measured, so that
 * sheets were never made during a live event, and the export at the end of the day made all of
 * them (9-11 s for 50 boards of 2,000 shapes). The push, the reason for a low bound, now holds the
 * sheets back itself (`busy`).
 */
const MAX_LOOP_UTILIZATION = 0.5

/**
 * Makes an event's export ready while the day goes on: a while after a team's board stops changing
 * (stored here, `changed`), every team's sheet files that are not kept yet are made (SheetFiles),
 * in the languages the event was exported in, then notes.csv and event.pdf once no board of the event
 * changes any more. The export at the end of the day, or the jury's sheets, then copy files: an
 * export of 50 boards of 2,000 shapes took ~30 s of reading boards and typesetting PDFs.
 *
 * The cost: a board is read again each time it rests after changes (~0.2 s of CPU for 2,000 shapes,
 * a few ms for a usual board), in the export thread, at the lowest priority, one job at a time (an
 * export asked meanwhile waits for one job at most), and only while the server is quiet: a template
 * push into 50 boards while the thread typeset sheets stalled the event loop 0.44-0.55 s instead of
 * 0.18 s on a two-core machine, so a push holds them back (`busy`). The organiser's view is made
 * (the jury's scores included).
 */
export class SheetsAhead {
  /** Boards changed here and not made since, with when they last changed. */
  private readonly changedAt = new Map<string, number>()
  /** Events to make ready, in the order their boards settled. */
  private readonly due = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private closed = false
  /** The event loop's counters when its utilization was last measured, and the time before. */
  private lastLook = performance.eventLoopUtilization()
  private olderLook = this.lastLook
  private eventsMade = 0
  /** Settled boards whose events are being looked up. */
  private looking = 0

  constructor(private readonly options: SheetsAheadOptions) {}

  /** Updates of `boardId` were stored: its event is made ready once it stays unchanged for `delayMs`. */
  changed(boardId: string): void {
    if (this.closed) return
    this.changedAt.set(boardId, Date.now())
    this.scheduleSweep()
  }

  /**
   * Boards changed and not made since, events waiting, and the event being made: 0 once every
   * change so far has its files made (for the metrics, and the benchmark's wait for it).
   */
  get pending(): number {
    return this.changedAt.size + this.looking + this.due.size + (this.running ? 1 : 0)
  }

  /** Events whose files were made ready, since the server started. */
  get made(): number {
    return this.eventsMade
  }

  /** Resolves once nothing is being made (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.changedAt.clear()
    this.due.clear()
    await this.idle()
  }

  private sweep(): void {
    this.timer = undefined
    const now = Date.now()
    const settled: string[] = []
    for (const [boardId, at] of this.changedAt) if (now - at >= this.options.delayMs) settled.push(boardId)
    for (const boardId of settled) this.changedAt.delete(boardId)
    if (this.changedAt.size > 0) this.scheduleSweep()
    if (settled.length > 0) void this.queue(settled)
  }

  /** Boards are looked at every second at most, or every `delayMs` when it is shorter. */
  private scheduleSweep(): void {
    this.timer ??= setTimeout(() => this.sweep(), Math.min(1000, this.options.delayMs)).unref()
  }

  private async queue(boardIds: readonly string[]): Promise<void> {
    this.looking += boardIds.length
    try {
      for (const boardId of boardIds) {
        const owner = await this.options.store.findBoardOwner(boardId)
        // Team boards make the sheets; the live board holds the slides each team presented.
        if (owner && owner.kind !== 'plenary') this.due.add(owner.eventId)
      }
    } catch (error) {
      this.options.logger.warn('could not find the events of changed boards', { error: String(error) })
    } finally {
      this.looking -= boardIds.length
    }
    this.kick()
  }

  private kick(): void {
    if (this.running || this.closed || this.due.size === 0) return
    this.running = this.drain().finally(() => {
      this.running = undefined
      this.kick()
    })
  }

  private async drain(): Promise<void> {
    for (let eventId = first(this.due); eventId !== undefined && !this.closed; eventId = first(this.due)) {
      this.due.delete(eventId)
      const started = performance.now()
      try {
        if (await this.prepare(eventId)) this.eventsMade++
        this.options.logger.debug('event export made ready', { eventId, ms: Math.round(performance.now() - started) })
      } catch (error) {
        // The export will make what is missing when asked; the next change tries again.
        this.options.logger.warn('could not make an event’s export ready', { eventId, error: String(error) })
      }
    }
  }

  /** True once every file of the event is made, false when some wait for a later turn. */
  private async prepare(eventId: string): Promise<boolean> {
    const { files, store } = this.options
    const event = await store.getEvent(eventId)
    if (!event) return false
    const sources = await files.sources(event, true)
    const locales = files.localesOf(eventId)
    const teams: TeamEntries[] = []
    let left = false
    // One team at a time: an export asked meanwhile has its jobs in the thread after one of these.
    for (const source of sources) {
      // Still changing: made once it settles (its event is due again then).
      if (this.changedAt.has(source.team.boardId)) {
        left = true
        continue
      }
      await this.untilQuiet()
      if (this.closed) return false
      const [entries] = await files.teamEntries([source], { md: locales, pdf: locales })
      teams.push(entries as TeamEntries)
    }
    // A board of the event was left, or changed meanwhile: the event's files wait until it settles
    // (one left may have settled since: `teams` lacks it all the same).
    if (left || sources.some((source) => this.changedAt.has(source.team.boardId))) return false
    for (const locale of locales) {
      await this.untilQuiet()
      if (this.closed) return false
      await files.eventEntries(eventId, sources, teams, locale, true)
    }
    return true
  }

  /** Resolves once the event loop is not busy more than maxLoopUtilization, nor the server otherwise (`busy`). */
  private async untilQuiet(): Promise<void> {
    const max = this.options.maxLoopUtilization ?? MAX_LOOP_UTILIZATION
    while (!this.closed) {
      if (this.loopUtilization() <= max && !this.options.busy?.()) return
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS).unref())
    }
  }

  /**
   * The event loop's utilization over the last LOOK_WINDOW_MS at least: measured from within a
   * turn, over the few milliseconds since the previous team's files (kept, nothing to make), it was
   * the turn itself, always busy, and each team then waited BUSY_RETRY_MS.
   */
  private loopUtilization(): number {
    const now = performance.eventLoopUtilization()
    const since = performance.eventLoopUtilization(now, this.lastLook)
    // Measured shortly after the last time: from the time before, LOOK_WINDOW_MS earlier at least.
    if (since.idle + since.active < LOOK_WINDOW_MS) return performance.eventLoopUtilization(now, this.olderLook).utilization
    this.olderLook = this.lastLook
    this.lastLook = now
    return since.utilization
  }
}

function first<T>(set: ReadonlySet<T>): T | undefined {
  for (const value of set) return value
  return undefined
}
