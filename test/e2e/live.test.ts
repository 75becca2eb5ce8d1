import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'
import { FacilitatorConsole } from './pages/eventPages.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>

beforeAll(async () => {
  browser = await launchBrowser()
  server = await startServer({ clientDir: requireBuiltClient() })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

async function call(path: string, body: unknown, token?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return response.status === 204 ? {} : response.json()
}

/** A board in a browser of its own; `clockSkewMs` sets that device's clock off by so much. */
async function openBoard(locale: string, boardId: string, token: string, clockSkewMs = 0): Promise<BoardPage> {
  const context = await browser.newContext({ locale })
  if (clockSkewMs !== 0) {
    await context.addInitScript((skew: number) => {
      const real = Date.now.bind(Date)
      Date.now = () => real() + skew
    }, clockSkewMs)
  }
  const page = await context.newPage()
  await page.goto(`${server.url}/b/${boardId}?e2e=1#token=${token}`)
  const board = await BoardPage.attach(page, server.url)
  await board.waitForSync()
  return board
}

describe('facilitation seen from a team board', () => {
  it('shows the timer, a broadcast and the lock; brings everyone to the facilitator and lets them step out with Esc', async () => {
    const agenda = [{ title: 'Idéation', start: '10:00', durationMinutes: 20 }]
    const { event, links } = await call('/api/events', { title: 'Hackathon', date: '2026-11-26', agenda })
    const facilitator = links.facilitator.split('#token=')[1]
    const { token } = await call('/api/join', { code: event.joinCode, pseudonym: 'Chloé' })
    const { team } = await call(`/api/events/${event.id}/teams`, { name: 'Équipe 1' }, token)
    const chloe = await openBoard('fr-FR', team.boardId, token)

    await call(`/api/events/${event.id}/timer`, { action: 'start', phaseIndex: 0 }, facilitator)
    const timer = chloe.page.getByTestId('timer')
    await expect.poll(async () => (await timer.textContent()) ?? '', poll).toMatch(/Idéation\s*(20:00|19:5\d)/)

    await call(`/api/events/${event.id}/broadcast`, { text: 'Pitchs à 16 h en salle B' }, facilitator)
    await expect.poll(async () => (await chloe.page.getByTestId('broadcast').textContent()) ?? '', poll).toContain('Pitchs à 16 h en salle B')

    await call(`/api/events/${event.id}/locks`, { locked: true }, facilitator)
    await expect.poll(() => chloe.page.getByTestId('locked').isVisible(), poll).toBe(true)
    const readonly = () => chloe.page.evaluate(() => (window as any).__fabrique.editor.getIsReadonly() as boolean)
    await expect.poll(readonly, poll).toBe(true)
    await call(`/api/events/${event.id}/locks`, { locked: false }, facilitator)
    await expect.poll(readonly, poll).toBe(false)

    const flo = await openBoard('fr-FR', team.boardId, facilitator)
    await flo.moveMouseOverCanvas()
    await flo.page.getByRole('button', { name: 'Tous vers moi' }).click()
    const following = () => chloe.page.evaluate(() => (window as any).__fabrique.editor.getInstanceState().followingUserId as string | null)
    await expect.poll(following, poll).not.toBeNull()
    await chloe.page.keyboard.press('Escape')
    await expect.poll(following, poll).toBeNull()
    await flo.page.getByRole('button', { name: 'Libérer les participants' }).click()
  })

  it('lets a participant vote on notes within the quotas, then shows the ranking on close', async () => {
    const { event, links } = await call('/api/events', { title: 'Vote', date: '2026-11-26' })
    const facilitator = links.facilitator.split('#token=')[1]
    const { token } = await call('/api/join', { code: event.joinCode, pseudonym: 'Dana' })
    const { team } = await call(`/api/events/${event.id}/teams`, { name: 'Équipe vote' }, token)
    const dana = await openBoard('fr-FR', team.boardId, token)
    await dana.addNote('Guichet unique', 100, 100)
    await dana.addNote('Appli mobile', 400, 100)

    const opened = await call(`/api/events/${event.id}/votes`, { votesPerPerson: 2, maxPerNote: 1, anonymous: true }, facilitator)
    const bar = dana.page.getByTestId('vote-bar')
    await expect.poll(async () => (await bar.textContent()) ?? '', poll).toContain('2 gommette(s) restante(s)')

    const select = (text: string) =>
      dana.page.evaluate((text) => {
        const { editor } = (window as any).__fabrique
        const note = editor.getCurrentPageShapes().find((s: any) => JSON.stringify(s.props.richText).includes(text))
        editor.select(note.id)
      }, text)
    await select('Guichet unique')
    await dana.page.getByRole('button', { name: 'Voter pour la note sélectionnée' }).click()
    await expect.poll(async () => (await bar.textContent()) ?? '', poll).toContain('1 gommette(s) restante(s)')
    await dana.page.getByRole('button', { name: 'Voter pour la note sélectionnée' }).click()
    await expect.poll(async () => (await bar.textContent()) ?? '', poll).toContain('maximum de gommettes sur cette note')

    await expect.poll(() => dana.page.locator('.vote-badge').count(), poll).toBe(1)

    await call(`/api/events/${event.id}/votes/${opened.vote.id}/close`, {}, facilitator)
    const results = dana.page.getByRole('region', { name: 'Vote clos : classement des notes' })
    await expect.poll(async () => (await results.textContent()) ?? '', poll).toMatch(/Guichet unique\s*— 1 gommette/)
    await expect.poll(() => dana.page.getByTestId('vote-bar').count(), poll).toBe(0)
  })

  it('runs a one-minute timer and a vote with two participants whose clocks are off; both see the same countdown and the same results', async () => {
    const { event, links } = await call('/api/events', { title: 'Atelier', date: '2026-11-26' })
    const { token: anaToken } = await call('/api/join', { code: event.joinCode, pseudonym: 'Ana' })
    const { token: benToken } = await call('/api/join', { code: event.joinCode, pseudonym: 'Ben' })
    const { team } = await call(`/api/events/${event.id}/teams`, { name: 'Équipe mixte' }, anaToken)
    await call(`/api/events/${event.id}/teams/${team.id}/join`, undefined, benToken)
    // Ana's laptop is 90 s fast, Ben's 45 s slow.
    const ana = await openBoard('fr-FR', team.boardId, anaToken, 90_000)
    const ben = await openBoard('fr-FR', team.boardId, benToken, -45_000)
    const facilitator = await FacilitatorConsole.open(await browser.newContext({ locale: 'fr-FR' }), links.facilitator)

    // The facilitator starts a one-minute countdown from the console.
    const timerSection = facilitator.section('Programme et minuteur')
    await timerSection.getByLabel('Durée (minutes)').fill('1')
    await timerSection.getByRole('button', { name: 'Lancer le compte à rebours' }).click()
    const leftMs = async (board: BoardPage) => Number((await board.page.getByTestId('timer').getAttribute('data-left-ms')) ?? Number.NaN)
    // Uncorrected, Ana would read 0:00 and Ben 1:45; corrected, both read under a minute, alike.
    const readBoth = async () => {
      const [a, b] = await Promise.all([leftMs(ana), leftMs(ben)])
      return { a, b }
    }
    await expect
      .poll(async () => {
        const { a, b } = await readBoth()
        return a > 40_000 && a <= 60_000 && b > 40_000 && b <= 60_000 && Math.abs(a - b) < 1_500
      }, poll)
      .toBe(true)
    const shown = async (board: BoardPage) => ((await board.page.getByTestId('timer').locator('.timer-time').textContent()) ?? '').trim()
    expect(await shown(ana)).toMatch(/^(1:00|0:[45]\d)$/)
    expect(await shown(ben)).toMatch(/^(1:00|0:[45]\d)$/)

    // Three notes, two dots each, at most one per note: Ana and Ben agree on one note.
    await ana.addNote('Guichet unique', 100, 100)
    await ana.addNote('Appli mobile', 400, 100)
    await ana.addNote('Chatbot', 700, 100)
    await expect.poll(async () => (await ben.noteTexts()).length, poll).toBe(3)
    await facilitator.openVote({ votesPerPerson: 2, maxPerNote: 1, named: false })
    const select = (board: BoardPage, text: string) =>
      board.page.evaluate((text) => {
        const { editor } = (window as any).__fabrique
        const note = editor.getCurrentPageShapes().find((s: any) => JSON.stringify(s.props.richText).includes(text))
        editor.select(note.id)
      }, text)
    const voteFor = async (board: BoardPage, text: string, leftAfter: number) => {
      await select(board, text)
      await board.page.getByRole('button', { name: 'Voter pour la note sélectionnée' }).click()
      await expect.poll(async () => (await board.page.getByTestId('vote-bar').textContent()) ?? '', poll).toContain(`${leftAfter} gommette(s) restante(s)`)
    }
    for (const board of [ana, ben]) await expect.poll(async () => (await board.page.getByTestId('vote-bar').textContent()) ?? '', poll).toContain('2 gommette(s) restante(s)')
    await voteFor(ana, 'Guichet unique', 1)
    await voteFor(ana, 'Appli mobile', 0)
    await voteFor(ben, 'Guichet unique', 1)
    await voteFor(ben, 'Chatbot', 0)

    // Before the reveal each sees only their own dots (● marks, no counts).
    const badges = (board: BoardPage) =>
      board.page.evaluate(() => {
        const { editor } = (window as any).__fabrique
        const textOf = (id: string) => JSON.stringify(editor.getShape(id)?.props.richText ?? '').match(/"text":"([^"]*)"/)?.[1] ?? id
        const entries = [...document.querySelectorAll<HTMLElement>('.vote-badge')].map((el) => [textOf(el.dataset.shapeId ?? ''), el.textContent ?? ''])
        return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)))
      })
    await expect.poll(() => badges(ana), poll).toEqual({ 'Appli mobile': '●', 'Guichet unique': '●' })
    await expect.poll(() => badges(ben), poll).toEqual({ Chatbot: '●', 'Guichet unique': '●' })

    await facilitator.voteButton('Montrer les résultats')
    const counts = { 'Appli mobile': '1', Chatbot: '1', 'Guichet unique': '2' }
    await expect.poll(() => badges(ana), poll).toEqual(counts)
    await expect.poll(() => badges(ben), poll).toEqual(counts)

    await facilitator.voteButton('Clore le vote')
    const ranking = async (board: BoardPage) =>
      (await board.page.getByRole('region', { name: 'Vote clos : classement des notes' }).getByRole('listitem').allTextContents()).map((line) => line.replace(/\s+/g, ' ').trim())
    await expect.poll(() => ranking(ana), poll).toHaveLength(3)
    const anaSees = await ranking(ana)
    expect(anaSees[0]).toBe('Guichet unique — 2 gommette(s)')
    expect(anaSees.slice(1).sort()).toEqual(['Appli mobile — 1 gommette(s)', 'Chatbot — 1 gommette(s)'])
    await expect.poll(() => ranking(ben), poll).toEqual(anaSees)
    expect(await badges(ben)).toEqual(await badges(ana))
    for (const board of [ana, ben, facilitator]) await board.page.context().close()
  })

  it('lets participants vote for the audience prize from their board, not for their own team; the organiser sees the ranking', async () => {
    const { event, links } = await call('/api/events', { title: 'Prix', date: '2026-11-26' })
    const { token: ineToken } = await call('/api/join', { code: event.joinCode, pseudonym: 'Inès' })
    const { token: omarToken } = await call('/api/join', { code: event.joinCode, pseudonym: 'Omar' })
    const { team: hiboux } = await call(`/api/events/${event.id}/teams`, { name: 'Les Hiboux' }, ineToken)
    await call(`/api/events/${event.id}/teams`, { name: 'Les Castors' }, omarToken)
    const ines = await openBoard('fr-FR', hiboux.boardId, ineToken)
    const desk = await FacilitatorConsole.open(await browser.newContext({ locale: 'fr-FR' }), links.organiser.replace(/\/organise/, '/facilitate'))

    const audience = desk.section('Prix du public')
    await audience.getByRole('button', { name: 'Ouvrir le vote du public' }).click()
    await expect.poll(async () => ((await audience.getByTestId('audience-state').textContent()) ?? '').trim(), poll).toMatch(/^Vote du public ouvert/)

    // The ballot offers the other team only; the keyboard alone is enough to vote.
    const ballot = ines.page.getByRole('region', { name: 'Prix du public' })
    await ballot.waitFor({ timeout: 15_000 })
    expect(await ballot.getByRole('radio').count()).toBe(1)
    await ballot.getByRole('radio', { name: 'Les Castors' }).focus()
    await ines.page.keyboard.press('Space')
    await ballot.getByRole('button', { name: 'Voter' }).focus()
    await ines.page.keyboard.press('Enter')
    await expect.poll(async () => ((await ballot.getByTestId('audience-voted').textContent()) ?? '').trim(), poll).toBe(
      'Votre vote : Les Castors. Vous pouvez le changer jusqu’à la clôture.',
    )
    // The server refuses one's own team even if the page asked.
    const own = await fetch(`${server.url}/api/events/${event.id}/audience-prize/ballot`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ineToken}` },
      body: JSON.stringify({ teamId: hiboux.id }),
    })
    expect(own.status).toBe(409)

    const results = desk.section('Résultats')
    await results.getByRole('button', { name: 'Actualiser' }).click()
    await expect
      .poll(async () => (await results.getByTestId('results-audience').locator('tbody tr').first().locator('th, td').allTextContents()).map((cell) => cell.trim()), poll)
      .toEqual(['1', 'Les Castors', '1'])

    await audience.getByRole('button', { name: 'Clore le vote du public' }).click()
    await expect.poll(() => ballot.count(), poll).toBe(0)
    for (const board of [ines, desk]) await board.page.context().close()
  })
})
