import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { resultsCsv, slugify } from '@fabrique/export'
import type { Context } from 'hono'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventStore } from '../events/types.ts'
import { rankResults } from '../jury/results.ts'
import { JURY_CRITERIA, JURY_CRITERIA_TITLES, type JuryStore } from '../jury/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'

export interface ResultsRoutesOptions {
  store: EventStore
  jury: JuryStore
  signer: TokenSigner
}

const errors = standardErrors('Unknown event')
const Localized = z.object({ fr: z.string(), en: z.string() })
const Results = z
  .object({
    eventId: z.string(),
    title: z.string(),
    publishedAt: z.string().nullable().openapi({ description: 'When the jury’s results were published to the event; null until then' }),
    criteria: z.array(z.object({ key: z.enum(JURY_CRITERIA), title: Localized })),
    jury: z
      .array(
        z.object({
          rank: z.number().int().nullable(),
          teamId: z.string(),
          teamName: z.string(),
          averages: z.record(z.string(), z.number()),
          overall: z.number().nullable(),
          jurors: z.number().int(),
        }),
      )
      .openapi({ description: 'Every team, best first: mean of the 1-5 scores per criterion, overall = mean of the criteria means; ties share a rank' }),
    audience: z.object({
      prize: z.object({ status: z.enum(['open', 'closed']), openedAt: z.string().nullable(), closedAt: z.string().nullable() }),
      ballots: z.number().int(),
      ranking: z.array(z.object({ rank: z.number().int(), teamId: z.string(), teamName: z.string(), votes: z.number().int() })),
    }),
  })
  .openapi('EventResults')

const download = (type: string, filename: string) => ({
  'content-type': type,
  'content-disposition': `attachment; filename="${filename}"`,
  'cache-control': 'private, no-store',
})

/** The organiser's results: the jury's ranking and the audience prize's, to read and to export. */
export function resultsRoutes(options: ResultsRoutesOptions): OpenAPIHono {
  const { store, jury } = options
  const authorise = createAuthoriser(store, options.signer)
  const app = createApiApp()

  const load = async (c: Context, eventId: string) => {
    const auth = await authorise(c, eventId, 'event.update')
    if (auth instanceof Response) return auth
    const event = await store.getEvent(eventId)
    if (!event) return apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')
    const [teams, scores, tally, prize, publishedAt] = await Promise.all([
      store.listTeams(eventId),
      jury.listScores(eventId),
      jury.audienceTally(eventId),
      jury.audiencePrize(eventId),
      jury.publishedAt(eventId),
    ])
    const ranked = rankResults(teams, scores, tally)
    return {
      event,
      results: {
        eventId,
        title: event.title,
        publishedAt: publishedAt ?? null,
        criteria: JURY_CRITERIA.map((key) => ({ key, title: JURY_CRITERIA_TITLES[key] })),
        jury: ranked.jury,
        audience: { prize, ballots: ranked.audience.reduce((sum, row) => sum + row.votes, 0), ranking: ranked.audience },
      },
    }
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/results.json',
      summary: 'The ranked results, jury and audience prize (organisers)',
      security,
      request: { params: eventParams },
      responses: { 200: json(Results, 'The results'), ...errors },
    }),
    async (c) => {
      const loaded = await load(c, c.req.valid('param').eventId)
      if (loaded instanceof Response) return early(loaded)
      const name = `${slugify(loaded.event.title, 'evenement')}-resultats.json`
      return early(c.body(`${JSON.stringify(loaded.results, null, 2)}\n`, 200, download('application/json; charset=utf-8', name)))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/results.csv',
      summary: 'The ranked results as CSV, one team per line in the jury’s order, with the audience ballots (organisers)',
      security,
      request: { params: eventParams },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'team_id, team, jury_rank, one column per criterion, jury_overall, jurors, audience_rank, audience_votes' }, ...errors },
    }),
    async (c) => {
      const loaded = await load(c, c.req.valid('param').eventId)
      if (loaded instanceof Response) return early(loaded)
      const { jury: juryRanking, audience } = loaded.results
      const rows = juryRanking.map((row) => {
        const votes = audience.ranking.find((entry) => entry.teamId === row.teamId)
        return {
          teamId: row.teamId,
          team: row.teamName,
          juryRank: row.rank,
          averages: row.averages,
          overall: row.overall,
          jurors: row.jurors,
          audienceRank: votes?.rank ?? null,
          audienceVotes: votes?.votes ?? 0,
        }
      })
      const name = `${slugify(loaded.event.title, 'evenement')}-resultats.csv`
      return early(c.body(resultsCsv(JURY_CRITERIA, rows), 200, download('text/csv; charset=utf-8', name)))
    },
  )

  return app
}
