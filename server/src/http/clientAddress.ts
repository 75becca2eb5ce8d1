import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/** Set once at start from `TRUST_PROXY`: only then is X-Forwarded-For believed. */
let trustProxy = false

export function setTrustProxy(value: boolean): void {
  trustProxy = value
}

/**
 * The peer's address, for per-address limits. Behind a reverse proxy every request comes from the
 * proxy, so with `TRUST_PROXY` the first address of X-Forwarded-For (the one the proxy saw) is used.
 * Requests made in-process (tests) have none and share one bucket.
 */
export function clientAddress(c: Context): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'in-process'
  }
}
