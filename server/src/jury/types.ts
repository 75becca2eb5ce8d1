/** The grid public hackathon juries commonly use (see shared/templates.md, "Evaluation"). */
export const JURY_CRITERIA = ['relevance', 'technical', 'feasibility', 'originality'] as const
export type JuryCriterion = (typeof JURY_CRITERIA)[number]

export const JURY_CRITERIA_TITLES: Record<JuryCriterion, { fr: string; en: string }> = {
  relevance: { fr: 'Pertinence et impact', en: 'Relevance and impact' },
  technical: { fr: 'Qualité technique (données, UX)', en: 'Technical quality (data, UX)' },
  feasibility: { fr: 'Faisabilité et pérennité', en: 'Feasibility and sustainability' },
  originality: { fr: 'Originalité', en: 'Originality' },
}

/** The grid's scale (shared/templates.md): 1 to 5 per criterion; there is no 0. */
export const SCORE_MIN = 1
export const SCORE_MAX = 5

/** 1 to 5 per criterion; a criterion not scored yet is absent. */
export type Scores = Partial<Record<JuryCriterion, number>>

export interface JuryScore {
  eventId: string
  teamId: string
  jurorId: string
  jurorName: string
  scores: Scores
  comment: string
  updatedAt: string
}

/** The audience prize ("prix du public"): opened and closed by the facilitators, never reset. */
export interface AudiencePrize {
  status: 'closed' | 'open'
  openedAt: string | null
  closedAt: string | null
}

export const AUDIENCE_NOT_OPENED: AudiencePrize = { status: 'closed', openedAt: null, closedAt: null }

export interface AudienceTally {
  teamId: string
  votes: number
}

export type AudienceCastResult = { ok: true; previousTeamId: string | null } | { ok: false; reason: 'closed' }

/**
 * Jury scores, private to the jury and organisers until the organiser publishes the results; and
 * the audience prize, one ballot per participant (a second one replaces the first while open).
 */
export interface JuryStore {
  saveScore(score: Omit<JuryScore, 'updatedAt'>): Promise<JuryScore>
  listScores(eventId: string, jurorId?: string): Promise<JuryScore[]>
  publish(eventId: string): Promise<string>
  publishedAt(eventId: string): Promise<string | undefined>
  /** Opens (again: ballots cast before are kept) or closes the audience prize. */
  setAudienceOpen(eventId: string, open: boolean): Promise<AudiencePrize>
  audiencePrize(eventId: string): Promise<AudiencePrize>
  /** One ballot per member, checked open in the same statement: two tabs end with one ballot. */
  castAudienceVote(eventId: string, memberId: string, teamId: string): Promise<AudienceCastResult>
  audienceVoteOf(eventId: string, memberId: string): Promise<string | undefined>
  /** Ballots per team, most first (ties by team id, so that every reader ranks them alike). */
  audienceTally(eventId: string): Promise<AudienceTally[]>
}

export interface TeamResult {
  teamId: string
  /** Mean of every juror's score, per criterion, then overall (mean of the criteria means). */
  averages: Scores
  overall: number | null
  jurors: number
}

/** Per-team means, best first; pure so that API and export agree. */
export function teamResults(scores: readonly JuryScore[]): TeamResult[] {
  const byTeam = new Map<string, JuryScore[]>()
  for (const score of scores) byTeam.set(score.teamId, [...(byTeam.get(score.teamId) ?? []), score])
  const results: TeamResult[] = []
  for (const [teamId, teamScores] of byTeam) {
    const averages: Scores = {}
    for (const criterion of JURY_CRITERIA) {
      const values = teamScores.map((s) => s.scores[criterion]).filter((v): v is number => typeof v === 'number')
      if (values.length > 0) averages[criterion] = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100
    }
    const means = Object.values(averages) as number[]
    const overall = means.length > 0 ? Math.round((means.reduce((a, b) => a + b, 0) / means.length) * 100) / 100 : null
    results.push({ teamId, averages, overall, jurors: teamScores.length })
  }
  return results.sort((a, b) => (b.overall ?? -1) - (a.overall ?? -1))
}
