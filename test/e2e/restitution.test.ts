import type { Browser, Page } from 'playwright-core'
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
/** The promise: followers show a slide change within one second. */
const withinASecond = { timeout: 1_000, interval: 50 }

async function call(method: 'GET' | 'POST' | 'PUT', path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: response.status === 204 ? {} : await response.json() }
}
const post = async (path: string, body: unknown, token?: string) => (await call('POST', path, token, body)).body

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
  return context.newPage()
}

async function openBoard(boardId: string, token: string): Promise<BoardPage> {
  const page = await newPage()
  await page.goto(`${server.url}/b/${boardId}?e2e=1#token=${token}`)
  const board = await BoardPage.attach(page, server.url)
  await board.waitForSync()
  return board
}

/** Distance, in page units, between the centre of the view and the centre of a shape. */
function offCentre(board: BoardPage, shapeId: string): Promise<number> {
  return board.page.evaluate((id) => {
    const { editor } = (window as any).__fabrique
    const view = editor.getViewportPageBounds()
    const shape = editor.getShapePageBounds(id)
    if (!shape) return Number.POSITIVE_INFINITY
    return Math.hypot(view.x + view.w / 2 - (shape.x + shape.w / 2), view.y + view.h / 2 - (shape.y + shape.h / 2))
  }, shapeId)
}

/** The text of an element, or '' while it is not there (polls then say what they saw). */
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent({ timeout: 1_000 }).catch(() => '')) ?? '').trim()

/** "3:58" → 238. */
function seconds(countdown: string): number {
  const match = /(\d+):(\d{2})/.exec(countdown)
  if (!match) throw new Error(`no countdown in "${countdown}"`)
  return Number(match[1]) * 60 + Number(match[2])
}

describe('restitution', () => {
  it('lets a team present its pitch as slides that followers, the screen and the jury follow; the jury scores in private', async () => {
    const { event, links } = await post('/api/events', { title: 'Hackathon des services publics', date: '2026-11-26' })
    const [organiser, facilitator, jury] = [links.organiser, links.facilitator, links.jury].map((link: string) => link.split('#token=')[1])
    const alice = await post('/api/join', { code: event.joinCode, pseudonym: 'Alice' })
    const bob = await post('/api/join', { code: event.joinCode, pseudonym: 'Bob' })
    const carol = await post('/api/join', { code: event.joinCode, pseudonym: 'Carol' })
    const { team: alpha } = await post(`/api/events/${event.id}/teams`, { name: 'Équipe Alpha' }, alice.token)
    await post(`/api/events/${event.id}/teams/${alpha.id}/join`, {}, bob.token)
    const { team: beta } = await post(`/api/events/${event.id}/teams`, { name: 'Équipe Beta' }, carol.token)
    const push = await post(`/api/events/${event.id}/pushes`, { pushId: 'e2e-push-restitution', templateId: 'restitution-pitch', locale: 'fr' }, facilitator)
    expect(push.boards.every((b: { status: string }) => b.status === 'placed')).toBe(true)

    await post(`/api/events/${event.id}/restitution`, { action: 'setup', order: [alpha.id, beta.id], pitchSeconds: 240, questionsSeconds: 120 }, organiser)
    await post(`/api/events/${event.id}/restitution`, { action: 'pitch' }, facilitator)

    // The projection screen, opened from the facilitator's link.
    const screenPage = await newPage()
    await screenPage.goto(`${server.url}/e/${event.id}/screen?e2e=1#token=${facilitator}`)
    await expect.poll(() => text(screenPage, 'screen-team'), poll).toBe('Équipe Alpha')
    await expect.poll(() => text(screenPage, 'stage-phase'), poll).toBe('Pitch')
    const screen = await BoardPage.attach(screenPage, server.url)
    await screen.waitForSync()

    const bobBoard = await openBoard(alpha.boardId, bob.token)

    // A jury member gives their name once, then sees the team on stage beside the grid.
    const juryPage = await newPage()
    await juryPage.goto(`${server.url}/e/${event.id}/jury?e2e=1#token=${jury}`)
    await juryPage.getByLabel('Nom', { exact: true }).fill('Zoé Martin')
    await juryPage.getByRole('button', { name: 'Commencer à noter' }).click()
    await expect.poll(() => text(juryPage, 'jury-stage-team'), poll).toMatch(/^Sur scène\s*:\s*Équipe Alpha$/)
    const juror = await BoardPage.attach(juryPage, server.url)
    await juror.waitForSync()

    // The presenter picks the slides: the six sections of the pitch, ticked, in the template's order.
    const presenter = await openBoard(alpha.boardId, alice.token)
    await presenter.page.getByRole('button', { name: 'Présenter' }).click()
    const choices = presenter.page.locator('.slide-choice')
    await expect.poll(() => choices.count(), poll).toBe(6)
    expect(await presenter.page.locator('.slide-choice input[type="checkbox"]:checked').count()).toBe(6)
    await presenter.page.getByRole('button', { name: 'Commencer' }).click()

    const overlay = presenter.page.getByTestId('presentation')
    const currentSlide = async () => (await overlay.getAttribute('data-slide-id')) ?? ''
    await expect.poll(currentSlide, poll).toMatch(/^shape:/)
    const first = await currentSlide()
    const sectionKey = await presenter.page.evaluate((id) => (window as any).__fabrique.editor.getShape(id).meta.fabrique.sectionKey as string, first)
    expect(sectionKey).toBe('problem')
    const presenting = () =>
      presenter.page.evaluate(() => {
        const { editor } = (window as any).__fabrique
        return { focus: editor.getInstanceState().isFocusMode as boolean, readonly: editor.getIsReadonly() as boolean }
      })
    expect(await presenting()).toEqual({ focus: true, readonly: true })

    // Keyboard and clicker keys; after each change every follower shows the slide within a second.
    const followers = [bobBoard, screen, juror]
    const seen: string[] = []
    const steps: Array<[key: string, slide: number]> = [['', 1], ['ArrowRight', 2], ['PageDown', 3], ['Space', 4], ['ArrowDown', 5], ['PageUp', 4]]
    for (const [key, slide] of steps) {
      if (key) await presenter.page.keyboard.press(key)
      await expect.poll(async () => (await overlay.textContent()) ?? '', poll).toContain(`Diapositive ${slide} sur 6`)
      const slideId = await currentSlide()
      seen.push(slideId)
      for (const follower of followers) await expect.poll(() => offCentre(follower, slideId), withinASecond).toBeLessThan(1)
    }
    expect(new Set(seen).size).toBe(5)
    expect(seen[5]).toBe(seen[3])

    await presenter.page.keyboard.press('Escape')
    await expect.poll(() => overlay.count(), poll).toBe(0)
    await expect.poll(presenting, poll).toEqual({ focus: false, readonly: false })

    // The juror scores the team on stage; the scores are theirs, and hidden from participants.
    const grid = juryPage.getByTestId('score-grid')
    await expect.poll(() => grid.getByLabel('Équipe notée').inputValue(), poll).toBe(alpha.id)
    const given = { relevance: 4, technical: 3, feasibility: 5, originality: 2 }
    const titles = { relevance: 'Pertinence et impact', technical: 'Qualité technique (données, UX)', feasibility: 'Faisabilité et pérennité', originality: 'Originalité' }
    for (const [criterion, value] of Object.entries(given)) {
      await grid.getByRole('group', { name: titles[criterion as keyof typeof titles] }).getByLabel(String(value), { exact: true }).check()
    }
    await grid.getByLabel('Commentaire').fill('Démo convaincante, données bien choisies.')
    await expect.poll(() => text(juryPage, 'score-status'), poll).toBe('Modifications non enregistrées.')
    await grid.getByRole('button', { name: 'Enregistrer' }).click()
    await expect.poll(() => text(juryPage, 'score-status'), poll).toMatch(/^Enregistré à/)

    const jurorToken = await juryPage.evaluate((id) => JSON.parse(localStorage.getItem(`fabrique-juror:${id}`) ?? '{}').token as string, event.id)
    const own = await call('GET', `/api/events/${event.id}/scores`, jurorToken)
    expect(own.status).toBe(200)
    expect(own.body.scores).toHaveLength(1)
    expect(own.body.scores[0]).toMatchObject({ teamId: alpha.id, jurorName: 'Zoé Martin', scores: given, comment: 'Démo convaincante, données bien choisies.' })
    for (const participant of [alice, bob, carol]) {
      expect((await call('GET', `/api/events/${event.id}/scores`, participant.token)).status).toBe(403)
    }

    // The name is asked once: a reload of the jury page goes straight to the desk, scores shown.
    await juryPage.reload()
    await expect.poll(() => text(juryPage, 'jury-stage-team'), poll).toMatch(/Équipe Alpha$/)
    await expect.poll(() => text(juryPage, 'score-status'), poll).toMatch(/^Enregistré à/)
    await expect.poll(() => juryPage.getByTestId('score-grid').getByRole('group', { name: 'Originalité' }).getByLabel('2', { exact: true }).isChecked(), poll).toBe(true)

    // Next team: the screen moves to it, and its countdown and board hold across a reload.
    await post(`/api/events/${event.id}/restitution`, { action: 'next' }, facilitator)
    await expect.poll(() => text(screenPage, 'screen-team'), poll).toBe('Équipe Beta')
    await expect.poll(async () => seconds(await text(screenPage, 'stage-countdown')), poll).toBeLessThanOrEqual(238)
    const beforeReload = seconds(await text(screenPage, 'stage-countdown'))
    await screen.reload()
    await screen.waitForSync()
    await expect.poll(() => text(screenPage, 'screen-team'), poll).toBe('Équipe Beta')
    expect(await text(screenPage, 'stage-phase')).toBe('Pitch')
    const afterReload = seconds(await text(screenPage, 'stage-countdown'))
    expect(afterReload).toBeGreaterThan(0)
    expect(afterReload).toBeLessThanOrEqual(beforeReload)
    expect(await screenPage.evaluate(() => (window as any).__fabrique.provider.roomname as string)).toBe(beta.boardId)
    await expect.poll(() => text(juryPage, 'jury-stage-team'), poll).toMatch(/Équipe Beta$/)

    await Promise.all([screenPage, bobBoard.page, juryPage, presenter.page].map((page) => page.context().close()))
  })
})
