import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROJECT_SHEET_FIELDS } from '@fabrique/templates'
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readBoardRecords } from './board.ts'
import { extractProjectSheet } from './extract.ts'
import { contextFor, SeededBoard } from './fixtures.ts'
import { boardPreview } from './preview.ts'
import { PROJECT_SHEET_JSON_SCHEMA } from './schema.ts'

const boards: SeededBoard[] = []
function seeded(): SeededBoard {
  const board = new SeededBoard()
  boards.push(board)
  return board
}
afterEach(() => {
  for (const board of boards.splice(0)) board.dispose()
})

const texts = (notes: ReadonlyArray<{ text: string }>) => notes.map((note) => note.text)

describe('extractProjectSheet', () => {
  test('reads every field from the project sheet; empty sections give empty lists; loose notes are kept apart', () => {
    const board = seeded()
    const sheet = board.place('project-sheet')
    board.user('alice', 'Alice')
    board.noteInSection(sheet, 'project-sheet', 'title', 'Bus à l’heure')
    board.noteInSection(sheet, 'project-sheet', 'problem', 'Les usagers disent « on ne sait jamais » : horaires périmés', { slot: 0, authorId: 'alice' })
    board.noteInSection(sheet, 'project-sheet', 'problem', 'Pas d’alerte en cas de grève', { slot: 1 })
    const solution = board.noteInSection(sheet, 'project-sheet', 'solution', 'Une alerte SMS')
    board.note(sheet, 200, 1700, 'Dans le cadre, hors rubrique')
    board.note('page:page', -5000, -5000, 'Idée en vrac sur la page')

    const result = extractProjectSheet(board.doc, contextFor('Mobilités', { votes: { [solution]: 3 } }))

    expect(result.title).toBe('Bus à l’heure')
    expect(texts(result.fields.problem.notes)).toEqual(['Les usagers disent « on ne sait jamais » : horaires périmés', 'Pas d’alerte en cas de grève'])
    expect(result.fields.problem.notes[0].author).toBe('Alice')
    expect(result.fields.problem.notes[1]).not.toHaveProperty('author')
    expect(result.fields.problem.source).toEqual({ templateId: 'project-sheet', sectionKey: 'problem' })
    expect(result.fields.solution.notes).toEqual([{ shapeId: solution, text: 'Une alerte SMS', votes: 3 }])
    expect(result.fields.data).toEqual({ title: { fr: 'Données utilisées', en: 'Data used' }, notes: [], source: { templateId: 'project-sheet', sectionKey: 'data' } })
    // The empty placeholder notes the template put in each section are not notes of the team.
    expect(result.fields.impact.notes).toEqual([])
    expect(texts(result.otherNotes)).toEqual(['Idée en vrac sur la page', 'Dans le cadre, hors rubrique'])
    expect(texts(result.templates[0].otherNotes)).toEqual(['Dans le cadre, hors rubrique'])
    expect(result.templates.map((t) => t.templateId)).toEqual(['project-sheet'])
    expect(result.templates[0].sections.map((s) => s.key)).toEqual([
      'title',
      'pitch',
      'problem',
      'users',
      'solution',
      'data',
      'impact',
      'deliverables',
      'achievements',
      'next-steps',
    ])
    expect(result).toMatchObject({
      schemaVersion: 1,
      event: { id: 'event-1', title: 'Hackathon des mobilités', date: '2026-11-26' },
      team: { id: 'team-Mobilités', name: 'Mobilités', boardId: 'board-Mobilités', members: ['Alice', 'Bob'] },
      challenge: { title: 'Mieux informer les voyageurs', datasets: [{ title: 'Horaires GTFS' }] },
      juryScores: null,
      presentation: null,
      exportedAt: '2026-11-26T16:30:00.000Z',
    })
  })

  test('the project sheet wins over a lean canvas for "problem"; the canvas fills what the sheet leaves empty', () => {
    const board = seeded()
    const canvas = board.place('lean-canvas')
    const sheet = board.place('project-sheet')
    board.noteInSection(canvas, 'lean-canvas', 'problem', 'Problème vu dans le canvas')
    board.noteInSection(sheet, 'project-sheet', 'problem', 'Problème de la fiche')
    board.noteInSection(canvas, 'lean-canvas', 'solution', 'Solution du canvas')

    const result = extractProjectSheet(board.doc, contextFor('Santé'))

    expect(texts(result.fields.problem.notes)).toEqual(['Problème de la fiche'])
    expect(result.fields.problem.source).toEqual({ templateId: 'project-sheet', sectionKey: 'problem' })
    expect(texts(result.fields.solution.notes)).toEqual(['Solution du canvas'])
    expect(result.fields.solution.source).toEqual({ templateId: 'lean-canvas', sectionKey: 'solution' })
    // Both frames are listed with their own sections, whatever the fields took.
    const leanCanvas = result.templates.find((t) => t.templateId === 'lean-canvas')
    expect(texts(leanCanvas?.sections.find((s) => s.key === 'problem')?.notes ?? [])).toEqual(['Problème vu dans le canvas'])
  })

  test('without a project sheet, matching sections of the other templates are merged in catalog order', () => {
    const board = seeded()
    const canvas = board.place('lean-canvas')
    const persona = board.place('persona')
    board.noteInSection(canvas, 'lean-canvas', 'segments', 'Voyageurs occasionnels')
    board.noteInSection(persona, 'persona', 'identity', 'Martine, 67 ans')
    board.noteInSection(canvas, 'lean-canvas', 'problem', 'Horaires faux', { slot: 1 })
    board.noteInSection(canvas, 'lean-canvas', 'problem', 'Pas d’info en gare', { slot: 0 })

    const result = extractProjectSheet(board.doc, contextFor('Transports'))

    // Persona is a framing template, listed before the lean canvas (a pitch outline).
    expect(texts(result.fields.users.notes)).toEqual(['Martine, 67 ans', 'Voyageurs occasionnels'])
    expect(result.fields.users.source).toEqual({ templateId: 'persona', sectionKey: 'identity' })
    // Left to right within a row of notes.
    expect(texts(result.fields.problem.notes)).toEqual(['Pas d’info en gare', 'Horaires faux'])
    expect(result.fields.title.notes).toEqual([])
    expect(result.title).toBe('Transports')
    expect(result.fields.deliverables).toMatchObject({ notes: [], source: null })
  })

  test('an empty board gives every field empty, and reading it writes nothing into the document', () => {
    const board = seeded()
    board.place('project-sheet')
    const before = Y.encodeStateVector(board.doc)
    let updates = 0
    board.doc.on('update', () => updates++)

    const result = extractProjectSheet(board.doc, contextFor('Vide', { challenge: null }))

    expect(updates).toBe(0)
    expect(Y.encodeStateVector(board.doc)).toEqual(before)
    for (const field of PROJECT_SHEET_FIELDS) expect(result.fields[field].notes).toEqual([])
    expect(result.otherNotes).toEqual([])
    expect(result.challenge).toBeNull()
    expect(extractProjectSheet(new Y.Doc(), contextFor('Jamais ouvert')).templates).toEqual([])
  })

  test('a document read once (a stored board, some fields only) gives the same sheet and preview as one read through its shared FieldMap', () => {
    const board = seeded()
    board.user('alice', 'Alice')
    const sheet = board.place('project-sheet')
    const canvas = board.place('lean-canvas', 'en')
    board.noteInSection(sheet, 'project-sheet', 'problem', 'Horaires périmés', { slot: 0, authorId: 'alice' })
    const voted = board.noteInSection(sheet, 'project-sheet', 'problem', 'Pas d’alerte', { slot: 1 })
    board.noteInSection(canvas, 'lean-canvas', 'solution', 'Alerte SMS', { authorId: 'alice' })
    board.note('page:page', -2000, 0, 'En vrac')
    board.page('page:second', 'a2', 'Pitch')
    board.note('page:second', 0, 0, 'Sur la seconde page')
    const copy = () => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(board.doc))
      return doc
    }
    const context = contextFor('Mobilités', { votes: { [voted]: 2 }, slides: [canvas, sheet] })
    const once = extractProjectSheet(copy(), context, { once: true })
    expect(once).toEqual(extractProjectSheet(copy(), context))
    expect(texts(once.fields.problem.notes)).toEqual(['Horaires périmés', 'Pas d’alerte'])
    expect(once.fields.problem.notes.map((note) => [note.author, note.votes])).toEqual([
      ['Alice', 0],
      [undefined, 2],
    ])
    expect(texts(once.otherNotes)).toEqual(['En vrac', 'Sur la seconde page'])
    expect(once.presentation?.map((slide) => slide.shapeId)).toEqual([canvas, sheet])
    // The same boxes; their order is the records' order, which the two reads do not share.
    const preview = boardPreview(readBoardRecords(copy(), { once: true }))
    const shared = boardPreview(readBoardRecords(copy()))
    const sorted = (boxes: readonly object[]) => boxes.map((box) => JSON.stringify(box)).sort()
    expect(preview.shapes).toBe(shared.shapes)
    expect(sorted(preview.boxes)).toEqual(sorted(shared.boxes))
    expect(preview.boxes.filter((box) => box.kind === 'note' && box.color).length).toBeGreaterThan(0)
    expect(once.presentation?.every((slide) => slide.title)).toBe(true)
  })

  test('follows the JSON schema, and the schema file in docs/ is the one the package exports', () => {
    const board = seeded()
    const sheet = board.place('project-sheet', 'en')
    const note = board.noteInSection(sheet, 'project-sheet', 'pitch', 'A text message before the bus is late')
    board.note('page:page', -3000, 0, 'Loose')
    const result = JSON.parse(JSON.stringify(extractProjectSheet(board.doc, contextFor('Buses', { votes: { [note]: 2 } }))))

    expect(validate(PROJECT_SHEET_JSON_SCHEMA, result)).toEqual([])
    expect(validate(PROJECT_SHEET_JSON_SCHEMA, { ...result, fields: { ...result.fields, title: { notes: [] } } })).not.toEqual([])

    const docsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/project-sheet.schema.json')
    expect(JSON.parse(fs.readFileSync(docsFile, 'utf8'))).toEqual(JSON.parse(JSON.stringify(PROJECT_SHEET_JSON_SCHEMA)))
  })
})

type Schema = Record<string, any>

/** Just enough JSON Schema to check our own: type, const, enum, required, properties, items, oneOf, $ref. */
function validate(schema: Schema, value: unknown, root: Schema = schema, at = '$'): string[] {
  if (schema.$ref) return validate(root.$defs[schema.$ref.replace('#/$defs/', '')], value, root, at)
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((option: Schema) => validate(option, value, root, at).length === 0).length
    return matches === 1 ? [] : [`${at}: matches ${matches} of oneOf`]
  }
  if ('const' in schema && value !== schema.const) return [`${at}: not ${schema.const}`]
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: not in enum`]
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value
  if (schema.type && schema.type !== kind && !(schema.type === 'number' && kind === 'integer')) return [`${at}: ${kind} is not ${schema.type}`]
  const problems: string[] = []
  if (kind === 'array' && schema.items) {
    for (const [i, item] of (value as unknown[]).entries()) problems.push(...validate(schema.items, item, root, `${at}[${i}]`))
  }
  if (kind === 'object') {
    const object = value as Record<string, unknown>
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key}: missing`)
    for (const [key, item] of Object.entries(object)) {
      const property = schema.properties?.[key]
      if (property) problems.push(...validate(property, item, root, `${at}.${key}`))
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not allowed`)
    }
  }
  return problems
}
