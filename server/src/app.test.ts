import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { defaultConfig } from './config.ts'
import { silentLogger } from './logger.ts'
import { createServer, type FabriqueServer } from './server.ts'

let server: FabriqueServer
let clientDir: string

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-app-'))
  clientDir = path.join(dataDir, 'client')
  fs.mkdirSync(path.join(clientDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Fabrique</title>')
  fs.writeFileSync(path.join(clientDir, 'assets', 'app-abc123.js'), 'console.log(1)')
  // As the client's build writes them (vite.config.ts): compressed copies beside the file.
  fs.writeFileSync(path.join(clientDir, 'assets', 'app-abc123.js.br'), zlib.brotliCompressSync('console.log(1)'))
  fs.writeFileSync(path.join(clientDir, 'assets', 'app-abc123.js.gz'), zlib.gzipSync('console.log(1)'))
  server = await createServer(
    { ...defaultConfig, port: 0, host: '127.0.0.1', dataDir, clientDir, tldrawLicenseKey: 'tldraw-key-123' },
    { logger: silentLogger },
  )
})
afterAll(() => server.close())

describe('HTTP app', () => {
  it('answers health checks', async () => {
    const res = await server.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok' })
  })

  it('refuses a body that is not JSON with a readable 400, and goes on serving', async () => {
    const res = await server.app.request('/api/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"Hackathon"' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: { fr: 'Requête invalide — le corps de la requête n’est pas du JSON valide', en: 'Invalid request — Malformed JSON in request body' },
      },
    })
    expect((await server.app.request('/healthz')).status).toBe(200)
  })

  it('serves the licence key at run time, never cached', async () => {
    const res = await server.app.request('/api/config')
    expect(await res.json()).toEqual({ tldrawLicenseKey: 'tldraw-key-123', protocolVersion: 1, maxAssetBytes: 10 * 1024 * 1024 })
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('exposes Prometheus metrics', async () => {
    const text = await (await server.app.request('/metrics')).text()
    for (const name of ['fabrique_rooms_loaded', 'fabrique_connections', 'fabrique_sync_messages_in_total', 'fabrique_storage_append_seconds_bucket']) {
      expect(text).toContain(name)
    }
  })

  it('serves the client with a CSP that allows no other origin', async () => {
    const res = await server.app.request('/b/some-board-id')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>Fabrique</title>')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).not.toMatch(/https?:/)
  })

  it('caches hashed assets for a year', async () => {
    const res = await server.app.request('/assets/app-abc123.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
  })

  it("sends the build's compressed copy of an asset to a browser that accepts it, the file itself otherwise", async () => {
    const br = await server.app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toContain('Accept-Encoding')
    expect(br.headers.get('cache-control')).toContain('immutable')
    expect(br.headers.get('content-type')).toContain('javascript')
    expect(zlib.brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe('console.log(1)')

    const gz = await server.app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('console.log(1)')

    const plain = await server.app.request('/assets/app-abc123.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe('console.log(1)')
  })

  it('answers a missing asset with a 404, not the app page', async () => {
    const res = await server.app.request('/assets/app-old123.js')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).not.toContain('html')
    expect(await res.text()).not.toContain('<title>Fabrique</title>')
  })

  it('answers unknown API addresses with a JSON error', async () => {
    const res = await server.app.request('/api/nope')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })
})
