import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { early } from './authorise.ts'
import { apiError } from './errors.ts'
import { ErrorBody } from './schemas.ts'

/** What every route module of the API shares: JSON bodies, error responses, bearer security. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })

export const standardErrors = (notFound: string) =>
  ({
    400: json(ErrorBody, 'Invalid request'),
    401: json(ErrorBody, 'Missing, invalid or expired token'),
    403: json(ErrorBody, 'Not allowed'),
    404: json(ErrorBody, notFound),
  }) as const

export const security = [{ bearer: [] }]
export const eventParams = z.object({ eventId: z.string().min(1).max(64) })

/** What a route's validation hook receives; a hook returns a Response to refuse the request. */
export type Validation = { success: true } | { success: false; error: z.ZodError }

/** A 400 naming every invalid field, in both languages. */
export const invalidRequest = (result: Validation, c: Context) => {
  if (result.success) return undefined
  const detail = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
  return early(apiError(c, 400, 'invalid_request', `Requête invalide — ${detail}`, `Invalid request — ${detail}`))
}

/** An OpenAPI app whose invalid requests get a 400 naming every invalid field, in both languages. */
export function createApiApp(): OpenAPIHono {
  return new OpenAPIHono({ defaultHook: invalidRequest })
}
