import { FieldMap, RECORDS_ARRAY } from '@fabrique/board'
import { CloseCode } from '@fabrique/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, nextCloseCode } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type Server = Awaited<ReturnType<typeof startServer>>
let server: Server

beforeAll(async () => {
  server = await startServer({ sync: { boardLayoutOnly: true } })
})
afterAll(async () => {
  await server.close()
})

describe('the board layout, checked by the server', () => {
  it('closes a client that writes outside the layout, before anyone else receives it', async () => {
    const url = syncUrl(server)
    const writer = connectClient(url, 'board-layout')
    const other = connectClient(url, 'board-layout')
    const offender = connectClient(url, 'board-layout')
    await Promise.all([writer.synced, other.synced, offender.synced])
    const fields = new FieldMap(writer.doc.getArray(RECORDS_ARRAY))
    fields.write([['shape:a/x', 1]], [])
    await waitFor(() => other.doc.getArray(RECORDS_ARRAY).length === 1, 'the record entry at the other client')

    const closed = nextCloseCode(offender.provider)
    offender.doc.getMap('m').set('k', 'not part of a board')
    expect(await closed).toBe(CloseCode.InvalidUpdate)

    fields.write([['shape:a/x', 2]], [])
    await waitFor(() => new FieldMap(other.doc.getArray(RECORDS_ARRAY)).get('shape:a/x')?.v === 2, 'the next edit at the other client')
    expect(other.doc.share.has('m')).toBe(false)
    expect((await storedDoc(server, 'board-layout')).share.has('m')).toBe(false)
    for (const client of [writer, other, offender]) client.destroy()
  })
})
