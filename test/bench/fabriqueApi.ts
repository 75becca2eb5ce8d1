/**
 * Fabrique's HTTP API as a facilitator uses it (see test/integration/facilitation.test.ts and
 * exports.test.ts): an event with its teams, template pushes, the event's export.
 */

type Json = Record<string, unknown>

async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} }
}

export interface BenchEvent {
  eventId: string
  facilitatorToken: string
  /** One board per team, in the order the teams were created. */
  teamBoards: string[]
}

/** An event with `teams` teams, created by its organiser; a facilitator's token for the rest. */
export async function createEvent(baseUrl: string, teams: number): Promise<BenchEvent> {
  const created = await call(baseUrl, 'POST', '/api/events', { title: 'Journée d’idéation (benchmark)', date: '2026-11-26' })
  if (created.status !== 201) throw new Error(`creating the event: HTTP ${created.status} ${JSON.stringify(created.body)}`)
  const event = created.body.event as { id: string }
  const links = created.body.links as { facilitator: string }
  const facilitatorToken = links.facilitator.split('#token=')[1] ?? ''
  const teamBoards: string[] = []
  for (let i = 0; i < teams; i++) {
    const team = await call(baseUrl, 'POST', `/api/events/${event.id}/teams`, { name: `Équipe ${i + 1}` }, facilitatorToken)
    if (team.status !== 201) throw new Error(`creating team ${i + 1}: HTTP ${team.status} ${JSON.stringify(team.body)}`)
    teamBoards.push((team.body.team as { boardId: string }).boardId)
  }
  return { eventId: event.id, facilitatorToken, teamBoards }
}

export interface PushOutcome {
  templateId: string
  /** Request sent → response received. */
  ms: number
  status: number
  /** Boards per outcome (placed, already, failed…). */
  outcomes: Record<string, number>
}

/** POST /api/events/{id}/pushes, one request per template, all sent at once. */
export async function pushTemplates(baseUrl: string, event: BenchEvent, templates: ReadonlyArray<{ templateId: string; pushId: string }>, boardIds: string[]): Promise<PushOutcome[]> {
  return Promise.all(
    templates.map(async ({ templateId, pushId }) => {
      const started = performance.now()
      const response = await call(baseUrl, 'POST', `/api/events/${event.eventId}/pushes`, { pushId, templateId, locale: 'fr', boardIds }, event.facilitatorToken)
      const outcomes: Record<string, number> = {}
      for (const board of (response.body.boards as Array<{ status: string }> | undefined) ?? []) outcomes[board.status] = (outcomes[board.status] ?? 0) + 1
      return { templateId, ms: performance.now() - started, status: response.status, outcomes }
    }),
  )
}

/** GET /api/events/{id}/export.zip: every team's sheet (JSON, Markdown, PDF), notes.csv, event.pdf. */
export async function exportEvent(baseUrl: string, event: BenchEvent): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now()
  const response = await fetch(`${baseUrl}/api/events/${event.eventId}/export.zip`, { headers: { authorization: `Bearer ${event.facilitatorToken}` } })
  const bytes = (await response.arrayBuffer()).byteLength
  return { status: response.status, bytes, ms: performance.now() - started }
}
