import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer } from '../support/server.ts'
import { axeViolations } from './pages/axe.ts'
import { BoardPage, richText } from './pages/boardPage.ts'
import { centreInside, OutlinePanel, pageBounds } from './pages/outlinePanel.ts'

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

/** Template frames on the page, by template id. */
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

/** The id of the note with this text, once the page has it. */
function noteIdWithText(board: BoardPage, text: string): Promise<string | undefined> {
  return board.notes().then((notes) => notes.find((note) => note.text === text)?.id)
}

/** Keyboard only: the Templates button, search, insert the lean canvas; then Tab on to the outline. */
async function insertLeanCanvasAndOpenOutline(outline: OutlinePanel): Promise<void> {
  await outline.tabTo((f) => f.tag === 'button' && f.text === 'Modèles', 'the Templates button')
  await outline.page.keyboard.press('Enter')
  await outline.page.keyboard.type('lean')
  await outline.tabTo((f) => f.templateId === 'lean-canvas', 'the lean canvas’s Insert button')
  await outline.page.keyboard.press('Enter')
  await outline.tabTo((f) => f.tag === 'button' && f.text === 'Plan', 'the Outline button')
  await outline.page.keyboard.press('Enter')
  await expect.poll(() => outline.focused().then((f) => f.text), poll).toBe('Plan du tableau')
}

describe('the outline of a board', () => {
  it('adds a note to a section with the keyboard alone; the team sees it in that section, and their edits come back', async () => {
    const [ctxA, ctxB] = [await browser.newContext({ locale: 'fr-FR' }), await browser.newContext({ locale: 'fr-FR' })]
    const a = await BoardPage.open(ctxA, server.url, 'e2e-outline-keyboard')
    const b = await BoardPage.open(ctxB, server.url, 'e2e-outline-keyboard')
    await Promise.all([a.waitForSync(), b.waitForSync()])
    const outline = new OutlinePanel(a.page)

    await insertLeanCanvasAndOpenOutline(outline)
    await expect.poll(() => templateFrames(b), poll).toEqual(['lean-canvas'])
    // The template's two placeholder notes are listed, empty, under their section.
    await expect.poll(() => outline.notesIn('Problème'), poll).toEqual(['Note vide', 'Note vide'])

    await outline.tabTo((f) => f.tag === 'button' && f.text.startsWith('Ajouter une note dans « Problème »'), 'Add a note to Problème')
    await a.page.keyboard.press('Enter')
    expect((await outline.focused()).tag).toBe('textarea')
    await a.page.keyboard.type('Les usagers attendent trois semaines')
    await a.page.keyboard.press('Enter')

    await expect.poll(() => outline.notesIn('Problème'), poll).toContain('Les usagers attendent trois semaines')
    const noteId = await outline.focused().then((f) => f.noteId)
    expect(noteId).toBeTruthy()
    const id = noteId as string
    const sectionId = await outline.sectionOf(id)
    expect(sectionId).toMatch(/^shape:/)

    // The other person sees the note on the canvas, inside that section.
    await expect.poll(() => noteIdWithText(b, 'Les usagers attendent trois semaines'), poll).toBe(id)
    const [noteBox, sectionBox] = [await pageBounds(b.page, id), await pageBounds(b.page, sectionId as string)]
    expect(noteBox && sectionBox && centreInside(noteBox, sectionBox)).toBe(true)

    // They rewrite it on their canvas: double-click the note, replace its text, Escape.
    const point = await b.page.evaluate((shapeId) => {
      type Editor = {
        zoomToBounds(box: unknown, options?: unknown): void
        getShapePageBounds(id: string): { center: { x: number; y: number } }
        pageToScreen(point: { x: number; y: number }): { x: number; y: number }
      }
      const { editor } = (window as unknown as { __fabrique: { editor: Editor } }).__fabrique
      const box = editor.getShapePageBounds(shapeId)
      editor.zoomToBounds(box, { targetZoom: 1, immediate: true })
      return editor.pageToScreen(editor.getShapePageBounds(shapeId).center)
    }, id)
    await b.page.mouse.dblclick(point.x, point.y)
    await b.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.isContentEditable === true, undefined, poll)
    await b.page.keyboard.press('ControlOrMeta+A')
    await b.page.keyboard.type('Trois semaines d’attente en moyenne')
    await b.page.keyboard.press('Escape')
    await expect.poll(() => outline.noteText(id), poll).toBe('Trois semaines d’attente en moyenne')

    // Someone else adds a note to the section A is in: A's screen reader hears of it.
    await b.page.evaluate(
      ({ box, rich }) => {
        const { editor } = (window as unknown as { __fabrique: { editor: { createShape(shape: unknown): void } } }).__fabrique
        editor.createShape({ type: 'note', x: box.x + box.w - 220, y: box.y + box.h - 220, props: { richText: rich } })
      },
      { box: sectionBox as { x: number; y: number; w: number; h: number }, rich: richText('Idée de Bastien') },
    )
    await expect.poll(() => outline.announcements(), poll).toContain('Nouvelle note dans « Problème » : Idée de Bastien')
    await expect.poll(() => outline.notesIn('Problème'), poll).toContain('Idée de Bastien')

    expect(a.foreignRequests()).toEqual([])
    await ctxA.close()
    await ctxB.close()
  })

  it('edits, moves and deletes a note from the keyboard, and undo brings it back', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const board = await BoardPage.open(context, server.url, 'e2e-outline-edit')
    await board.waitForSync()
    const outline = new OutlinePanel(board.page)
    const { page } = board
    await insertLeanCanvasAndOpenOutline(outline)
    await expect.poll(() => outline.notesIn('Problème'), poll).toEqual(['Note vide', 'Note vide'])

    // Arrow Down from the title reaches the first note; Enter edits it; Escape leaves it as it was.
    await page.keyboard.press('ArrowDown')
    const first = (await outline.focused()).noteId as string
    expect(first).toMatch(/^shape:/)
    await page.keyboard.press('Enter')
    await page.keyboard.type('Brouillon')
    await page.keyboard.press('Escape')
    expect((await outline.focused()).noteId).toBe(first)
    expect(await outline.noteText(first)).toBe('Note vide')
    await page.keyboard.press('Enter')
    await page.keyboard.type('File d’attente au guichet')
    await page.keyboard.press('Enter')
    await expect.poll(() => board.noteTexts(), poll).toContain('File d’attente au guichet')
    expect((await outline.focused()).noteId).toBe(first)

    // Move it to "Solution" with the select, then the Move button.
    await page.keyboard.press('Tab')
    expect((await outline.focused()).tag).toBe('select')
    await page.keyboard.type('Solution')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(() => outline.notesIn('Solution'), poll).toContain('File d’attente au guichet')
    expect((await outline.focused()).noteId).toBe(first)
    const solution = await outline.sectionOf(first)
    const [noteBox, sectionBox] = [await pageBounds(page, first), await pageBounds(page, solution as string)]
    expect(noteBox && sectionBox && centreInside(noteBox, sectionBox)).toBe(true)

    // Delete, then undo from the outline.
    await outline.tabTo((f) => f.text.startsWith('Supprimer la note « File d’attente au guichet »'), 'its Delete button')
    await page.keyboard.press('Enter')
    await expect.poll(() => board.noteTexts(), poll).not.toContain('File d’attente au guichet')
    await page.keyboard.press('Control+z')
    await expect.poll(() => board.noteTexts(), poll).toContain('File d’attente au guichet')
    await expect.poll(() => outline.notesIn('Solution'), poll).toContain('File d’attente au guichet')
    await context.close()
  })

  it('passes axe-core with the outline open, and stays usable at 200 % zoom', async () => {
    // The app's CSP forbids inline scripts, which is how axe-core gets into the page.
    const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true })
    const board = await BoardPage.open(context, server.url, 'e2e-outline-axe')
    await board.waitForSync()
    const outline = new OutlinePanel(board.page)
    await insertLeanCanvasAndOpenOutline(outline)
    await board.addNote('Hors de tout modèle', -2000, -2000)
    await expect.poll(() => outline.notesIn('Hors section'), poll).toEqual(['Hors de tout modèle'])

    const violations = await axeViolations(board.page)
    expect(violations).toEqual([])

    // 200 % zoom on a 1280 × 800 screen is a 640 × 400 viewport: the panel fits and scrolls.
    await board.page.setViewportSize({ width: 640, height: 400 })
    const box = await outline.panel().boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 640).toBe(true)
    const scrolls = await outline.panel().evaluate((panel) => panel.scrollHeight > panel.clientHeight && getComputedStyle(panel).overflowY === 'auto')
    expect(scrolls).toBe(true)
    // The last control is reachable and scrolled into view when focused.
    await outline.tabTo((f) => f.tag === 'button' && f.text.startsWith('Ajouter une note dans « Hors section »'), 'the last Add button')
    const last = await board.page.evaluate(() => {
      const rect = (document.activeElement as HTMLElement).getBoundingClientRect()
      return { top: rect.top, bottom: rect.bottom }
    })
    expect(last.top >= 0 && last.bottom <= 400).toBe(true)
    await context.close()
  })
})
