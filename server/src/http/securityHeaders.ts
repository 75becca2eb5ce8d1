import type { MiddlewareHandler } from 'hono'

/**
 * No third-party origin anywhere: scripts, styles, fonts and images all come from this server.
 * `blob:` and `data:` are needed by tldraw for pasted images and exports.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "media-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('content-security-policy', CONTENT_SECURITY_POLICY)
  c.header('x-content-type-options', 'nosniff')
  c.header('referrer-policy', 'no-referrer')
}
