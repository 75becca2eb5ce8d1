/** A dot vote: facilitators open it on some boards; participants put dots on notes, within quotas. */
export interface VoteSession {
  id: string
  eventId: string
  boardIds: string[]
  votesPerPerson: number
  maxPerNote: number
  anonymous: boolean
  status: 'open' | 'closed'
  /** Counts shown to everyone before the close. */
  revealed: boolean
  createdAt: string
  closesAt: string | null
}

export type NewVoteSession = Pick<VoteSession, 'eventId' | 'boardIds' | 'votesPerPerson' | 'maxPerNote' | 'anonymous' | 'closesAt'>

/** One person's dots on one note. */
export interface Ballot {
  boardId: string
  shapeId: string
  count: number
}

export interface Tally {
  boardId: string
  shapeId: string
  count: number
  memberIds: string[]
}

export type CastResult =
  | { ok: true; mine: Ballot[] }
  | { ok: false; reason: 'closed' | 'no-votes-left' | 'note-full' | 'nothing-to-remove' | 'unknown-vote' }

/**
 * Vote sessions and ballots, in the event's database. Quotas are checked inside one transaction per
 * dot, so two tabs (or two server instances) cannot together exceed them.
 */
export interface VoteStore {
  createSession(input: NewVoteSession): Promise<VoteSession>
  getSession(sessionId: string): Promise<VoteSession | undefined>
  listSessions(eventId: string): Promise<VoteSession[]>
  updateSession(sessionId: string, patch: Partial<Pick<VoteSession, 'status' | 'revealed'>>): Promise<VoteSession | undefined>
  /** Adds (+1) or takes back (-1) one dot of a member on a note. */
  cast(sessionId: string, memberId: string, boardId: string, shapeId: string, delta: 1 | -1, now?: Date): Promise<CastResult>
  ballotsOf(sessionId: string, memberId: string): Promise<Ballot[]>
  tally(sessionId: string): Promise<Tally[]>
}

/**
 * The refusal, if any, of one dot, from the member's dots before it (in total and on this note).
 * Shared by both databases, which call it inside their transaction.
 */
export function refuseCast(session: VoteSession, personTotal: number, mineOnNote: number, delta: 1 | -1, now: Date): CastResult | undefined {
  if (session.status !== 'open' || (session.closesAt && new Date(session.closesAt) <= now)) return { ok: false, reason: 'closed' }
  if (delta === 1 && personTotal >= session.votesPerPerson) return { ok: false, reason: 'no-votes-left' }
  if (delta === 1 && mineOnNote >= session.maxPerNote) return { ok: false, reason: 'note-full' }
  if (delta === -1 && mineOnNote <= 0) return { ok: false, reason: 'nothing-to-remove' }
  return undefined
}
