import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { SqliteAssetStorage } from '../storage/assets.ts'
import { openSqliteDatabase } from '../storage/sqlite.ts'
import { assetRoutes } from './assets.ts'

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])

function app(maxAssetBytes = 1024) {
  const a = new Hono()
  a.route('/api', assetRoutes({ assets: new SqliteAssetStorage(openSqliteDatabase({ file: ':memory:' })), maxAssetBytes }))
  return a
}

const upload = (a: Hono, body: Uint8Array, type: string, board = 'board-assets-1') =>
  a.request(`/api/boards/${board}/assets`, { method: 'POST', body: new Blob([body as Uint8Array<ArrayBuffer>]), headers: { 'content-type': type } })

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
})
