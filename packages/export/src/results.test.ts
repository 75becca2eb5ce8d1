import { describe, expect, it } from 'vitest'
import { resultsCsv } from './results.ts'

describe('resultsCsv', () => {
  it('writes one line per team with the jury means, the ranks and the audience ballots', () => {
    const csv = resultsCsv(
      ['relevance', 'originality'],
      [
        { teamId: 't-a', team: 'Mobilités, santé', juryRank: 1, averages: { relevance: 4.5, originality: 3 }, overall: 3.75, jurors: 2, audienceRank: 2, audienceVotes: 1 },
        { teamId: 't-b', team: '=cmd', juryRank: null, averages: {}, overall: null, jurors: 0, audienceRank: 1, audienceVotes: 3 },
      ],
    )
    expect(csv.split('\r\n')).toEqual([
      '\ufeffteam_id,team,jury_rank,relevance,originality,jury_overall,jurors,audience_rank,audience_votes',
      't-a,"Mobilités, santé",1,4.5,3,3.75,2,2,1',
      "t-b,'=cmd,,,,,0,1,3",
      '',
    ])
  })
})
