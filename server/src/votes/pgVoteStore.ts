import { newBoardId } from '@fabrique/protocol'
import type pg from 'pg'
import { inTransaction } from '../storage/pgDatabase.ts'
import { groupTally } from './sqliteVoteStore.ts'
import { type Ballot, type CastResult, type NewVoteSession, refuseCast, type Tally, type VoteSession, type VoteStore } from './types.ts'

interface SessionRow {
  id: string
  event_id: string
  board_ids: string[]
  votes_per_person: number
  max_per_note: number
  anonymous: boolean
  status: 'open' | 'closed'
  revealed: boolean
  created_at: Date
  closes_at: Date | null
}

const fromRow = (row: SessionRow): VoteSession => ({
  id: row.id,
  eventId: row.event_id,
  boardIds: row.board_ids,
  votesPerPerson: row.votes_per_person,
  maxPerNote: row.max_per_note,
  anonymous: row.anonymous,
  status: row.status,
  revealed: row.revealed,
  createdAt: row.created_at.toISOString(),
  closesAt: row.closes_at ? row.closes_at.toISOString() : null,
})

/**
 * Votes in PostgreSQL, shared by every instance. A dot locks its session's row first, so the dots
 * of one session are counted one after the other whichever instance receives them.
 */
export class PgVoteStore implements VoteStore {
  constructor(private readonly pool: pg.Pool) {}

  async createSession(input: NewVoteSession): Promise<VoteSession> {
    const session: VoteSession = { ...input, id: newBoardId(), status: 'open', revealed: false, createdAt: new Date().toISOString() }
    await this.pool.query(
      'INSERT INTO vote_sessions (id, event_id, board_ids, votes_per_person, max_per_note, anonymous, status, created_at, closes_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [session.id, session.eventId, JSON.stringify(session.boardIds), session.votesPerPerson, session.maxPerNote, session.anonymous, session.status, session.createdAt, session.closesAt],
    )
    return session
  }

  async getSession(sessionId: string): Promise<VoteSession | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM vote_sessions WHERE id = $1', [sessionId])
    return rows[0] && fromRow(rows[0])
  }

  async listSessions(eventId: string): Promise<VoteSession[]> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM vote_sessions WHERE event_id = $1 ORDER BY created_at', [eventId])
    return rows.map(fromRow)
  }

  async updateSession(sessionId: string, patch: Partial<Pick<VoteSession, 'status' | 'revealed'>>): Promise<VoteSession | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      'UPDATE vote_sessions SET status = COALESCE($2, status), revealed = COALESCE($3, revealed) WHERE id = $1 RETURNING *',
      [sessionId, patch.status ?? null, patch.revealed ?? null],
    )
    return rows[0] && fromRow(rows[0])
  }

  async cast(sessionId: string, memberId: string, boardId: string, shapeId: string, delta: 1 | -1, now = new Date()): Promise<CastResult> {
    return inTransaction(this.pool, async (client): Promise<CastResult> => {
      const { rows } = await client.query<SessionRow>('SELECT * FROM vote_sessions WHERE id = $1 FOR UPDATE', [sessionId])
      if (!rows[0]) return { ok: false, reason: 'unknown-vote' }
      const total = await client.query<{ n: string }>('SELECT COALESCE(SUM(count), 0) AS n FROM vote_ballots WHERE session_id = $1 AND member_id = $2', [
        sessionId,
        memberId,
      ])
      const note = await client.query<{ count: number }>(
        'SELECT count FROM vote_ballots WHERE session_id = $1 AND member_id = $2 AND board_id = $3 AND shape_id = $4',
        [sessionId, memberId, boardId, shapeId],
      )
      const mineOnNote = note.rows[0]?.count ?? 0
      const refused = refuseCast(fromRow(rows[0]), Number(total.rows[0]?.n ?? 0), mineOnNote, delta, now)
      if (refused) return refused
      if (mineOnNote + delta <= 0) {
        await client.query('DELETE FROM vote_ballots WHERE session_id = $1 AND member_id = $2 AND board_id = $3 AND shape_id = $4', [
          sessionId,
          memberId,
          boardId,
          shapeId,
        ])
      } else {
        await client.query(
          `INSERT INTO vote_ballots (session_id, member_id, board_id, shape_id, count) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (session_id, member_id, board_id, shape_id) DO UPDATE SET count = excluded.count`,
          [sessionId, memberId, boardId, shapeId, mineOnNote + delta],
        )
      }
      return { ok: true, mine: await ballots(client, sessionId, memberId) }
    })
  }

  ballotsOf(sessionId: string, memberId: string): Promise<Ballot[]> {
    return ballots(this.pool, sessionId, memberId)
  }

  async tally(sessionId: string): Promise<Tally[]> {
    const { rows } = await this.pool.query<{ board_id: string; shape_id: string; member_id: string; count: number }>(
      'SELECT board_id, shape_id, member_id, count FROM vote_ballots WHERE session_id = $1 ORDER BY board_id, shape_id, member_id',
      [sessionId],
    )
    return groupTally(rows)
  }
}

async function ballots(db: pg.Pool | pg.PoolClient, sessionId: string, memberId: string): Promise<Ballot[]> {
  const { rows } = await db.query<{ board_id: string; shape_id: string; count: number }>(
    'SELECT board_id, shape_id, count FROM vote_ballots WHERE session_id = $1 AND member_id = $2 ORDER BY board_id, shape_id',
    [sessionId, memberId],
  )
  return rows.map((r) => ({ boardId: r.board_id, shapeId: r.shape_id, count: r.count }))
}
