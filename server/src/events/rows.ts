import type { Member, Team } from './types.ts'

/** Teams and members as both databases return them (snake_case columns). */
export interface TeamRow {
  id: string
  event_id: string
  challenge_id: string | null
  name: string
  board_id: string
  created_at: string
}

export interface MemberRow {
  id: string
  event_id: string
  team_id: string | null
  pseudonym: string
  created_at: string
}

export const teamFromRow = (r: TeamRow): Team => ({
  id: r.id,
  eventId: r.event_id,
  challengeId: r.challenge_id,
  name: r.name,
  boardId: r.board_id,
  createdAt: r.created_at,
})

export const memberFromRow = (r: MemberRow): Member => ({
  id: r.id,
  eventId: r.event_id,
  teamId: r.team_id,
  pseudonym: r.pseudonym,
  createdAt: r.created_at,
})
