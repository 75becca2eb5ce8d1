import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { LIVE_MAP, LiveKey, type LiveVote } from '@fabrique/protocol'
import type { Context } from 'hono'
import type * as Y from 'yjs'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventRecord, EventStore, Member } from '../events/types.ts'
import type { Logger } from '../logger.ts'
import type { CastResult, VoteSession, VoteStore } from '../votes/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'
import { ErrorBody } from './schemas.ts'

export interface VoteRoutesOptions {
  store: EventStore
  votes: VoteStore
  signer: TokenSigner
  logger: Logger
  updateBoard<T>(boardId: string, change: (doc: Y.Doc) => T): Promise<T>
}

const errors = {
  ...standardErrors('Unknown event, vote or board'),
  409: json(ErrorBody, 'Refused by the vote’s rules'),
} as const
const voteParams = eventParams.extend({ voteId: z.string().min(1).max(64) })

const NewVoteBody = z
  .object({
    boardIds: z.array(z.string().min(1).max(64)).min(1).max(1000).optional().openapi({ description: 'Default: every board of the event' }),
    votesPerPerson: z.number().int().min(1).max(50),
    maxPerNote: z.number().int().min(1).max(50),
    anonymous: z.boolean().default(true),
    durationSeconds: z.number().int().min(10).max(24 * 3600).optional(),
  })
  .refine((body) => body.maxPerNote <= body.votesPerPerson, { message: 'maxPerNote cannot exceed votesPerPerson', path: ['maxPerNote'] })
  .openapi('NewVote')
const BallotBody = z
  .object({ boardId: z.string().min(1).max(64), shapeId: z.string().regex(/^shape:[A-Za-z0-9_:-]{1,80}$/), delta: z.union([z.literal(1), z.literal(-1)]) })
  .openapi('Ballot')
const Ballots = z
  .object({ mine: z.array(z.object({ boardId: z.string(), shapeId: z.string(), count: z.number() })), remaining: z.number() })
  .openapi('MyVotes')
const VoteInfo = z
  .object({
    id: z.string(),
    boardIds: z.array(z.string()),
    votesPerPerson: z.number(),
    maxPerNote: z.number(),
    anonymous: z.boolean(),
    status: z.enum(['open', 'closed']),
    revealed: z.boolean(),
    closesAt: z.string().nullable(),
    results: z.array(z.object({ boardId: z.string(), shapeId: z.string(), count: z.number(), voters: z.array(z.string()).optional() })).nullable(),
  })
  .openapi('Vote')

const refusals: Record<Exclude<CastResult, { ok: true }>['reason'], { status: 404 | 409; fr: string; en: string }> = {
  'unknown-vote': { status: 404, fr: 'Ce vote n’existe pas.', en: 'This vote does not exist.' },
  closed: { status: 409, fr: 'Le vote est clos.', en: 'The vote is closed.' },
  'no-votes-left': { status: 409, fr: 'Vous avez utilisé toutes vos gommettes.', en: 'You have used all your dots.' },
  'note-full': { status: 409, fr: 'Vous avez mis le maximum de gommettes sur cette note.', en: 'You have put the most dots allowed on this note.' },
  'nothing-to-remove': { status: 409, fr: 'Vous n’avez pas de gommette sur cette note.', en: 'You have no dot on this note.' },
}

/** Dot voting: facilitators open, reveal and close; participants vote; the server keeps the quotas. */
export function voteRoutes(options: VoteRoutesOptions): OpenAPIHono {
  const { store, votes, logger } = options
  const authorise = createAuthoriser(store, options.signer)
  const app = createApiApp()
  const closeTimers = new Map<string, ReturnType<typeof setTimeout>>()

  const eventBoards = async (event: EventRecord) => [event.plenaryBoardId, ...(await store.listTeams(event.id)).map((t) => t.boardId)]

  /** The vote as every board sees it, with counts when revealed or closed (names unless anonymous). */
  const publicVote = async (session: VoteSession): Promise<LiveVote> => {
    let results: LiveVote['results'] = null
    if (session.revealed || session.status === 'closed') {
      const tally = await votes.tally(session.id)
      const names = session.anonymous ? undefined : new Map((await store.listMembers(session.eventId)).map((m) => [m.id, m.pseudonym]))
      results = tally.map(({ boardId, shapeId, count, memberIds }) => ({
        boardId,
        shapeId,
        count,
        ...(names ? { voters: memberIds.map((id) => names.get(id) ?? '?') } : {}),
      }))
    }
    const { id, boardIds, votesPerPerson, maxPerNote, anonymous, status, revealed, closesAt } = session
    return { id, boardIds, votesPerPerson, maxPerNote, anonymous, status, revealed, closesAt, results }
  }

  const publish = async (event: EventRecord, session: VoteSession): Promise<LiveVote> => {
    const vote = await publicVote(session)
    await options.updateBoard(event.liveBoardId, (doc) => doc.getMap(LIVE_MAP).set(LiveKey.Vote, vote))
    return vote
  }

  const close = async (event: EventRecord, sessionId: string): Promise<LiveVote | undefined> => {
    clearTimeout(closeTimers.get(sessionId))
    closeTimers.delete(sessionId)
    const closed = await votes.updateSession(sessionId, { status: 'closed' })
    return closed && publish(event, closed)
  }

  const findVote = async (c: Context, eventId: string, voteId: string, action: 'facilitate' | 'vote') => {
    const auth = await authorise(c, eventId, action)
    if (auth instanceof Response) return auth
    const event = await store.getEvent(eventId)
    if (!event) return apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')
    const session = await votes.getSession(voteId)
    if (!session || session.eventId !== eventId) return apiError(c, 404, 'unknown_vote', 'Ce vote n’existe pas.', 'This vote does not exist.')
    return { event, session, member: auth.member }
  }

  /** May this participant see the board they vote on? Their team's, the plenary, or any if the event allows. */
  const canSeeBoard = async (event: EventRecord, member: Member | undefined, boardId: string): Promise<boolean> => {
    if (!member) return false
    if (boardId === event.plenaryBoardId) return true
    const owner = await store.findBoardOwner(boardId)
    if (!owner || owner.eventId !== event.id || owner.kind !== 'team') return false
    return owner.teamId === member.teamId || event.settings.teamsCanViewOtherBoards
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/votes',
      summary: 'Open a dot vote on every board of the event, or on the boards listed',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: NewVoteBody } }, required: true } },
      responses: { 201: json(z.object({ vote: VoteInfo }), 'Opened'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const body = c.req.valid('json')
      const auth = await authorise(c, eventId, 'facilitate')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.'))
      const all = await eventBoards(event)
      const boardIds = body.boardIds ?? all
      const stranger = boardIds.find((id) => !all.includes(id))
      if (stranger) return early(apiError(c, 404, 'unknown_board', `Le tableau ${stranger} n’appartient pas à cet événement.`, `Board ${stranger} is not part of this event.`))
      // One vote at a time: opening a new one closes the previous.
      for (const previous of await votes.listSessions(eventId)) if (previous.status === 'open') await close(event, previous.id)
      const closesAt = body.durationSeconds ? new Date(Date.now() + body.durationSeconds * 1000).toISOString() : null
      const session = await votes.createSession({ eventId, boardIds, votesPerPerson: body.votesPerPerson, maxPerNote: body.maxPerNote, anonymous: body.anonymous, closesAt })
      if (body.durationSeconds) {
        // Ballots are refused past closesAt on every instance; this publishes the results on time.
        const timer = setTimeout(() => void close(event, session.id).catch((error) => logger.error('could not close a vote', { error: String(error) })), body.durationSeconds * 1000)
        timer.unref()
        closeTimers.set(session.id, timer)
      }
      return c.json({ vote: await publish(event, session) }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/votes/{voteId}/ballots',
      summary: 'Add (+1) or take back (-1) one of my dots on a note',
      security,
      request: { params: voteParams, body: { content: { 'application/json': { schema: BallotBody } }, required: true } },
      responses: { 200: json(Ballots, 'My dots after the change'), ...errors },
    }),
    async (c) => {
      const { eventId, voteId } = c.req.valid('param')
      const body = c.req.valid('json')
      const found = await findVote(c, eventId, voteId, 'vote')
      if (found instanceof Response) return early(found)
      const { event, session, member } = found
      if (!member) return early(apiError(c, 403, 'forbidden', 'Seuls les participants votent.', 'Only participants vote.'))
      if (!session.boardIds.includes(body.boardId) || !(await canSeeBoard(event, member, body.boardId))) {
        return early(apiError(c, 403, 'forbidden', 'Ce tableau ne fait pas partie de votre vote.', 'This board is not part of your vote.'))
      }
      const result = await votes.cast(session.id, member.id, body.boardId, body.shapeId, body.delta)
      if (!result.ok) {
        const refusal = refusals[result.reason]
        return early(apiError(c, refusal.status, result.reason.replace(/-/g, '_'), refusal.fr, refusal.en))
      }
      if (session.revealed) await publish(event, session)
      const used = result.mine.reduce((sum, ballot) => sum + ballot.count, 0)
      return c.json({ mine: result.mine, remaining: session.votesPerPerson - used }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/votes/{voteId}/mine',
      summary: 'My dots in this vote (others stay hidden until the facilitator reveals them)',
      security,
      request: { params: voteParams },
      responses: { 200: json(Ballots, 'My dots'), ...errors },
    }),
    async (c) => {
      const { eventId, voteId } = c.req.valid('param')
      const found = await findVote(c, eventId, voteId, 'vote')
      if (found instanceof Response) return early(found)
      if (!found.member) return c.json({ mine: [], remaining: 0 }, 200)
      const mine = await votes.ballotsOf(found.session.id, found.member.id)
      return c.json({ mine, remaining: found.session.votesPerPerson - mine.reduce((sum, ballot) => sum + ballot.count, 0) }, 200)
    },
  )

  for (const action of ['reveal', 'close'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/events/{eventId}/votes/{voteId}/${action}`,
        summary: action === 'reveal' ? 'Show the counts to everyone while the vote stays open' : 'Close the vote and show the ranked counts',
        security,
        request: { params: voteParams },
        responses: { 200: json(z.object({ vote: VoteInfo }), 'The vote'), ...errors },
      }),
      async (c) => {
        const { eventId, voteId } = c.req.valid('param')
        const found = await findVote(c, eventId, voteId, 'facilitate')
        if (found instanceof Response) return early(found)
        const vote =
          action === 'close'
            ? await close(found.event, found.session.id)
            : await publish(found.event, (await votes.updateSession(found.session.id, { revealed: true })) as VoteSession)
        return c.json({ vote: vote as LiveVote }, 200)
      },
    )
  }

  return app
}
