import { afterAll, describe, expect, test } from 'vitest'
import { extractProjectSheet } from './extract.ts'
import { contextFor, SeededBoard } from './fixtures.ts'
import { escapeMarkdown, toMarkdown } from './markdown.ts'

const board = new SeededBoard()
const frame = board.place('project-sheet')
board.user('alice', 'Alice')
board.noteInSection(frame, 'project-sheet', 'title', 'Bus à l’heure')
board.noteInSection(frame, 'project-sheet', 'problem', 'Les usagers disent «on ne sait jamais»: horaires périmés', { authorId: 'alice' })
const solution = board.noteInSection(frame, 'project-sheet', 'solution', 'Une alerte SMS\nsans application')
board.note('page:page', -4000, 0, '# pas un titre, *pas* du gras')
const sheet = extractProjectSheet(board.doc, contextFor('Mobilités', { votes: { [solution]: 2 } }))
afterAll(() => board.dispose())

describe('toMarkdown', () => {
  test('a French sheet: title, event, team, challenge, every field in order, French spacing', () => {
    const md = toMarkdown(sheet, 'fr')
    expect(md.startsWith('# Bus à l’heure\n')).toBe(true)
    expect(md).toContain('- **Événement**\u00a0: Hackathon des mobilités, 26 novembre 2026')
    expect(md).toContain('- **Équipe**\u00a0: Mobilités (Alice, Bob)')
    expect(md).toContain('- **Défi**\u00a0: Mieux informer les voyageurs')
    expect(md).toContain('- [Horaires GTFS](<https://transport.data.gouv.fr/datasets/horaires>)')
    expect(md).toContain('- Les usagers disent «\u00a0on ne sait jamais\u00a0»\u00a0: horaires périmés — _Alice_')
    expect(md).toContain('- Une alerte SMS\\\n  sans application — 2 votes')
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((match) => match[1])
    expect(headings).toEqual([
      'Titre',
      'Pitch en une phrase',
      'Problème',
      'Usagers cibles',
      'Solution',
      'Données utilisées',
      'Impact',
      'Livrables',
      'Réalisations et difficultés',
      'Et après\u202f?',
      'Autres notes du tableau',
    ])
    expect(md).toMatch(/## Usagers cibles\n\n_Rien sur le tableau\._\n/)
    expect(md).toContain('_Fiche projet · Exporté le 26 novembre 2026 à 17:30_')
  })

  test('an English sheet uses English headings and leaves the notes’ spacing alone', () => {
    const md = toMarkdown(sheet, 'en')
    expect(md).toContain('- **Event**: Hackathon des mobilités, 26 November 2026')
    expect(md).toContain('## Next steps')
    expect(md).toContain('- Les usagers disent «on ne sait jamais»: horaires périmés — _Alice_')
    expect(md).toMatch(/## Target users\n\n_Nothing on the board\._\n/)
  })

  test('what participants typed never becomes Markdown structure', () => {
    expect(toMarkdown(sheet, 'fr')).toContain('- \\# pas un titre, \\*pas\\* du gras')
    expect(escapeMarkdown('<script>[lien](x) _a_ | b')).toBe('\\<script\\>\\[lien\\](x) \\_a\\_ \\| b')
    expect(escapeMarkdown('1. un\n- deux')).toBe('1\\. un\n\\- deux')
  })
})
