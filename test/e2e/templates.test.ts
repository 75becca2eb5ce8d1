import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'

type Json = Record<string, any>

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

/** Template frames on the page: their template id, from the meta every template shape carries. */
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

describe('templates on the board', () => {
  it('finds a template by searching, inserts it with the keyboard, and the team sees it', async () => {
    const [ctxA, ctxB] = [await browser.newContext({ locale: 'fr-FR' }), await browser.newContext()]
    const a = await BoardPage.open(ctxA, server.url, 'e2e-templates-insert')
    const b = await BoardPage.open(ctxB, server.url, 'e2e-templates-insert')
    await Promise.all([a.waitForSync(), b.waitForSync()])

    await a.page.getByRole('button', { name: 'Modèles' }).click()
    await a.page.getByPlaceholder('Rechercher un modèle').fill('lean')
    const insert = a.page.locator('[data-template-id="lean-canvas"]')
    await insert.focus()
    await a.page.keyboard.press('Enter')

    await expect.poll(() => templateFrames(a), poll).toEqual(['lean-canvas'])
    await expect.poll(() => templateFrames(b), poll).toEqual(['lean-canvas'])
    await ctxA.close()
    await ctxB.close()
  })

  it('shows a template pushed by a facilitator appear live on a team’s board', async () => {
    const call = async (path: string, body: unknown, token?: string) =>
      (
        await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        })
      ).json()
    const { event, links } = await call('/api/events', { title: 'Hackathon', date: '2026-11-26' })
    const { token } = await call('/api/join', { code: event.joinCode, pseudonym: 'Chloé' })
    const { team } = await call(`/api/events/${event.id}/teams`, { name: 'Équipe 1' }, token)

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/b/${team.boardId}?e2e=1#token=${token}`)
    const board = await BoardPage.attach(page, server.url)
    await board.waitForSync()

    const facilitator = links.facilitator.split('#token=')[1]
    const report = await call(`/api/events/${event.id}/pushes`, { pushId: 'e2e-push-journey', templateId: 'journey-map', locale: 'fr' }, facilitator)
    expect(report.boards.map((b: { status: string }) => b.status)).toEqual(['placed', 'placed'])
    await expect.poll(() => templateFrames(board), poll).toEqual(['journey-map'])
    await context.close()
  })

  it('a facilitator saves a selection as an event template; a participant finds it in the panel and receives it when pushed', async () => {
    const request = async (method: string, path: string, body?: unknown, token?: string): Promise<Json> =>
      (
        await fetch(`${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()
    const { event, links } = await request('POST', '/api/events', { title: 'Modèles maison', date: '2026-11-26' })
    const { token } = await request('POST', '/api/join', { code: event.joinCode, pseudonym: 'Chloé' })
    const { team } = await request('POST', `/api/events/${event.id}/teams`, { name: 'Équipe 1' }, token)
    const facilitatorToken = links.facilitator.split('#token=')[1] as string

    // The facilitator prepares two notes on the plenary board and selects them.
    const facilitatorContext = await browser.newContext({ locale: 'fr-FR' })
    const facilitatorPage = await facilitatorContext.newPage()
    await facilitatorPage.goto(`${server.url}/b/${event.plenaryBoardId}?e2e=1#token=${facilitatorToken}`)
    const facilitator = await BoardPage.attach(facilitatorPage, server.url)
    await facilitator.waitForSync()
    await facilitator.addNote('Ce qui marche', 0, 0)
    await facilitator.addNote('Ce qui coince', 400, 0)
    await facilitatorPage.evaluate(() => {
      const { editor } = (window as unknown as { __fabrique: { editor: { selectAll(): void } } }).__fabrique
      editor.selectAll()
    })

    await facilitatorPage.getByRole('button', { name: 'Modèles' }).click()
    await facilitatorPage.getByLabel('Nom du modèle').fill('Rétro express')
    await facilitatorPage.keyboard.press('Enter')
    await expect.poll(() => facilitatorPage.getByTestId('event-templates').textContent(), poll).toContain('Rétro express')

    // The participant sees it in the panel of the team's board.
    const participantContext = await browser.newContext({ locale: 'fr-FR' })
    const participantPage = await participantContext.newPage()
    await participantPage.goto(`${server.url}/b/${team.boardId}?e2e=1#token=${token}`)
    const participant = await BoardPage.attach(participantPage, server.url)
    await participant.waitForSync()
    await participantPage.getByRole('button', { name: 'Modèles' }).click()
    await expect.poll(() => participantPage.getByTestId('event-templates').textContent(), poll).toContain('Rétro express')
    await expect.poll(() => participantPage.getByText('Enregistrer la sélection comme modèle de l’événement').count(), poll).toBe(0)

    // Pushed, it appears on the team's board without a reload.
    const [saved] = (await request('GET', `/api/events/${event.id}/templates`, undefined, facilitatorToken)).templates as Json[]
    const report = await request('POST', `/api/events/${event.id}/pushes`, { pushId: 'e2e-push-saved', templateId: saved?.id, locale: 'fr', boardIds: [team.boardId] }, facilitatorToken)
    expect(report.boards).toEqual([{ boardId: team.boardId, status: 'placed' }])
    await expect.poll(async () => (await participant.noteTexts()).sort(), poll).toEqual(['Ce qui coince', 'Ce qui marche'])

    // Refusal is readable: nothing selected.
    // In braces: selectNone returns the editor, which Playwright would try to serialise.
    await facilitatorPage.evaluate(() => {
      ;(window as unknown as { __fabrique: { editor: { selectNone(): void } } }).__fabrique.editor.selectNone()
    })
    await facilitatorPage.getByLabel('Nom du modèle').fill('Vide')
    await facilitatorPage.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    await expect.poll(() => facilitatorPage.getByRole('alert').allInnerTexts(), poll).toContain('Sélectionnez d’abord des formes sur le tableau, puis enregistrez-les.')
    await facilitatorContext.close()
    await participantContext.close()
  })
})
