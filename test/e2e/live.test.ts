import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'

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

async function openBoard(locale: string, boardId: string, token: string): Promise<BoardPage> {
  const context = await browser.newContext({ locale })
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
})
