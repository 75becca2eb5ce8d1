import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { FacilitatorConsole, JoinPage, JuryList, NewEventForm } from './pages/eventPages.ts'

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

/** A person in their own browser, in French. */
async function person(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR' })
  contexts.push(context)
  return context
}

describe('ideation day in Chromium', () => {
  it('organiser creates the event, participants form a team on its board, the facilitator sees them', async () => {
    const form = await NewEventForm.open(await person(), server.url)
    await form.fill({
      title: 'Hackathon mobilités',
      date: '2026-11-26',
      phases: [
        { title: 'Accueil', start: '09:00', minutes: 30 },
        { title: 'Idéation', start: '09:30', minutes: 120 },
      ],
      challenges: [
        {
          title: 'Mobilité douce',
          description: 'Faciliter les trajets à vélo.',
          datasets: ['Comptages vélo | https://example.org/velo.csv', 'https://example.org/pistes'],
        },
        { title: 'Bus de nuit', description: 'Rentrer après 23 h.', datasets: [] },
      ],
      maxTeamSize: 2,
      teamsCanViewOtherBoards: false,
    })
    const organiser = await form.submit()
    expect(await organiser.createdNotice()).toMatch(/L’événement est créé/)
    const links = await organiser.links()
    expect(links.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    expect(links.join).toBe(`${server.url}/join/${links.joinCode}`)
    expect(links.organiser).toMatch(/\/e\/[^/]+\/organise#token=/)
    expect(links.facilitator).toMatch(/\/e\/[^/]+\/facilitate#token=/)
    expect(links.jury).toMatch(/\/e\/[^/]+\/jury#token=/)
    expect(await organiser.qrCodeShown()).toBe(true)
    const poster = await organiser.openPoster()
    expect(await poster.getByTestId('poster-code').textContent()).toBe(links.joinCode)
    expect(await poster.getByTestId('poster-url').textContent()).toBe(links.join)
    expect(await poster.getByRole('heading', { level: 1 }).textContent()).toBe('Hackathon mobilités')

    // First participant: creates a team under a challenge and lands on its board.
    const aicha = await JoinPage.open(await person(), links.join)
    expect(await aicha.eventTitle()).toBe('Hackathon mobilités')
    expect(await aicha.challengeTitles()).toEqual(['Mobilité douce', 'Bus de nuit'])
    await aicha.choosePseudonym('Aïcha')
    await aicha.createTeam('Mobilité douce', 'Les Castors')
    const boardA = await aicha.board()
    await boardA.waitForSync()
    expect(await boardA.userName()).toBe('Aïcha')
    await boardA.addNote('Idée d’Aïcha', 100, 100)

    // Second participant: sees the team and its free seat, joins it, sees the note.
    const bastien = await JoinPage.open(await person(), links.join)
    expect(await bastien.team('Les Castors').textContent()).toMatch(/1\/2 personnes.*1 place\(s\) libre\(s\).*Aïcha/)
    await bastien.choosePseudonym('Bastien')
    await bastien.joinTeam('Les Castors')
    const boardB = await bastien.board()
    await boardB.waitForSync()
    expect(await boardB.userName()).toBe('Bastien')
    await expect.poll(() => boardB.noteTexts(), poll).toEqual(['Idée d’Aïcha'])

    // Third participant: the team is full; the server's sentence, in French, then in English.
    const chloe = await JoinPage.open(await person(), links.join)
    expect(await chloe.team('Les Castors').textContent()).toMatch(/2\/2 personnes.*complète/)
    await chloe.choosePseudonym('Chloé')
    await chloe.joinTeam('Les Castors')
    await expect
      .poll(() => chloe.alerts(), poll)
      .toEqual(['Cette équipe est complète (2 personnes au plus). Choisissez-en une autre ou créez la vôtre.'])
    expect(chloe.page.url()).toContain(`/join/${links.joinCode}`)
    await chloe.switchLanguage('en')
    await expect.poll(() => chloe.alerts(), poll).toEqual(['This team is full (2 people at most). Pick another one or create your own.'])

    // The facilitator console lists the plenary and the team's board, with both participants on it.
    const facilitator = await FacilitatorConsole.open(await person(), links.facilitator)
    expect(facilitator.url()).not.toContain('token=')
    expect(await facilitator.boardNames()).toEqual(['Tableau plénier', 'Les Castors'])
    await expect.poll(() => facilitator.online('Les Castors'), poll).toBe(2)
    expect(await facilitator.online('Tableau plénier')).toBe(0)

    expect(boardA.foreignRequests()).toEqual([])
    expect(boardB.foreignRequests()).toEqual([])
  })

  it('recognises a returning participant, and the jury views team boards read-only', async () => {
    const response = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Semaine de l’innovation publique',
        date: '2026-11-27',
        challenges: [{ title: 'Démarches en ligne', description: '', datasets: [] }],
      }),
    })
    expect(response.status).toBe(201)
    const { links } = (await response.json()) as { links: { join: string; jury: string } }

    const context = await person()
    const dana = await JoinPage.open(context, links.join)
    await dana.choosePseudonym('Dana')
    await dana.createTeam('Démarches en ligne', 'Les Hiboux')
    const board = await dana.board()
    await board.waitForSync()
    await board.addNote('Un formulaire plus court', 50, 50)

    // Same browser, the next morning: no pseudonym asked, the team and its board are there.
    const back = await JoinPage.open(context, links.join)
    await back.greeting('Dana').waitFor()
    expect(await back.page.getByLabel('Pseudonyme').count()).toBe(0)
    expect(await back.team('Les Hiboux').textContent()).toContain('Votre équipe')
    await back.openOwnBoard()
    const again = await back.board()
    await expect.poll(() => again.noteTexts(), poll).toEqual(['Un formulaire plus court'])
    expect(await again.userName()).toBe('Dana')

    const jury = await JuryList.open(await person(), links.jury)
    expect(await jury.teamNames()).toEqual(['Les Hiboux'])
    const juryBoard = await jury.openBoard('Les Hiboux')
    await juryBoard.waitForSync()
    await expect.poll(() => juryBoard.noteTexts(), poll).toEqual(['Un formulaire plus court'])
    expect(await juryBoard.isReadonly()).toBe(true)
  })
})
