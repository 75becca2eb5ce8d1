import type { Browser, Page } from 'playwright-core'
import { getIndexAbove, type IndexKey, type TLShape, toRichText } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_ID, shapeRecord } from '../../packages/board/src/testing.ts'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []

beforeAll(async () => {
  const clientDir = requireBuiltClient()
  browser = await launchBrowser()
  server = await startServer({ clientDir })
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

const TEXTS = [
  'Idée',
  'Parcours usager : de la demande en ligne à la réponse de l’administration',
  'Trois\nlignes\nici',
  'Anticonstitutionnellementanticonstitutionnellement',
  '',
  'Un défi, une équipe, une journée',
]

/** Notes and rectangles with labels of every kind (short, long, several lines, one long word, empty). */
function boardOf(client: BoardClient, count: number, origin: { x: number; y: number }, label: (i: number) => string): TLShape[] {
  let index = 'a1' as IndexKey
  return Array.from({ length: count }, (_, i) => {
    index = getIndexAbove(index)
    return shapeRecord(client.store, i % 2 === 0 ? 'note' : 'geo', {
      parentId: PAGE_ID,
      x: origin.x + (i % 6) * 260,
      y: origin.y + Math.floor(i / 6) * 260,
      index,
      props: { richText: toRichText(label(i)), ...(i % 2 === 0 ? {} : { w: 120 + (i % 5) * 40, h: 100 }) },
    })
  })
}

async function openBoard(boardId: string): Promise<{ board: BoardPage; writer: BoardClient }> {
  const context = await browser.newContext()
  const board = await BoardPage.open(context, server.url, boardId)
  await board.waitForSync()
  const writer = connectBoardClient(syncUrl(server), boardId)
  clients.push(writer)
  await writer.synced
  return { board, writer }
}

type Fabrique = { editor: any }

function setCamera(page: Page, x: number, y: number): Promise<void> {
  return page.evaluate(({ x, y }) => {
    ;(window as unknown as { __fabrique: Fabrique }).__fabrique.editor.setCamera({ x, y, z: 1 })
  }, { x, y })
}

function shapesOnPage(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __fabrique: Fabrique }).__fabrique.editor.getCurrentPageShapeIds().size)
}

describe('the board’s shapes in Chromium', () => {
  it('measures a label only when something needs it, to the size tldraw gives it', async () => {
    const { board, writer } = await openBoard('e2e-lazy-labels')
    await board.page.evaluate(() => document.fonts.ready.then(() => undefined))
    // Forty shapes arrive in one remote change, as when a template is pushed or a board opens, away
    // from the camera; the editor indexes them (their bounds) as they arrive.
    const shapes = boardOf(writer, 40, { x: 20_000, y: 20_000 }, (i) => TEXTS[i % TEXTS.length] as string)
    writer.store.put(shapes)
    writer.binding.flush()
    await expect.poll(() => shapesOnPage(board.page), poll).toBe(40)

    const result = await board.page.evaluate(() => {
      const { editor } = (window as unknown as { __fabrique: Fabrique }).__fabrique
      const sizes = (geometry: any) =>
        [...geometry.children, ...geometry.ignoredChildren].map((child: any) => {
          const box = child.bounds
          return [box.x, box.y, box.w, box.h].map((n: number) => Math.round(n * 1000) / 1000)
        })
      const labelOf = (geometry: any) => geometry.children.find((child: any) => child.isLabel)
      const shapes = editor.getCurrentPageShapes()
      // The spatial index has every shape's bounds; a hover far away tests none of them.
      const found = editor.getShapesAtPoint({ x: 20_000 + 130, y: 20_000 + 100 })
      // A label measured as tldraw does (no `isMeasured`: measured with its shape) counts as measured.
      const measuredAfterLoad = shapes.filter((shape: any) => labelOf(editor.getShapeGeometry(shape)).isMeasured !== false).length
      const mismatches = []
      for (const shape of shapes) {
        const ours = sizes(editor.getShapeGeometry(shape))
        // tldraw's own geometry (the class the board's util extends), on a copy of the record.
        const util = editor.getShapeUtil(shape)
        const tldraws = sizes(Object.getPrototypeOf(Object.getPrototypeOf(util)).getGeometry.call(util, { ...shape }))
        if (JSON.stringify(ours) !== JSON.stringify(tldraws)) mismatches.push({ id: shape.id, ours, tldraws })
      }
      return { measuredAfterLoad, found: found.length, mismatches, compared: shapes.length }
    })
    expect(result.compared).toBe(40)
    // At most the shapes under that one point were hit-tested, and their labels measured.
    expect(result.found).toBeGreaterThan(0)
    expect(result.measuredAfterLoad).toBeLessThanOrEqual(result.found)
    expect(result.mismatches).toEqual([])
    await board.page.context().close()
  })

  it('mounts a shape once it comes into view, and keeps it', async () => {
    const { board, writer } = await openBoard('e2e-mounted-when-seen')
    const near = boardOf(writer, 12, { x: 0, y: 0 }, (i) => `Près ${i}`)
    const far = boardOf(writer, 12, { x: 40_000, y: 40_000 }, (i) => `Loin ${i}`)
    writer.store.put([...near, ...far.map((shape, i) => ({ ...shape, index: `b${String(i).padStart(2, '0')}` as IndexKey }))])
    writer.binding.flush()
    await expect.poll(() => shapesOnPage(board.page), poll).toBe(24)
    await setCamera(board.page, 0, 0)

    const inDom = () =>
      board.page.evaluate(() => ({
        shapes: document.querySelectorAll('.tl-shape').length,
        text: document.querySelector('.tl-shapes')?.textContent ?? '',
      }))
    await expect.poll(async () => (await inDom()).text, poll).toContain('Près 0')
    const first = await inDom()
    expect(first.shapes).toBeLessThanOrEqual(12)
    expect(first.text).not.toContain('Loin')

    // Over to the far shapes: they are mounted; back again, the near ones are still there.
    await setCamera(board.page, -40_000, -40_000)
    await expect.poll(async () => (await inDom()).text, poll).toContain('Loin 0')
    await setCamera(board.page, 0, 0)
    const after = await inDom()
    expect(after.text).toContain('Près 0')
    expect(after.text).toContain('Loin 0')
    expect(after.shapes).toBeGreaterThan(first.shapes)
    // Shapes out of view are hidden by tldraw's culling, as before.
    await expect.poll(() => board.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.tl-shape')].filter((el) => el.style.display === 'none').length), poll).toBeGreaterThan(0)
    await board.page.context().close()
  })
})
