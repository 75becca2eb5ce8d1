import { describe, expect, it } from 'vitest'
import { emptyChallenge, emptyPhase, initialDraft, parseDatasets, toNewEventBody, today } from './eventForm.ts'

describe('parseDatasets', () => {
  it('reads an address alone, or a title before it with any separator', () => {
    const { datasets, invalid } = parseDatasets(
      [
        'https://www.data.gouv.fr/fr/datasets/horaires-bus/',
        '',
        'Comptages vélo | https://example.org/velo.csv',
        '  Trafic routier — https://example.org/trafic  ',
        'Accidents : https://example.org/accidents.json',
      ].join('\n'),
    )
    expect(invalid).toEqual([])
    expect(datasets).toEqual([
      { title: 'data.gouv.fr/fr/datasets/horaires-bus', url: 'https://www.data.gouv.fr/fr/datasets/horaires-bus/' },
      { title: 'Comptages vélo', url: 'https://example.org/velo.csv' },
      { title: 'Trafic routier', url: 'https://example.org/trafic' },
      { title: 'Accidents', url: 'https://example.org/accidents.json' },
    ])
  })

  it('reports the lines without a web address instead of dropping them', () => {
    expect(parseDatasets('https://example.org/a\nle fichier de la mairie\nftp://example.org/b').invalid).toEqual([2, 3])
  })
})

describe('toNewEventBody', () => {
  it('turns the typed form into the body of POST /api/events', () => {
    const draft = {
      ...initialDraft(),
      title: '  Hackathon mobilités ',
      date: '2026-11-26',
      agenda: [{ ...emptyPhase(), title: 'Idéation', start: '09:30', duration: '90' }],
      challenges: [{ ...emptyChallenge(), title: 'Bus', description: 'Mieux desservir', datasets: 'Lignes | https://example.org/lignes' }],
      maxTeamSize: '5',
      teamsCanViewOtherBoards: true,
      participantsCanWritePlenary: false,
    }
    expect(toNewEventBody(draft)).toEqual({
      body: {
        title: 'Hackathon mobilités',
        date: '2026-11-26',
        agenda: [{ title: 'Idéation', start: '09:30', durationMinutes: 90 }],
        challenges: [{ title: 'Bus', description: 'Mieux desservir', datasets: [{ title: 'Lignes', url: 'https://example.org/lignes' }] }],
        settings: { maxTeamSize: 5, teamsCanViewOtherBoards: true, participantsCanWritePlenary: false },
      },
    })
  })

  it('names the challenge and lines to fix', () => {
    const draft = { ...initialDraft(), title: 'X', challenges: [emptyChallenge(), { ...emptyChallenge(), title: 'B', datasets: 'pas une adresse' }] }
    expect(toNewEventBody(draft)).toEqual({ problems: [{ kind: 'datasets', challenge: 2, lines: [1] }] })
  })

  it('defaults to the server’s settings and today’s date', () => {
    const draft = initialDraft()
    expect(draft.date).toBe(today())
    expect(draft).toMatchObject({ maxTeamSize: '8', teamsCanViewOtherBoards: false, participantsCanWritePlenary: true })
  })
})
