import { describe, expect, it } from 'vitest'
import { rankResults } from './results.ts'
import type { JuryScore, Scores } from './types.ts'

const teams = [
  { id: 't-a', name: 'Alpha' },
  { id: 't-b', name: 'Bêta' },
  { id: 't-c', name: 'Gamma' },
  { id: 't-d', name: 'Delta' },
]
const score = (teamId: string, jurorId: string, scores: Scores): JuryScore => ({ eventId: 'e', teamId, jurorId, jurorName: jurorId, scores, comment: '', updatedAt: '' })

describe('rankResults', () => {
  it('ranks teams by the mean of the criteria means; ties share a rank; unscored teams come last', () => {
    const { jury } = rankResults(
      teams,
      [
        score('t-a', 'j1', { relevance: 5, technical: 4, feasibility: 4, originality: 5 }),
        score('t-a', 'j2', { relevance: 3, technical: 4, feasibility: 4, originality: 3 }),
        score('t-b', 'j1', { relevance: 4, technical: 4, feasibility: 4, originality: 4 }),
        score('t-c', 'j1', { relevance: 5, technical: 5, feasibility: 5, originality: 5 }),
        score('gone', 'j1', { relevance: 5 }),
      ],
      [],
    )
    expect(jury.map((row) => [row.rank, row.teamName, row.overall, row.jurors])).toEqual([
      [1, 'Gamma', 5, 1],
      [2, 'Alpha', 4, 2],
      [2, 'Bêta', 4, 1],
      [null, 'Delta', null, 0],
    ])
    expect(jury[1]?.averages).toEqual({ relevance: 4, technical: 4, feasibility: 4, originality: 4 })
  })

  it('ranks the audience by ballots, every team listed, ties by name', () => {
    const { audience } = rankResults(teams, [], [
      { teamId: 't-c', votes: 3 },
      { teamId: 't-b', votes: 1 },
      { teamId: 't-a', votes: 1 },
      { teamId: 'gone', votes: 9 },
    ])
    expect(audience.map((row) => [row.rank, row.teamName, row.votes])).toEqual([
      [1, 'Gamma', 3],
      [2, 'Alpha', 1],
      [2, 'Bêta', 1],
      [4, 'Delta', 0],
    ])
  })
})
