import { newBoardId } from '@fabrique/protocol'
import type pg from 'pg'
import { inTransaction } from '../storage/pgDatabase.ts'
import { newJoinCode } from './joinCode.ts'
import { type MemberRow, memberFromRow, type TeamRow, teamFromRow } from './rows.ts'
import type { BoardOwner, EventRecord, EventStore, JoinTeamResult, Member, NewEvent, Team } from './types.ts'

const UNIQUE_VIOLATION = '23505'

/** Events, teams and members in PostgreSQL, for several instances sharing one database. */
export class PgEventStore implements EventStore {
  constructor(private readonly pool: pg.Pool) {}

  async createEvent(input: NewEvent): Promise<EventRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.insertEvent(input, newJoinCode())
      } catch (error) {
        // Another event took the same code between our choice and our insert: pick again.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 5) throw error
      }
    }
  }

  private insertEvent(input: NewEvent, joinCode: string): Promise<EventRecord> {
    const event: EventRecord = {
      id: newBoardId(),
      title: input.title,
      date: input.date,
      agenda: input.agenda,
      settings: input.settings,
      challenges: input.challenges.map((c) => ({ ...c, id: newBoardId() })),
      joinCode,
      plenaryBoardId: newBoardId(),
      liveBoardId: newBoardId(),
      createdAt: new Date().toISOString(),
    }
    return inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO events (id, title, date, agenda, settings, join_code, plenary_board_id, live_board_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [event.id, event.title, event.date, JSON.stringify(event.agenda), JSON.stringify(event.settings), joinCode, event.plenaryBoardId, event.liveBoardId, event.createdAt],
      )
      for (const [i, c] of event.challenges.entries()) {
        await client.query('INSERT INTO challenges (id, event_id, position, title, description, datasets) VALUES ($1, $2, $3, $4, $5, $6)', [
          c.id,
          event.id,
          i,
          c.title,
          c.description,
          JSON.stringify(c.datasets),
        ])
      }
      return event
    })
  }

  private async eventWhere(column: 'id' | 'join_code', value: string): Promise<EventRecord | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM events WHERE ${column} = $1`, [value])
    const row = rows[0]
    if (!row) return undefined
    const challenges = await this.pool.query('SELECT id, title, description, datasets FROM challenges WHERE event_id = $1 ORDER BY position', [row.id])
    return {
      id: row.id,
      title: row.title,
      date: row.date,
      agenda: row.agenda,
      settings: row.settings,
      challenges: challenges.rows.map((c) => ({ id: c.id, title: c.title, description: c.description, datasets: c.datasets })),
      joinCode: row.join_code,
      plenaryBoardId: row.plenary_board_id,
      liveBoardId: row.live_board_id,
      createdAt: row.created_at,
    }
  }

  getEvent(eventId: string) {
    return this.eventWhere('id', eventId)
  }

  getEventByJoinCode(code: string) {
    return this.eventWhere('join_code', code)
  }

  async updateEvent(eventId: string, patch: Partial<Pick<EventRecord, 'title' | 'date' | 'agenda' | 'settings'>>) {
    const current = await this.getEvent(eventId)
    if (!current) return undefined
    const next = { ...current, ...patch }
    await this.pool.query('UPDATE events SET title = $2, date = $3, agenda = $4, settings = $5 WHERE id = $1', [
      eventId,
      next.title,
      next.date,
      JSON.stringify(next.agenda),
      JSON.stringify(next.settings),
    ])
    return next
  }

  async listTeams(eventId: string) {
    return (await this.pool.query<TeamRow>('SELECT * FROM teams WHERE event_id = $1 ORDER BY created_at, name', [eventId])).rows.map(teamFromRow)
  }

  async getTeam(teamId: string) {
    const row = (await this.pool.query<TeamRow>('SELECT * FROM teams WHERE id = $1', [teamId])).rows[0]
    return row && teamFromRow(row)
  }

  async createTeam(eventId: string, input: { name: string; challengeId: string | null }) {
    const created: Team = { id: newBoardId(), eventId, challengeId: input.challengeId, name: input.name, boardId: newBoardId(), createdAt: new Date().toISOString() }
    const { rowCount } = await this.pool.query(
      'INSERT INTO teams (id, event_id, challenge_id, name, board_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, name) DO NOTHING',
      [created.id, eventId, created.challengeId, created.name, created.boardId, created.createdAt],
    )
    return rowCount ? created : undefined
  }

  async findBoardOwner(boardId: string): Promise<BoardOwner | undefined> {
    const t = (await this.pool.query<{ event_id: string; id: string }>('SELECT event_id, id FROM teams WHERE board_id = $1', [boardId])).rows[0]
    if (t) return { eventId: t.event_id, teamId: t.id, kind: 'team' }
    const e = (
      await this.pool.query<{ id: string; plenary: boolean }>('SELECT id, plenary_board_id = $1 AS plenary FROM events WHERE plenary_board_id = $1 OR live_board_id = $1', [boardId])
    ).rows[0]
    return e && { eventId: e.id, teamId: null, kind: e.plenary ? 'plenary' : 'live' }
  }

  async setLocks(eventId: string, boardIds: readonly string[], locked: boolean): Promise<void> {
    if (locked) {
      await this.pool.query('INSERT INTO board_locks (board_id, event_id) SELECT unnest($1::text[]), $2 ON CONFLICT (board_id) DO NOTHING', [boardIds, eventId])
    } else {
      await this.pool.query('DELETE FROM board_locks WHERE event_id = $2 AND board_id = ANY($1::text[])', [boardIds, eventId])
    }
  }

  async lockedBoards(eventId: string): Promise<string[]> {
    return (await this.pool.query<{ board_id: string }>('SELECT board_id FROM board_locks WHERE event_id = $1 ORDER BY board_id', [eventId])).rows.map((r) => r.board_id)
  }

  async addMember(eventId: string, pseudonym: string) {
    const created: Member = { id: newBoardId(), eventId, teamId: null, pseudonym, createdAt: new Date().toISOString() }
    await this.pool.query('INSERT INTO members (id, event_id, team_id, pseudonym, created_at) VALUES ($1, $2, NULL, $3, $4)', [created.id, eventId, pseudonym, created.createdAt])
    return created
  }

  async getMember(memberId: string) {
    const row = (await this.pool.query<MemberRow>('SELECT * FROM members WHERE id = $1', [memberId])).rows[0]
    return row && memberFromRow(row)
  }

  async listMembers(eventId: string) {
    return (await this.pool.query<MemberRow>('SELECT * FROM members WHERE event_id = $1 ORDER BY created_at', [eventId])).rows.map(memberFromRow)
  }

  joinTeam(memberId: string, teamId: string, maxTeamSize: number): Promise<JoinTeamResult> {
    return inTransaction(this.pool, async (client): Promise<JoinTeamResult> => {
      const m = (await client.query<MemberRow>('SELECT * FROM members WHERE id = $1 FOR UPDATE', [memberId])).rows[0]
      if (!m) return { ok: false, reason: 'unknown-member' }
      // Locking the team row makes concurrent joins of one team wait for each other's count.
      const t = (await client.query<TeamRow>('SELECT * FROM teams WHERE id = $1 FOR UPDATE', [teamId])).rows[0]
      if (!t || t.event_id !== m.event_id) return { ok: false, reason: 'unknown-team' }
      if (m.team_id === teamId) return { ok: true, member: memberFromRow(m) }
      const size = Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM members WHERE team_id = $1', [teamId])).rows[0]?.n ?? 0)
      if (size >= maxTeamSize) return { ok: false, reason: 'team-full' }
      await client.query('UPDATE members SET team_id = $1 WHERE id = $2', [teamId, memberId])
      return { ok: true, member: { ...memberFromRow(m), teamId } }
    })
  }

  async removeMember(memberId: string) {
    return ((await this.pool.query('DELETE FROM members WHERE id = $1', [memberId])).rowCount ?? 0) > 0
  }
}
