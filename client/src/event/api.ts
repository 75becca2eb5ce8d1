import type { Locale } from '../i18n.tsx'

// The shapes the events API answers with (server/src/http/schemas.ts).

export interface Dataset {
  title: string
  url: string
}

export interface AgendaPhase {
  title: string
  /** HH:MM, local time of the event */
  start: string
  durationMinutes: number
}

export interface Challenge {
  id: string
  title: string
  description: string
  datasets: Dataset[]
}

export interface EventSettings {
  maxTeamSize: number
  teamsCanViewOtherBoards: boolean
  participantsCanWritePlenary: boolean
}

export interface EventInfo {
  id: string
  title: string
  date: string
  agenda: AgendaPhase[]
  challenges: Challenge[]
  settings: EventSettings
  joinCode: string
  plenaryBoardId: string
  /** Timer, broadcast, locks, vote and restitution: read-only, written by the server. */
  liveBoardId: string
  createdAt: string
}

/** What GET /api/join/{code} shows before one joins. */
export type PublicEventInfo = Pick<EventInfo, 'id' | 'title' | 'date' | 'challenges' | 'settings'>

export interface TeamMember {
  id: string
  pseudonym: string
}

export interface Team {
  id: string
  name: string
  challengeId: string | null
  boardId: string
  members: TeamMember[]
  full: boolean
}

export interface Member {
  id: string
  pseudonym: string
  teamId: string | null
}

export type Role = 'organiser' | 'facilitator' | 'participant' | 'jury'

export interface Me {
  role: Role
  eventId: string
  member: Member | null
}

export interface Links {
  organiser: string
  facilitator: string
  jury: string
  join: string
  joinCode: string
}

export interface BoardCard {
  boardId: string
  kind: 'team' | 'plenary'
  team: { id: string; name: string; challengeId: string | null; members: TeamMember[] } | null
  online: { connections: number; members: TeamMember[] }
  lastActivity: string | null
  size: { bytes: number; limit: number }
  /** 0 for a board never written; null while a written board has not been counted yet. */
  shapes: number | null
  /** Address of a small SVG picture of the board, fetched with the same token; changes with the board. */
  preview: string | null
}

export interface NewEventBody {
  title: string
  date: string
  agenda: AgendaPhase[]
  challenges: Array<Omit<Challenge, 'id'>>
  settings: EventSettings
}

type Messages = Record<Locale, string>

/** An answer other than 2xx, or no answer at all (`status` 0, code `network`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The server's sentence for people, in both languages; absent when the server said nothing usable. */
    readonly messages: Messages | undefined,
  ) {
    super(messages?.en ?? `${code} (${status})`)
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  token?: string
  body?: unknown
}

export async function api<T>(path: string, { method = 'GET', token, body }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, 'network', undefined)
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T
  const error = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: Partial<Messages> } } | undefined
  const message = error?.error?.message
  throw new ApiError(
    response.status,
    error?.error?.code ?? 'http',
    message?.fr && message.en ? { fr: message.fr, en: message.en } : undefined,
  )
}

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/')

export const eventsApi = {
  create: (body: NewEventBody) => api<{ event: EventInfo; links: Links }>('/events', { method: 'POST', body }),
  get: (eventId: string, token: string) => api<{ event: EventInfo; teams: Team[] }>(`/events/${path(eventId)}`, { token }),
  links: (eventId: string, token: string) => api<Links>(`/events/${path(eventId)}/links`, { token }),
  boards: (eventId: string, token: string) => api<{ boards: BoardCard[] }>(`/events/${path(eventId)}/boards`, { token }),
  me: (eventId: string, token: string) => api<Me>(`/events/${path(eventId)}/me`, { token }),
  preview: (code: string) => api<{ event: PublicEventInfo; teams: Team[] }>(`/join/${path(code)}`),
  join: (code: string, pseudonym: string) =>
    api<{ token: string; member: Member; eventId: string }>('/join', { method: 'POST', body: { code, pseudonym } }),
  createTeam: (eventId: string, token: string, name: string, challengeId: string | null) =>
    api<{ team: Team }>(`/events/${path(eventId)}/teams`, { method: 'POST', token, body: { name, challengeId } }),
  joinTeam: (eventId: string, token: string, teamId: string) =>
    api<{ member: Member }>(`/events/${path(eventId)}/teams/${path(teamId)}/join`, { method: 'POST', token }),
}

export const qrCodeUrl = (joinCode: string) => `/api/join/${encodeURIComponent(joinCode)}/qr.svg`
