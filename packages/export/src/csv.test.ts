import { afterAll, describe, expect, test } from 'vitest'
import { csvField, notesCsv } from './csv.ts'
import { extractProjectSheet } from './extract.ts'
import { contextFor, SeededBoard } from './fixtures.ts'

/** A small RFC 4180 reader, to check that the file parses back to what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += char
  }
  return rows
}

describe('csvField', () => {
  test('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvField('simple')).toBe('simple')
    expect(csvField('a, b')).toBe('"a, b"')
    expect(csvField('il a dit "oui"')).toBe('"il a dit ""oui"""')
    expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"')
    expect(csvField(3)).toBe('3')
  })

  test('defuses spreadsheet formulas typed by participants', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"')
    expect(csvField('+33 6')).toBe("'+33 6")
    expect(csvField('@cmd')).toBe("'@cmd")
    expect(csvField('-1+1')).toBe("'-1+1")
    expect(csvField('- une liste')).toBe('- une liste')
  })
})

describe('notesCsv', () => {
  const boards = [new SeededBoard(), new SeededBoard()]
  afterAll(() => {
    for (const board of boards) board.dispose()
  })

  test('one row per note of every board, with a BOM and CRLF, that parses back', () => {
    const [first, second] = boards
    const sheetFrame = first.place('project-sheet')
    first.user('alice', 'Alice')
    const quoted = first.noteInSection(sheetFrame, 'project-sheet', 'problem', 'Trop de "retards", vraiment\nsurtout le soir', { authorId: 'alice' })
    first.note('page:page', -4000, 0, 'En vrac')
    const canvas = second.place('lean-canvas', 'en')
    second.noteInSection(canvas, 'lean-canvas', 'problem', 'Late buses')

    const sheets = [
      extractProjectSheet(first.doc, contextFor('Mobilités', { votes: { [quoted]: 4 } })),
      extractProjectSheet(second.doc, contextFor('Santé, bien-être')),
    ]
    const csv = notesCsv(sheets)

    expect(csv.startsWith('\ufeffboard,team,section,author,text,votes\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(parseCsv(csv.slice(1))).toEqual([
      ['board', 'team', 'section', 'author', 'text', 'votes'],
      ['board-Mobilités', 'Mobilités', 'Fiche projet › Problème', 'Alice', 'Trop de "retards", vraiment\nsurtout le soir', '4'],
      ['board-Mobilités', 'Mobilités', '', '', 'En vrac', '0'],
      ['board-Santé, bien-être', 'Santé, bien-être', 'Lean canvas › Problème', '', 'Late buses', '0'],
    ])
    expect(parseCsv(notesCsv(sheets, 'en').slice(1))[3][2]).toBe('Lean canvas › Problem')
  })
})
