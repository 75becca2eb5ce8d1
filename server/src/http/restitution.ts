import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  IDLE_RESTITUTION,
  LIVE_MAP,
  LiveKey,
  newBoardId,
  nextRestitution,
  type RestitutionState,
  type SlideState,
} from '@fabrique/protocol'
import type { Context } from 'hono'
import type * as Y from 'yjs'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventRecord, EventStore } from '../events/types.ts'
import { JURY_CRITERIA, JURY_CRITERIA_TITLES, type JuryCriterion, type JuryStore, SCORE_MAX, SCORE_MIN, teamResults } from '../jury/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, invalidRequest, json, security, standardErrors, type Validation } from './routeKit.ts'

export interface RestitutionRoutesOptions {
  store: EventStore
  jury: JuryStore
  signer: TokenSigner
  updateBoard<T>(boardId: string, change: (doc: Y.Doc) => T): Promise<T>
}

const errors = standardErrors('Unknown event, team or board')
const JUROR_TOKEN_DAYS = 7

const RestitutionBody = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('setup'),
      order: z.array(z.string().min(1).max(64)).max(200),
      pitchSeconds: z.number().int().min(30).max(3600).optional(),
      questionsSeconds: z.number().int().min(0).max(3600).optional(),
    }),
    z.object({ action: z.literal('pitch') }),
    z.object({ action: z.literal('questions') }),
    z.object({ action: z.literal('next') }),
    z.object({ action: z.literal('previous') }),
    z.object({ action: z.literal('stop') }),
  ])
  .openapi('RestitutionAction')
const SlidesBody = z
  .object({ frameIds: z.array(z.string().regex(/^shape:[A-Za-z0-9_:-]{1,80}$/)).min(1).max(100), index: z.number().int().min(0), presenter: z.string().max(100) })
  .refine((body) => body.index < body.frameIds.length, { message: 'index beyond the slides', path: ['index'] })
  .openapi('Slides')
const ScoreValue = z.number().int().min(SCORE_MIN).max(SCORE_MAX).openapi({ description: 'The grid’s scale: 1 (weak) to 5 (outstanding), whole numbers' })
const ScoresBody = z
  .object({ scores: z.object(Object.fromEntries(JURY_CRITERIA.map((c) => [c, ScoreValue.optional()]))), comment: z.string().max(2000).default('') })
  .openapi('JuryScores')

/** A score off the grid gets a sentence a juror understands, naming the criteria to fix. */
const scoreOffGrid = (result: Validation, c: Context) => {
  if (result.success) return undefined
  const criteria = result.error.issues
    .filter((issue) => issue.path[0] === 'scores' && JURY_CRITERIA.includes(issue.path[1] as JuryCriterion))
    .map((issue) => JURY_CRITERIA_TITLES[issue.path[1] as JuryCriterion])
  if (criteria.length === 0) return invalidRequest(result, c)
  const list = (lang: 'fr' | 'en') => criteria.map((title) => title[lang]).join(', ')
  return early(
    apiError(
      c,
      400,
      'invalid_score',
      `Chaque critère se note de ${SCORE_MIN} à ${SCORE_MAX}, en nombre entier. À corriger : ${list('fr')}.`,
      `Each criterion is scored from ${SCORE_MIN} to ${SCORE_MAX}, in whole numbers. To fix: ${list('en')}.`,
    ),
  )
}

/** The end of the day: teams present in turn, the jury scores, the organiser publishes. */
export function restitutionRoutes(options: RestitutionRoutesOptions): OpenAPIHono {
  const { store, jury, signer } = options
  const authorise = createAuthoriser(store, signer)
  const app = createApiApp()
  const writeLive = <T>(event: EventRecord, change: (live: Y.Map<unknown>) => T) =>
    options.updateBoard(event.liveBoardId, (doc) => change(doc.getMap(LIVE_MAP)))
  const unknownEvent = (c: Context) => apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/restitution',
      summary: 'Set the running order and move through it: pitch, questions, next team (shown on the projection screen)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: RestitutionBody } }, required: true } },
      responses: { 200: json(z.object({ restitution: z.any(), serverNow: z.number() }), 'The running order after the change'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const change = c.req.valid('json')
      const auth = await authorise(c, eventId, 'facilitate')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(unknownEvent(c))
      if (change.action === 'setup') {
        const teams = new Set((await store.listTeams(eventId)).map((t) => t.id))
        const stranger = change.order.find((id) => !teams.has(id))
        if (stranger) return early(apiError(c, 404, 'unknown_team', `L’équipe ${stranger} n’est pas dans cet événement.`, `Team ${stranger} is not in this event.`))
      }
      const now = Date.now()
      const restitution = await writeLive(event, (live) => {
        const next = nextRestitution((live.get(LiveKey.Restitution) as RestitutionState | undefined) ?? IDLE_RESTITUTION, change, now)
        live.set(LiveKey.Restitution, next)
        return next
      })
      return c.json({ restitution, serverNow: now }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/boards/{boardId}/slides',
      summary: 'The presenter’s slides (frames in order) and the current one; followers show it within a second',
      security,
      request: {
        params: eventParams.extend({ boardId: z.string().min(1).max(64) }),
        body: { content: { 'application/json': { schema: SlidesBody } }, required: true },
      },
      responses: { 204: { description: 'Shown' }, ...errors },
    }),
    async (c) => {
      const { eventId, boardId } = c.req.valid('param')
      const body = c.req.valid('json')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(unknownEvent(c))
      const owner = await store.findBoardOwner(boardId)
      if (!owner || owner.eventId !== eventId || owner.kind !== 'team') {
        return early(apiError(c, 404, 'unknown_board', 'Ce tableau n’est pas celui d’une équipe de l’événement.', 'This is not a team board of the event.'))
      }
      const { role } = auth.capability
      const presenterOfTeam = role === 'participant' && auth.member?.teamId === owner.teamId
      if (!presenterOfTeam && role !== 'organiser' && role !== 'facilitator') {
        return early(apiError(c, 403, 'forbidden', 'Seule l’équipe présente ses diapositives.', 'Only the team presents its slides.'))
      }
      const slides: SlideState = { frameIds: body.frameIds, index: body.index, presenter: body.presenter, at: Date.now() }
      await writeLive(event, (live) => live.set(LiveKey.SlidesPrefix + boardId, slides))
      return early(c.body(null, 204))
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/jurors',
      summary: 'A jury member gives their name and gets their own scoring link (from the shared jury link)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(80) }) } }, required: true } },
      responses: { 201: json(z.object({ token: z.string(), juror: z.object({ id: z.string(), name: z.string() }) }), 'Juror'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      if (auth.capability.role !== 'jury') return early(apiError(c, 403, 'forbidden', 'Réservé au jury.', 'For the jury only.'))
      const juror = { id: `juror-${newBoardId()}`, name: c.req.valid('json').name }
      const exp = Math.floor(Date.now() / 1000) + JUROR_TOKEN_DAYS * 24 * 3600
      // The juror's name travels in the token: no account, and no table of jurors to keep.
      const token = signer.sign({ role: 'jury', eventId, memberId: juror.id, name: juror.name, exp } as never)
      return c.json({ token, juror }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/events/{eventId}/teams/{teamId}/scores',
      summary: 'A juror scores a team (1 to 5 per criterion); private until the organiser publishes',
      security,
      request: { params: eventParams.extend({ teamId: z.string().min(1).max(64) }), body: { content: { 'application/json': { schema: ScoresBody } }, required: true } },
      responses: { 200: json(z.object({ score: z.any() }), 'Saved'), ...errors },
    }),
    async (c) => {
      const { eventId, teamId } = c.req.valid('param')
      const body = c.req.valid('json')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const capability = auth.capability as typeof auth.capability & { name?: string }
      if (capability.role !== 'jury' || !capability.memberId?.startsWith('juror-')) {
        return early(apiError(c, 403, 'forbidden', 'Seuls les membres du jury notent, avec leur lien personnel.', 'Only jury members score, with their own link.'))
      }
      const team = await store.getTeam(teamId)
      if (!team || team.eventId !== eventId) return early(apiError(c, 404, 'unknown_team', 'Équipe introuvable.', 'Team not found.'))
      const score = await jury.saveScore({
        eventId,
        teamId,
        jurorId: capability.memberId,
        jurorName: capability.name ?? '?',
        scores: body.scores,
        comment: body.comment,
      })
      return c.json({ score }, 200)
    },
    scoreOffGrid,
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/scores',
      summary: 'Scores: every juror’s for organisers, one’s own for a juror; participants see results once published',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ scores: z.array(z.any()), results: z.array(z.any()).nullable(), publishedAt: z.string().nullable() }), 'Scores'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const publishedAt = (await jury.publishedAt(eventId)) ?? null
      const { role, memberId } = auth.capability
      if (role === 'organiser') {
        const scores = await jury.listScores(eventId)
        return c.json({ scores, results: teamResults(scores), publishedAt }, 200)
      }
      if (role === 'jury') return c.json({ scores: memberId ? await jury.listScores(eventId, memberId) : [], results: null, publishedAt }, 200)
      if (!publishedAt) {
        return early(apiError(c, 403, 'results_not_published', 'Les résultats ne sont pas encore publiés.', 'The results are not published yet.'))
      }
      return c.json({ scores: [], results: teamResults(await jury.listScores(eventId)), publishedAt }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/results/publish',
      summary: 'Publish the jury’s results to everyone in the event',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ publishedAt: z.string() }), 'Published'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.update')
      if (auth instanceof Response) return early(auth)
      return c.json({ publishedAt: await jury.publish(eventId) }, 200)
    },
  )

  return app
}
