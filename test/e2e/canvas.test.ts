import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { FieldMap, fieldKey, RECORDS_ARRAY, recordToFields } from '@fabrique/board'
import { connectClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { BoardPage } from './pages/boardPage.ts'

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>

beforeAll(async () => {
  const clientDir = requireBuiltClient()
  browser = await launchBrowser()
  server = await startServer({ clientDir })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const poll = { timeout: 15_000, interval: 100 }

describe('team canvas in Chromium', () => {
  it('two people on one board see each other’s notes and cursors', async () => {
    const [ctxA, ctxB] = [await browser.newContext(), await browser.newContext()]
    const a = await BoardPage.open(ctxA, server.url, 'e2e-board-live')
    const b = await BoardPage.open(ctxB, server.url, 'e2e-board-live')
    await Promise.all([a.waitForSync(), b.waitForSync()])
    // Each page synced over the socket it opened before the app had loaded: one socket each.
    for (const board of [a, b]) {
      expect(board.sockets.filter((url) => url.includes('/sync/e2e-board-live'))).toHaveLength(1)
      expect(await board.usesEarlySocket()).toBe(true)
    }
    await a.setUserName('Aïcha')
    await b.setUserName('Bastien')

    await a.addNote('Idée de A', 100, 100)
    await b.addNote('Idée de B', 400, 100)
    await expect.poll(() => a.noteTexts(), poll).toEqual(['Idée de A', 'Idée de B'])
    await expect.poll(() => b.noteTexts(), poll).toEqual(['Idée de A', 'Idée de B'])

    await a.moveMouseOverCanvas()
    await expect.poll(() => b.collaboratorNames(), poll).toContain('Aïcha')
    await b.moveMouseOverCanvas()
    await expect.poll(() => a.collaboratorNames(), poll).toContain('Bastien')

    expect(a.foreignRequests()).toEqual([])
    expect(b.foreignRequests()).toEqual([])
    await ctxA.close()
    await ctxB.close()
  })

  it('keeps an edit made offline and delivers it once the connection returns', async () => {
    const [ctxA, ctxB] = [await browser.newContext(), await browser.newContext()]
    const a = await BoardPage.open(ctxA, server.url, 'e2e-board-offline')
    const b = await BoardPage.open(ctxB, server.url, 'e2e-board-offline')
    await Promise.all([a.waitForSync(), b.waitForSync()])

    await a.goOffline()
    await a.addNote('Écrit hors ligne', 50, 50)
    await expect.poll(() => a.indicator().getAttribute('data-state'), poll).toBe('offline')
    await expect.poll(async () => (await a.indicator().textContent()) ?? '', poll).toMatch(/1/)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await b.noteTexts()).toEqual([])

    await a.goOnline()
    await expect.poll(() => b.noteTexts(), poll).toEqual(['Écrit hors ligne'])
    await expect.poll(() => a.indicator().getAttribute('data-state'), poll).toBe('connected')
    await ctxA.close()
    await ctxB.close()
  })

  it('writes a change made just before the tab is hidden or left without waiting for a frame', async () => {
    const ctx = await browser.newContext()
    const a = await BoardPage.open(ctx, server.url, 'e2e-board-hidden')
    await a.waitForSync()
    // A hidden tab gets no animation frame, and tldraw hands changes over at the next one: none come.
    const inDocument = (hide: 'visibilitychange' | 'pagehide', id: string) =>
      a.page.evaluate(
        ({ hide, id }) => {
          const fabrique = (window as unknown as { __fabrique: { editor: { createShape(shape: object): void }; doc: { getArray(name: string): { toArray(): Uint8Array[] } } } }).__fabrique
          const written = () => fabrique.doc.getArray('records').toArray().some((entry) => new TextDecoder().decode(entry).includes(id))
          window.requestAnimationFrame = () => 0
          fabrique.editor.createShape({ id, type: 'geo', x: 40, y: 40 })
          const beforeHiding = written()
          if (hide === 'visibilitychange') {
            Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
            document.dispatchEvent(new Event('visibilitychange'))
          } else {
            window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
          }
          return { beforeHiding, afterHiding: written() }
        },
        { hide, id },
      )
    expect(await inDocument('visibilitychange', 'shape:hidden-tab')).toEqual({ beforeHiding: false, afterHiding: true })
    expect(await inDocument('pagehide', 'shape:left-page')).toEqual({ beforeHiding: false, afterHiding: true })
    await ctx.close()
  })

  it('shows everything again after a reload, from the local copy and the server', async () => {
    const ctx = await browser.newContext()
    const a = await BoardPage.open(ctx, server.url, 'e2e-board-reload')
    await a.waitForSync()
    await a.addNote('Toujours là', 10, 10)
    await a.addNote('Moi aussi', 300, 10)
    await expect.poll(() => a.noteTexts(), poll).toEqual(['Moi aussi', 'Toujours là'])

    await a.reload()
    await expect.poll(() => a.noteTexts(), poll).toEqual(['Moi aussi', 'Toujours là'])

    // A fresh browser has no local copy: the notes come from the server.
    const other = await browser.newContext()
    const fresh = await BoardPage.open(other, server.url, 'e2e-board-reload')
    await fresh.waitForSync()
    await expect.poll(() => fresh.noteTexts(), poll).toEqual(['Moi aussi', 'Toujours là'])
    expect(a.foreignRequests()).toEqual([])
    await ctx.close()
    await other.close()
  })

  it('holds back a record that fails validation, written by a misbehaving client, and keeps the board working', async () => {
    const ctx = await browser.newContext()
    const a = await BoardPage.open(ctx, server.url, 'e2e-board-invalid')
    await a.waitForSync()
    await a.addNote('Avant', 10, 10)
    await expect.poll(() => a.noteTexts(), poll).toEqual(['Avant'])

    // A client that skips tldraw's validation writes a note with a colour tldraw does not know.
    const rogue = connectClient(syncUrl(server), 'e2e-board-invalid')
    await rogue.synced
    const bad = {
      id: 'shape:rogue',
      typeName: 'shape',
      type: 'note',
      x: 0,
      y: 0,
      rotation: 0,
      index: 'a9',
      parentId: 'page:page',
      isLocked: false,
      opacity: 1,
      meta: {},
      props: { color: 'chartreuse', richText: { type: 'doc', content: [] } },
    }
    const fields = new FieldMap(rogue.doc.getArray(RECORDS_ARRAY))
    fields.write([...recordToFields(bad as never)].map(([field, value]) => [fieldKey(bad.id, field), value] as const), [])
    fields.destroy()

    await expect.poll(async () => (await a.page.getByRole('alert').allTextContents()).join(' '), poll).toContain('cannot be shown')
    await a.addNote('Après', 300, 10)
    await expect.poll(() => a.noteTexts(), poll).toEqual(['Après', 'Avant'])
    expect(await a.page.evaluate(() => (window as any).__fabrique.editor.getShape('shape:rogue'))).toBeUndefined()
    rogue.destroy()
    await ctx.close()
  })
})
