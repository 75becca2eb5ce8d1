import type Database from 'better-sqlite3'
import { migrateSqlite } from '../storage/sqliteMigrations.ts'
import { AUDIENCE_NOT_OPENED, type AudienceCastResult, type AudiencePrize, type AudienceTally, type JuryScore, type JuryStore, type Scores } from './types.ts'

interface ScoreRow {
  event_id: string
  team_id: string
  juror_id: string
  juror_name: string
  scores: string
  comment: string
  updated_at: string
}

interface PrizeRow {
  status: AudiencePrize['status']
  opened_at: string | null
  closed_at: string | null
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
  private readonly castOnce: (eventId: string, memberId: string, teamId: string) => AudienceCastResult

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
      open: db.prepare(
        `INSERT INTO audience_prizes (event_id, status, opened_at, closed_at) VALUES (?, 'open', ?, NULL)
         ON CONFLICT (event_id) DO UPDATE SET status = 'open', opened_at = excluded.opened_at, closed_at = NULL`,
      ),
      close: db.prepare(
        `INSERT INTO audience_prizes (event_id, status, opened_at, closed_at) VALUES (?, 'closed', NULL, ?)
         ON CONFLICT (event_id) DO UPDATE SET status = 'closed', closed_at = excluded.closed_at`,
      ),
      prize: db.prepare<[string], PrizeRow>('SELECT status, opened_at, closed_at FROM audience_prizes WHERE event_id = ?'),
      voteOf: db.prepare<[string, string], { team_id: string }>('SELECT team_id FROM audience_votes WHERE event_id = ? AND member_id = ?'),
      vote: db.prepare(
        `INSERT INTO audience_votes (event_id, member_id, team_id, voted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (event_id, member_id) DO UPDATE SET team_id = excluded.team_id, voted_at = excluded.voted_at`,
      ),
      tally: db.prepare<[string], AudienceTally>(
        'SELECT team_id AS teamId, count(*) AS votes FROM audience_votes WHERE event_id = ? GROUP BY team_id ORDER BY votes DESC, team_id',
      ),
    }
    // better-sqlite3 runs the transaction synchronously: no other ballot can slip in between.
    this.castOnce = db.transaction((eventId: string, memberId: string, teamId: string): AudienceCastResult => {
      if (this.q.prize.get(eventId)?.status !== 'open') return { ok: false, reason: 'closed' }
      const previousTeamId = this.q.voteOf.get(eventId, memberId)?.team_id ?? null
      this.q.vote.run(eventId, memberId, teamId, new Date().toISOString())
      return { ok: true, previousTeamId }
    })
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

  async setAudienceOpen(eventId: string, open: boolean): Promise<AudiencePrize> {
    ;(open ? this.q.open : this.q.close).run(eventId, new Date().toISOString())
    return this.audiencePrize(eventId)
  }

  async audiencePrize(eventId: string): Promise<AudiencePrize> {
    const row = this.q.prize.get(eventId)
    return row ? { status: row.status, openedAt: row.opened_at, closedAt: row.closed_at } : AUDIENCE_NOT_OPENED
  }

  async castAudienceVote(eventId: string, memberId: string, teamId: string): Promise<AudienceCastResult> {
    return this.castOnce(eventId, memberId, teamId)
  }

  async audienceVoteOf(eventId: string, memberId: string): Promise<string | undefined> {
    return this.q.voteOf.get(eventId, memberId)?.team_id
  }

  async audienceTally(eventId: string): Promise<AudienceTally[]> {
    return this.q.tally.all(eventId)
  }
}
