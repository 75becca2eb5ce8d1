import { strFromU8, unzipSync } from 'fflate'
import { afterAll, describe, expect, test } from 'vitest'
import { extractProjectSheet } from './extract.ts'
import { contextFor, SeededBoard } from './fixtures.ts'
import { eventZip, teamFolders } from './zip.ts'

describe('eventZip', () => {
  const board = new SeededBoard()
  afterAll(() => board.dispose())

  test('a folder per team with the JSON, Markdown and PDF, and the event files at the root', async () => {
    const frame = board.place('project-sheet')
    board.noteInSection(frame, 'project-sheet', 'problem', 'Horaires périmés')
    const first = extractProjectSheet(board.doc, contextFor('Équipe « Mobilités »'))
    const second = extractProjectSheet(board.doc, contextFor('Equipe Mobilites'))
    const progress: Array<[number, number]> = []

    const files = unzipSync(await eventZip([first, second], { onProgress: (done, total) => progress.push([done, total]) }))

    const names = Object.keys(files).filter((name) => !name.endsWith('/'))
    expect(names.sort()).toEqual([
      'equipe-mobilites-2/fiche.json',
      'equipe-mobilites-2/fiche.md',
      'equipe-mobilites-2/fiche.pdf',
      'equipe-mobilites/fiche.json',
      'equipe-mobilites/fiche.md',
      'equipe-mobilites/fiche.pdf',
      'event.pdf',
      'fiche.schema.json',
      'notes.csv',
    ])
    expect(JSON.parse(strFromU8(files['equipe-mobilites/fiche.json']))).toEqual(JSON.parse(JSON.stringify(first)))
    expect(strFromU8(files['equipe-mobilites/fiche.md'])).toContain('- Horaires périmés')
    expect(strFromU8(files['equipe-mobilites-2/fiche.pdf'].subarray(0, 5))).toBe('%PDF-')
    expect(strFromU8(files['notes.csv'])).toContain('Horaires périmés')
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
  })

  test('only the formats asked for: text without PDF, notes.csv always', async () => {
    const sheet = extractProjectSheet(board.doc, contextFor('Santé'))
    const text = unzipSync(await eventZip([sheet], { formats: ['json', 'md'] }))
    expect(Object.keys(text).filter((name) => !name.endsWith('/')).sort()).toEqual(['fiche.schema.json', 'notes.csv', 'sante/fiche.json', 'sante/fiche.md'])
    const markdown = unzipSync(await eventZip([sheet], { formats: ['md'] }))
    expect(Object.keys(markdown).filter((name) => !name.endsWith('/')).sort()).toEqual(['notes.csv', 'sante/fiche.md'])
  })

  test('stops when cancelled', async () => {
    const sheet = extractProjectSheet(board.doc, contextFor('Santé'))
    const controller = new AbortController()
    controller.abort()
    await expect(eventZip([sheet], { signal: controller.signal })).rejects.toThrow()
    expect(teamFolders([sheet.team.name, sheet.team.name, sheet.team.name])).toEqual(['sante', 'sante-2', 'sante-3'])
  })
})
