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
   * Nothing is made while the event loop was busy more than this share of the time since the last
   * look (0.25 by default): on a small machine the export thread shares the cores (often the
   * hyperthreads of one) with the thread serving the boards, whatever its priority.
   */
  maxLoopUtilization?: number
}

/** How often a busy server is looked at again before making sheets. */
const BUSY_RETRY_MS = 1000
const MAX_LOOP_UTILIZATION = 0.25

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
 * 0.18 s on a two-core machine. The organiser's view is made (the jury's scores included).
 */
export class SheetsAhead {
  /** Boards changed here and not made since, with when they last changed. */
  private readonly changedAt = new Map<string, number>()
  /** Events to make ready, in the order their boards settled. */
  private readonly due = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private closed = false
  /** The event loop's utilization when it was last looked at. */
  private lastLook = performance.eventLoopUtilization()

  constructor(private readonly options: SheetsAheadOptions) {}

  /** Updates of `boardId` were stored: its event is made ready once it stays unchanged for `delayMs`. */
  changed(boardId: string): void {
    if (this.closed) return
    this.changedAt.set(boardId, Date.now())
    this.scheduleSweep()
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
    try {
      for (const boardId of boardIds) {
        const owner = await this.options.store.findBoardOwner(boardId)
        // Team boards make the sheets; the live board holds the slides each team presented.
        if (owner && owner.kind !== 'plenary') this.due.add(owner.eventId)
      }
    } catch (error) {
      this.options.logger.warn('could not find the events of changed boards', { error: String(error) })
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
        await this.prepare(eventId)
        this.options.logger.debug('event export made ready', { eventId, ms: Math.round(performance.now() - started) })
      } catch (error) {
        // The export will make what is missing when asked; the next change tries again.
        this.options.logger.warn('could not make an event’s export ready', { eventId, error: String(error) })
      }
    }
  }

  private async prepare(eventId: string): Promise<void> {
    const { files, store } = this.options
    const event = await store.getEvent(eventId)
    if (!event) return
    const sources = await files.sources(event, true)
    const locales = files.localesOf(eventId)
    const teams: TeamEntries[] = []
    // One team at a time: an export asked meanwhile has its jobs in the thread after one of these.
    for (const source of sources) {
      await this.untilQuiet()
      if (this.closed) return
      const [entries] = await files.teamEntries([source], { md: locales, pdf: locales })
      teams.push(entries as TeamEntries)
    }
    // A board of the event changed meanwhile: the event's files wait until it settles too.
    if (sources.some((source) => this.changedAt.has(source.team.boardId))) return
    for (const locale of locales) {
      await this.untilQuiet()
      if (!this.closed) await files.eventEntries(eventId, sources, teams, locale, true)
    }
  }

  /** Resolves once the event loop was not busy more than maxLoopUtilization since the last look. */
  private async untilQuiet(): Promise<void> {
    const max = this.options.maxLoopUtilization ?? MAX_LOOP_UTILIZATION
    while (!this.closed) {
      const now = performance.eventLoopUtilization()
      const { utilization } = performance.eventLoopUtilization(now, this.lastLook)
      this.lastLook = now
      if (utilization <= max) return
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS).unref())
    }
  }
}

function first<T>(set: ReadonlySet<T>): T | undefined {
  for (const value of set) return value
  return undefined
}
