/** One ideation day. */
export interface EventRecord {
  id: string
  title: string
  /** YYYY-MM-DD */
  date: string
  agenda: AgendaPhase[]
  challenges: Challenge[]
  settings: EventSettings
  /** Six characters without ambiguous letters, typed by participants. */
  joinCode: string
  plenaryBoardId: string
  /** The event's live state (timer, broadcast, locks, votes): read by all, written by the server. */
  liveBoardId: string
  createdAt: string
}

export interface AgendaPhase {
  title: string
  /** HH:MM, local time of the event */
  start: string
  durationMinutes: number
}

export interface Challenge {
  id: string
  title: string
  description: string
  datasets: Dataset[]
}

export interface Dataset {
  title: string
  url: string
}

export interface EventSettings {
  maxTeamSize: number
  /** Participants may open other teams' boards, read-only. */
  teamsCanViewOtherBoards: boolean
  /** Participants may write on the plenary board (otherwise they read it). */
  participantsCanWritePlenary: boolean
}

export interface Team {
  id: string
  eventId: string
  challengeId: string | null
  name: string
  boardId: string
  createdAt: string
}

export interface Member {
  id: string
  eventId: string
  teamId: string | null
  pseudonym: string
  createdAt: string
}

export type NewEvent = Omit<EventRecord, 'id' | 'joinCode' | 'plenaryBoardId' | 'liveBoardId' | 'createdAt' | 'challenges'> & {
  challenges: Array<Omit<Challenge, 'id'>>
}

/** Which event a board belongs to, and to which team (null: the plenary or live board). */
export interface BoardOwner {
  eventId: string
  teamId: string | null
  kind: 'team' | 'plenary' | 'live'
}

export type JoinTeamResult = { ok: true; member: Member } | { ok: false; reason: 'team-full' | 'unknown-team' | 'unknown-member' }

/** Events, challenges, teams and members; in the same database as the boards. */
export interface EventStore {
  createEvent(input: NewEvent): Promise<EventRecord>
  getEvent(eventId: string): Promise<EventRecord | undefined>
  getEventByJoinCode(code: string): Promise<EventRecord | undefined>
  updateEvent(eventId: string, patch: Partial<Pick<EventRecord, 'title' | 'date' | 'agenda' | 'settings'>>): Promise<EventRecord | undefined>
  listTeams(eventId: string): Promise<Team[]>
  getTeam(teamId: string): Promise<Team | undefined>
  /** Creates a team; undefined when the event already has a team of that name. */
  createTeam(eventId: string, input: { name: string; challengeId: string | null }): Promise<Team | undefined>
  findBoardOwner(boardId: string): Promise<BoardOwner | undefined>
  addMember(eventId: string, pseudonym: string): Promise<Member>
  getMember(memberId: string): Promise<Member | undefined>
  listMembers(eventId: string): Promise<Member[]>
  /** Moves a member into a team, refusing when the team is full (checked atomically). */
  joinTeam(memberId: string, teamId: string, maxTeamSize: number): Promise<JoinTeamResult>
  removeMember(memberId: string): Promise<boolean>
  /** Locks or unlocks boards of an event (participants then only read them). */
  setLocks(eventId: string, boardIds: readonly string[], locked: boolean): Promise<void>
  lockedBoards(eventId: string): Promise<string[]>
}
