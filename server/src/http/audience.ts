import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { LIVE_MAP, type LiveAudiencePrize, LiveKey } from '@fabrique/protocol'
import type * as Y from 'yjs'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventStore } from '../events/types.ts'
import type { JuryStore } from '../jury/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'
import { ErrorBody } from './schemas.ts'

export interface AudienceRoutesOptions {
  store: EventStore
  jury: JuryStore
  signer: TokenSigner
  updateBoard<T>(boardId: string, change: (doc: Y.Doc) => T): Promise<T>
}

const errors = {
  ...standardErrors('Unknown event or team'),
  409: json(ErrorBody, 'The audience vote is closed, or the team is the voter’s own'),
} as const

const Prize = z
  .object({ status: z.enum(['open', 'closed']), openedAt: z.string().nullable(), closedAt: z.string().nullable() })
  .openapi('AudiencePrize')
const Ballot = z
  .object({
    prize: Prize,
    choices: z.array(z.object({ teamId: z.string(), name: z.string() })).openapi({ description: 'The teams one may vote for: every team of the event but one’s own' }),
    mine: z.string().nullable().openapi({ description: 'The team I voted for, if I did' }),
    ownTeamId: z.string().nullable(),
  })
  .openapi('AudienceBallot')

/**
 * The audience prize ("prix du public"): the facilitators open and close it; each participant
 * votes for one team of the event, not their own. A second ballot replaces the first while the
 * vote is open (people change their minds after the last pitch), so one person counts once.
 */
export function audienceRoutes(options: AudienceRoutesOptions): OpenAPIHono {
  const { store, jury } = options
  const authorise = createAuthoriser(store, options.signer)
  const app = createApiApp()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/audience-prize',
      summary: 'Open or close the audience prize vote (organisers and facilitators)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: z.object({ open: z.boolean() }).openapi('AudiencePrizeChange') } }, required: true } },
      responses: { 200: json(z.object({ prize: Prize }), 'The vote after the change'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'facilitate')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.'))
      const prize = await jury.setAudienceOpen(eventId, c.req.valid('json').open)
      // Every board learns at once that the ballot is open (or closed); counts stay here.
      await options.updateBoard(event.liveBoardId, (doc) => doc.getMap(LIVE_MAP).set(LiveKey.AudiencePrize, prize satisfies LiveAudiencePrize))
      return c.json({ prize }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/audience-prize',
      summary: 'The audience prize as I see it: open or not, the teams I may vote for, my ballot',
      security,
      request: { params: eventParams },
      responses: { 200: json(Ballot, 'The ballot'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const ownTeamId = auth.member?.teamId ?? null
      const teams = await store.listTeams(eventId)
      const choices = teams.filter((team) => team.id !== ownTeamId).map((team) => ({ teamId: team.id, name: team.name }))
      const mine = auth.member ? ((await jury.audienceVoteOf(eventId, auth.member.id)) ?? null) : null
      return c.json({ prize: await jury.audiencePrize(eventId), choices, mine, ownTeamId }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/events/{eventId}/audience-prize/ballot',
      summary: 'Vote for a team (participants; not one’s own team). Voting again replaces the previous ballot while the vote is open',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: z.object({ teamId: z.string().min(1).max(64) }).openapi('AudienceVote') } }, required: true } },
      responses: { 200: json(z.object({ mine: z.string(), replaced: z.string().nullable() }), 'Counted'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const { teamId } = c.req.valid('json')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const { member } = auth
      if (auth.capability.role !== 'participant' || !member) {
        return early(apiError(c, 403, 'forbidden', 'Seuls les participants votent pour le prix du public.', 'Only participants vote for the audience prize.'))
      }
      const team = await store.getTeam(teamId)
      if (!team || team.eventId !== eventId) return early(apiError(c, 404, 'unknown_team', 'Cette équipe n’est pas dans l’événement.', 'This team is not part of the event.'))
      if (team.id === member.teamId) {
        return early(
          apiError(c, 409, 'own_team', 'Vous ne pouvez pas voter pour votre propre équipe : choisissez-en une autre.', 'You cannot vote for your own team: choose another one.'),
        )
      }
      const result = await jury.castAudienceVote(eventId, member.id, team.id)
      if (!result.ok) {
        return early(
          apiError(c, 409, 'audience_closed', 'Le vote du prix du public n’est pas ouvert. Attendez que l’animation l’ouvre.', 'The audience prize vote is not open. Wait for the facilitators to open it.'),
        )
      }
      return c.json({ mine: team.id, replaced: result.previousTeamId }, 200)
    },
  )

  return app
}
