import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { notesCsv, type ProjectSheet, SHEET_FORMATS, type SheetFormat, type SheetJury, slugify, toMarkdown } from '@fabrique/export'
import { LIVE_MAP, LiveKey, type SlideState } from '@fabrique/protocol'
import type { Context } from 'hono'
import type { TokenSigner } from '../auth/tokens.ts'
import { JURY_CRITERIA, JURY_CRITERIA_TITLES, type JuryStore, teamResults } from '../jury/types.ts'
import type { EventRecord, EventStore, Member, Team } from '../events/types.ts'
import { ExportThread } from '../exportThread/exportThread.ts'
import { docOfUpdates } from '../exportThread/storedDoc.ts'
import type { Logger } from '../logger.ts'
import type { BoardStorage } from '../storage/types.ts'
import type { VoteStore } from '../votes/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'

/** What the board does not hold: public vote counts, the jury's means, the presented slides. */
interface SheetExtras {
  votes: Map<string, Record<string, number>>
  jury: Map<string, SheetJury> | null
  slides: Map<string, string[]>
}

export interface ExportRoutesOptions {
  store: EventStore
  votes: VoteStore
  jury: JuryStore
  signer: TokenSigner
  logger: Logger
  /**
   * A board's stored updates. Every update is stored before it is broadcast, so they are as current
   * as the boards people have open, and reading them neither loads a room nor keeps one alive.
   */
  loadBoard: BoardStorage['load']
}

const file = (type: string, description: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } }, description })
const errors = standardErrors('Unknown event or team')
const teamParams = eventParams.extend({
  teamId: z.string().min(1).max(64),
  file: z.enum(['sheet.json', 'sheet.md', 'sheet.pdf']).openapi({ description: 'The format, as a file name' }),
})
const langQuery = z.object({
  lang: z.enum(['fr', 'en']).default('fr').openapi({ description: 'Language of headings and fixed words; notes stay as written' }),
})
const zipQuery = langQuery.extend({
  formats: z
    .string()
    .max(64)
    .optional()
    .openapi({
      description:
        'The sheets’ formats, separated by commas, among json, md and pdf; all three when absent. `formats=json,md` gives the text bundle (every fiche.json and fiche.md, notes.csv, fiche.schema.json) without any PDF, in a fraction of the time. notes.csv is always in the bundle.',
      example: 'json,md',
    }),
})
const SheetBody = z
  .record(z.string(), z.unknown())
  .openapi('ProjectSheet', { description: 'A team’s project sheet; JSON Schema in docs/project-sheet.schema.json (schemaVersion 1)' })

/** nginx's code for a request the client gave up on; nobody reads it, logs do. */
const CLIENT_CLOSED_REQUEST = 499

/** Boards read at once: enough to export 50 boards quickly, few enough to keep serving. */
const CONCURRENCY = 4

const MEDIA = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  zip: 'application/zip',
} as const

/** Names are slugs (ASCII letters, digits, dashes), so the plain `filename` parameter is enough. */
const download = (type: string, filename: string) => ({
  'content-type': type,
  'content-disposition': `attachment; filename="${filename}"`,
  // Teams' work, for the people allowed to export it: no shared cache keeps a copy.
  'cache-control': 'private, no-store',
})

/** `?formats=json,md` → the formats, all three when absent; a refusal naming the first unknown one otherwise. */
function formatsOf(c: Context, raw: string | undefined): SheetFormat[] | Response {
  if (raw === undefined) return [...SHEET_FORMATS]
  const asked = raw.split(',').map((format) => format.trim().toLowerCase())
  const unknown = asked.find((format) => !(SHEET_FORMATS as readonly string[]).includes(format))
  if (unknown === undefined) return [...new Set(asked as SheetFormat[])]
  const fr = `Choisissez parmi ${SHEET_FORMATS.join(', ')}, séparés par des virgules (par exemple formats=json,md).`
  const en = `Choose among ${SHEET_FORMATS.join(', ')}, separated by commas (for example formats=json,md).`
  return unknown
    ? apiError(c, 400, 'unknown_format', `Format inconnu : « ${unknown} ». ${fr}`, `Unknown format: “${unknown}”. ${en}`)
    : apiError(c, 400, 'unknown_format', `Format manquant dans « ${raw} ». ${fr}`, `A format is missing in “${raw}”. ${en}`)
}

/**
 * Project sheets ("fiches projet"): every team's board read from storage into the fields the jury and
 * incubators expect, as JSON, Markdown, PDF, a CSV of every note, and one ZIP for the whole event.
 * Organisers, facilitators and jury only.
 */
export function exportRoutes(options: ExportRoutesOptions): OpenAPIHono {
  const { store, votes, logger } = options
  /** Where sheets, PDFs and ZIPs are made, off the event loop that serves the boards. */
  const thread = new ExportThread()
  const authorise = createAuthoriser(store, options.signer)
  const app = createApiApp()

  /** Who asked for each loaded event: jury scores go only to organisers and jurors until published. */
  const readerRoles = new WeakMap<EventRecord, string>()

  const loadEvent = async (c: Context, eventId: string): Promise<EventRecord | Response> => {
    const auth = await authorise(c, eventId, 'export')
    if (auth instanceof Response) return auth
    const event = await store.getEvent(eventId)
    if (!event) return apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')
    readerRoles.set(event, auth.capability.role)
    return event
  }

  /** The jury's means per team, when this reader may see them. */
  const juryByTeam = async (event: EventRecord): Promise<Map<string, SheetJury> | null> => {
    const role = readerRoles.get(event)
    if (role !== 'organiser' && role !== 'jury' && !(await options.jury.publishedAt(event.id))) return null
    const scores = await options.jury.listScores(event.id)
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
  const slidesByBoard = async (event: EventRecord): Promise<Map<string, string[]>> => {
    const doc = docOfUpdates((await options.loadBoard(event.liveBoardId)).updates)
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

  const extrasOf = async (event: EventRecord): Promise<SheetExtras> => {
    const [votes, jury, slides] = await Promise.all([voteCounts(event.id), juryByTeam(event), slidesByBoard(event)])
    return { votes, jury, slides }
  }

  /** Dots per board and note, from the votes whose results are public (revealed or closed). */
  const voteCounts = async (eventId: string): Promise<Map<string, Record<string, number>>> => {
    const counts = new Map<string, Record<string, number>>()
    for (const session of await votes.listSessions(eventId)) {
      if (!session.revealed && session.status !== 'closed') continue
      for (const { boardId, shapeId, count } of await votes.tally(session.id)) {
        const board = counts.get(boardId) ?? {}
        board[shapeId] = (board[shapeId] ?? 0) + count
        counts.set(boardId, board)
      }
    }
    return counts
  }

  /** A team's sheet, made in the export thread from the board's stored updates. */
  const sheetOf = async (event: EventRecord, team: Team, members: readonly Member[], extras: SheetExtras, signal?: AbortSignal): Promise<ProjectSheet> => {
    const { updates } = await options.loadBoard(team.boardId)
    const challenge = event.challenges.find((candidate) => candidate.id === team.challengeId)
    const context = {
      event: { id: event.id, title: event.title, date: event.date },
      team: { id: team.id, name: team.name, boardId: team.boardId },
      members: members.filter((member) => member.teamId === team.id).map((member) => member.pseudonym),
      challenge: challenge ? { title: challenge.title, description: challenge.description, datasets: challenge.datasets } : null,
      votes: extras.votes.get(team.boardId) ?? {},
      jury: extras.jury?.get(team.id) ?? null,
      slides: extras.slides.get(team.boardId) ?? null,
    }
    return thread.run({ op: 'sheet', updates, context }, signal)
  }

  /** Every team's sheet, in the event's team order, a few boards at a time. */
  const allSheets = async (event: EventRecord, signal?: AbortSignal): Promise<ProjectSheet[]> => {
    const started = Date.now()
    const [teams, members, extras] = await Promise.all([store.listTeams(event.id), store.listMembers(event.id), extrasOf(event)])
    const sheets = new Array<ProjectSheet>(teams.length)
    let next = 0
    const worker = async () => {
      while (next < teams.length) {
        const i = next++
        sheets[i] = await sheetOf(event, teams[i], members, extras, signal)
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, teams.length) }, worker))
    logger.info('project sheets extracted', { eventId: event.id, teams: teams.length, ms: Date.now() - started })
    return sheets
  }

  const eventSlug = (event: EventRecord) => slugify(event.title, 'evenement')

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/sheets',
      summary: 'Every team’s project sheet, as JSON',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ sheets: z.array(SheetBody) }), 'One sheet per team, in the order teams were created'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      return early(c.json({ sheets: await allSheets(event) }, 200, { 'cache-control': 'private, no-store' }))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/teams/{teamId}/{file}',
      summary: 'One team’s project sheet: sheet.json, sheet.md or sheet.pdf',
      security,
      request: { params: teamParams, query: langQuery },
      responses: {
        200: {
          content: {
            'application/json': { schema: SheetBody },
            'text/markdown': { schema: z.string() },
            'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
          },
          description: 'The sheet, as a download',
        },
        ...errors,
      },
    }),
    async (c) => {
      const { eventId, teamId, file: requested } = c.req.valid('param')
      const { lang } = c.req.valid('query')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const team = await store.getTeam(teamId)
      if (!team || team.eventId !== event.id) return early(apiError(c, 404, 'unknown_team', 'Équipe introuvable dans cet événement.', 'No such team in this event.'))
      const sheet = await sheetOf(event, team, await store.listMembers(event.id), await extrasOf(event))
      const name = `fiche-${slugify(team.name)}`
      switch (requested) {
        case 'sheet.json':
          return early(c.body(`${JSON.stringify(sheet, null, 2)}\n`, 200, download(MEDIA.json, `${name}.json`)))
        case 'sheet.md':
          return early(c.body(toMarkdown(sheet, lang), 200, download(MEDIA.md, `${name}.md`)))
        case 'sheet.pdf':
          return early(c.body(await thread.run({ op: 'pdf', sheets: [sheet], locale: lang, options: {} }), 200, download(MEDIA.pdf, `${name}.pdf`)))
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/notes.csv',
      summary: 'Every note of every team board as CSV (board, team, section, author, text, votes; UTF-8 with BOM)',
      security,
      request: { params: eventParams, query: langQuery },
      responses: { 200: file('text/csv', 'The notes'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const { lang } = c.req.valid('query')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      return early(c.body(notesCsv(await allSheets(event), lang), 200, download(MEDIA.csv, `${eventSlug(event)}-notes.csv`)))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/sheets.pdf',
      summary: 'Every team’s project sheet in one A4 PDF, each team from a new page',
      security,
      request: { params: eventParams, query: langQuery },
      responses: { 200: file('application/pdf', 'The sheets'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const { lang } = c.req.valid('query')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const pdf = await thread.run({ op: 'pdf', sheets: await allSheets(event), locale: lang, options: { title: event.title } })
      return early(c.body(pdf, 200, download(MEDIA.pdf, `${eventSlug(event)}-fiches.pdf`)))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/export.zip',
      summary: 'The whole event: a folder per team (fiche.json, fiche.md, fiche.pdf), notes.csv, event.pdf and fiche.schema.json; `formats` picks the sheets’ formats',
      security,
      request: { params: eventParams, query: zipQuery },
      responses: { 200: file('application/zip', 'The bundle'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const { lang, formats: rawFormats } = c.req.valid('query')
      const formats = formatsOf(c, rawFormats)
      if (formats instanceof Response) return early(formats)
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      // A client that gives up (cancel button, closed tab) stops the work between two teams.
      const { signal } = c.req.raw
      try {
        const zip = await thread.run({ op: 'zip', sheets: await allSheets(event, signal), options: { locale: lang, formats } }, signal)
        return early(c.body(zip, 200, download(MEDIA.zip, `${eventSlug(event)}-export.zip`)))
      } catch (error) {
        if (!signal.aborted) throw error
        logger.info('event export cancelled by the client', { eventId })
        return early(new Response(null, { status: CLIENT_CLOSED_REQUEST }))
      }
    },
  )

  return app
}
