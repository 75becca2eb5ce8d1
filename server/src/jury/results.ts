import { type AudienceTally, JURY_CRITERIA, type JuryScore, type Scores, teamResults } from './types.ts'

export interface JuryRanking {
  /** 1 for the best; teams tied share a rank (1, 1, 3); null for a team nobody scored yet. */
  rank: number | null
  teamId: string
  teamName: string
  /** Mean per criterion over the jurors who scored it. */
  averages: Scores
  overall: number | null
  jurors: number
}

export interface AudienceRanking {
  rank: number
  teamId: string
  teamName: string
  votes: number
}

export interface RankedResults {
  jury: JuryRanking[]
  audience: AudienceRanking[]
}

interface TeamName {
  id: string
  name: string
}

/** Standard competition ranking over values already sorted best first: ties share a rank. */
function ranks<T>(sorted: readonly T[], value: (item: T) => number | null): Array<number | null> {
  return sorted.map((item) => {
    const own = value(item)
    if (own === null) return null
    const first = sorted.findIndex((other) => value(other) === own)
    return first + 1
  })
}

/**
 * Every team of the event ranked by the jury (mean of the criteria means) and by the audience
 * (ballots); teams without scores or ballots are listed too, last. Pure: the API, the CSV and the
 * tests rank alike.
 */
export function rankResults(teams: readonly TeamName[], scores: readonly JuryScore[], tally: readonly AudienceTally[]): RankedResults {
  const known = new Map(teams.map((team) => [team.id, team.name]))
  const byTeam = new Map(teamResults(scores.filter((score) => known.has(score.teamId))).map((result) => [result.teamId, result]))
  const byName = (a: TeamName, b: TeamName) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id)

  const jurySorted = [...teams].sort((a, b) => {
    const left = byTeam.get(a.id)?.overall ?? null
    const right = byTeam.get(b.id)?.overall ?? null
    if (left !== right) return (right ?? Number.NEGATIVE_INFINITY) - (left ?? Number.NEGATIVE_INFINITY)
    return byName(a, b)
  })
  const overallOf = (team: TeamName) => byTeam.get(team.id)?.overall ?? null
  const juryRanks = ranks(jurySorted, overallOf)
  const jury = jurySorted.map((team, index): JuryRanking => {
    const result = byTeam.get(team.id)
    const averages: Scores = {}
    for (const criterion of JURY_CRITERIA) if (result?.averages[criterion] !== undefined) averages[criterion] = result.averages[criterion]
    return { rank: juryRanks[index] ?? null, teamId: team.id, teamName: team.name, averages, overall: result?.overall ?? null, jurors: result?.jurors ?? 0 }
  })

  const votes = new Map(tally.map((row) => [row.teamId, row.votes]))
  const votesOf = (team: TeamName) => votes.get(team.id) ?? 0
  const audienceSorted = [...teams].sort((a, b) => votesOf(b) - votesOf(a) || byName(a, b))
  const audienceRanks = ranks(audienceSorted, votesOf)
  const audience = audienceSorted.map((team, index): AudienceRanking => ({ rank: audienceRanks[index] ?? 0, teamId: team.id, teamName: team.name, votes: votesOf(team) }))
  return { jury, audience }
}
