import type pg from 'pg'
import type { JuryScore, JuryStore, Scores } from './types.ts'

interface ScoreRow {
  event_id: string
  team_id: string
  juror_id: string
  juror_name: string
  scores: Scores
  comment: string
  updated_at: Date
}

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
}
