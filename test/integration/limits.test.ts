import { CloseCode } from '@fabrique/protocol'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, nextCloseCode, rawSocket, type TestClient } from '../support/clients.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})
async function server(limits: NonNullable<Parameters<typeof startServer>[0]>['limits']) {
  const s = await startServer({ limits })
  cleanups.push(() => s.close())
  return s
}
function client(s: { url: string }, boardId: string, params?: Record<string, string>): TestClient {
  const c = connectClient(syncUrl(s), boardId, { params })
  cleanups.push(() => c.destroy())
  return c
}

const queryAwareness = () => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 3)
  return encoding.toUint8Array(e)
}

describe('limits, each with a code the client can explain', () => {
  it('closes a connection sending faster than its rate, and lets it come back (4529)', async () => {
    const s = await server({ maxMessagesPerSecond: 20 })
    const flooder = rawSocket(syncUrl(s), 'board-limit-rate')
    await flooder.opened
    for (let i = 0; i < 500; i++) flooder.ws.send(queryAwareness())
    expect(await flooder.closed).toBe(CloseCode.RateLimited)
    // A normal client on the same board is not affected.
    const calm = client(s, 'board-limit-rate')
    await calm.synced
    calm.doc.getMap('m').set('k', 'v')
    const other = client(s, 'board-limit-rate')
    await waitFor(() => other.doc.getMap('m').get('k') === 'v', 'the calm client’s edit')
  })

  it('refuses connections past the per-address limit (4429)', async () => {
    const s = await server({ maxConnectionsPerAddress: 3 })
    const ok = [client(s, 'board-limit-addr'), client(s, 'board-limit-addr'), client(s, 'board-limit-addr')]
    await Promise.all(ok.map((c) => c.synced))
    const fourth = client(s, 'board-limit-addr')
    expect(await nextCloseCode(fourth.provider)).toBe(CloseCode.TooManyConnections)
  })

  it('refuses connections past the per-event limit (4429)', async () => {
    const s = await server({ maxConnectionsPerEvent: 2 })
    const created = await (
      await fetch(`${s.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Limite', date: '2026-11-26' }) })
    ).json()
    const token = created.links.facilitator.split('#token=')[1]
    const board = created.event.plenaryBoardId
    const [a, b] = [client(s, board, { token }), client(s, board, { token })]
    await Promise.all([a.synced, b.synced])
    const third = client(s, board, { token })
    expect(await nextCloseCode(third.provider)).toBe(CloseCode.TooManyConnections)
  })

  it('refuses large additions on a full board but still takes deletions (4430)', async () => {
    const s = await server({ maxBoardBytes: 20_000 })
    const a = client(s, 'board-limit-size')
    await a.synced
    for (let i = 0; i < 3; i++) a.doc.getMap('m').set(`note${i}`, 'x'.repeat(5_000))
    const b = client(s, 'board-limit-size')
    await waitFor(() => b.doc.getMap('m').size === 3, 'the first notes')
    const closed = nextCloseCode(a.provider)
    a.doc.getMap('m').set('too-much', 'y'.repeat(8_000))
    expect(await closed).toBe(CloseCode.BoardFull)
    b.doc.getMap('m').delete('note0')
    const c = client(s, 'board-limit-size')
    await waitFor(() => c.doc.getMap('m').size === 2 && !c.doc.getMap('m').has('too-much'), 'the deletion taken, the addition refused')
  })
})
