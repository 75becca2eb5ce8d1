import { createHash } from 'node:crypto'
import {
  bundleFiles,
  type EventEntries,
  type SheetContext,
  type SheetFormat,
  type SheetJury,
  writeZip,
  type ZipEntry,
} from '@fabrique/export'
import { LIVE_MAP, LiveKey, type SlideState } from '@fabrique/protocol'
import type { Locale } from '@fabrique/templates'
import type { EventRecord, EventStore, Team } from '../events/types.ts'
import { JURY_CRITERIA, JURY_CRITERIA_TITLES, type JuryStore, teamResults } from '../jury/types.ts'
import type { Logger } from '../logger.ts'
import type { BoardStorage } from '../storage/types.ts'
import type { VoteStore } from '../votes/types.ts'
import { ExportThread } from './exportThread.ts'
import { entriesOf, type TeamEntries } from './jobs.ts'
import { docOfUpdates } from './storedDoc.ts'

export interface SheetFilesOptions {
  store: EventStore
  votes: VoteStore
  jury: JuryStore
  /**
   * Where boards are read. Every update is stored before it is broadcast, so the stored log is as
   * current as the boards people have open, and reading it neither loads a room nor keeps one alive.
   */
  storage: Pick<BoardStorage, 'load' | 'stats'>
  logger: Logger
  /** Bytes of made files kept for the next export; 0 keeps none. */
  maxBytes: number
}

/** A team's sheet as one reader gets it: the team, and what the sheet holds besides the board. */
export interface TeamSource {
  team: Team
  context: SheetContext
}

/** What a sheet is made of: the board's stored log (its version) and the context (its hash). */
interface Made<T> {
  version: string
  entries: T
  bytes: number
}

/** Boards read at once: enough to export 50 boards quickly, few enough to keep serving. */
const CONCURRENCY = 4

/** What the warm-up makes for an event nobody exported yet. */
const DEFAULT_LOCALES: readonly Locale[] = ['fr']

/**
 * Every team's project sheet as the files of an export (fiche.json, fiche.md, fiche.pdf, and the
 * event's notes.csv and event.pdf), made in the export thread and kept until the board or what the
 * sheet says besides it changes: an export of boards that did not change since the last one (or
 * since SheetsAhead made them) copies files instead of reading 50 boards and typesetting 100 PDFs.
 *
 * A kept file is valid while the board's stored log has the same version (BoardStorage.stats: any
 * append or compaction, by any instance, changes it) and the context is the same (team, members,
 * challenge, public votes, the jury's scores the reader may see, the slides): the key holds both.
 * The version is read before the log, so a file is never kept under a newer version than its content.
 * A sheet's `exportedAt` is when it was read from the board, which has not changed since.
 */
export class SheetFiles {
  /** Where sheets and their files are made, off the event loop that serves the boards (the ZIP is only copied together here). */
  readonly thread = new ExportThread()
  /** Kept files by what they are of (a team's board and context, or an event in a language), least recently used first. */
  private readonly kept = new Map<string, Made<TeamEntries | EventEntries>>()
  private keptBytes = 0
  /** Files being made, by what they are of: a second asker waits for them instead of making them again. */
  private readonly making = new Map<string, Promise<unknown>>()
  /** The languages each event was exported in, for SheetsAhead. */
  private readonly localesAsked = new Map<string, Set<Locale>>()

  constructor(private readonly options: SheetFilesOptions) {}

  /** What each team's sheet holds besides its board, in the event's team order; the jury's scores when `juryVisible`. */
  async sources(event: EventRecord, juryVisible: boolean): Promise<TeamSource[]> {
    const { store } = this.options
    const [teams, members, votes, jury, slides] = await Promise.all([
      store.listTeams(event.id),
      store.listMembers(event.id),
      this.voteCounts(event.id),
      juryVisible ? this.juryByTeam(event.id) : null,
      this.slidesByBoard(event),
    ])
    return teams.map((team) => {
      const challenge = event.challenges.find((candidate) => candidate.id === team.challengeId)
      const context: SheetContext = {
        event: { id: event.id, title: event.title, date: event.date },
        team: { id: team.id, name: team.name, boardId: team.boardId },
        members: members.filter((member) => member.teamId === team.id).map((member) => member.pseudonym),
        challenge: challenge ? { title: challenge.title, description: challenge.description, datasets: challenge.datasets } : null,
        votes: votes.get(team.boardId) ?? {},
        jury: jury?.get(team.id) ?? null,
        slides: slides.get(team.boardId) ?? null,
      }
      return { team, context }
    })
  }

  /** Each team's fiche.json, with its Markdown and PDF in the languages asked for, a few boards at a time. */
  async teamEntries(sources: readonly TeamSource[], want: { md: readonly Locale[]; pdf: readonly Locale[] }, signal?: AbortSignal): Promise<TeamEntries[]> {
    const versions = await this.versions(sources)
    const entries = new Array<TeamEntries>(sources.length)
    let next = 0
    const worker = async () => {
      while (next < sources.length) {
        const i = next++
        entries[i] = await this.teamEntry(sources[i] as TeamSource, versions.get((sources[i] as TeamSource).team.boardId) as string, want, signal)
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sources.length) }, worker))
    return entries
  }

  /** The event's ZIP: a folder per team with its sheet in `formats`, notes.csv, event.pdf with PDFs, the JSON's schema with JSON. */
  async zip(event: EventRecord, sources: readonly TeamSource[], locale: Locale, formats: readonly SheetFormat[], signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
    this.noteLocale(event.id, locale)
    const started = performance.now()
    const pdf = formats.includes('pdf')
    const want = { md: formats.includes('md') ? [locale] : [], pdf: pdf ? [locale] : [] }
    const teams = await this.teamEntries(sources, want, signal)
    const root = await this.eventEntries(event.id, sources, teams, locale, pdf, signal)
    const zip = writeZip(
      bundleFiles(
        teams.map((entries, i) => ({ name: (sources[i] as TeamSource).team.name, files: { json: entries.json, md: entries.md[locale], pdf: entries.pdf[locale] } })),
        root,
        formats,
      ),
    )
    this.options.logger.info('event exported', { eventId: event.id, teams: sources.length, formats: formats.join(','), bytes: zip.byteLength, ms: Math.round(performance.now() - started) })
    return zip
  }

  /**
   * notes.csv, and event.pdf when `pdf`, of the teams' sheets (`teams`, made by teamEntries for
   * `sources`, with their PDFs in `locale` for event.pdf); kept per event and language until one of
   * the sheets changes.
   */
  async eventEntries(eventId: string, sources: readonly TeamSource[], teams: readonly TeamEntries[], locale: Locale, pdf: boolean, signal?: AbortSignal): Promise<EventEntries> {
    const slot = `event:${eventId}:${locale}`
    // The teams' sheets, as kept: their fiche.json bytes say all there is (a sheet made again is new bytes).
    const hash = createHash('sha1')
    for (const entries of teams) hash.update(entries.json.data)
    const version = hash.digest('base64')
    return this.once(slot, async () => {
      const kept = this.kept.get(slot) as Made<EventEntries> | undefined
      const current = kept?.version === version ? kept : undefined
      if (current && (!pdf || current.entries.eventPdf)) return this.touch(slot, current).entries
      const pdfs = pdf ? teams.map((entries) => entries.pdf[locale]) : undefined
      if (pdfs?.some((entry) => !entry)) throw new Error(`event.pdf needs every team's PDF in ${locale}`)
      // Each team's rows of notes.csv when all were made in this language (with their files).
      const rows = teams.map((entries) => entries.csv[locale])
      const job = { op: 'event' as const, sheets: teams.map((entries) => entries.json), pdfs: pdfs as ZipEntry[] | undefined, locale }
      const made = await this.thread.run(rows.every((part) => part !== undefined) ? { ...job, rows: rows as ZipEntry[] } : job, signal)
      this.keep(slot, { version, entries: made, bytes: made.notesCsv.data.byteLength + (made.eventPdf?.data.byteLength ?? 0) })
      this.options.logger.debug('event files made', { eventId, teams: sources.length, locale, pdf })
      return made
    })
  }

  /** The languages the event was exported in, French when it never was: what SheetsAhead makes ready. */
  localesOf(eventId: string): Locale[] {
    return [...(this.localesAsked.get(eventId) ?? DEFAULT_LOCALES)]
  }

  /** Files kept now, in bytes. */
  get bytes(): number {
    return this.keptBytes
  }

  close(): Promise<void> {
    return this.thread.close()
  }

  private noteLocale(eventId: string, locale: Locale): void {
    const locales = this.localesAsked.get(eventId) ?? new Set(DEFAULT_LOCALES)
    locales.add(locale)
    this.localesAsked.set(eventId, locales)
  }

  /** Each board's stored version, read before any log (see the class comment); never-written boards have 'empty'. */
  private async versions(sources: readonly TeamSource[]): Promise<Map<string, string>> {
    const boardIds = sources.map((source) => source.team.boardId)
    const stats = await this.options.storage.stats(boardIds)
    return new Map(boardIds.map((boardId) => [boardId, stats.get(boardId)?.version ?? 'empty']))
  }

  private teamEntry(source: TeamSource, version: string, want: { md: readonly Locale[]; pdf: readonly Locale[] }, signal?: AbortSignal): Promise<TeamEntries> {
    const slot = `team:${source.team.boardId}:${createHash('sha1').update(JSON.stringify(source.context)).digest('base64')}`
    return this.once(slot, async () => {
      const kept = this.kept.get(slot) as Made<TeamEntries> | undefined
      const current = kept?.version === version ? kept : undefined
      const md = want.md.filter((locale) => !current?.entries.md[locale])
      const pdf = want.pdf.filter((locale) => !current?.entries.pdf[locale])
      if (current && md.length === 0 && pdf.length === 0) return this.touch(slot, current).entries
      const from = current ? { json: current.entries.json } : { updates: (await this.options.storage.load(source.team.boardId)).updates, context: source.context }
      const made = await this.thread.run({ op: 'team', from, md, pdf }, signal)
      const entries: TeamEntries = current
        ? { json: current.entries.json, md: { ...current.entries.md, ...made.md }, pdf: { ...current.entries.pdf, ...made.pdf }, csv: { ...current.entries.csv, ...made.csv } }
        : made
      this.keep(slot, { version, entries, bytes: sizeOf(entriesOf(entries)) })
      return entries
    })
  }

  /** Runs `make` for `slot` unless it is running already; then waits for that run and runs it after (it finds what it left). */
  private async once<T>(slot: string, make: () => Promise<T>): Promise<T> {
    for (let running = this.making.get(slot); running; running = this.making.get(slot)) await running.catch(() => {})
    const promise = make()
    this.making.set(slot, promise)
    try {
      return await promise
    } finally {
      if (this.making.get(slot) === promise) this.making.delete(slot)
    }
  }

  private touch<T extends Made<TeamEntries | EventEntries>>(slot: string, made: T): T {
    this.kept.delete(slot)
    this.kept.set(slot, made)
    return made
  }

  private keep(slot: string, made: Made<TeamEntries | EventEntries>): void {
    const previous = this.kept.get(slot)
    if (previous) {
      this.keptBytes -= previous.bytes
      this.kept.delete(slot)
    }
    if (made.bytes > this.options.maxBytes) return
    this.kept.set(slot, made)
    this.keptBytes += made.bytes
    for (const [oldest, old] of this.kept) {
      if (this.keptBytes <= this.options.maxBytes) break
      this.kept.delete(oldest)
      this.keptBytes -= old.bytes
    }
  }

  /** Dots per board and note, from the votes whose results are public (revealed or closed). */
  private async voteCounts(eventId: string): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>()
    for (const session of await this.options.votes.listSessions(eventId)) {
      if (!session.revealed && session.status !== 'closed') continue
      for (const { boardId, shapeId, count } of await this.options.votes.tally(session.id)) {
        const board = counts.get(boardId) ?? {}
        board[shapeId] = (board[shapeId] ?? 0) + count
        counts.set(boardId, board)
      }
    }
    return counts
  }

  /** The jury's means per team. */
  private async juryByTeam(eventId: string): Promise<Map<string, SheetJury>> {
    const scores = await this.options.jury.listScores(eventId)
    const byTeam = new Map<string, SheetJury>()
    for (const result of teamResults(scores)) {
      byTeam.set(result.teamId, {
        criteria: JURY_CRITERIA.map((key) => ({ key, title: JURY_CRITERIA_TITLES[key], average: result.averages[key] ?? null })),
        overall: result.overall,
        jurors: result.jurors,
        comments: scores.filter((score) => score.teamId === result.teamId && score.comment.trim()).map((score) => score.comment.trim()),
      })
    }
    return byTeam
  }

  /** The slides each team presented, from the event's live board. */
  private async slidesByBoard(event: EventRecord): Promise<Map<string, string[]>> {
    const doc = docOfUpdates((await this.options.storage.load(event.liveBoardId)).updates)
    try {
      const slides = new Map<string, string[]>()
      for (const [key, value] of doc.getMap(LIVE_MAP).entries()) {
        if (key.startsWith(LiveKey.SlidesPrefix)) slides.set(key.slice(LiveKey.SlidesPrefix.length), (value as SlideState).frameIds)
      }
      return slides
    } finally {
      doc.destroy()
    }
  }
}

function sizeOf(entries: ReadonlyArray<ZipEntry | undefined>): number {
  let bytes = 0
  for (const entry of entries) bytes += entry?.data.byteLength ?? 0
  return bytes
}
