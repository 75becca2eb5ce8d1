import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'
import { FacilitatorConsole } from './pages/eventPages.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>
const contexts: BrowserContext[] = []

beforeAll(async () => {
  const clientDir = requireBuiltClient()
  browser = await launchBrowser()
  // Board summaries (shape count, preview) a moment after a change, not the production 5 s.
  server = await startServer({ clientDir, sync: { summaryDelayMs: 200 } })
})
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

/** A person in their own browser, in French. */
async function person(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR' })
  contexts.push(context)
  return context
}

async function call(path: string, body: unknown, token?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.status === 204 ? {} : response.json()
}

interface Setup {
  event: { id: string; joinCode: string }
  facilitatorLink: string
  participants: Array<{ token: string; boardId: string; teamName: string }>
}

/** An event with an agenda and one participant per team, made through the API. */
async function eventWithTeams(teamNames: string[]): Promise<Setup> {
  const agenda = [
    { title: 'Idéation', start: '10:00', durationMinutes: 20 },
    { title: 'Prototypage', start: '10:20', durationMinutes: 60 },
  ]
  const { event, links } = await call('/api/events', { title: 'Hackathon des services publics', date: '2026-11-26', agenda })
  const participants = []
  for (const [i, teamName] of teamNames.entries()) {
    const { token } = await call('/api/join', { code: event.joinCode, pseudonym: `Personne ${i + 1}` })
    const { team } = await call(`/api/events/${event.id}/teams`, { name: teamName }, token)
    participants.push({ token, boardId: team.boardId as string, teamName })
  }
  return { event, facilitatorLink: links.facilitator, participants }
}

async function openBoard(boardId: string, token: string): Promise<BoardPage> {
  const page = await (await person()).newPage()
  await page.goto(`${server.url}/b/${boardId}?e2e=1#token=${token}`)
  const board = await BoardPage.attach(page, server.url)
  await board.waitForSync()
  return board
}

/** Template frames on the board: their template id, from the meta every template shape carries. */
function templateFrames(board: BoardPage): Promise<string[]> {
  return board.page.evaluate(() => {
    type Shape = { type: string; meta: { fabrique?: { templateId?: string } } }
    const { editor } = (window as unknown as { __fabrique: { editor: { getCurrentPageShapes(): Shape[] } } }).__fabrique
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'frame' && shape.meta.fabrique?.templateId)
      .map((shape) => shape.meta.fabrique?.templateId as string)
  })
}

describe('the facilitator console in Chromium', () => {
  it('pushes a template, runs the timer, locks the boards and broadcasts; a participant’s board shows each', async () => {
    const { facilitatorLink, participants } = await eventWithTeams(['Les Castors'])
    const [chloe] = participants
    const board = await openBoard(chloe.boardId, chloe.token)
    const facilitator = await FacilitatorConsole.open(await person(), facilitatorLink)

    // Templates: to every board at once, then taken back where nobody wrote.
    expect(await facilitator.pushTemplate('Parcours usager')).toEqual(['Tableau plénier : placé', 'Les Castors : placé'])
    await expect.poll(() => templateFrames(board), poll).toEqual(['journey-map'])
    await expect.poll(() => facilitator.status('Modèles'), poll).toBe('« Parcours usager » envoyé : placé sur 2 tableau(x), déjà présent sur 0, en échec sur 0.')
    expect(await facilitator.withdrawLatestPush()).toEqual(['Tableau plénier : retiré', 'Les Castors : retiré'])
    await expect.poll(() => templateFrames(board), poll).toEqual([])

    // Timer: a phase of the agenda, counting down on the board and in the console.
    await facilitator.startPhase('Idéation')
    const timer = board.page.getByTestId('timer')
    await expect.poll(async () => (await timer.textContent()) ?? '', poll).toMatch(/Idéation\s*(20:00|19:5\d)/)
    await expect.poll(() => facilitator.timer(), poll).toMatch(/^Idéation (20:00|19:5\d) .* en cours$/)
    await facilitator.timerButton('Pause')
    await expect.poll(async () => (await timer.textContent()) ?? '', poll).toContain('en pause')
    await facilitator.timerButton(/^\+5\smin$/)
    await expect.poll(() => facilitator.timer(), poll).toMatch(/^Idéation 2[45]:\d\d .* en pause$/)

    // Locks: all at once, then one board by its toggle.
    await facilitator.lockAll()
    await expect.poll(() => board.page.getByTestId('locked').isVisible(), poll).toBe(true)
    await expect.poll(() => facilitator.isLocked('Les Castors'), poll).toBe(true)
    await expect.poll(() => facilitator.status('Verrouillage'), poll).toBe('Tous les tableaux sont verrouillés.')
    await facilitator.unlockBoard('Les Castors')
    await expect.poll(() => board.page.getByTestId('locked').isVisible(), poll).toBe(false)
    await expect.poll(() => facilitator.isLocked('Les Castors'), poll).toBe(false)
    expect(await facilitator.isLocked('Tableau plénier')).toBe(true)

    // Broadcast: an empty message is refused before asking the server; a real one reaches the board.
    await facilitator.broadcast('   ')
    expect(await facilitator.alerts('Message à tous')).toEqual(['Écrivez le message avant de l’envoyer.'])
    await facilitator.broadcast('Pitchs à 16 h en salle B')
    await expect.poll(async () => (await board.page.getByTestId('broadcast').textContent()) ?? '', poll).toContain('Pitchs à 16 h en salle B')
    expect(await facilitator.alerts('Message à tous')).toEqual([])
  })

  it('shows each board’s shape count and a preview that opens the board', async () => {
    const { facilitatorLink, participants } = await eventWithTeams(['Les Loutres'])
    const [loutre] = participants
    const board = await openBoard(loutre.boardId, loutre.token)
    await board.addNote('Une idée', 100, 100)
    await board.addNote('Une autre', 400, 100)
    await board.addNote('Et une troisième', 700, 400)
    const facilitator = await FacilitatorConsole.open(await person(), facilitatorLink)

    await expect.poll(() => facilitator.shapes('Les Loutres'), poll).toBe('3')
    await expect.poll(async () => (await facilitator.preview('Les Loutres'))?.marks, poll).toBe(3)
    const preview = await facilitator.preview('Les Loutres')
    expect(preview?.alt).toBe('Aperçu du tableau «\u00a0Les Loutres\u00a0»')
    expect(preview?.opens).toContain(loutre.boardId)
    // Never written: nothing to count, nothing to picture.
    expect(await facilitator.shapes('Tableau plénier')).toBe('0')
    expect(await facilitator.preview('Tableau plénier')).toBeUndefined()

    await board.addNote('Une quatrième', 1000, 400)
    await expect.poll(() => facilitator.shapes('Les Loutres'), poll).toBe('4')
    await expect.poll(async () => (await facilitator.preview('Les Loutres'))?.marks, poll).toBe(4)
  })

  it('shows a refusal from the server in the reader’s language', async () => {
    const { facilitatorLink } = await eventWithTeams(['Les Hiboux'])
    const facilitator = await FacilitatorConsole.open(await person(), facilitatorLink)
    // The token expired meanwhile: the server's own answer, as it words it.
    await facilitator.page.route('**/api/events/*/broadcast', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'token_expired', message: { fr: 'Votre lien d’accès a expiré. Demandez-en un nouveau.', en: 'Your access link has expired. Ask for a new one.' } },
        }),
      }),
    )
    await facilitator.broadcast('Pause déjeuner')
    await expect.poll(() => facilitator.alerts('Message à tous'), poll).toEqual(['Votre lien d’accès a expiré. Demandez-en un nouveau.'])
    await facilitator.switchLanguage('en')
    await expect.poll(() => facilitator.alerts('Message to everyone'), poll).toEqual(['Your access link has expired. Ask for a new one.'])
  })

  it('opens, reveals and closes a vote, and runs the restitution in the order set', async () => {
    const { event, facilitatorLink, participants } = await eventWithTeams(['Les Castors', 'Les Hiboux'])
    const [castor] = participants
    const board = await openBoard(castor.boardId, castor.token)
    await board.addNote('Un guichet unique', 100, 100)
    const facilitator = await FacilitatorConsole.open(await person(), facilitatorLink)

    await facilitator.openVote({ votesPerPerson: 2, maxPerNote: 1, named: true })
    await expect.poll(async () => (await facilitator.vote()).status, poll).toBe('open')
    const { id: voteId } = await facilitator.vote()
    const [note] = await board.notes()
    await call(`/api/events/${event.id}/votes/${voteId}/ballots`, { boardId: castor.boardId, shapeId: note.id, delta: 1 }, castor.token)
    await facilitator.voteButton('Montrer les résultats')
    await expect.poll(async () => (await facilitator.vote()).ranking, poll).toEqual([['1', 'Les Castors', '1', 'Personne 1']])
    await facilitator.voteButton('Clore le vote')
    await expect.poll(async () => (await facilitator.vote()).status, poll).toBe('closed')
    await expect.poll(() => facilitator.status('Vote par gommettes'), poll).toBe('Vote clos : le classement s’affiche sur les tableaux.')

    expect(await facilitator.runningOrder()).toEqual(['Les Castors', 'Les Hiboux'])
    await facilitator.moveTeamEarlier('Les Hiboux')
    expect(await facilitator.runningOrder()).toEqual(['Les Hiboux', 'Les Castors'])
    await facilitator.restitutionButton('Enregistrer l’ordre')
    await expect.poll(() => facilitator.onStage(), poll).toBe('Pas encore commencé. Première équipe : Les Hiboux.')
    await facilitator.restitutionButton('Lancer le pitch')
    await expect.poll(() => facilitator.onStage(), poll).toMatch(/^Sur scène : Les Hiboux, pitch, (4:00|3:5\d) restantes\. Ensuite : Les Castors$/)
    await facilitator.restitutionButton('Équipe suivante')
    await expect.poll(() => facilitator.onStage(), poll).toMatch(/^Sur scène : Les Castors, pitch, (4:00|3:5\d) restantes\.$/)
  })
})
