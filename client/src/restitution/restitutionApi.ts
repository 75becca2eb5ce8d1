import { ApiError } from '../event/api.ts'
import type { JuryScore, Scores } from './criteria.ts'

type Method = 'GET' | 'POST' | 'PUT'

/** Like `api()` of the event pages, with PUT (scores are replaced whole). */
async function request<T>(path: string, method: Method, token: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, 'network', undefined)
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T
  const error = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: { fr?: string; en?: string } } } | undefined
  const message = error?.error?.message
  throw new ApiError(response.status, error?.error?.code ?? 'http', message?.fr && message.en ? { fr: message.fr, en: message.en } : undefined)
}

const id = encodeURIComponent

export interface Juror {
  id: string
  name: string
}

export const restitutionApi = {
  /** The presenter's slides and the current one: every follower of the board shows it. */
  showSlide: (eventId: string, boardId: string, token: string, slides: { frameIds: string[]; index: number; presenter: string }) =>
    request<void>(`/events/${id(eventId)}/boards/${id(boardId)}/slides`, 'POST', token, slides),
  /** With the shared jury link: a personal token for one juror. */
  registerJuror: (eventId: string, juryToken: string, name: string) =>
    request<{ token: string; juror: Juror }>(`/events/${id(eventId)}/jurors`, 'POST', juryToken, { name }),
  saveScores: (eventId: string, jurorToken: string, teamId: string, scores: Scores, comment: string) =>
    request<{ score: JuryScore }>(`/events/${id(eventId)}/teams/${id(teamId)}/scores`, 'PUT', jurorToken, { scores, comment }),
  /** A juror's own scores. */
  scores: (eventId: string, jurorToken: string) => request<{ scores: JuryScore[] }>(`/events/${id(eventId)}/scores`, 'GET', jurorToken),
}
