import type { BroadcastMessage, LiveVote, RestitutionAction, RestitutionState, TimerAction, TimerState } from '@fabrique/protocol'
import type { Locale } from '../../i18n.tsx'
import { api } from '../api.ts'

// The facilitation API (server/src/http/facilitation.ts, votes.ts, restitution.ts), for one event.

export type BoardOutcome = 'placed' | 'already' | 'withdrawn' | 'touched' | 'not-pushed' | 'already-withdrawn' | 'failed'

export interface PushReport {
  pushId: string
  boards: Array<{ boardId: string; status: BoardOutcome }>
}

export interface PushRequest {
  pushId: string
  templateId: string
  locale: Locale
  /** Absent: every board of the event. */
  boardIds?: string[]
}

/** A template saved by a facilitator for the event (GET /events/{id}/templates, records left out here). */
export interface EventTemplateSummary {
  id: string
  name: string
  shapeCount: number
}

export interface NewVote {
  boardIds?: string[]
  votesPerPerson: number
  maxPerNote: number
  anonymous: boolean
  durationSeconds?: number
}

export type ConsoleApi = ReturnType<typeof consoleApi>

export function consoleApi(eventId: string, token: string) {
  const base = `/events/${encodeURIComponent(eventId)}`
  const post = <T>(path: string, body?: unknown) => api<T>(`${base}${path}`, { method: 'POST', token, body })
  const remove = <T>(path: string) => api<T>(`${base}${path}`, { method: 'DELETE', token })
  return {
    timer: (change: TimerAction) => post<{ timer: TimerState; serverNow: number }>('/timer', change),
    broadcast: (text: string) => post<{ broadcast: BroadcastMessage }>('/broadcast', { text }),
    takeDownBroadcast: () => remove<void>('/broadcast'),
    push: (request: PushRequest) => post<PushReport>('/pushes', request),
    eventTemplates: async () => (await api<{ templates: EventTemplateSummary[] }>(`${base}/templates`, { token })).templates,
    withdraw: (pushId: string) => remove<PushReport>(`/pushes/${encodeURIComponent(pushId)}`),
    lock: (locked: boolean, boardIds?: string[]) => post<{ lockedBoardIds: string[] }>('/locks', { locked, boardIds }),
    openVote: (vote: NewVote) => post<{ vote: LiveVote }>('/votes', vote),
    revealVote: (voteId: string) => post<{ vote: LiveVote }>(`/votes/${encodeURIComponent(voteId)}/reveal`),
    closeVote: (voteId: string) => post<{ vote: LiveVote }>(`/votes/${encodeURIComponent(voteId)}/close`),
    /** A board's preview (an address from its card), as SVG text: an <img> could not send the token. */
    preview: async (address: string) => {
      const response = await fetch(address, { headers: { authorization: `Bearer ${token}` } })
      if (!response.ok) throw new Error(`preview: HTTP ${response.status}`)
      return response.text()
    },
    restitution: (change: RestitutionAction) => post<{ restitution: RestitutionState; serverNow: number }>('/restitution', change),
  }
}
