import type { EventInfo, Links, Role } from './api.ts'

/**
 * What this browser remembers of the events it took part in: the capability tokens of its links
 * and who it is in each event, so that a reload or a return the next morning needs no new link.
 */

const tokenKey = (eventId: string, role: Role) => `fabrique-token:${eventId}:${role}`
const memberKey = (eventId: string) => `fabrique-member:${eventId}`
const ORGANISED_KEY = 'fabrique-organised-events'

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // Storage refused (private browsing, quota): the link in the address still works for this visit.
  }
}

interface TokenClaims {
  role: Role
  eventId: string
  exp: number
}

/**
 * The claims a token carries, read without checking its signature: only to pick which stored
 * token to send. The server checks every token on every request.
 */
export function tokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[0]
  if (!payload) return undefined
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
    const claims = JSON.parse(json) as Partial<TokenClaims>
    if (typeof claims.role !== 'string' || typeof claims.eventId !== 'string' || typeof claims.exp !== 'number') return undefined
    return claims as TokenClaims
  } catch {
    return undefined
  }
}

const expired = (claims: TokenClaims) => claims.exp * 1000 <= Date.now()

export function saveToken(eventId: string, role: Role, token: string): void {
  write(tokenKey(eventId, role), token)
}

export function forgetToken(eventId: string, role: Role): void {
  write(tokenKey(eventId, role), null)
}

/** The first stored, unexpired token of this event among `roles`, in that order of preference. */
export function storedToken(eventId: string, roles: readonly Role[]): { role: Role; token: string } | undefined {
  for (const role of roles) {
    const token = role === 'participant' ? storedMember(eventId)?.token : read(tokenKey(eventId, role))
    const claims = token ? tokenClaims(token) : undefined
    if (token && claims && claims.eventId === eventId && !expired(claims)) return { role, token }
  }
  return undefined
}

/**
 * Keeps the token of a link (`#token=...`) for this event and takes it out of the address bar,
 * where a projected screen or a shared screenshot would show it.
 */
export function adoptTokenFromHash(eventId: string): void {
  const token = new URLSearchParams(location.hash.slice(1)).get('token')
  if (!token) return
  const claims = tokenClaims(token)
  if (claims && claims.eventId === eventId && claims.role !== 'participant') saveToken(eventId, claims.role, token)
  history.replaceState(history.state, '', location.pathname + location.search)
}

export interface StoredMember {
  token: string
  memberId: string
  pseudonym: string
}

export function storedMember(eventId: string): StoredMember | undefined {
  const raw = read(memberKey(eventId))
  if (!raw) return undefined
  try {
    const value = JSON.parse(raw) as Partial<StoredMember>
    return typeof value.token === 'string' && typeof value.memberId === 'string' && typeof value.pseudonym === 'string'
      ? (value as StoredMember)
      : undefined
  } catch {
    return undefined
  }
}

export function saveMember(eventId: string, member: StoredMember): void {
  write(memberKey(eventId), JSON.stringify(member))
}

export function forgetMember(eventId: string): void {
  write(memberKey(eventId), null)
}

export interface OrganisedEvent {
  id: string
  title: string
  date: string
}

/** Events created in this browser, newest first, to find one's way back to them. */
export function organisedEvents(): OrganisedEvent[] {
  try {
    const list = JSON.parse(read(ORGANISED_KEY) ?? '[]') as OrganisedEvent[]
    return Array.isArray(list) ? list.filter((e) => storedToken(e.id, ['organiser'])) : []
  } catch {
    return []
  }
}

export function rememberOrganisedEvent(event: OrganisedEvent): void {
  const others = organisedEvents().filter((e) => e.id !== event.id)
  write(ORGANISED_KEY, JSON.stringify([event, ...others].slice(0, 50)))
}

/** The token of a link the API returned (`.../organise#token=...`). */
export function tokenOfLink(link: string): string | undefined {
  const hash = link.indexOf('#')
  return hash < 0 ? undefined : (new URLSearchParams(link.slice(hash + 1)).get('token') ?? undefined)
}

const justCreated = new Map<string, { event: EventInfo; links: Links }>()

/** The answer to the creation, handed to the organiser page so it shows at once, with a "created" notice. */
export function handOverCreatedEvent(created: { event: EventInfo; links: Links }): void {
  justCreated.set(created.event.id, created)
}

export function takeCreatedEvent(eventId: string): { event: EventInfo; links: Links } | undefined {
  const created = justCreated.get(eventId)
  justCreated.delete(eventId)
  return created
}
