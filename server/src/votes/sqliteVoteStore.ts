import { newBoardId } from '@fabrique/protocol'
import type Database from 'better-sqlite3'
import { migrateSqlite } from '../storage/sqliteMigrations.ts'
import { type Ballot, type CastResult, type NewVoteSession, refuseCast, type Tally, type VoteSession, type VoteStore } from './types.ts'

interface SessionRow {
  id: string
  event_id: string
  board_ids: string
  votes_per_person: number
  max_per_note: number
  anonymous: number
  status: 'open' | 'closed'
  revealed: number
  created_at: string
  closes_at: string | null
}

const fromRow = (row: SessionRow): VoteSession => ({
  id: row.id,
  eventId: row.event_id,
  boardIds: JSON.parse(row.board_ids) as string[],
  votesPerPerson: row.votes_per_person,
  maxPerNote: row.max_per_note,
  anonymous: row.anonymous === 1,
  status: row.status,
  revealed: row.revealed === 1,
  createdAt: row.created_at,
  closesAt: row.closes_at,
})

/** Votes in the SQLite file; a dot is one synchronous transaction, so quotas hold. */
export class SqliteVoteStore implements VoteStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    migrateSqlite(db)
    this.q = {
      insert: db.prepare(
        'INSERT INTO vote_sessions (id, event_id, board_ids, votes_per_person, max_per_note, anonymous, status, revealed, created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
      ),
      byId: db.prepare<[string], SessionRow>('SELECT * FROM vote_sessions WHERE id = ?'),
      byEvent: db.prepare<[string], SessionRow>('SELECT * FROM vote_sessions WHERE event_id = ? ORDER BY created_at'),
      setStatus: db.prepare<[string, number, string]>('UPDATE vote_sessions SET status = ?, revealed = ? WHERE id = ?'),
      personTotal: db.prepare<[string, string], { n: number }>('SELECT COALESCE(SUM(count), 0) AS n FROM vote_ballots WHERE session_id = ? AND member_id = ?'),
      mineOnNote: db.prepare<[string, string, string, string], { count: number }>(
        'SELECT count FROM vote_ballots WHERE session_id = ? AND member_id = ? AND board_id = ? AND shape_id = ?',
      ),
      upsert: db.prepare<[string, string, string, string, number]>(
        `INSERT INTO vote_ballots (session_id, member_id, board_id, shape_id, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session_id, member_id, board_id, shape_id) DO UPDATE SET count = excluded.count`,
      ),
      removeEmpty: db.prepare<[string]>('DELETE FROM vote_ballots WHERE session_id = ? AND count <= 0'),
      mine: db.prepare<[string, string], { board_id: string; shape_id: string; count: number }>(
        'SELECT board_id, shape_id, count FROM vote_ballots WHERE session_id = ? AND member_id = ? ORDER BY board_id, shape_id',
      ),
      tally: db.prepare<[string], { board_id: string; shape_id: string; member_id: string; count: number }>(
        'SELECT board_id, shape_id, member_id, count FROM vote_ballots WHERE session_id = ? ORDER BY board_id, shape_id, member_id',
      ),
    }
  }

  async createSession(input: NewVoteSession): Promise<VoteSession> {
    const session: VoteSession = { ...input, id: newBoardId(), status: 'open', revealed: false, createdAt: new Date().toISOString() }
    this.q.insert.run(
      session.id,
      session.eventId,
      JSON.stringify(session.boardIds),
      session.votesPerPerson,
      session.maxPerNote,
      session.anonymous ? 1 : 0,
      session.status,
      session.createdAt,
      session.closesAt,
    )
    return session
  }

  async getSession(sessionId: string): Promise<VoteSession | undefined> {
    const row = this.q.byId.get(sessionId)
    return row && fromRow(row)
  }

  async listSessions(eventId: string): Promise<VoteSession[]> {
    return this.q.byEvent.all(eventId).map(fromRow)
  }

  async updateSession(sessionId: string, patch: Partial<Pick<VoteSession, 'status' | 'revealed'>>): Promise<VoteSession | undefined> {
    const current = await this.getSession(sessionId)
    if (!current) return undefined
    const next = { ...current, ...patch }
    this.q.setStatus.run(next.status, next.revealed ? 1 : 0, sessionId)
    return next
  }

  async cast(sessionId: string, memberId: string, boardId: string, shapeId: string, delta: 1 | -1, now = new Date()): Promise<CastResult> {
    return this.db.transaction((): CastResult => {
      const row = this.q.byId.get(sessionId)
      if (!row) return { ok: false, reason: 'unknown-vote' }
      const personTotal = this.q.personTotal.get(sessionId, memberId)?.n ?? 0
      const mineOnNote = this.q.mineOnNote.get(sessionId, memberId, boardId, shapeId)?.count ?? 0
      const refused = refuseCast(fromRow(row), personTotal, mineOnNote, delta, now)
      if (refused) return refused
      this.q.upsert.run(sessionId, memberId, boardId, shapeId, mineOnNote + delta)
      this.q.removeEmpty.run(sessionId)
      return { ok: true, mine: this.ballots(sessionId, memberId) }
    }).immediate()
  }

  async ballotsOf(sessionId: string, memberId: string): Promise<Ballot[]> {
    return this.ballots(sessionId, memberId)
  }

  private ballots(sessionId: string, memberId: string): Ballot[] {
    return this.q.mine.all(sessionId, memberId).map((r) => ({ boardId: r.board_id, shapeId: r.shape_id, count: r.count }))
  }

  async tally(sessionId: string): Promise<Tally[]> {
    return groupTally(this.q.tally.all(sessionId))
  }
}

/** Rows of (note, member, count) into one line per note, most dots first. */
export function groupTally(rows: ReadonlyArray<{ board_id: string; shape_id: string; member_id: string; count: number }>): Tally[] {
  const notes = new Map<string, Tally>()
  for (const row of rows) {
    const key = `${row.board_id}\u0000${row.shape_id}`
    const entry = notes.get(key) ?? { boardId: row.board_id, shapeId: row.shape_id, count: 0, memberIds: [] }
    notes.set(key, entry)
    entry.count += row.count
    entry.memberIds.push(row.member_id)
  }
  return [...notes.values()].sort((a, b) => b.count - a.count || a.boardId.localeCompare(b.boardId) || a.shapeId.localeCompare(b.shapeId))
}
