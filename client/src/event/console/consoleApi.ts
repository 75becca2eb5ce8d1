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
    withdraw: (pushId: string) => remove<PushReport>(`/pushes/${encodeURIComponent(pushId)}`),
    lock: (locked: boolean, boardIds?: string[]) => post<{ lockedBoardIds: string[] }>('/locks', { locked, boardIds }),
    openVote: (vote: NewVote) => post<{ vote: LiveVote }>('/votes', vote),
    revealVote: (voteId: string) => post<{ vote: LiveVote }>(`/votes/${encodeURIComponent(voteId)}/reveal`),
    closeVote: (voteId: string) => post<{ vote: LiveVote }>(`/votes/${encodeURIComponent(voteId)}/close`),
    restitution: (change: RestitutionAction) => post<{ restitution: RestitutionState; serverNow: number }>('/restitution', change),
  }
}
