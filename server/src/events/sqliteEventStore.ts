import { newBoardId } from '@fabrique/protocol'
import type Database from 'better-sqlite3'
import { migrateSqlite } from '../storage/sqliteMigrations.ts'
import { newJoinCode } from './joinCode.ts'
import { type MemberRow, memberFromRow, type TeamRow, teamFromRow } from './rows.ts'
import type { BoardOwner, Challenge, EventRecord, EventStore, JoinTeamResult, Member, NewEvent, Team } from './types.ts'

interface EventRow {
  id: string
  title: string
  date: string
  agenda: string
  settings: string
  join_code: string
  plenary_board_id: string
  live_board_id: string
  created_at: string
}
interface ChallengeRow {
  id: string
  title: string
  description: string
  datasets: string
}

export class SqliteEventStore implements EventStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    migrateSqlite(db)
    this.q = {
      insertEvent: db.prepare(
        'INSERT INTO events (id, title, date, agenda, settings, join_code, plenary_board_id, live_board_id, created_at) VALUES (@id, @title, @date, @agenda, @settings, @join_code, @plenary_board_id, @live_board_id, @created_at)',
      ),
      insertChallenge: db.prepare(
        'INSERT INTO challenges (id, event_id, position, title, description, datasets) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      eventById: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      eventByCode: db.prepare<[string], EventRow>('SELECT * FROM events WHERE join_code = ?'),
      codeTaken: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE join_code = ?'),
      challenges: db.prepare<[string], ChallengeRow>('SELECT id, title, description, datasets FROM challenges WHERE event_id = ? ORDER BY position'),
      updateEvent: db.prepare('UPDATE events SET title = @title, date = @date, agenda = @agenda, settings = @settings WHERE id = @id'),
      teams: db.prepare<[string], TeamRow>('SELECT * FROM teams WHERE event_id = ? ORDER BY created_at, name'),
      teamById: db.prepare<[string], TeamRow>('SELECT * FROM teams WHERE id = ?'),
      teamByName: db.prepare<[string, string], TeamRow>('SELECT * FROM teams WHERE event_id = ? AND name = ?'),
      insertTeam: db.prepare('INSERT INTO teams (id, event_id, challenge_id, name, board_id, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      teamByBoard: db.prepare<[string], { event_id: string; id: string }>('SELECT event_id, id FROM teams WHERE board_id = ?'),
      eventByPlenary: db.prepare<[string], { id: string }>('SELECT id FROM events WHERE plenary_board_id = ?'),
      eventByLive: db.prepare<[string], { id: string }>('SELECT id FROM events WHERE live_board_id = ?'),
      lock: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO board_locks (board_id, event_id, locked_at) VALUES (?, ?, ?)'),
      unlock: db.prepare<[string, string]>('DELETE FROM board_locks WHERE board_id = ? AND event_id = ?'),
      locks: db.prepare<[string], { board_id: string }>('SELECT board_id FROM board_locks WHERE event_id = ? ORDER BY board_id'),
      insertMember: db.prepare('INSERT INTO members (id, event_id, team_id, pseudonym, created_at) VALUES (?, ?, NULL, ?, ?)'),
      memberById: db.prepare<[string], MemberRow>('SELECT * FROM members WHERE id = ?'),
      members: db.prepare<[string], MemberRow>('SELECT * FROM members WHERE event_id = ? ORDER BY created_at'),
      teamSize: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE team_id = ?'),
      setTeam: db.prepare<[string, string]>('UPDATE members SET team_id = ? WHERE id = ?'),
      deleteMember: db.prepare<[string]>('DELETE FROM members WHERE id = ?'),
    }
  }

  async createEvent(input: NewEvent): Promise<EventRecord> {
    const createdAt = new Date().toISOString()
    const create = this.db.transaction((): EventRecord => {
      let joinCode = newJoinCode()
      while (this.q.codeTaken.get(joinCode)?.n) joinCode = newJoinCode()
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
        createdAt,
      }
      this.q.insertEvent.run({
        id: event.id,
        title: event.title,
        date: event.date,
        agenda: JSON.stringify(event.agenda),
        settings: JSON.stringify(event.settings),
        join_code: event.joinCode,
        plenary_board_id: event.plenaryBoardId,
        live_board_id: event.liveBoardId,
        created_at: createdAt,
      })
      for (const [i, c] of event.challenges.entries()) this.q.insertChallenge.run(c.id, event.id, i, c.title, c.description, JSON.stringify(c.datasets))
      return event
    })
    return create()
  }

  private toEvent(row: EventRow | undefined): EventRecord | undefined {
    if (!row) return undefined
    const challenges: Challenge[] = this.q.challenges
      .all(row.id)
      .map((c) => ({ id: c.id, title: c.title, description: c.description, datasets: JSON.parse(c.datasets) }))
    return {
      id: row.id,
      title: row.title,
      date: row.date,
      agenda: JSON.parse(row.agenda),
      settings: JSON.parse(row.settings),
      challenges,
      joinCode: row.join_code,
      plenaryBoardId: row.plenary_board_id,
      liveBoardId: row.live_board_id,
      createdAt: row.created_at,
    }
  }

  async getEvent(eventId: string) {
    return this.toEvent(this.q.eventById.get(eventId))
  }

  async getEventByJoinCode(code: string) {
    return this.toEvent(this.q.eventByCode.get(code))
  }

  async updateEvent(eventId: string, patch: Partial<Pick<EventRecord, 'title' | 'date' | 'agenda' | 'settings'>>) {
    const current = await this.getEvent(eventId)
    if (!current) return undefined
    const next = { ...current, ...patch }
    this.q.updateEvent.run({ id: eventId, title: next.title, date: next.date, agenda: JSON.stringify(next.agenda), settings: JSON.stringify(next.settings) })
    return next
  }

  async listTeams(eventId: string) {
    return this.q.teams.all(eventId).map(teamFromRow)
  }

  async getTeam(teamId: string) {
    const row = this.q.teamById.get(teamId)
    return row && teamFromRow(row)
  }

  async createTeam(eventId: string, input: { name: string; challengeId: string | null }) {
    if (this.q.teamByName.get(eventId, input.name)) return undefined
    const created: Team = { id: newBoardId(), eventId, challengeId: input.challengeId, name: input.name, boardId: newBoardId(), createdAt: new Date().toISOString() }
    this.q.insertTeam.run(created.id, eventId, created.challengeId, created.name, created.boardId, created.createdAt)
    return created
  }

  async findBoardOwner(boardId: string): Promise<BoardOwner | undefined> {
    const teamRow = this.q.teamByBoard.get(boardId)
    if (teamRow) return { eventId: teamRow.event_id, teamId: teamRow.id, kind: 'team' }
    const plenary = this.q.eventByPlenary.get(boardId)
    if (plenary) return { eventId: plenary.id, teamId: null, kind: 'plenary' }
    const live = this.q.eventByLive.get(boardId)
    return live && { eventId: live.id, teamId: null, kind: 'live' }
  }

  async setLocks(eventId: string, boardIds: readonly string[], locked: boolean): Promise<void> {
    const now = new Date().toISOString()
    this.db.transaction(() => {
      for (const id of boardIds) {
        if (locked) this.q.lock.run(id, eventId, now)
        else this.q.unlock.run(id, eventId)
      }
    })()
  }

  async lockedBoards(eventId: string): Promise<string[]> {
    return this.q.locks.all(eventId).map((r) => r.board_id)
  }

  async addMember(eventId: string, pseudonym: string) {
    const created: Member = { id: newBoardId(), eventId, teamId: null, pseudonym, createdAt: new Date().toISOString() }
    this.q.insertMember.run(created.id, eventId, pseudonym, created.createdAt)
    return created
  }

  async getMember(memberId: string) {
    const row = this.q.memberById.get(memberId)
    return row && memberFromRow(row)
  }

  async listMembers(eventId: string) {
    return this.q.members.all(eventId).map(memberFromRow)
  }

  async joinTeam(memberId: string, teamId: string, maxTeamSize: number): Promise<JoinTeamResult> {
    // One synchronous transaction: two people taking the last seat cannot both get it.
    return this.db.transaction((): JoinTeamResult => {
      const m = this.q.memberById.get(memberId)
      if (!m) return { ok: false, reason: 'unknown-member' }
      const t = this.q.teamById.get(teamId)
      if (!t || t.event_id !== m.event_id) return { ok: false, reason: 'unknown-team' }
      if (m.team_id === teamId) return { ok: true, member: memberFromRow(m) }
      if ((this.q.teamSize.get(teamId)?.n ?? 0) >= maxTeamSize) return { ok: false, reason: 'team-full' }
      this.q.setTeam.run(teamId, memberId)
      return { ok: true, member: { ...memberFromRow(m), teamId } }
    }).immediate()
  }

  async removeMember(memberId: string) {
    return this.q.deleteMember.run(memberId).changes > 0
  }
}
