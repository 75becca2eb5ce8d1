import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import QRCode from 'qrcode'
import type { TokenSigner } from '../auth/tokens.ts'
import { normaliseJoinCode } from '../events/joinCode.ts'
import type { EventRecord, EventStore } from '../events/types.ts'
import { previewSvg } from '@fabrique/export'
import type { BoardStats, BoardSummary } from '../storage/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { clientAddress } from './clientAddress.ts'
import { apiError } from './errors.ts'
import type { RateLimiter } from './rateLimit.ts'
import { BoardCard, ErrorBody, Event, EventPatchBody, JoinBody, Links, Me, Member, NewEventBody, NewTeamBody, Team } from './schemas.ts'

export interface EventRoutesOptions {
  store: EventStore
  signer: TokenSigner
  joinLimiter: RateLimiter
  publicUrl: string | undefined
  /** Closes every sync connection of a member removed from the event. */
  disconnectMember(memberId: string): void
  /** Sockets and participants connected to each board now. */
  presence(boardIds: readonly string[]): Map<string, { connections: number; memberIds: string[] }>
  /** Size and last change of each board. */
  boardStats(boardIds: readonly string[]): Promise<Map<string, BoardStats>>
  /** Size past which a board refuses changes. */
  maxBoardBytes: number
  /** Summarises, from storage, the few boards of `stats` that no room summarised (see SummaryBackfill). */
  fillSummaries(stats: Map<string, BoardStats>): Promise<void>
  /** A board's last summary, preview boxes included. */
  boardSummary(boardId: string): Promise<BoardSummary | undefined>
}

const DAY = 24 * 3600
const STAFF_TOKEN_DAYS = 90
const PARTICIPANT_TOKEN_DAYS = 30

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })
const errors = {
  400: json(ErrorBody, 'Invalid request'),
  401: json(ErrorBody, 'Missing, invalid or expired token'),
  403: json(ErrorBody, 'Not allowed'),
  404: json(ErrorBody, 'Unknown event, team or member'),
} as const
const security = [{ bearer: [] }]



/**
 * The count and the preview's address: `shapes` is 0 for a board never written, null while a
 * written board has no summary yet (it comes with a following poll).
 */
function summaryOf(eventId: string, boardId: string, stats: BoardStats | undefined) {
  if (!stats) return { shapes: 0, preview: null }
  if (!stats.summary) return { shapes: null, preview: null }
  const path = `/api/events/${encodeURIComponent(eventId)}/boards/${encodeURIComponent(boardId)}/preview.svg`
  return { shapes: stats.summary.shapes, preview: `${path}?v=${stats.summary.at}` }
}

export function eventRoutes(options: EventRoutesOptions): OpenAPIHono {
  const { store, signer } = options
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return
      const detail = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
      return early(apiError(c, 400, 'invalid_request', `Requête invalide — ${detail}`, `Invalid request — ${detail}`))
    },
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A capability token from an event link or from /api/join' })

  const baseUrl = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin
  const linksFor = (c: Context, event: EventRecord) => {
    const exp = Math.floor(Date.now() / 1000) + STAFF_TOKEN_DAYS * DAY
    const base = baseUrl(c)
    // Tokens travel in the fragment: never sent to a server, never in an access log.
    return {
      organiser: `${base}/e/${event.id}/organise#token=${signer.sign({ role: 'organiser', eventId: event.id, exp })}`,
      facilitator: `${base}/e/${event.id}/facilitate#token=${signer.sign({ role: 'facilitator', eventId: event.id, exp })}`,
      jury: `${base}/e/${event.id}/jury#token=${signer.sign({ role: 'jury', eventId: event.id, exp })}`,
      join: `${base}/join/${event.joinCode}`,
      joinCode: event.joinCode,
    }
  }

  const authorise = createAuthoriser(store, signer)

  async function teamsWithMembers(event: EventRecord) {
    const [teams, members] = await Promise.all([store.listTeams(event.id), store.listMembers(event.id)])
    return teams.map((t) => {
      const own = members.filter((m) => m.teamId === t.id).map((m) => ({ id: m.id, pseudonym: m.pseudonym }))
      return { id: t.id, name: t.name, challengeId: t.challengeId, boardId: t.boardId, members: own, full: own.length >= event.settings.maxTeamSize }
    })
  }

  const notFound = (c: Context) => apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')
  const eventParams = z.object({ eventId: z.string().min(1).max(64) })

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events',
      summary: 'Create an event; returns the private organiser link and the other links',
      request: { body: { content: { 'application/json': { schema: NewEventBody } }, required: true } },
      responses: { 201: json(z.object({ event: Event, links: Links }), 'Created'), 400: errors[400] },
    }),
    async (c) => {
      const event = await store.createEvent(c.req.valid('json'))
      return c.json({ event, links: linksFor(c, event) }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}',
      summary: 'An event with its teams',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ event: Event, teams: z.array(Team) }), 'The event'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(notFound(c))
      return c.json({ event, teams: await teamsWithMembers(event) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/events/{eventId}',
      summary: 'Change the title, date, agenda or settings (organiser)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: EventPatchBody } }, required: true } },
      responses: { 200: json(z.object({ event: Event }), 'Updated'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.update')
      if (auth instanceof Response) return early(auth)
      const current = await store.getEvent(eventId)
      if (!current) return early(notFound(c))
      const patch = c.req.valid('json')
      const event = await store.updateEvent(eventId, { ...patch, settings: { ...current.settings, ...patch.settings } })
      return c.json({ event: event as EventRecord }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/links',
      summary: 'Fresh organiser, facilitator, jury and join links (organiser)',
      security,
      request: { params: eventParams },
      responses: { 200: json(Links, 'Links'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.links')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(notFound(c))
      return c.json(linksFor(c, event), 200)
    },
  )

  /**
   * Guessing protection counts wrong codes only: a venue where hundreds of people join through one
   * Wi-Fi address must not be slowed down, someone trying codes must.
   */
  const tooManyWrongCodes = (c: Context) => {
    const wait = options.joinLimiter.blocked(clientAddress(c))
    if (!wait) return undefined
    c.header('retry-after', String(wait))
    return early(apiError(c, 429, 'too_many_attempts', `Trop d’essais. Réessayez dans ${wait} s.`, `Too many attempts. Try again in ${wait} s.`))
  }
  const unknownCode = (c: Context) => {
    options.joinLimiter.hit(clientAddress(c))
    return early(apiError(c, 404, 'unknown_code', 'Code inconnu. Vérifiez-le auprès des organisateurs.', 'Unknown code. Check it with the organisers.'))
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/join/{code}',
      summary: 'What a participant sees before joining: the event, its challenges and teams',
      request: { params: z.object({ code: z.string().min(1).max(12) }) },
      responses: {
        200: json(z.object({ event: Event.pick({ id: true, title: true, date: true, challenges: true, settings: true }), teams: z.array(Team) }), 'The event'),
        404: errors[404],
        429: json(ErrorBody, 'Too many attempts'),
      },
    }),
    async (c) => {
      const refused = tooManyWrongCodes(c)
      if (refused) return early(refused)
      const event = await store.getEventByJoinCode(normaliseJoinCode(c.req.valid('param').code))
      if (!event) return unknownCode(c)
      const { id, title, date, challenges, settings } = event
      return c.json({ event: { id, title, date, challenges, settings }, teams: await teamsWithMembers(event) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/join/{code}/qr.svg',
      summary: 'The join URL as a QR code (SVG)',
      request: { params: z.object({ code: z.string().min(1).max(12) }) },
      responses: { 200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'QR code' }, 404: errors[404] },
    }),
    async (c) => {
      const event = await store.getEventByJoinCode(normaliseJoinCode(c.req.valid('param').code))
      if (!event) return early(apiError(c, 404, 'unknown_code', 'Code inconnu.', 'Unknown code.'))
      const svg = await QRCode.toString(`${baseUrl(c)}/join/${event.joinCode}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      return early(c.body(svg, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' }))
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/join',
      summary: 'Join an event with its code and a pseudonym; returns the participant token',
      request: { body: { content: { 'application/json': { schema: JoinBody } }, required: true } },
      responses: {
        201: json(z.object({ token: z.string(), member: Member, eventId: z.string() }), 'Joined'),
        400: errors[400],
        404: errors[404],
        429: json(ErrorBody, 'Too many attempts'),
      },
    }),
    async (c) => {
      const refused = tooManyWrongCodes(c)
      if (refused) return early(refused)
      const { code, pseudonym } = c.req.valid('json')
      const event = await store.getEventByJoinCode(normaliseJoinCode(code))
      if (!event) return unknownCode(c)
      const member = await store.addMember(event.id, pseudonym)
      const token = signer.sign({ role: 'participant', eventId: event.id, memberId: member.id, exp: Math.floor(Date.now() / 1000) + PARTICIPANT_TOKEN_DAYS * DAY })
      return c.json({ token, member: { id: member.id, pseudonym: member.pseudonym, teamId: member.teamId }, eventId: event.id }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/me',
      summary: 'Who this token is in the event (to restore a returning participant)',
      security,
      request: { params: eventParams },
      responses: { 200: json(Me, 'Me'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      const m = auth.member
      return c.json({ role: auth.capability.role, eventId, member: m ? { id: m.id, pseudonym: m.pseudonym, teamId: m.teamId } : null }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/teams',
      summary: 'Create a team under a challenge; a participant who creates it joins it',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: NewTeamBody } }, required: true } },
      responses: { 201: json(z.object({ team: Team }), 'Created'), 409: json(ErrorBody, 'Name taken'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'team.create')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(notFound(c))
      const body = c.req.valid('json')
      if (body.challengeId && !event.challenges.some((ch) => ch.id === body.challengeId)) {
        return early(apiError(c, 400, 'unknown_challenge', 'Ce défi n’existe pas dans l’événement.', 'This challenge is not part of the event.'))
      }
      const team = await store.createTeam(eventId, body)
      if (!team) return early(apiError(c, 409, 'team_name_taken', 'Une équipe porte déjà ce nom.', 'A team already has this name.'))
      if (auth.member) await store.joinTeam(auth.member.id, team.id, event.settings.maxTeamSize)
      const created = (await teamsWithMembers(event)).find((t) => t.id === team.id)
      return c.json({ team: created as z.infer<typeof Team> }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/teams/{teamId}/join',
      summary: 'Join a team (participant); refused when the team is full',
      security,
      request: { params: eventParams.extend({ teamId: z.string().min(1).max(64) }) },
      responses: { 200: json(z.object({ member: Member }), 'Joined'), 409: json(ErrorBody, 'Team full'), ...errors },
    }),
    async (c) => {
      const { eventId, teamId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'team.join')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event || !auth.member) return early(notFound(c))
      const result = await store.joinTeam(auth.member.id, teamId, event.settings.maxTeamSize)
      if (!result.ok) {
        return early(
          result.reason === 'team-full'
            ? apiError(c, 409, 'team_full', `Cette équipe est complète (${event.settings.maxTeamSize} personnes au plus). Choisissez-en une autre ou créez la vôtre.`, `This team is full (${event.settings.maxTeamSize} people at most). Pick another one or create your own.`)
            : apiError(c, 404, 'unknown_team', 'Équipe introuvable.', 'Team not found.'),
        )
      }
      const m = result.member
      return c.json({ member: { id: m.id, pseudonym: m.pseudonym, teamId: m.teamId } }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/events/{eventId}/members/{memberId}',
      summary: 'Remove a participant (organiser); their open boards are disconnected at once',
      security,
      request: { params: eventParams.extend({ memberId: z.string().min(1).max(64) }) },
      responses: { 204: { description: 'Removed' }, ...errors },
    }),
    async (c) => {
      const { eventId, memberId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'member.remove')
      if (auth instanceof Response) return early(auth)
      const target = await store.getMember(memberId)
      if (!target || target.eventId !== eventId) return early(apiError(c, 404, 'unknown_member', 'Participant introuvable.', 'Participant not found.'))
      await store.removeMember(memberId)
      options.disconnectMember(memberId)
      return early(c.body(null, 204))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/boards',
      summary: 'Every board of the event with who is on it now and its last activity (facilitator console)',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ boards: z.array(BoardCard) }), 'Boards'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'boards.overview')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(notFound(c))
      const teams = await teamsWithMembers(event)
      const boardIds = [event.plenaryBoardId, ...teams.map((t) => t.boardId)]
      const [presence, stats] = [options.presence(boardIds), await options.boardStats(boardIds)]
      await options.fillSummaries(stats)
      const members = new Map((await store.listMembers(eventId)).map((m) => [m.id, m.pseudonym]))
      const card = (boardId: string, team: (typeof teams)[number] | undefined) => {
        const here = presence.get(boardId)
        return {
          boardId,
          kind: team ? ('team' as const) : ('plenary' as const),
          team: team ? { id: team.id, name: team.name, challengeId: team.challengeId, members: team.members } : null,
          online: { connections: here?.connections ?? 0, members: (here?.memberIds ?? []).map((id) => ({ id, pseudonym: members.get(id) ?? '?' })) },
          lastActivity: stats.has(boardId) ? new Date(stats.get(boardId)?.lastActivity as number).toISOString() : null,
          size: { bytes: stats.get(boardId)?.bytes ?? 0, limit: options.maxBoardBytes },
          ...summaryOf(eventId, boardId, stats.get(boardId)),
        }
      }
      return c.json({ boards: [card(event.plenaryBoardId, undefined), ...teams.map((t) => card(t.boardId, t))] }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/boards/{boardId}/preview.svg',
      summary: 'A small picture of a board (160×100 SVG): frames as outlines, notes in their colour, other shapes in grey',
      description:
        'Use the `preview` address of the board’s card: its `v` changes whenever the board does, and an answer for the current `v` may be cached for good. Drawn from a summary the server keeps up to date a few seconds after each change, never from the whole document.',
      security,
      request: {
        params: eventParams.extend({ boardId: z.string().min(1).max(64) }),
        query: z.object({ v: z.string().max(20).optional().openapi({ description: 'Version of the preview, from the board card' }) }),
      },
      responses: { 200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'The preview' }, 304: { description: 'Not modified' }, ...errors },
    }),
    async (c) => {
      const { eventId, boardId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'boards.overview')
      if (auth instanceof Response) return early(auth)
      const event = await store.getEvent(eventId)
      if (!event) return early(notFound(c))
      const teams = await store.listTeams(eventId)
      if (boardId !== event.plenaryBoardId && !teams.some((t) => t.boardId === boardId)) {
        return early(apiError(c, 404, 'unknown_board', 'Ce tableau n’appartient pas à l’événement.', 'This board is not part of the event.'))
      }
      const summary = await options.boardSummary(boardId)
      const version = String(summary?.at ?? 0)
      const headers = {
        'content-type': 'image/svg+xml',
        etag: `"${version}"`,
        // The address carries the version: an answer for the current one never changes.
        'cache-control': c.req.valid('query').v === version ? 'private, max-age=31536000, immutable' : 'private, no-cache',
      }
      if (c.req.header('if-none-match') === headers.etag) return early(c.body(null, 304, headers))
      return early(c.body(previewSvg(summary?.boxes ?? []), 200, headers))
    },
  )


  return app
}
