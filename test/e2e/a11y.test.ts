import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { AccessibilityAudit, controlsOutOfReach, reflowProblems, stopsWithoutVisibleFocus, switchLanguage } from './pages/a11yAudit.ts'
import { BoardPage } from './pages/boardPage.ts'
import { FacilitatorConsole, JoinPage, NewEventForm, OrganiserPage, withTestFlag } from './pages/eventPages.ts'
import { tabTo } from './pages/keyboard.ts'
import { KeyboardParticipant } from './pages/keyboardParticipant.ts'
import { centreInside, OutlinePanel, pageBounds } from './pages/outlinePanel.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>
const contexts: BrowserContext[] = []

beforeAll(async () => {
  browser = await launchBrowser()
  // Every page of the tour asks for the event's preview: more than a room's worth of joins a minute.
  server = await startServer({ clientDir: requireBuiltClient(), limits: { joinAttemptsPerMinute: 10_000 } })
})
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

/** A person in their own browser, in French; axe-core gets in past the app's CSP. */
async function person(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport })
  contexts.push(context)
  return context
}

async function call(path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.status === 204 ? {} : response.json()
}

interface Day {
  event: { id: string; joinCode: string; plenaryBoardId: string }
  links: { organiser: string; facilitator: string; jury: string; join: string }
  tokens: { organiser: string; facilitator: string; jury: string }
  castors: { boardId: string; id: string; token: string }
}

/**
 * An event in full swing, made through the API: two challenges, three teams, a pushed template, a
 * running timer, a broadcast, a locked board, an open vote with a ballot, the restitution started.
 */
async function dayInFullSwing(): Promise<Day> {
  const { event, links } = await call('/api/events', {
    title: 'Hackathon des services publics',
    date: '2026-11-26',
    agenda: [
      { title: 'Idéation', start: '10:00', durationMinutes: 20 },
      { title: 'Prototypage', start: '10:20', durationMinutes: 60 },
    ],
    challenges: [
      { title: 'Mobilité douce', description: 'Faciliter les trajets à vélo.', datasets: [{ title: 'Comptages vélo', url: 'https://example.org/velo.csv' }] },
      { title: 'Bus de nuit', description: 'Rentrer après 23 h.', datasets: [] },
    ],
    settings: { maxTeamSize: 2, teamsCanViewOtherBoards: true, participantsCanWritePlenary: true },
  })
  const token = (link: string) => link.split('#token=')[1]
  const tokens = { organiser: token(links.organiser), facilitator: token(links.facilitator), jury: token(links.jury) }
  const join = (pseudonym: string) => call('/api/join', { code: event.joinCode, pseudonym })
  const [aicha, bastien, chloe] = [await join('Aïcha'), await join('Bastien'), await join('Chloé')]
  const { team: castors } = await call(`/api/events/${event.id}/teams`, { name: 'Les Castors', challengeId: event.challenges[0].id }, aicha.token)
  await call(`/api/events/${event.id}/teams/${castors.id}/join`, {}, bastien.token)
  const { team: hiboux } = await call(`/api/events/${event.id}/teams`, { name: 'Les Hiboux', challengeId: event.challenges[1].id }, chloe.token)

  const staff = tokens.facilitator
  await call(`/api/events/${event.id}/pushes`, { pushId: 'a11y-push', templateId: 'lean-canvas', locale: 'fr' }, staff)
  await call(`/api/events/${event.id}/timer`, { action: 'start', phaseIndex: 0 }, staff)
  await call(`/api/events/${event.id}/broadcast`, { text: 'Pitchs à 16 h en salle B' }, staff)
  await call(`/api/events/${event.id}/locks`, { locked: true, boardIds: [hiboux.boardId] }, staff)
  await call(`/api/events/${event.id}/votes`, { votesPerPerson: 3, maxPerNote: 2, anonymous: false }, staff)
  await call(`/api/events/${event.id}/restitution`, { action: 'setup', order: [castors.id, hiboux.id], pitchSeconds: 240, questionsSeconds: 120 }, staff)
  await call(`/api/events/${event.id}/restitution`, { action: 'pitch' }, staff)
  return { event, links, tokens, castors: { boardId: castors.boardId, id: castors.id, token: aicha.token } }
}

describe('accessibility in Chromium', () => {
  it('passes axe-core on every page, in French and in English', async () => {
    const day = await dayInFullSwing()
    const audit = new AccessibilityAudit()

    // A browser set to English gets the pages in English, and says so to screen readers.
    const english = await browser.newContext({ locale: 'en-GB', bypassCSP: true })
    contexts.push(english)
    const englishPage = await english.newPage()
    await englishPage.goto(`${server.url}/`)
    await englishPage.getByRole('heading', { name: 'Join an event' }).waitFor()
    expect(await englishPage.evaluate(() => document.documentElement.lang)).toBe('en')

    // Home, and the page to type a code.
    const visitor = await (await person()).newPage()
    await visitor.goto(`${server.url}/?e2e=1`)
    await audit.check(visitor, 'home')
    await visitor.goto(`${server.url}/join?e2e=1`)
    await audit.check(visitor, 'join by code')

    // The event's page before and after choosing a pseudonym; a refused pseudonym.
    const join = await JoinPage.open(await person(), day.links.join)
    await audit.check(join.page, 'join: pseudonym form and teams')
    await join.page.getByLabel('Pseudonyme').fill('<Zoé>')
    await join.page.getByRole('button', { name: 'Participer' }).click()
    await join.page.getByRole('alert').waitFor()
    await audit.check(join.page, 'join: refused pseudonym')
    await join.choosePseudonym('Zoé')
    await audit.check(join.page, 'join: teams to join or create')

    // The organiser's form, filled, then the page it leads to; the organiser page from its link; the poster.
    const form = await NewEventForm.open(await person(), server.url)
    await form.fill({
      title: 'Hackathon mobilités',
      date: '2026-11-26',
      phases: [{ title: 'Accueil', start: '09:00', minutes: 30 }],
      challenges: [{ title: 'Mobilité douce', description: 'Faciliter les trajets à vélo.', datasets: ['pas une adresse'] }],
      maxTeamSize: 4,
      teamsCanViewOtherBoards: true,
    })
    await form.page.getByRole('button', { name: 'Créer l’événement' }).click()
    await form.page.getByRole('alert').first().waitFor()
    await audit.check(form.page, 'organiser form with a refused dataset')
    await form.page.getByLabel('Jeux de données et ressources').fill('https://example.org/velo.csv')
    const created = await form.submit()
    await audit.check(created.page, 'organiser page right after creation')
    const organiserPage = await (await person()).newPage()
    await organiserPage.goto(withTestFlag(day.links.organiser))
    const organiser = await OrganiserPage.attach(organiserPage)
    expect(await organiser.qrCodeShown()).toBe(true)
    await audit.check(organiserPage, 'organiser page')
    const poster = await organiser.openPoster()
    await audit.check(poster, 'poster')

    // The console with every section busy: a push made here, the vote revealed, some boards picked.
    const facilitator = await FacilitatorConsole.open(await person(), day.links.facilitator)
    await facilitator.pushTemplate('Parcours usager')
    await facilitator.section('Modèles').getByLabel('Certains tableaux').check()
    await expect.poll(() => facilitator.vote().then((vote) => vote.status), poll).toBe('open')
    await facilitator.voteButton('Montrer les résultats')
    await expect.poll(() => facilitator.vote().then((vote) => vote.revealed), poll).toBe(true)
    await audit.check(facilitator.page, 'facilitator console')

    // Project sheets, from the organiser's link.
    const exportPage = await (await person()).newPage()
    await exportPage.goto(`${server.url}/e/${day.event.id}/export?e2e=1#token=${day.tokens.organiser}`)
    await exportPage.getByRole('main').getByRole('button').first().waitFor()
    await audit.check(exportPage, 'project sheets export')

    // The jury: the list, the sign-in, then the desk with the team on stage and the grid.
    const juryPage = await (await person()).newPage()
    await juryPage.goto(withTestFlag(day.links.jury))
    await juryPage.getByTestId('jury-team').first().waitFor()
    await audit.check(juryPage, 'jury sign-in and teams')
    await juryPage.getByLabel('Nom', { exact: true }).fill('Zoé Martin')
    await juryPage.getByRole('button', { name: 'Commencer à noter' }).click()
    await juryPage.getByTestId('score-grid').waitFor()
    await BoardPage.attach(juryPage, server.url)
    await audit.check(juryPage, 'jury desk')

    // The room's screen with the team on stage.
    const screen = await (await person()).newPage()
    await screen.goto(`${server.url}/e/${day.event.id}/screen?e2e=1#token=${day.tokens.facilitator}`)
    await expect.poll(() => screen.getByTestId('screen-team').textContent(), poll).toBe('Les Castors')
    await (await BoardPage.attach(screen, server.url)).waitForSync()
    await audit.check(screen, 'projection screen')

    // A free board with the templates panel open; a team's board with the timer, banner and vote.
    const free = await BoardPage.open(await person(), server.url, 'a11y-free-board')
    await free.waitForSync()
    await free.page.getByRole('button', { name: 'Modèles' }).click()
    await free.page.getByRole('complementary', { name: 'Modèles de la journée' }).waitFor()
    await audit.check(free.page, 'board with the templates panel')
    expect(await free.page.getByRole('complementary', { name: 'Modèles de la journée' }).isVisible()).toBe(true)
    const team = await (await person()).newPage()
    await team.goto(`${server.url}/b/${day.castors.boardId}?e2e=1#token=${day.castors.token}`)
    const teamBoard = await BoardPage.attach(team, server.url)
    await teamBoard.waitForSync()
    await team.getByTestId('broadcast').waitFor()
    await team.getByTestId('vote-bar').waitFor()
    await audit.check(team, 'team board during a vote')
    await team.getByRole('button', { name: 'Plan' }).click()
    await team.getByTestId('outline').getByRole('heading', { name: 'Problème' }).waitFor()
    await audit.check(team, 'team board with its outline')
    expect(await team.getByTestId('outline').isVisible()).toBe(true)
    await team.getByRole('button', { name: 'Fermer le plan' }).click()

    // Its presenter picks the slides, then presents (the language menu hides meanwhile: one language at a time).
    for (const locale of ['fr', 'en'] as const) {
      await switchLanguage(team, locale)
      await team.getByRole('button', { name: locale === 'fr' ? 'Présenter' : 'Present' }).click()
      await team.locator('.slide-choice').first().waitFor()
      await audit.check(team, 'slide picker', { inLanguage: true })
      await team.getByRole('button', { name: locale === 'fr' ? 'Commencer' : 'Start' }).click()
      await team.getByTestId('presentation').waitFor()
      await audit.check(team, 'presentation', { inLanguage: true })
      await team.keyboard.press('Escape')
      await team.getByTestId('presentation').waitFor({ state: 'detached' })
    }

    // Without the link, and an unknown address.
    const lost = await (await person()).newPage()
    await lost.goto(`${server.url}/e/${day.event.id}/facilitate`)
    await audit.check(lost, 'staff page without its link')
    await lost.goto(`${server.url}/nulle-part`)
    await audit.check(lost, 'page not found')

    expect(audit.failures()).toEqual({})
  })

  it('joins an event, forms a team and adds a note to a pushed template with the keyboard alone; a teammate sees it on their canvas', async () => {
    const { event, links } = await call('/api/events', {
      title: 'Semaine de l’innovation publique',
      date: '2026-11-27',
      challenges: [{ title: 'Démarches en ligne', description: 'Moins de formulaires.', datasets: [] }],
    })
    const facilitatorToken = links.facilitator.split('#token=')[1]

    const aicha = await KeyboardParticipant.open(await person(), server.url)
    await aicha.typeCode(event.joinCode)
    await aicha.choosePseudonym('Aïcha')
    // The greeting takes the focus from the form that gave way to it.
    expect((await aicha.focused()).tag).toBe('h2')
    const boardA = await aicha.createTeam('Démarches en ligne', 'Les Castors')

    // The facilitator pushes the lean canvas to every board of the event.
    const push = await call(`/api/events/${event.id}/pushes`, { pushId: 'a11y-keyboard-push', templateId: 'lean-canvas', locale: 'fr' }, facilitatorToken)
    expect(push.boards.every((board: { status: string }) => board.status === 'placed')).toBe(true)

    const bastien = await KeyboardParticipant.open(await person(), server.url)
    await bastien.typeCode(event.joinCode)
    await bastien.choosePseudonym('Bastien')
    const boardB = await bastien.joinTeam('Les Castors')
    expect(boardB.page.url()).toBe(boardA.page.url())

    // Aïcha opens the outline and writes in the template's "Problème" section.
    const outline = new OutlinePanel(boardA.page)
    await outline.tabTo((f) => f.tag === 'button' && f.text === 'Plan', 'the Outline button')
    await boardA.page.keyboard.press('Enter')
    await expect.poll(() => outline.focused().then((f) => f.text), poll).toBe('Plan du tableau')
    await expect.poll(() => outline.notesIn('Problème'), poll).toEqual(['Note vide', 'Note vide'])
    await outline.tabTo((f) => f.tag === 'button' && f.text.startsWith('Ajouter une note dans « Problème »'), 'Add a note to Problème')
    await boardA.page.keyboard.press('Enter')
    await boardA.page.keyboard.type('Trop de pièces justificatives')
    await boardA.page.keyboard.press('Enter')
    await expect.poll(() => outline.notesIn('Problème'), poll).toContain('Trop de pièces justificatives')
    const noteId = (await outline.focused()).noteId as string
    const sectionId = (await outline.sectionOf(noteId)) as string
    expect(sectionId).toMatch(/^shape:/)

    // Bastien's canvas has it, inside that section.
    await expect.poll(() => boardB.notes().then((notes) => notes.find((note) => note.text === 'Trop de pièces justificatives')?.id), poll).toBe(noteId)
    const [noteBox, sectionBox] = [await pageBounds(boardB.page, noteId), await pageBounds(boardB.page, sectionId)]
    expect(noteBox && sectionBox && centreInside(noteBox, sectionBox)).toBe(true)
  })

  it('shows where the focus is on every stop, and loses nothing at 200 % zoom (640 × 360)', async () => {
    const day = await dayInFullSwing()
    const small = { width: 640, height: 360 }
    const problems: Record<string, { reflow: string[]; focus: string[] }> = {}
    const inspect = async (page: Page, name: string) => {
      const found = { reflow: await reflowProblems(page), focus: await stopsWithoutVisibleFocus(page) }
      if (found.reflow.length > 0 || found.focus.length > 0) problems[name] = found
    }

    const visitor = await (await person(small)).newPage()
    await visitor.goto(`${server.url}/?e2e=1`)
    await inspect(visitor, 'home')
    await visitor.goto(`${server.url}/join?e2e=1`)
    await inspect(visitor, 'join by code')
    await visitor.goto(`${server.url}/nulle-part`)
    await inspect(visitor, 'page not found')

    const join = await JoinPage.open(await person(small), day.links.join)
    await inspect(join.page, 'join: pseudonym form and teams')
    await join.choosePseudonym('Zoé')
    await inspect(join.page, 'join: teams to join or create')

    const form = await NewEventForm.open(await person(small), server.url)
    await form.fill({
      title: 'Hackathon mobilités',
      date: '2026-11-26',
      phases: [{ title: 'Accueil', start: '09:00', minutes: 30 }],
      challenges: [{ title: 'Mobilité douce', description: 'Faciliter les trajets à vélo.', datasets: ['https://example.org/velo.csv'] }],
      maxTeamSize: 4,
      teamsCanViewOtherBoards: true,
    })
    await inspect(form.page, 'organiser form')
    const organiser = await form.submit()
    await inspect(organiser.page, 'organiser page')
    const poster = await (await person(small)).newPage()
    await poster.goto(`${server.url}/e/${day.event.id}/poster?e2e=1#token=${day.tokens.organiser}`)
    await poster.getByTestId('poster-code').waitFor()
    await inspect(poster, 'poster')

    const facilitator = await FacilitatorConsole.open(await person(small), day.links.facilitator)
    await inspect(facilitator.page, 'facilitator console')
    const exportPage = await (await person(small)).newPage()
    await exportPage.goto(`${server.url}/e/${day.event.id}/export?e2e=1#token=${day.tokens.organiser}`)
    await exportPage.getByRole('main').getByRole('button').first().waitFor()
    await inspect(exportPage, 'project sheets export')

    const jury = await (await person(small)).newPage()
    await jury.goto(withTestFlag(day.links.jury))
    await jury.getByTestId('jury-team').first().waitFor()
    await inspect(jury, 'jury page')
    await jury.getByLabel('Nom', { exact: true }).fill('Zoé Martin')
    await jury.getByRole('button', { name: 'Commencer à noter' }).click()
    await jury.getByTestId('score-grid').waitFor()
    await inspect(jury, 'jury desk')

    const screen = await (await person(small)).newPage()
    await screen.goto(`${server.url}/e/${day.event.id}/screen?e2e=1#token=${day.tokens.facilitator}`)
    await expect.poll(() => screen.getByTestId('screen-team').textContent(), poll).toBe('Les Castors')
    await inspect(screen, 'projection screen')

    expect(problems).toEqual({})

    // A team's board with the timer, a broadcast and a vote: every control of ours on screen, each stop with its ring.
    const team = await (await person(small)).newPage()
    await team.goto(`${server.url}/b/${day.castors.boardId}?e2e=1#token=${day.castors.token}`)
    await (await BoardPage.attach(team, server.url)).waitForSync()
    await team.getByTestId('vote-bar').waitFor()
    await team.getByTestId('broadcast').waitFor()
    expect(await controlsOutOfReach(team, '.board-status-panel, .board-top-panel')).toEqual([])
    expect(await stopsWithoutVisibleFocus(team)).toEqual([])
    await tabTo(team, (f) => f.tag === 'button' && f.text === 'Présenter', 'the Present button')
    await team.keyboard.press('Enter')
    await team.locator('.slide-choice').first().waitFor()
    expect(await controlsOutOfReach(team, '.slide-picker')).toEqual([])

    // A free board: the templates panel opened from the keyboard fits, scrolls, and shows its last button when focused.
    const board = await BoardPage.open(await person(small), server.url, 'a11y-zoomed-board')
    await board.waitForSync()
    const { page } = board
    expect(await controlsOutOfReach(page, '.board-status-panel')).toEqual([])
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Modèles', 'the Templates button')
    await page.keyboard.press('Enter')
    const panel = page.getByRole('complementary', { name: 'Modèles de la journée' })
    const box = await panel.boundingBox()
    expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= small.width && box.y + box.height <= small.height).toBe(true)
    expect(await panel.evaluate((element) => element.scrollHeight > element.clientHeight && getComputedStyle(element).overflowY === 'auto')).toBe(true)
    const lastTemplate = await panel.locator('[data-template-id]').last().getAttribute('data-template-id')
    await tabTo(page, (f) => f.templateId === lastTemplate, 'the last Insert button')
    const last = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement
      const rect = element.getBoundingClientRect()
      return { top: rect.top, bottom: rect.bottom, outline: getComputedStyle(element).outlineStyle }
    })
    expect(last.top >= 0 && last.bottom <= small.height).toBe(true)
    expect(last.outline).toBe('solid')
  })
})
