import type pg from 'pg'
import { AUDIENCE_NOT_OPENED, type AudienceCastResult, type AudiencePrize, type AudienceTally, type JuryScore, type JuryStore, type Scores } from './types.ts'

interface ScoreRow {
  event_id: string
  team_id: string
  juror_id: string
  juror_name: string
  scores: Scores
  comment: string
  updated_at: Date
}

interface PrizeRow {
  status: AudiencePrize['status']
  opened_at: Date | null
  closed_at: Date | null
}

const fromPrizeRow = (row: PrizeRow): AudiencePrize => ({
  status: row.status,
  openedAt: row.opened_at?.toISOString() ?? null,
  closedAt: row.closed_at?.toISOString() ?? null,
})

const fromRow = (row: ScoreRow): JuryScore => ({
  eventId: row.event_id,
  teamId: row.team_id,
  jurorId: row.juror_id,
  jurorName: row.juror_name,
  scores: row.scores,
  comment: row.comment,
  updatedAt: row.updated_at.toISOString(),
})

export class PgJuryStore implements JuryStore {
  constructor(private readonly pool: pg.Pool) {}

  async saveScore(score: Omit<JuryScore, 'updatedAt'>): Promise<JuryScore> {
    const { rows } = await this.pool.query<ScoreRow>(
      `INSERT INTO jury_scores (event_id, team_id, juror_id, juror_name, scores, comment, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (event_id, team_id, juror_id) DO UPDATE SET juror_name = excluded.juror_name, scores = excluded.scores, comment = excluded.comment, updated_at = excluded.updated_at
       RETURNING *`,
      [score.eventId, score.teamId, score.jurorId, score.jurorName, JSON.stringify(score.scores), score.comment],
    )
    return fromRow(rows[0] as ScoreRow)
  }

  async listScores(eventId: string, jurorId?: string): Promise<JuryScore[]> {
    const { rows } = jurorId
      ? await this.pool.query<ScoreRow>('SELECT * FROM jury_scores WHERE event_id = $1 AND juror_id = $2 ORDER BY team_id', [eventId, jurorId])
      : await this.pool.query<ScoreRow>('SELECT * FROM jury_scores WHERE event_id = $1 ORDER BY team_id, juror_name', [eventId])
    return rows.map(fromRow)
  }

  async publish(eventId: string): Promise<string> {
    const { rows } = await this.pool.query<{ published_at: Date }>(
      'INSERT INTO jury_results (event_id, published_at) VALUES ($1, now()) ON CONFLICT (event_id) DO UPDATE SET published_at = excluded.published_at RETURNING published_at',
      [eventId],
    )
    return (rows[0] as { published_at: Date }).published_at.toISOString()
  }

  async publishedAt(eventId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ published_at: Date }>('SELECT published_at FROM jury_results WHERE event_id = $1', [eventId])
    return rows[0]?.published_at.toISOString()
  }

  async setAudienceOpen(eventId: string, open: boolean): Promise<AudiencePrize> {
    const { rows } = await this.pool.query<PrizeRow>(
      open
        ? `INSERT INTO audience_prizes (event_id, status, opened_at, closed_at) VALUES ($1, 'open', now(), NULL)
           ON CONFLICT (event_id) DO UPDATE SET status = 'open', opened_at = excluded.opened_at, closed_at = NULL RETURNING status, opened_at, closed_at`
        : `INSERT INTO audience_prizes (event_id, status, opened_at, closed_at) VALUES ($1, 'closed', NULL, now())
           ON CONFLICT (event_id) DO UPDATE SET status = 'closed', closed_at = excluded.closed_at RETURNING status, opened_at, closed_at`,
      [eventId],
    )
    return fromPrizeRow(rows[0] as PrizeRow)
  }

  async audiencePrize(eventId: string): Promise<AudiencePrize> {
    const { rows } = await this.pool.query<PrizeRow>('SELECT status, opened_at, closed_at FROM audience_prizes WHERE event_id = $1', [eventId])
    return rows[0] ? fromPrizeRow(rows[0]) : AUDIENCE_NOT_OPENED
  }

  async castAudienceVote(eventId: string, memberId: string, teamId: string): Promise<AudienceCastResult> {
    // One statement: the open check and the upsert see the same snapshot, and the primary key
    // leaves one ballot per member however many tabs (or instances) vote at once.
    const { rows } = await this.pool.query<{ previous: string | null }>(
      `WITH previous AS (SELECT team_id FROM audience_votes WHERE event_id = $1 AND member_id = $2),
            cast_ballot AS (
              INSERT INTO audience_votes (event_id, member_id, team_id, voted_at)
              SELECT $1, $2, $3, now() WHERE EXISTS (SELECT 1 FROM audience_prizes WHERE event_id = $1 AND status = 'open')
              ON CONFLICT (event_id, member_id) DO UPDATE SET team_id = excluded.team_id, voted_at = excluded.voted_at
              RETURNING 1
            )
       SELECT (SELECT team_id FROM previous) AS previous FROM cast_ballot`,
      [eventId, memberId, teamId],
    )
    return rows.length === 0 ? { ok: false, reason: 'closed' } : { ok: true, previousTeamId: rows[0]?.previous ?? null }
  }

  async audienceVoteOf(eventId: string, memberId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ team_id: string }>('SELECT team_id FROM audience_votes WHERE event_id = $1 AND member_id = $2', [eventId, memberId])
    return rows[0]?.team_id
  }

  async audienceTally(eventId: string): Promise<AudienceTally[]> {
    const { rows } = await this.pool.query<{ team_id: string; votes: number }>(
      'SELECT team_id, count(*)::int AS votes FROM audience_votes WHERE event_id = $1 GROUP BY team_id ORDER BY votes DESC, team_id',
      [eventId],
    )
    return rows.map((row) => ({ teamId: row.team_id, votes: row.votes }))
  }
}
