import type Database from 'better-sqlite3'
import { migrateSqlite } from '../storage/sqliteMigrations.ts'
import type { JuryScore, JuryStore, Scores } from './types.ts'

interface ScoreRow {
  event_id: string
  team_id: string
  juror_id: string
  juror_name: string
  scores: string
  comment: string
  updated_at: string
}

const fromRow = (row: ScoreRow): JuryScore => ({
  eventId: row.event_id,
  teamId: row.team_id,
  jurorId: row.juror_id,
  jurorName: row.juror_name,
  scores: JSON.parse(row.scores) as Scores,
  comment: row.comment,
  updatedAt: row.updated_at,
})

export class SqliteJuryStore implements JuryStore {
  private readonly q

  constructor(db: Database.Database) {
    migrateSqlite(db)
    this.q = {
      save: db.prepare(
        `INSERT INTO jury_scores (event_id, team_id, juror_id, juror_name, scores, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id, team_id, juror_id) DO UPDATE SET juror_name = excluded.juror_name, scores = excluded.scores, comment = excluded.comment, updated_at = excluded.updated_at`,
      ),
      all: db.prepare<[string], ScoreRow>('SELECT * FROM jury_scores WHERE event_id = ? ORDER BY team_id, juror_name'),
      ofJuror: db.prepare<[string, string], ScoreRow>('SELECT * FROM jury_scores WHERE event_id = ? AND juror_id = ? ORDER BY team_id'),
      publish: db.prepare('INSERT INTO jury_results (event_id, published_at) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET published_at = excluded.published_at'),
      published: db.prepare<[string], { published_at: string }>('SELECT published_at FROM jury_results WHERE event_id = ?'),
    }
  }

  async saveScore(score: Omit<JuryScore, 'updatedAt'>): Promise<JuryScore> {
    const saved: JuryScore = { ...score, updatedAt: new Date().toISOString() }
    this.q.save.run(saved.eventId, saved.teamId, saved.jurorId, saved.jurorName, JSON.stringify(saved.scores), saved.comment, saved.updatedAt)
    return saved
  }

  async listScores(eventId: string, jurorId?: string): Promise<JuryScore[]> {
    return (jurorId ? this.q.ofJuror.all(eventId, jurorId) : this.q.all.all(eventId)).map(fromRow)
  }

  async publish(eventId: string): Promise<string> {
    const at = new Date().toISOString()
    this.q.publish.run(eventId, at)
    return at
  }

  async publishedAt(eventId: string): Promise<string | undefined> {
    return this.q.published.get(eventId)?.published_at
  }
}
