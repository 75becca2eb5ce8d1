import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { upgradeWebSocket } from '@hono/node-server'
import { PACK_PARAM, PROTOCOL_VERSION } from '@fabrique/protocol'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type * as Y from 'yjs'
import type { WebSocket } from 'ws'
import type { Config } from './config.ts'
import type { TokenSigner } from './auth/tokens.ts'
import type { EventTemplateStore } from './eventTemplates/types.ts'
import type { EventStore } from './events/types.ts'
import { assetRoutes } from './http/assets.ts'
import { clientAddress, setTrustProxy } from './http/clientAddress.ts'
import { eventRoutes } from './http/events.ts'
import { eventTemplateRoutes } from './http/eventTemplates.ts'
import { exportRoutes } from './http/exports.ts'
import { facilitationRoutes } from './http/facilitation.ts'
import { audienceRoutes } from './http/audience.ts'
import { restitutionRoutes } from './http/restitution.ts'
import { resultsRoutes } from './http/results.ts'
import { voteRoutes } from './http/votes.ts'
import type { JuryStore } from './jury/types.ts'
import type { VoteStore } from './votes/types.ts'
import { RateLimiter } from './http/rateLimit.ts'
import { apiError } from './http/errors.ts'
import { securityHeaders } from './http/securityHeaders.ts'
import type { AssetStorage } from './storage/assets.ts'
import type { BoardStorage } from './storage/types.ts'
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'
import type { BoardAccessPolicy } from './sync/access.ts'
import { SummaryBackfill } from './sync/boardSummary.ts'
import type { UpdateOptions } from './sync/roomManager.ts'
import type { SyncServer } from './sync/syncServer.ts'
import type { SheetFiles } from './exportThread/sheetFiles.ts'

export interface AppDeps {
  config: Config
  logger: Logger
  metrics: Metrics
  sync: SyncServer
  assets: AssetStorage
  boardAccess: BoardAccessPolicy
  events: EventStore
  votes: VoteStore
  jury: JuryStore
  templates: EventTemplateStore
  signer: TokenSigner
  storage: BoardStorage
  /** Project sheets' files, made in the export thread and kept (see SheetFiles). */
  sheetFiles: SheetFiles
}

const OPENAPI_INFO = {
  title: 'Fabrique API',
  version: '1',
  description:
    'Create and script ideation days. Authenticate with `Authorization: Bearer <token>`, the token being the part after `#token=` in an organiser, facilitator or jury link, or the token returned by POST /api/join. Errors are JSON: `{ "error": { "code", "message": { "fr", "en" } } }`.',
}

/** Merges the OpenAPI documents of the route modules (each keeps its own registry). */
function openApiDocument(apis: readonly OpenAPIHono[]) {
  const documents = apis.map((api) => api.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO }))
  return {
    openapi: '3.1.0',
    info: OPENAPI_INFO,
    servers: [{ url: '/api' }],
    paths: Object.assign({}, ...documents.map((d) => d.paths)),
    components: {
      schemas: Object.assign({}, ...documents.map((d) => d.components?.schemas ?? {})),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A capability token from an event link or from /api/join' } },
    },
  }
}

export function createApp({ config, logger, metrics, sync, assets, boardAccess, events, votes, jury, templates, signer, storage, sheetFiles }: AppDeps): Hono {
  setTrustProxy(config.trustProxy)
  const app = new Hono()
  app.use(securityHeaders)
  app.onError((error, c) => {
    // What Hono refuses itself, before a route's validation: a body that is not JSON, for one.
    if (error instanceof HTTPException && error.status < 500) {
      return apiError(c, error.status, 'invalid_request', `Requête invalide — ${frenchReason(error.message)}`, `Invalid request — ${error.message}`)
    }
    logger.error('unexpected error in a request', { path: c.req.path, error: String(error) })
    return apiError(c, 500, 'internal', 'Erreur inattendue du serveur. Réessayez.', 'Unexpected server error. Try again.')
  })

  app.get('/healthz', (c) => c.json({ status: 'ok', rooms: sync.rooms.loadedCount, resting: sync.rooms.restingCount, connections: sync.connectionCount }))

  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }))

  // Runtime configuration for the browser: the licence key is set at deploy time, not build time.
  app.get('/api/config', (c) =>
    c.json({ tldrawLicenseKey: config.tldrawLicenseKey ?? null, protocolVersion: PROTOCOL_VERSION, maxAssetBytes: config.limits.maxAssetBytes }, 200, {
      'cache-control': 'no-store',
    }),
  )

  // The server's clock: boards show the timer from it, correcting for their own clock's offset.
  app.get('/api/time', (c) => c.json({ now: Date.now() }, 200, { 'cache-control': 'no-store' }))

  app.route(
    '/api',
    assetRoutes({
      assets,
      maxAssetBytes: config.limits.maxAssetBytes,
      maxEventAssetBytes: config.limits.maxEventAssetBytes,
      boardAccess,
      boardsOfSameEvent: async (boardId) => {
        const owner = await events.findBoardOwner(boardId)
        if (!owner) return []
        const event = await events.getEvent(owner.eventId)
        return event ? [event.plenaryBoardId, ...(await events.listTeams(event.id)).map((t) => t.boardId)] : []
      },
    }),
  )
  const updateBoard = <T>(boardId: string, change: (doc: Y.Doc) => T, options?: UpdateOptions<T>) => sync.rooms.update(boardId, change, options)
  // Well past the delay after which a room rewrites its summary: older ones have no room to refresh them.
  const summaryBackfill = new SummaryBackfill({ storage, logger, staleAfterMs: Math.max(60_000, 3 * config.sync.summaryDelayMs) })
  const apis = [
    eventRoutes({
      store: events,
      signer,
      joinLimiter: new RateLimiter(config.limits.joinAttemptsPerMinute, 60_000),
      publicUrl: config.publicUrl,
      disconnectMember: (memberId) => sync.disconnectMember(memberId),
      presence: (boardIds) => sync.presence(boardIds),
      boardStats: (boardIds) => {
        sync.watchSummaries()
        return storage.stats(boardIds)
      },
      maxBoardBytes: config.limits.maxBoardBytes,
      fillSummaries: (stats) => summaryBackfill.fill(stats),
      boardSummary: (boardId) => storage.summary(boardId),
    }),
    eventTemplateRoutes({ store: events, templates, signer, logger }),
    facilitationRoutes({ store: events, templates, signer, logger, updateBoard, recheckAccess: (boardIds) => sync.recheckAccess(boardIds) }),
    voteRoutes({ store: events, votes, signer, logger, updateBoard }),
    exportRoutes({ store: events, jury, signer, logger, files: sheetFiles }),
    restitutionRoutes({ store: events, jury, signer, updateBoard }),
    audienceRoutes({ store: events, jury, signer, updateBoard }),
    resultsRoutes({ store: events, jury, signer }),
  ]
  // One OpenAPI document for every route module.
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(apis)))
  for (const api of apis) app.route('/api', api)
  app.all('/api/*', (c) => apiError(c, 404, 'not_found', 'Adresse inconnue dans l’API.', 'Unknown API address.'))

  app.get(
    '/sync/:boardId',
    upgradeWebSocket((c) => {
      const boardId = c.req.param('boardId') ?? ''
      const clientProtocolVersion = c.req.query('v')
      const token = c.req.query('token')
      const packing = c.req.query(PACK_PARAM)
      return {
        onOpen(_event, ws) {
          const recheck = () => Promise.resolve().then(() => boardAccess(boardId, token))
          sync.accept(ws.raw as WebSocket, boardId, { access: recheck(), recheck, clientProtocolVersion, packing, address: clientAddress(c) })
        },
      }
    }),
  )

  if (config.clientDir) mountClient(app, config.clientDir)
  return app
}

/**
 * Serves the built client; hashed assets are cached for a year, index.html never. Text files go
 * out as the build's Brotli or gzip copies when the browser accepts them.
 */
function mountClient(app: Hono, clientDir: string): void {
  const root = path.relative(process.cwd(), clientDir) || '.'
  const indexHtml = path.join(clientDir, 'index.html')
  app.use(
    '/assets/*',
    serveStatic({
      root,
      precompressed: true,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable')
      },
    }),
  )
  // A missing asset is a 404, not the app's page: a tab left open across a new deployment asks for
  // chunks and translations by their old hashed names, and HTML in their place fails as a script
  // or as JSON with a confusing error.
  app.get('/assets/*', (c) => c.text('Not found', 404, { 'cache-control': 'no-cache' }))
  app.use('*', serveStatic({ root, precompressed: true }))
  app.get('*', (c) => {
    if (!fs.existsSync(indexHtml)) return c.text('The client is not built: run `pnpm build`.', 503)
    return c.html(fs.readFileSync(indexHtml, 'utf8'), 200, { 'cache-control': 'no-cache' })
  })
}

/** Hono's reasons for refusing a request, in French (as they come, when not known here). */
function frenchReason(message: string): string {
  return message === 'Malformed JSON in request body' ? 'le corps de la requête n’est pas du JSON valide' : message
}
