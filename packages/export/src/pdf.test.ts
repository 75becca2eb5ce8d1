import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { extractProjectSheet } from './extract.ts'
import { contextFor, SeededBoard } from './fixtures.ts'
import { toPdf } from './pdf.ts'
import { mergePdfs } from './pdfMerge.ts'
import type { ProjectSheet } from './types.ts'

const POPPLER = ['/usr/bin/pdftotext', '/usr/bin/pdftoppm', '/usr/bin/pdfinfo']
let dir: string
const boards: SeededBoard[] = []
let sheets: ProjectSheet[]

beforeAll(() => {
  const missing = POPPLER.filter((tool) => !fs.existsSync(tool))
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run apt-get install -y poppler-utils`)
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-pdf-'))

  const mobility = new SeededBoard()
  const frame = mobility.place('project-sheet')
  mobility.user('alice', 'Alice')
  mobility.noteInSection(frame, 'project-sheet', 'title', 'Bus à l’heure')
  mobility.noteInSection(frame, 'project-sheet', 'problem', 'Les usagers disent «on ne sait jamais»: horaires périmés', { authorId: 'alice' })
  mobility.noteInSection(frame, 'project-sheet', 'solution', 'Œuvre commune – 1ᵉʳ prototype → SMS 🚌 pour Łódź…', { slot: 0 })
  for (let i = 0; i < 6; i++) {
    mobility.noteInSection(frame, 'project-sheet', 'achievements', `Étape ${i} : un texte assez long pour passer à la ligne et remplir la page de la fiche projet.`, { slot: i % 5 })
  }
  const health = new SeededBoard()
  const canvas = health.place('lean-canvas')
  health.noteInSection(canvas, 'lean-canvas', 'problem', 'Rendez-vous médicaux manqués')
  boards.push(mobility, health)
  sheets = [extractProjectSheet(mobility.doc, contextFor('Mobilités')), extractProjectSheet(health.doc, contextFor('Santé', { challenge: null }))]
})
afterAll(() => {
  for (const board of boards) board.dispose()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

async function writePdf(name: string, bytes: Promise<Uint8Array>): Promise<string> {
  const file = path.join(dir, name)
  fs.writeFileSync(file, await bytes)
  return file
}

/** The text of each page, French non-breaking spaces read as spaces. */
function pagesOf(file: string): string[] {
  const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  return text.replace(/\u00a0/g, ' ').split('\f').slice(0, -1)
}

function pageCount(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' }))?.[1])
}

describe('toPdf', () => {
  test('an A4 PDF whose pages all render and whose text reads back, French typography included', async () => {
    const file = await writePdf('fiche.pdf', toPdf([sheets[0]], 'fr'))
    expect(execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/)

    execFileSync('/usr/bin/pdftoppm', ['-r', '30', '-png', file, path.join(dir, 'fiche')])
    const pictures = fs.readdirSync(dir).filter((name) => name.startsWith('fiche-') && name.endsWith('.png'))
    expect(pictures.length).toBe(pageCount(file))
    for (const picture of pictures) expect(fs.readFileSync(path.join(dir, picture)).subarray(1, 4).toString()).toBe('PNG')

    const text = pagesOf(file).join('\n')
    expect(text).toContain('Bus à l’heure')
    expect(text).toContain('Équipe : Mobilités')
    expect(text).toContain('Les usagers disent « on ne sait jamais » : horaires périmés — Alice')
    expect(text).toContain('Œuvre commune – 1er prototype -> SMS pour Lódz…')
    expect(text).toContain('Et après ?')
    expect(text).toContain('Rien sur le tableau.')
    expect(text).toMatch(/Page 1 sur \d/)
  })

  test('the event PDF starts each team on a new page, with its name at the foot of its pages', async () => {
    const file = await writePdf('event.pdf', toPdf(sheets, 'en'))
    const pages = pagesOf(file)
    expect(pages.length).toBe(pageCount(file))
    const starts = pages.flatMap((page, i) => (page.startsWith('Project sheet · ') ? [i] : []))
    expect(starts).toHaveLength(2)
    expect(pages[starts[0]]).toContain('Bus à l’heure')
    expect(pages[starts[1]]).toContain('Team: Santé')
    expect(pages[starts[1]]).toContain('Challenge: No challenge chosen')
    expect(pages[starts[1]]).toContain('Rendez-vous médicaux manqués')
    // Pages are numbered within each team's sheet.
    const mobility = starts[1] as number
    for (const [i, page] of pages.slice(0, mobility).entries()) expect(page).toContain(`Page ${i + 1} of ${mobility}`)
    expect(pages.at(-1)).toContain(`Page ${pages.length - mobility} of ${pages.length - mobility}`)
  })

  test('the event PDF put together from the teams’ PDFs reads as the one typeset at once, with a bookmark per team', async () => {
    // A third team whose sheet takes several pages.
    const long = new SeededBoard()
    boards.push(long)
    const frame = long.place('project-sheet')
    for (let i = 0; i < 90; i++) long.noteInSection(frame, 'project-sheet', 'problem', `Constat ${i} (idée « ${i % 7} ») : un texte qui tient sur une ligne ou deux.`, { slot: i % 5 })
    const teams = [sheets[0], extractProjectSheet(long.doc, contextFor('Longue équipe')), sheets[1]] as ProjectSheet[]
    const whole = pagesOf(await writePdf('whole.pdf', toPdf(teams, 'fr')))
    expect(whole.length).toBeGreaterThan(4)
    const parts = await Promise.all(teams.map((sheet) => toPdf([sheet], 'fr')))
    const created = new Date('2026-12-07T17:00:00Z')
    const merged = mergePdfs(parts, { title: 'Hackathon « Services publics »', locale: 'fr', created })
    const file = await writePdf('merged.pdf', Promise.resolve(merged))

    // poppler reads it without a complaint (a broken table or reference is reported on stderr), every page renders.
    const checked = spawnSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' })
    expect(checked.stderr).toBe('')
    const info = checked.stdout
    expect(info).toMatch(/Title:\s+Hackathon « Services publics »/)
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/)
    expect(pageCount(file)).toBe(whole.length)
    expect(spawnSync('/usr/bin/pdftoppm', ['-r', '20', '-png', file, path.join(dir, 'merged')], { encoding: 'utf8' }).stderr).toBe('')
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('merged-') && name.endsWith('.png'))).toHaveLength(whole.length)

    expect(pagesOf(file)).toEqual(whole)
    // One bookmark per team, on its first page, titled as in its own PDF.
    const text = Buffer.from(merged).toString('latin1')
    expect(text.match(/\/Dest \[\d+ 0 R \/Fit\]/g)).toHaveLength(3)
    expect(text).toMatch(/\/Type \/Outlines\n\/First \d+ 0 R\n\/Last \d+ 0 R\n\/Count 3/)
  })

  test('refuses what pdfkit did not write', () => {
    expect(() => mergePdfs([new TextEncoder().encode('%PDF-1.7 not really')], { title: 'x', locale: 'fr', created: new Date() })).toThrow('cross-reference')
  })

  test('an event without teams still gives a readable PDF', async () => {
    const file = await writePdf('empty.pdf', toPdf([], 'fr'))
    expect(pagesOf(file).join('')).toContain('Aucune équipe dans cet événement.')
  })
})
