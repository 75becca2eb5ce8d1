import { getTemplate, SECTION_HEADER_HEIGHT } from '@fabrique/templates'
import { strFromU8, unzipSync } from 'fflate'
import type { Browser, BrowserContext, Route } from 'playwright-core'
import { createShapeId, getIndexAbove, type IndexKey, NoteShapeUtil, type TLParentId, type TLShape, toRichText } from 'tldraw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'
import { ExportPanel } from './pages/exportPanel.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>
const contexts: BrowserContext[] = []

beforeAll(async () => {
  const clientDir = requireBuiltClient()
  browser = await launchBrowser()
  server = await startServer({ clientDir })
})
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

async function organiser(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true })
  contexts.push(context)
  return context
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown, token?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, '')

/** Sync connections the server holds: the export must leave none behind. */
const connections = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections

/** A participant's canvas outside the browser: writes a sticky note in a section of the project-sheet frame. */
async function writeNote(boardId: string, token: string, sectionKey: string, text: string): Promise<BoardClient> {
  const client = connectBoardClient(syncUrl(server), boardId, token)
  await client.synced
  const frame = client.shapes().find((shape) => shape.type === 'frame' && (shape.meta as { fabrique?: { templateId?: string } }).fabrique?.templateId === 'project-sheet')
  if (!frame) throw new Error('no project-sheet frame on the board')
  const box = getTemplate('project-sheet').sections.find((section) => section.key === sectionKey)?.box
  if (!box) throw new Error(`no section ${sectionKey}`)
  const props = { ...new NoteShapeUtil({} as never).getDefaultProps(), richText: toRichText(text) }
  // Above everything, the template's empty placeholder notes included, so that the picture shows it.
  const top = client.shapes().map((shape) => shape.index).sort().at(-1) ?? ('a0' as IndexKey)
  const note = client.store.schema.types.shape.create({
    id: createShapeId(),
    type: 'note',
    parentId: frame.id as TLParentId,
    x: box.x + 16,
    y: box.y + SECTION_HEADER_HEIGHT,
    index: getIndexAbove(top),
    props,
  } as never) as TLShape
  client.store.put([note])
  client.binding.flush()
  return client
}

interface World {
  eventId: string
  organiserLink: string
  juryLink: string
  teams: Array<{ id: string; name: string; folder: string; note: string }>
}

/** An event of three teams, each board with the project-sheet template and one note in it, made through the API. */
async function eventOfThreeTeams(title: string): Promise<World> {
  const { event, links } = await call('POST', '/api/events', { title, date: '2026-11-26' })
  const organiserToken = tokenOf(links.organiser)
  const teams = [
    { name: 'Mobilités', folder: 'mobilites', note: 'Bus à l’heure' },
    { name: 'Santé « pour tous »', folder: 'sante-pour-tous', note: 'Rendez-vous en ligne' },
    { name: 'Écoles', folder: 'ecoles', note: 'Cantine locale' },
  ]
  const created: Array<{ id: string; boardId: string; token: string }> = []
  for (const [i, team] of teams.entries()) {
    const { token } = await call('POST', '/api/join', { code: event.joinCode, pseudonym: `Personne ${i + 1}` })
    const body = await call('POST', `/api/events/${event.id}/teams`, { name: team.name }, token)
    created.push({ id: body.team.id, boardId: body.team.boardId, token })
  }
  const push = await call('POST', `/api/events/${event.id}/pushes`, { pushId: `push-${event.id}`, templateId: 'project-sheet', locale: 'fr' }, organiserToken)
  expect(push.boards.map((board: { status: string }) => board.status)).toEqual(['placed', 'placed', 'placed', 'placed'])
  const clients: BoardClient[] = []
  try {
    for (const [i, team] of teams.entries()) clients.push(await writeNote(created[i].boardId, created[i].token, 'problem', team.note))
    await waitFor(async () => {
      const { sheets } = await call('GET', `/api/events/${event.id}/sheets`, undefined, organiserToken)
      return sheets.every((sheet: { fields: { problem: { notes: unknown[] } } }) => sheet.fields.problem.notes.length === 1)
    }, 'the three notes stored')
  } finally {
    for (const client of clients) client.destroy()
  }
  return { eventId: event.id, organiserLink: links.organiser, juryLink: links.jury, teams: teams.map((team, i) => ({ ...team, id: created[i].id })) }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

describe('exporting project sheets from the organiser’s page', () => {
  it('downloads each format, then the full bundle with pictures of every board, with progress to 100 %', async () => {
    const world = await eventOfThreeTeams('Hackathon « Services publics »')
    const panel = await ExportPanel.openOrganiserPage(await organiser(), world.organiserLink)
    expect(await panel.teamNames()).toEqual(world.teams.map((team) => team.name))

    // One team's sheet, each format, under the server's file name.
    const pdf = await panel.download(panel.teamButton('Mobilités', 'PDF'))
    expect(pdf.filename).toBe('fiche-mobilites.pdf')
    expect(strFromU8(pdf.bytes.subarray(0, 5))).toBe('%PDF-')
    const md = await panel.download(panel.teamButton('Santé « pour tous »', 'Markdown'))
    expect(md.filename).toBe('fiche-sante-pour-tous.md')
    expect(strFromU8(md.bytes)).toContain('- Rendez-vous en ligne')
    const json = await panel.download(panel.teamButton('Écoles', 'JSON'))
    expect(json.filename).toBe('fiche-ecoles.json')
    expect(JSON.parse(strFromU8(json.bytes)).fields.problem.notes[0].text).toBe('Cantine locale')
    const csv = await panel.download(panel.button('Notes de tous les tableaux (CSV)'))
    expect(csv.filename).toBe('hackathon-services-publics-notes.csv')
    expect(strFromU8(csv.bytes)).toContain('Bus à l’heure')

    // The full bundle: texts from the server, pictures drawn in this browser.
    await panel.recordProgress()
    const bundle = await panel.download(panel.button('Préparer l’archive complète'), 90_000)
    expect(bundle.filename).toBe('hackathon-services-publics-export-complet.zip')
    const files = unzipSync(bundle.bytes)
    const names = Object.keys(files).sort()
    for (const team of world.teams) {
      for (const file of ['fiche.json', 'fiche.md', 'fiche.pdf', 'pictures/board.png', 'pictures/fiche-projet.png']) {
        expect(names).toContain(`${team.folder}/${file}`)
      }
      const sheet = JSON.parse(strFromU8(files[`${team.folder}/fiche.json`]))
      expect(sheet.team.name).toBe(team.name)
      expect(sheet.fields.problem.notes.map((note: { text: string }) => note.text)).toEqual([team.note])
      expect(strFromU8(files[`${team.folder}/fiche.md`])).toContain(`- ${team.note}`)
      expect(strFromU8(files[`${team.folder}/fiche.pdf`].subarray(0, 5))).toBe('%PDF-')
      const board = pngSize(files[`${team.folder}/pictures/board.png`])
      const frame = pngSize(files[`${team.folder}/pictures/fiche-projet.png`])
      expect(board.width).toBeGreaterThan(200)
      expect(frame.width).toBeGreaterThan(200)
      // The board is the frame and a little room around it.
      expect(board.width).toBeGreaterThanOrEqual(frame.width)
    }
    expect(names).toEqual(expect.arrayContaining(['notes.csv', 'event.pdf', 'fiche.schema.json']))
    expect(JSON.parse(strFromU8(files['fiche.schema.json'])).$schema).toMatch(/2020-12/)
    expect(strFromU8(files['event.pdf'].subarray(0, 5))).toBe('%PDF-')

    // Progress was shown throughout, team by team, and reached 100 %.
    expect(await panel.progressBar.getAttribute('aria-valuenow')).toBe('100')
    const progress = await panel.recordedProgress()
    expect(progress.values.at(-1)).toBe(100)
    expect(progress.values).toEqual([...progress.values].sort((a, b) => a - b))
    for (const n of [1, 2, 3]) expect(progress.texts.some((text) => text.includes(`Équipe ${n} sur 3…`))).toBe(true)
    expect(await panel.bundleStatus()).toBe('Archive prête : « hackathon-services-publics-export-complet.zip » est téléchargé.')
    expect(await panel.alerts()).toEqual([])
    // Every board the export opened is closed again.
    await expect.poll(connections, poll).toBe(0)
  })

  it('cancels a bundle half-way: requests stop, boards close, nothing is downloaded', async () => {
    const world = await eventOfThreeTeams('Défi « Annulation »')
    const panel = await ExportPanel.openOrganiserPage(await organiser(), world.organiserLink)
    const downloads: string[] = []
    panel.page.on('download', (download) => downloads.push(download.suggestedFilename()))

    // The second team's PDF is held, so that the bundle is surely under way when Cancel is pressed.
    const held: Route[] = []
    await panel.page.route(new RegExp(`/teams/${world.teams[1].id}/sheet\\.pdf`), (route) => {
      held.push(route)
    })
    await panel.button('Préparer l’archive complète').click()
    await waitFor(() => held.length === 1, 'the second team’s PDF to be requested')
    await expect.poll(() => panel.progressText(), poll).toMatch(/^Équipe 2 sur 3… \d+ %$/)
    expect(Number(await panel.progressBar.getAttribute('aria-valuenow'))).toBe(25)

    const aborted = panel.page.waitForEvent('requestfailed', { predicate: (request) => request.url().includes('/sheet.pdf'), timeout: 10_000 })
    await panel.button('Annuler').click()
    await aborted
    expect(await panel.bundleStatus()).toBe('Export annulé : rien n’a été téléchargé.')
    await expect.poll(() => panel.progressBar.count(), poll).toBe(0)
    await expect.poll(connections, poll).toBe(0)
    // Let the held request answer: a bundle still running would now finish and download.
    await held[0].continue().catch(() => {})
    await expect(panel.page.waitForEvent('download', { timeout: 3_000 })).rejects.toThrow(/Timeout/)
    expect(downloads).toEqual([])
    expect(await panel.button('Préparer l’archive complète').isEnabled()).toBe(true)
  })

  it('gives the jury the same downloads from its own page', async () => {
    const world = await eventOfThreeTeams('Jury « Export »')
    const panel = await ExportPanel.followLink(await organiser(), world.juryLink)
    expect(await panel.teamNames()).toEqual(world.teams.map((team) => team.name))
    const pdf = await panel.download(panel.button('Toutes les fiches en un PDF'))
    expect(pdf.filename).toBe('jury-export-fiches.pdf')
    expect(strFromU8(pdf.bytes.subarray(0, 5))).toBe('%PDF-')
    const sheet = await panel.download(panel.teamButton('Écoles', 'Markdown'))
    expect(strFromU8(sheet.bytes)).toContain('- Cantine locale')
  })
})
