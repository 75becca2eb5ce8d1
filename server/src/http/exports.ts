import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { entryContent, SHEET_FORMATS, type SheetFormat, slugify, type ZipEntry } from '@fabrique/export'
import type { Context } from 'hono'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventRecord, EventStore } from '../events/types.ts'
import type { SheetFiles, TeamSource } from '../exportThread/sheetFiles.ts'
import type { JuryStore } from '../jury/types.ts'
import type { Logger } from '../logger.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'

export interface ExportRoutesOptions {
  store: EventStore
  jury: JuryStore
  signer: TokenSigner
  logger: Logger
  /** Where the sheets' files are made and kept (shared with SheetsAhead). */
  files: SheetFiles
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

/** The format each file name of a team's sheet is in. */
const FILE_FORMATS = { 'sheet.json': 'json', 'sheet.md': 'md', 'sheet.pdf': 'pdf' } as const satisfies Record<string, SheetFormat>

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
  const { store, logger, files } = options
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

  /** What each team's sheet holds besides its board, for this reader: the jury's means when they may see them. */
  const sourcesOf = async (event: EventRecord): Promise<TeamSource[]> => {
    const role = readerRoles.get(event)
    const juryVisible = role === 'organiser' || role === 'jury' || Boolean(await options.jury.publishedAt(event.id))
    return files.sources(event, juryVisible)
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
      // The sheets' fiche.json as made (pretty-printed JSON), put together without parsing them.
      const entries = await files.teamEntries(await sourcesOf(event), { md: [], pdf: [] })
      const sheets = entries.map((entry) => new TextDecoder().decode(entryContent(entry.json)))
      return early(c.body(`{"sheets":[${sheets.join(',')}]}`, 200, { 'content-type': MEDIA.json, 'cache-control': 'private, no-store' }))
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
      const source = (await sourcesOf(event)).find((candidate) => candidate.team.id === teamId)
      if (!source) return early(apiError(c, 404, 'unknown_team', 'Équipe introuvable dans cet événement.', 'No such team in this event.'))
      const { team } = source
      const format = FILE_FORMATS[requested]
      const [entries] = await files.teamEntries([source], { md: format === 'md' ? [lang] : [], pdf: format === 'pdf' ? [lang] : [] })
      const entry = format === 'json' ? entries?.json : entries?.[format][lang]
      if (!entry) throw new Error(`the ${format} sheet of team ${team.id} was not made`)
      return early(c.body(entryContent(entry) as Uint8Array<ArrayBuffer>, 200, download(MEDIA[format], `fiche-${slugify(team.name)}.${format}`)))
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
      const sources = await sourcesOf(event)
      const { notesCsv } = await files.eventEntries(event.id, sources, await files.teamEntries(sources, { md: [], pdf: [] }), lang, false)
      return early(c.body(entryContent(notesCsv) as Uint8Array<ArrayBuffer>, 200, download(MEDIA.csv, `${eventSlug(event)}-notes.csv`)))
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
      const entries = await files.teamEntries(await sourcesOf(event), { md: [], pdf: [lang] })
      const pdf = await files.thread.run({ op: 'pdf', pdfs: entries.map((entry) => entry.pdf[lang] as ZipEntry), locale: lang, title: event.title })
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
        const zip = await files.zip(event, await sourcesOf(event), lang, formats, signal)
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
