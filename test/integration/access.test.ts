import { CloseCode } from '@fabrique/protocol'
import type { BoardAccessPolicy } from '@fabrique/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectClient, nextCloseCode, type TestClient } from '../support/clients.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/** A stand-in for the events' policy: the token names the access. */
const policy: BoardAccessPolicy = async (_boardId, token) => {
  await new Promise((resolve) => setTimeout(resolve, 20)) // decided asynchronously, like a database look-up
  if (token === 'writer') return { kind: 'write' }
  if (token === 'viewer') return { kind: 'read' }
  return { kind: 'refuse', code: CloseCode.BadToken, reason: 'bad token' }
}

let s: Awaited<ReturnType<typeof startServer>>
const clients: TestClient[] = []
beforeEach(async () => {
  s = await startServer({}, { boardAccess: policy })
})
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await s.close()
})

function client(token: string): TestClient {
  const c = connectClient(syncUrl(s), 'board-access', { params: { token } })
  clients.push(c)
  return c
}

describe('board access on the sync endpoint', () => {
  it('drops a read-only client’s writes on the server, while it still receives everything', async () => {
    const writer = client('writer')
    const viewer = client('viewer')
    await Promise.all([writer.synced, viewer.synced])

    viewer.doc.getMap('m').set('from-viewer', 'should never arrive')
    writer.doc.getMap('m').set('from-writer', 'hello')
    await waitFor(() => viewer.doc.getMap('m').get('from-writer') === 'hello', 'the writer’s edit at the viewer')
    const late = client('writer')
    await late.synced
    expect(late.doc.getMap('m').has('from-viewer')).toBe(false)
    expect(writer.doc.getMap('m').has('from-viewer')).toBe(false)
    expect((await storedDoc(s, 'board-access')).getMap('m').has('from-viewer')).toBe(false)
  })

  it('closes a bad token with 4401 and y-websocket stops retrying', async () => {
    const intruder = client('forged')
    expect(await nextCloseCode(intruder.provider)).toBe(CloseCode.BadToken)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(intruder.provider.wsconnected).toBe(false)
    expect(intruder.provider.shouldConnect).toBe(false)
  })

  it('holds messages sent before access is decided and reads them after', async () => {
    const writer = client('writer')
    writer.doc.getMap('m').set('early', 'sent before the server decided')
    await writer.synced
    const other = client('writer')
    await waitFor(() => other.doc.getMap('m').get('early') === 'sent before the server decided', 'the early edit')
  })
})
