import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { type BroadcastMessage, IDLE_TIMER, LIVE_MAP, LiveKey, nextTimer, type TimerState } from '@fabrique/protocol'
import { addToPreview } from '@fabrique/export'
import { getTemplate, isTemplateId, PushGround, placeTemplate, placeTemplateAtRest, prepareOutline, type SavedTemplate, type TemplateDefinition, withdrawPush } from '@fabrique/templates'
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import type * as Y from 'yjs'
import type { UpdateOptions } from '../sync/roomManager.ts'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventTemplateStore } from '../eventTemplates/types.ts'
import type { EventRecord, EventStore } from '../events/types.ts'
import type { Logger } from '../logger.ts'
import type { BoardSummary } from '../storage/types.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'

export interface FacilitationRoutesOptions {
  store: EventStore
  /** Templates saved by the event's facilitators, pushed like the built-in ones. */
  templates: EventTemplateStore
  signer: TokenSigner
  logger: Logger
  /** Changes a board from the server: loads it if nobody has it open, stores, broadcasts, unloads. */
  /** `prepare` reads what `change` will need, in a turn of the event loop before it (see RoomManager.update). */
  updateBoard<T>(boardId: string, change: (doc: Y.Doc) => T, options?: UpdateOptions<T>): Promise<T>
  /** Re-decides access of the connections on these boards (after a lock or an unlock). */
  recheckAccess(boardIds: readonly string[]): Promise<void>
}

const errors = standardErrors('Unknown event, board or template')
const BoardIds = z.array(z.string().min(1).max(64)).min(1).max(1000).optional().openapi({ description: 'Default: every board of the event' })

const PushBody = z
  .object({
    /** Chosen by the caller: retrying with the same id never writes a template twice. */
    pushId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _'),
    templateId: z.string().min(1).max(64).openapi({ description: 'A built-in template id, or the id of a template saved for the event' }),
    locale: z.enum(['fr', 'en']).openapi({ description: 'Language of a built-in template (an event template is pushed as saved)' }),
    boardIds: BoardIds,
  })
  .openapi('TemplatePush')

const PushOutcome = z.object({
  boardId: z.string(),
  status: z.enum(['placed', 'already', 'withdrawn', 'touched', 'not-pushed', 'already-withdrawn', 'failed']),
})
const PushReport = z.object({ pushId: z.string(), boards: z.array(PushOutcome) }).openapi('PushReport')

const LockBody = z.object({ locked: z.boolean(), boardIds: BoardIds }).openapi('Locks')
const LockState = z.object({ lockedBoardIds: z.array(z.string()) }).openapi('LockState')

const TimerBody = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('start'),
      phaseIndex: z.number().int().min(0).max(49).optional(),
      durationSeconds: z.number().int().min(1).max(24 * 3600).optional(),
      title: z.string().trim().max(120).optional(),
    }),
    z.object({ action: z.literal('pause') }),
    z.object({ action: z.literal('resume') }),
    z.object({ action: z.literal('extend'), seconds: z.number().int().min(-3600).max(3600) }),
    z.object({ action: z.literal('skip') }),
    z.object({ action: z.literal('stop') }),
  ])
  .openapi('TimerAction')
const Timer = z
  .object({
    phaseIndex: z.number(),
    title: z.string(),
    status: z.enum(['idle', 'running', 'paused']),
    durationMs: z.number(),
    remainingMs: z.number(),
    startedAt: z.number().nullable(),
  })
  .openapi('Timer')
const BroadcastBody = z.object({ text: z.string().trim().min(1).max(280) }).openapi('Broadcast')
const FollowBody = z
  .object({
    boardId: z.string().min(1).max(64),
    active: z.boolean(),
    userId: z.string().min(1).max(100).optional(),
    userName: z.string().max(100).default(''),
  })
  .openapi('Follow')

/** Boards worked on at once: enough to push to 50 boards in a blink, few enough to keep serving. */
const CONCURRENCY = 4

/** Workers of every facilitation action in progress waiting for their turn to write a board. */
const waitingForTurn: Array<() => void> = []

/** Facilitation actions writing boards now, across every app of this process. */
let actionsWriting = 0

/**
 * True while a facilitator's push or withdrawal writes the boards of an event:
 * the sheets made ahead wait meanwhile (SheetsAhead's `busy`), as the export thread slowed a push
 * into 50 boards on a two-core machine (stalls of 0.44-0.55 s instead of 0.18 s).
 */
export function facilitationInProgress(): boolean {
  return actionsWriting > 0
}

/**
 * Resolves in a later turn of the event loop, one waiter per turn across every action in progress:
 * a push of five templates runs five requests of four workers each, and had they all resumed in
 * the same turn, twenty boards would have been written in a row (0.9 s without serving a socket).
 */
function nextBoardTurn(): Promise<void> {
  return new Promise((resolve) => {
    waitingForTurn.push(resolve)
    if (waitingForTurn.length === 1) setImmediate(releaseOne)
  })
}

function releaseOne(): void {
  waitingForTurn.shift()?.()
  // Scheduled from within this turn's immediates, the next release waits for the next turn.
  if (waitingForTurn.length > 0) setImmediate(releaseOne)
}

/**
 * What facilitators do to every board of an event at once: push a template (and take it back),
 * lock boards at the deadline.
 */
export function facilitationRoutes(options: FacilitationRoutesOptions): OpenAPIHono {
  const { store, logger } = options
  const authorise = createAuthoriser(store, options.signer)
  const app = createApiApp()

  const eventBoards = async (event: EventRecord): Promise<string[]> => [event.plenaryBoardId, ...(await store.listTeams(event.id)).map((t) => t.boardId)]

  /** The boards asked for, which must all belong to the event; a Response when one does not. */
  const chooseBoards = async (c: Context, event: EventRecord, wanted: string[] | undefined): Promise<string[] | Response> => {
    const all = await eventBoards(event)
    if (!wanted) return all
    const known = new Set(all)
    const stranger = wanted.find((boardId) => !known.has(boardId))
    if (stranger) return apiError(c, 404, 'unknown_board', `Le tableau ${stranger} n’appartient pas à cet événement.`, `Board ${stranger} is not part of this event.`)
    return [...new Set(wanted)]
  }

  /** Runs `work` on every board, a few at a time; one board failing does not stop the others. */
  const forEachBoard = async <T extends string>(boardIds: string[], work: (boardId: string) => Promise<T>) => {
    const outcomes: Array<{ boardId: string; status: T | 'failed' }> = []
    let next = 0
    const worker = async () => {
      while (next < boardIds.length) {
        // Each board in a turn of its own, the first too: every worker of every action in progress
        // starts in the request's turn, and four pushes' first boards written there stalled 0.3 s.
        await nextBoardTurn()
        if (next >= boardIds.length) break
        const boardId = boardIds[next++]
        try {
          outcomes.push({ boardId, status: await work(boardId) })
        } catch (error) {
          logger.error('facilitation action failed on a board', { boardId, error: String(error) })
          outcomes.push({ boardId, status: 'failed' })
        }
      }
    }
    actionsWriting++
    try {
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, boardIds.length) }, worker))
    } finally {
      actionsWriting--
    }
    const order = new Map(boardIds.map((id, i) => [id, i]))
    return outcomes.sort((a, b) => (order.get(a.boardId) ?? 0) - (order.get(b.boardId) ?? 0))
  }

  const loadEvent = async (c: Context, eventId: string): Promise<EventRecord | Response> => {
    const auth = await authorise(c, eventId, 'facilitate')
    if (auth instanceof Response) return auth
    const event = await store.getEvent(eventId)
    return event ?? apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.')
  }

  /** Writes into the event's live board (timer, broadcast, locks, follow), seen by every board. */
  const writeLive = <T>(event: EventRecord, change: (live: Y.Map<unknown>) => T): Promise<T> =>
    options.updateBoard(event.liveBoardId, (doc) => change(doc.getMap(LIVE_MAP)))

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/pushes',
      summary: 'Push a template to every board of the event, or to the boards listed (idempotent by push id)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: PushBody } }, required: true } },
      responses: { 200: json(PushReport, 'What happened on each board'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const body = c.req.valid('json')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const template: TemplateDefinition | SavedTemplate | undefined = isTemplateId(body.templateId)
        ? getTemplate(body.templateId)
        : await options.templates.getTemplate(eventId, body.templateId)
      if (!template) {
        return early(apiError(c, 404, 'unknown_template', `Modèle inconnu : ${body.templateId}.`, `Unknown template: ${body.templateId}.`))
      }
      const boardIds = await chooseBoards(c, event, body.boardIds)
      if (boardIds instanceof Response) return early(boardIds)
      const placing = { template, locale: body.locale, pushId: body.pushId }
      const place = (doc: Y.Doc) => placeTemplate(doc, placing).status
      // A resting board (no change for a while) gets the template without being decoded.
      const atRest = (note: unknown) => {
        if (!(note instanceof PushGround)) return undefined
        const { result, update, ground, records, onShownPage } = placeTemplateAtRest(note, placing)
        // The console's preview of the board follows without decoding it.
        const summary = (previous: BoardSummary): BoardSummary => ({ ...addToPreview(previous, records, onShownPage), at: previous.at })
        return { result: result.status, update, note: ground, summary }
      }
      const prepare = (doc: Y.Doc) => prepareOutline(doc, body.pushId)
      const boards = await forEachBoard(boardIds, (boardId) => options.updateBoard(boardId, place, { prepare, atRest }))
      logger.info('template pushed', { eventId, pushId: body.pushId, templateId: template.id, boards: boards.length })
      return c.json({ pushId: body.pushId, boards }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/events/{eventId}/pushes/{pushId}',
      summary: 'Take a pushed template back from every board where nobody has touched it yet',
      security,
      request: { params: eventParams.extend({ pushId: z.string().min(8).max(64) }) },
      responses: { 200: json(PushReport, 'What happened on each board'), ...errors },
    }),
    async (c) => {
      const { eventId, pushId } = c.req.valid('param')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const boards = await forEachBoard(await eventBoards(event), (boardId) => options.updateBoard(boardId, (doc) => withdrawPush(doc, pushId)))
      return c.json({ pushId, boards }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/locks',
      summary: 'Which boards of the event are locked',
      security,
      request: { params: eventParams },
      responses: { 200: json(LockState, 'Locked boards'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      return c.json({ lockedBoardIds: await store.lockedBoards(eventId) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/locks',
      summary: 'Lock or unlock every board of the event, or the boards listed: locked boards refuse participants’ writes',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: LockBody } }, required: true } },
      responses: { 200: json(LockState, 'Locked boards after the change'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const body = c.req.valid('json')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const boardIds = await chooseBoards(c, event, body.boardIds)
      if (boardIds instanceof Response) return early(boardIds)
      await store.setLocks(eventId, boardIds, body.locked)
      await options.recheckAccess(boardIds)
      const lockedBoardIds = await store.lockedBoards(eventId)
      // Boards learn they are locked from the live board, to show it and stop offering the pen.
      await writeLive(event, (live) => live.set(LiveKey.LockedBoards, lockedBoardIds))
      logger.info(body.locked ? 'boards locked' : 'boards unlocked', { eventId, boards: boardIds.length })
      return c.json({ lockedBoardIds }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/timer',
      summary: 'Start, pause, resume, extend, skip or stop the countdown shown on every board (server clock)',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: TimerBody } }, required: true } },
      responses: { 200: json(z.object({ timer: Timer, serverNow: z.number() }), 'The timer after the change'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const change = c.req.valid('json')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      if (change.action === 'start' && change.phaseIndex !== undefined && !event.agenda[change.phaseIndex]) {
        return early(apiError(c, 400, 'unknown_phase', 'Cette phase n’est pas dans le programme.', 'This phase is not in the agenda.'))
      }
      const now = Date.now()
      const timer = await writeLive(event, (live) => {
        const next = nextTimer((live.get(LiveKey.Timer) as TimerState | undefined) ?? IDLE_TIMER, change, event.agenda, now)
        live.set(LiveKey.Timer, next)
        return next
      })
      return c.json({ timer, serverNow: now }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/broadcast',
      summary: 'Show a message as a banner on every board of the event',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: BroadcastBody } }, required: true } },
      responses: { 200: json(z.object({ broadcast: z.object({ id: z.string(), text: z.string(), at: z.number() }) }), 'Sent'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const broadcast: BroadcastMessage = { id: randomUUID(), text: c.req.valid('json').text, at: Date.now() }
      await writeLive(event, (live) => live.set(LiveKey.Broadcast, broadcast))
      return c.json({ broadcast }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/events/{eventId}/broadcast',
      summary: 'Take the broadcast banner down',
      security,
      request: { params: eventParams },
      responses: { 204: { description: 'Removed' }, ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      await writeLive(event, (live) => live.delete(LiveKey.Broadcast))
      return early(c.body(null, 204))
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/follow',
      summary: 'Make everyone on a board follow a facilitator’s view (active) or release them',
      security,
      request: { params: eventParams, body: { content: { 'application/json': { schema: FollowBody } }, required: true } },
      responses: { 204: { description: 'Done' }, ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const body = c.req.valid('json')
      const event = await loadEvent(c, eventId)
      if (event instanceof Response) return early(event)
      const boards = await chooseBoards(c, event, [body.boardId])
      if (boards instanceof Response) return early(boards)
      if (body.active && !body.userId) return early(apiError(c, 400, 'invalid_request', 'Qui suivre ? userId manque.', 'Whom to follow? userId is missing.'))
      await writeLive(event, (live) => {
        const key = LiveKey.FollowPrefix + body.boardId
        if (body.active) live.set(key, { userId: body.userId, userName: body.userName, at: Date.now() })
        else live.delete(key)
      })
      return early(c.body(null, 204))
    },
  )

  return app
}
