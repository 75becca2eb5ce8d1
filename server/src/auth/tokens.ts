import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export type Role = 'organiser' | 'facilitator' | 'participant' | 'jury'

/** What a capability token grants: a role in one event, for one member where it applies. */
export interface Capability {
  role: Role
  eventId: string
  /** The participant this token belongs to (their team is looked up on every check). */
  memberId?: string
  /** Expiry, seconds since the epoch. */
  exp: number
}

export type TokenCheck = { ok: true; capability: Capability } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' }

const roles: readonly Role[] = ['organiser', 'facilitator', 'participant', 'jury']

/**
 * Signs and checks capability tokens: base64url(JSON payload) "." base64url(HMAC-SHA256).
 * Comparison is constant-time; a token never says more than its payload.
 */
export class TokenSigner {
  private readonly key: Buffer

  constructor(secret: string | undefined) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32)
  }

  sign(capability: Capability): string {
    const payload = Buffer.from(JSON.stringify(capability)).toString('base64url')
    return `${payload}.${this.mac(payload)}`
  }

  verify(token: string, now = Date.now()): TokenCheck {
    const dot = token.indexOf('.')
    if (dot <= 0 || token.length > 2048) return { ok: false, reason: 'malformed' }
    const payload = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = Buffer.from(this.mac(payload), 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' }
    let capability: Capability
    try {
      capability = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Capability
    } catch {
      return { ok: false, reason: 'malformed' }
    }
    if (!roles.includes(capability.role) || typeof capability.eventId !== 'string' || typeof capability.exp !== 'number') {
      return { ok: false, reason: 'malformed' }
    }
    if (capability.exp * 1000 <= now) return { ok: false, reason: 'expired' }
    return { ok: true, capability }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url')
  }
}
