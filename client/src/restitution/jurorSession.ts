import { tokenClaims } from '../event/session.ts'
import type { Juror } from './restitutionApi.ts'

/**
 * A juror's own token, kept in this browser per event: they give their name once, their scores
 * stay theirs across reloads. The shared jury link stays stored apart, untouched.
 */
export interface StoredJuror {
  token: string
  juror: Juror
}

const key = (eventId: string) => `fabrique-juror:${eventId}`

export function storedJuror(eventId: string): StoredJuror | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(key(eventId)) ?? 'null') as Partial<StoredJuror> | null
    if (typeof value?.token !== 'string' || typeof value.juror?.id !== 'string' || typeof value.juror.name !== 'string') return undefined
    const claims = tokenClaims(value.token)
    if (!claims || claims.eventId !== eventId || claims.exp * 1000 <= Date.now()) return undefined
    return { token: value.token, juror: value.juror }
  } catch {
    return undefined
  }
}

export function saveJuror(eventId: string, stored: StoredJuror): void {
  try {
    localStorage.setItem(key(eventId), JSON.stringify(stored))
  } catch {
    // Storage refused (private browsing): the juror scores for this visit only.
  }
}

export function forgetJuror(eventId: string): void {
  try {
    localStorage.removeItem(key(eventId))
  } catch {
    // Nothing kept, nothing to forget.
  }
}
