import schema from '../../../docs/project-sheet.schema.json'
import { eventsApi, type Team } from '../event/api.ts'
import type { Locale } from '../i18n.tsx'
import { readBoardCopy } from './boardSnapshot.ts'
import { type DownloadedFile, exportUrls, fetchFile } from './download.ts'
import { type BoardPainter, type BoardPicture, openPainter } from './drawBoard.tsx'
import { slugify, slugOfFilename, uniqueNames } from './names.ts'
import { type ZipEntry, zipFiles } from './zip.ts'
import type * as Y from 'yjs'

export type BundleStep = { kind: 'start' } | { kind: 'team'; n: number; total: number; name: string } | { kind: 'event' } | { kind: 'done' }

export interface BundleProgress {
  step: BundleStep
  /**
   * Units of work finished out of `total`: one per team, one for the event's own files. A team's
   * unit fills in fractions as its pictures are drawn.
   */
  done: number
  total: number
}

export interface BundleOptions {
  eventId: string
  token: string
  locale: Locale
  licenseKey?: string
  signal: AbortSignal
  onProgress(progress: BundleProgress): void
}

export interface BundleResult {
  blob: Blob
  filename: string
  /** Teams whose board could not be drawn: their sheets are in the bundle, their pictures are not. */
  missingPictures: Array<{ teamId: string; team: string; error: unknown }>
}

const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer())
const text = (value: string) => new TextEncoder().encode(value)

/** Marks a promise as handled, for work started ahead and awaited later (or never, when cancelled). */
function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}

/** Teams whose files and board are fetched while an earlier team's board is drawn. */
const LOOKAHEAD = 2

interface TeamWork {
  team: Team
  files: Promise<DownloadedFile[]>
  board: Promise<Y.Doc>
}

/**
 * The hidden editor, mounted for the first board and kept for the others. A drawing that fails
 * may leave it in any state: the next board gets a new one.
 */
function painterPool(licenseKey: string | undefined, signal: AbortSignal) {
  let painter: Promise<BoardPainter> | undefined
  const discard = (stale: Promise<BoardPainter>) => {
    if (painter === stale) painter = undefined
    stale.then((open) => open.close()).catch(() => {})
  }
  return {
    async draw(doc: Y.Doc, locale: Locale, onProgress: (fraction: number) => void): Promise<BoardPicture[]> {
      painter ??= ahead(openPainter({ licenseKey, signal }))
      const current = painter
      try {
        return await (await current).draw(doc, { locale, signal, onProgress })
      } catch (error) {
        discard(current)
        throw error
      }
    },
    async close(): Promise<void> {
      const last = painter
      painter = undefined
      await last?.then((open) => open.close()).catch(() => {})
    },
  }
}

/**
 * The event's ZIP with pictures, made in this browser: the server's files for every team (fiche.json,
 * fiche.md, fiche.pdf) and, drawn here, `pictures/board.png` and one PNG per template frame; at the
 * root notes.csv, event.pdf and fiche.schema.json, as in the server's export.zip. Boards are drawn
 * one at a time, each once (frames are cut out of the board's picture), by one hidden editor; the
 * next teams' files and boards are fetched meanwhile, so the network and the server's PDFs hide
 * behind the drawing.
 */
export async function buildBundle(options: BundleOptions): Promise<BundleResult> {
  const { eventId, token, locale, licenseKey, signal, onProgress } = options
  onProgress({ step: { kind: 'start' }, done: 0, total: 1 })
  const { event, teams } = await eventsApi.get(eventId, token)
  signal.throwIfAborted()

  const total = teams.length + 1
  const entries: ZipEntry[] = []
  const missingPictures: BundleResult['missingPictures'] = []
  const folderOf = uniqueNames()
  const prepare = (team: Team): TeamWork => ({
    team,
    files: ahead(Promise.all((['json', 'md', 'pdf'] as const).map((format) => fetchFile(exportUrls.teamSheet(eventId, team.id, format, locale), token, signal)))),
    board: ahead(readBoardCopy({ boardId: team.boardId, token, signal })),
  })
  const fetchEventFiles = () =>
    ahead(Promise.all([fetchFile(exportUrls.notesCsv(eventId, locale), token, signal), fetchFile(exportUrls.eventPdf(eventId, locale), token, signal)]))

  const queue: TeamWork[] = []
  let queued = 0
  let eventFiles: ReturnType<typeof fetchEventFiles> | undefined
  const fetchAhead = () => {
    while (queue.length < LOOKAHEAD && queued < teams.length) queue.push(prepare(teams[queued++]))
    if (queued === teams.length) eventFiles ??= fetchEventFiles()
  }
  const painter = painterPool(licenseKey, signal)
  try {
    for (let i = 0; i < teams.length; i++) {
      fetchAhead()
      const { team, files, board } = queue.shift() as TeamWork
      fetchAhead()
      const progress = (fraction: number) => onProgress({ step: { kind: 'team', n: i + 1, total: teams.length, name: team.name }, done: i + fraction, total })
      progress(0)

      // The files first: they were asked for a team or two ago and are usually here already.
      const [json, md, pdf] = await files
      const drawn = await board
        .then((doc) => painter.draw(doc, locale, (fraction) => progress(Math.min(fraction, 0.99))).finally(() => doc.destroy()))
        .catch((error: unknown): BoardPicture[] => {
          if (signal.aborted) throw error
          missingPictures.push({ teamId: team.id, team: team.name, error })
          return []
        })
      const folder = folderOf(slugOfFilename(json.filename, 'fiche-', '.json') ?? slugify(team.name, 'equipe'))
      entries.push(
        { name: `${folder}/fiche.json`, data: await bytes(json.blob), compress: true },
        { name: `${folder}/fiche.md`, data: await bytes(md.blob), compress: true },
        { name: `${folder}/fiche.pdf`, data: await bytes(pdf.blob) },
      )
      for (const picture of drawn) entries.push({ name: `${folder}/pictures/${picture.name}.png`, data: await bytes(picture.png) })
      signal.throwIfAborted()
    }
  } finally {
    await painter.close()
  }

  onProgress({ step: { kind: 'event' }, done: teams.length, total })
  const [csv, eventPdf] = await (eventFiles ?? fetchEventFiles())
  entries.push(
    { name: 'notes.csv', data: await bytes(csv.blob), compress: true },
    { name: 'event.pdf', data: await bytes(eventPdf.blob) },
    { name: 'fiche.schema.json', data: text(`${JSON.stringify(schema, null, 2)}\n`), compress: true },
  )
  const blob = await zipFiles(entries)
  signal.throwIfAborted()
  onProgress({ step: { kind: 'done' }, done: total, total })
  const eventSlug = slugOfFilename(csv.filename, '', '-notes.csv') ?? slugify(event.title, 'evenement')
  return { blob, filename: `${eventSlug}-export-complet.zip`, missingPictures }
}
