import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The body of every API error: a stable code for scripts, a sentence for people in both languages. */
export interface ApiErrorBody {
  error: { code: string; message: { fr: string; en: string } }
}

export function apiError(c: Context, status: ContentfulStatusCode, code: string, fr: string, en: string) {
  return c.json({ error: { code, message: { fr, en } } } satisfies ApiErrorBody, status)
}
