import { CloseCode } from '@fabrique/protocol'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { SqliteAssetStorage } from '../storage/assets.ts'
import { openSqliteDatabase } from '../storage/sqlite.ts'
import type { BoardAccessPolicy } from '../sync/access.ts'
import { assetRoutes } from './assets.ts'

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])

/** A stand-in for the events' policy: `writer` writes, `viewer` reads; boards `event-*` form one event. */
const policy: BoardAccessPolicy = (_boardId, token) =>
  token === 'writer' ? { kind: 'write' } : token === 'viewer' ? { kind: 'read' } : { kind: 'refuse', code: CloseCode.BadToken, reason: 'bad token' }

function app(maxAssetBytes = 1024, maxEventAssetBytes = 1024 * 1024) {
  const a = new Hono()
  a.route(
    '/api',
    assetRoutes({
      assets: new SqliteAssetStorage(openSqliteDatabase({ file: ':memory:' })),
      maxAssetBytes,
      maxEventAssetBytes,
      boardAccess: policy,
      boardsOfSameEvent: async (boardId) => (boardId.startsWith('event-') ? ['event-board-1', 'event-board-2'] : []),
    }),
  )
  return a
}

const upload = (a: Hono, body: Uint8Array, type: string, board = 'board-assets-1', token = 'writer') =>
  a.request(`/api/boards/${board}/assets`, {
    method: 'POST',
    body: new Blob([body as Uint8Array<ArrayBuffer>]),
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
  })

describe('image uploads', () => {
  it('stores an image and serves it back with long cache headers', async () => {
    const a = app()
    const res = await upload(a, png, 'image/png')
    expect(res.status).toBe(201)
    const { url } = (await res.json()) as { url: string }
    expect(url).toMatch(/^\/api\/assets\/[A-Za-z0-9_-]{21}$/)

    const served = await a.request(url)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('cache-control')).toContain('immutable')
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png)
  })

  it('refuses a type that is not an accepted image, in both languages', async () => {
    const res = await upload(app(), new TextEncoder().encode('<svg onload="alert(1)"/>'), 'image/svg+xml')
    expect(res.status).toBe(415)
    const body = (await res.json()) as { error: { code: string; message: { fr: string; en: string } } }
    expect(body.error.code).toBe('asset_type_refused')
    expect(body.error.message.fr).toContain('PNG')
    expect(body.error.message.en).toContain('PNG')
  })

  it('refuses a file whose bytes do not match its declared type', async () => {
    const res = await upload(app(), new TextEncoder().encode('not a png at all'), 'image/png')
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('asset_content_mismatch')
  })

  it('refuses a file over the size limit', async () => {
    const big = new Uint8Array(2048)
    big.set(png)
    const res = await upload(app(1024), big, 'image/png')
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('asset_too_large')
  })

  it('refuses an invalid board id and answers 404 for an unknown asset', async () => {
    expect((await upload(app(), png, 'image/png', 'x')).status).toBe(404)
    expect((await app().request('/api/assets/AAAAAAAAAAAAAAAAAAAAA')).status).toBe(404)
  })

  it('takes images only from those who may write on the board', async () => {
    expect((await upload(app(), png, 'image/png', 'board-assets-1', 'viewer')).status).toBe(403)
    const forged = await upload(app(), png, 'image/png', 'board-assets-1', 'forged')
    expect(forged.status).toBe(401)
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('asset_refused')
  })

  it('keeps the images of one event within its quota, across its boards', async () => {
    const a = app(1024, 30)
    expect((await upload(a, png, 'image/png', 'event-board-1')).status).toBe(201)
    expect((await upload(a, png, 'image/png', 'event-board-2')).status).toBe(201)
    const over = await upload(a, png, 'image/png', 'event-board-1')
    expect(over.status).toBe(413)
    const body = (await over.json()) as { error: { code: string; message: { fr: string } } }
    expect(body.error.code).toBe('event_asset_quota')
    expect(body.error.message.fr).toContain('Mo')
    // Boards outside events have no event quota.
    for (let i = 0; i < 3; i++) expect((await upload(a, png, 'image/png', 'board-assets-1')).status).toBe(201)
  })
})
