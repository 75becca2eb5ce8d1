import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { checkTemplateRecords, EVENT_TEMPLATE_LIMITS } from '@fabrique/templates'
import { bodyLimit } from 'hono/body-limit'
import type { TokenSigner } from '../auth/tokens.ts'
import type { EventTemplate, EventTemplateStore } from '../eventTemplates/types.ts'
import type { EventStore } from '../events/types.ts'
import type { Logger } from '../logger.ts'
import { createAuthoriser, early } from './authorise.ts'
import { apiError } from './errors.ts'
import { createApiApp, eventParams, json, security, standardErrors } from './routeKit.ts'
import { ErrorBody } from './schemas.ts'

export interface EventTemplateRoutesOptions {
  store: EventStore
  templates: EventTemplateStore
  signer: TokenSigner
  logger: Logger
}

/** Enough for a day's worth of home-made canvases; the list goes to every board's panel. */
export const MAX_TEMPLATES_PER_EVENT = 50

const { maxRecords, maxBytes, maxNameLength, maxSide } = EVENT_TEMPLATE_LIMITS
const errors = standardErrors('Unknown event or template')
const Size = z.object({ w: z.number().positive().max(maxSide), h: z.number().positive().max(maxSide) })
const TldrawRecord = z.record(z.string(), z.unknown()).openapi({ description: 'A tldraw 5.4.2 shape, binding or image asset record' })

const NewTemplate = z
  .object({
    name: z.string().trim().min(1).max(maxNameLength),
    size: Size.openapi({ description: 'Bounds of the selection, in canvas units' }),
    records: z.array(TldrawRecord).min(1).max(maxRecords).openapi({
      description: `The selected shapes and their descendants, the bindings between them and the images they show (uploaded to this server); top-level shapes have parentId "page:template" and coordinates from the selection's top-left corner. ${maxRecords} records and ${maxBytes / 1_000_000} MB at most.`,
    }),
  })
  .openapi('NewEventTemplate')

const EventTemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    size: Size,
    shapeCount: z.number(),
    records: z.array(TldrawRecord),
  })
  .openapi('EventTemplate')

const templateParams = eventParams.extend({ templateId: z.string().min(1).max(64) })

/** What the API shows of a saved template: its records flat, as they were sent. */
const present = ({ id, name, createdAt, content }: EventTemplate) => ({
  id,
  name,
  createdAt,
  size: content.size,
  shapeCount: content.shapes.length,
  records: [...content.shapes, ...content.bindings, ...content.assets] as unknown as Array<Record<string, unknown>>,
})

/** Templates of an event, saved by facilitators from a selection on a board. */
export function eventTemplateRoutes({ store, templates, signer, logger }: EventTemplateRoutesOptions): OpenAPIHono {
  const authorise = createAuthoriser(store, signer)
  const app = createApiApp()
  const megabytes = maxBytes / 1_000_000

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{eventId}/templates',
      summary: 'Save a selection of a board as a template of the event (facilitators and organisers)',
      security,
      middleware: [
        bodyLimit({
          maxSize: maxBytes,
          onError: (c) =>
            apiError(c, 413, 'template_too_large', `Sélection trop lourde pour un modèle : ${megabytes} Mo au plus.`, `Selection too large for a template: ${megabytes} MB at most.`),
        }),
      ] as const,
      request: { params: eventParams, body: { content: { 'application/json': { schema: NewTemplate } }, required: true } },
      responses: { 201: json(EventTemplateSchema, 'Saved'), ...errors, 409: json(ErrorBody, 'The event has too many templates'), 413: json(ErrorBody, 'Body too large') },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const body = c.req.valid('json')
      const auth = await authorise(c, eventId, 'facilitate')
      if (auth instanceof Response) return early(auth)
      if (!(await store.getEvent(eventId))) return early(apiError(c, 404, 'unknown_event', 'Événement introuvable.', 'Event not found.'))
      const check = checkTemplateRecords(body.records, body.size)
      if (!check.ok) return early(apiError(c, 400, 'invalid_template', `Modèle refusé : ${check.problem.fr}`, `Template refused: ${check.problem.en}`))
      if ((await templates.listTemplates(eventId)).length >= MAX_TEMPLATES_PER_EVENT) {
        return early(
          apiError(
            c,
            409,
            'too_many_templates',
            `L’événement a déjà ${MAX_TEMPLATES_PER_EVENT} modèles : supprimez-en un avant d’en enregistrer un autre.`,
            `The event already has ${MAX_TEMPLATES_PER_EVENT} templates: delete one before saving another.`,
          ),
        )
      }
      const saved = await templates.saveTemplate({ eventId, name: body.name, content: check.content })
      logger.info('event template saved', { eventId, templateId: saved.id, shapes: check.content.shapes.length })
      return c.json(present(saved), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{eventId}/templates',
      summary: 'The templates saved for the event, oldest first (anyone of the event)',
      security,
      request: { params: eventParams },
      responses: { 200: json(z.object({ templates: z.array(EventTemplateSchema) }), 'The event’s templates'), ...errors },
    }),
    async (c) => {
      const { eventId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'event.read')
      if (auth instanceof Response) return early(auth)
      return c.json({ templates: (await templates.listTemplates(eventId)).map(present) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/events/{eventId}/templates/{templateId}',
      summary: 'Delete a template of the event (boards it was pushed to keep their copy)',
      security,
      request: { params: templateParams },
      responses: { 204: { description: 'Deleted' }, ...errors },
    }),
    async (c) => {
      const { eventId, templateId } = c.req.valid('param')
      const auth = await authorise(c, eventId, 'facilitate')
      if (auth instanceof Response) return early(auth)
      if (!(await templates.deleteTemplate(eventId, templateId))) {
        return early(apiError(c, 404, 'unknown_template', 'Ce modèle n’existe pas (ou plus) dans cet événement.', 'This template does not exist (any more) in this event.'))
      }
      logger.info('event template deleted', { eventId, templateId })
      return early(c.body(null, 204))
    },
  )

  return app
}
