import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../server/src/storage/pgTestDatabase.ts'
import { connectClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const schema = uniqueSchema()
beforeAll(requirePostgres)
afterAll(() => dropSchema(schema))

describe('the server on PostgreSQL (DATABASE_URL)', () => {
  it('keeps boards, events and images in PostgreSQL across a restart', async () => {
    const options = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema }
    const first = await startServer(options)
    const created = await (
      await fetch(`${first.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Sur Postgres', date: '2026-11-26' }) })
    ).json()
    const token = created.links.organiser.split('#token=')[1]
    const board = created.event.plenaryBoardId
    const a = connectClient(syncUrl(first), board, { params: { token } })
    await a.synced
    a.doc.getMap('m').set('kept', 'yes')
    const observer = connectClient(syncUrl(first), board, { params: { token } })
    await waitFor(() => observer.doc.getMap('m').get('kept') === 'yes', 'the edit broadcast (so stored)')
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9])
    const uploaded = await (await fetch(`${first.url}/api/boards/${board}/assets`, { method: 'POST', headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` }, body: png })).json()
    a.destroy()
    observer.destroy()
    await first.close()

    const second = await startServer(options)
    try {
      const event = await (await fetch(`${second.url}/api/events/${created.event.id}`, { headers: { authorization: `Bearer ${token}` } })).json()
      expect(event.event.title).toBe('Sur Postgres')
      const image = await fetch(`${second.url}${uploaded.url}`)
      expect(new Uint8Array(await image.arrayBuffer())).toEqual(png)
      const b = connectClient(syncUrl(second), board, { params: { token } })
      await b.synced
      expect(b.doc.getMap('m').get('kept')).toBe('yes')
      b.destroy()
    } finally {
      await second.close()
    }
  })
})
