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

type Fabrique = { editor: any; labelsMeasuredInBatch(): number }

function setCamera(page: Page, x: number, y: number): Promise<void> {
  return page.evaluate(({ x, y }) => {
    ;(window as unknown as { __fabrique: Fabrique }).__fabrique.editor.setCamera({ x, y, z: 1 })
  }, { x, y })
}

function shapesOnPage(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __fabrique: Fabrique }).__fabrique.editor.getCurrentPageShapeIds().size)
}

describe('the board’s shapes in Chromium', () => {
  it('measures a batch of labels in one go, to the same sizes as one at a time', async () => {
    const { board, writer } = await openBoard('e2e-label-batch')
    await board.page.evaluate(() => document.fonts.ready.then(() => undefined))
    const before = await board.page.evaluate(() => (window as unknown as { __fabrique: Fabrique }).__fabrique.labelsMeasuredInBatch())

    // Forty shapes arrive in one remote change, as when a template is pushed or a board opens.
    const shapes = boardOf(writer, 40, { x: 0, y: 0 }, (i) => TEXTS[i % TEXTS.length] as string)
    writer.store.put(shapes)
    writer.binding.flush()
    await expect.poll(() => shapesOnPage(board.page), poll).toBe(40)

    const result = await board.page.evaluate(() => {
      const { editor, labelsMeasuredInBatch } = (window as unknown as { __fabrique: Fabrique }).__fabrique
      const sizes = (geometry: any) =>
        [...geometry.children, ...geometry.ignoredChildren].map((child: any) => {
          const box = child.bounds
          return [box.x, box.y, box.w, box.h].map((n: number) => Math.round(n * 1000) / 1000)
        })
      // The editor's geometries (their labels measured in a batch, the first time they are asked for)…
      const shapes = editor.getCurrentPageShapes()
      const batched = new Map(shapes.map((shape: any) => [shape.id, sizes(editor.getShapeGeometry(shape))]))
      return new Promise<{ answered: number; mismatches: unknown[]; compared: number }>((resolve) =>
        setTimeout(() => {
          // …then, in a later task, each one measured alone, by tldraw's own geometry on a copy of the record.
          const mismatches = []
          for (const shape of shapes) {
            const alone = sizes(editor.getShapeUtil(shape).measuredGeometry({ ...shape }))
            if (JSON.stringify(alone) !== JSON.stringify(batched.get(shape.id))) mismatches.push({ id: shape.id, alone, batched: batched.get(shape.id) })
          }
          resolve({ answered: labelsMeasuredInBatch(), mismatches, compared: shapes.length })
        }, 0),
      )
    })
    expect(result.compared).toBe(40)
    expect(result.mismatches).toEqual([])
    // The empty labels are not measured and a note whose long word needs a smaller font measures
    // again: most of the others came from the batch.
    expect(result.answered - before).toBeGreaterThanOrEqual(25)
    await board.page.context().close()
  })

  it('draws a shape once it comes into view, and keeps it drawn', async () => {
    const { board, writer } = await openBoard('e2e-drawn-when-seen')
    const near = boardOf(writer, 12, { x: 0, y: 0 }, (i) => `Près ${i}`)
    const far = boardOf(writer, 12, { x: 40_000, y: 40_000 }, (i) => `Loin ${i}`)
    writer.store.put([...near, ...far.map((shape, i) => ({ ...shape, index: `b${String(i).padStart(2, '0')}` as IndexKey }))])
    writer.binding.flush()
    await expect.poll(() => shapesOnPage(board.page), poll).toBe(24)
    await setCamera(board.page, 0, 0)

    const drawn = () =>
      board.page.evaluate(() => ({
        wrappers: document.querySelectorAll('.tl-shape').length,
        drawn: document.querySelectorAll('.tl-shape:not(:empty)').length,
        text: document.querySelector('.tl-shapes')?.textContent ?? '',
      }))
    await expect.poll(async () => (await drawn()).text, poll).toContain('Près 0')
    const first = await drawn()
    expect(first.wrappers).toBe(24)
    expect(first.drawn).toBeLessThanOrEqual(12)
    expect(first.text).not.toContain('Loin')

    // Over to the far shapes: they are drawn; back again, the near ones are still there.
    await setCamera(board.page, -40_000, -40_000)
    await expect.poll(async () => (await drawn()).text, poll).toContain('Loin 0')
    await setCamera(board.page, 0, 0)
    const after = await drawn()
    expect(after.text).toContain('Près 0')
    expect(after.text).toContain('Loin 0')
    expect(after.drawn).toBeGreaterThan(first.drawn)
    await board.page.context().close()
  })
})
