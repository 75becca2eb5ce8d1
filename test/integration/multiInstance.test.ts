import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import { WebSocket } from 'ws'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../server/src/storage/pgTestDatabase.ts'
import { LIVE_MAP, LiveKey } from '@fabrique/protocol'
import { connectBoardClient } from '../support/boardClient.ts'
import { connectClient, type TestClient } from '../support/clients.ts'
import { Participant } from '../support/participant.ts'
import { OwnRedis, requireRedis, TEST_REDIS_URL } from '../support/redis.ts'
import { startServer, startServerProcess, storedDoc, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const schemas: string[] = []
const cleanups: Array<() => unknown> = []
beforeAll(async () => {
  await requirePostgres()
  await requireRedis()
})
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()?.()
  for (const schema of schemas) await dropSchema(schema)
})

function cluster(redisUrl = TEST_REDIS_URL) {
  const schema = uniqueSchema()
  schemas.push(schema)
  return { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, redisUrl }
}

async function instance(options: ReturnType<typeof cluster>) {
  const server = await startServer(options)
  cleanups.push(() => server.close())
  return server
}

function client(url: string, boardId: string, token?: string): TestClient {
  const c = connectClient(url, boardId, token ? { params: { token } } : {})
  cleanups.push(() => c.destroy())
  return c
}

const keys = (c: TestClient) => [...c.doc.getMap('m').keys()].sort()

describe('several instances behind one PostgreSQL and one Redis', () => {
  it('converges clients spread over three instances, documents and presence', async () => {
    const options = cluster()
    const servers = [await instance(options), await instance(options), await instance(options)]
    const clients = servers.flatMap((s, i) => [client(syncUrl(s), 'board-cluster-1'), client(syncUrl(s), 'board-cluster-1')].map((c, j) => ({ c, name: `c${i}${j}` })))
    await Promise.all(clients.map(({ c }) => c.synced))

    for (const { c, name } of clients) for (let k = 0; k < 20; k++) c.doc.getMap('m').set(`${name}-${k}`, k)
    for (const { c, name } of clients) c.provider.awareness.setLocalStateField('user', { name })

    await waitFor(() => clients.every(({ c }) => c.doc.getMap('m').size === 120), 'every client to hold every edit')
    const reference = keys(clients[0]?.c as TestClient)
    for (const { c } of clients) expect(keys(c)).toEqual(reference)
    await waitFor(() => clients.every(({ c }) => c.provider.awareness.getStates().size === 6), 'every client to see the five others')
  })

  it('loses nothing the killed instance had stored; its clients carry on through another instance', async () => {
    const options = cluster()
    const survivor = await instance(options)
    const doomed = await startServerProcess('/tmp', {
      DATABASE_URL: options.databaseUrl,
      DATABASE_SCHEMA: options.databaseSchema,
      REDIS_URL: options.redisUrl,
      SECRET: 'fabrique-test-secret',
    })
    cleanups.push(() => doomed.child.kill('SIGKILL'))
    const doomedUrl = `${doomed.url.replace('http', 'ws')}/sync`
    const writer = client(doomedUrl, 'board-cluster-kill')
    const observer = client(syncUrl(survivor), 'board-cluster-kill')
    await Promise.all([writer.synced, observer.synced])

    let i = 0
    const editing = setInterval(() => {
      for (let k = 0; k < 5; k++) writer.doc.getMap('m').set(`k${i++}`, 'x')
    }, 5)
    await waitFor(() => observer.doc.getMap('m').size >= 200, 'edits relayed to the other instance')
    doomed.child.kill('SIGKILL')
    await doomed.exited
    clearInterval(editing)
    writer.provider.shouldConnect = false
    const relayed = keys(observer)

    // Everything relayed had been stored first.
    const stored = (await storedDoc(survivor, 'board-cluster-kill')).getMap('m')
    expect(relayed.filter((k) => !stored.has(k))).toEqual([])

    // The writer reconnects through the survivor (as a load balancer would send it) with what it still holds.
    const moved = new WebsocketProvider(syncUrl(survivor), 'board-cluster-kill', writer.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    cleanups.push(() => moved.destroy())
    await waitFor(() => observer.doc.getMap('m').size === i, `all ${i} edits at the observer`)
  })

  it('recovers and converges after Redis restarts mid-event', async () => {
    const redis = await OwnRedis.start()
    cleanups.push(() => redis.stop())
    const options = cluster(redis.url)
    const [a, b] = [await instance(options), await instance(options)]
    const onA = client(syncUrl(a), 'board-cluster-redis')
    const onB = client(syncUrl(b), 'board-cluster-redis')
    await Promise.all([onA.synced, onB.synced])
    onA.doc.getMap('m').set('before', 'a')
    await waitFor(() => onB.doc.getMap('m').get('before') === 'a', 'relay working before the restart')

    onA.doc.getMap('m').set('doomed', 'deleted on B while Redis is down')
    await waitFor(() => onB.doc.getMap('m').has('doomed'), 'the note at B')
    await redis.stop()
    onA.doc.getMap('m').set('during-a', 'a')
    onB.doc.getMap('m').set('during-b', 'b')
    onB.doc.getMap('m').delete('doomed')
    await redis.startProcess()
    onA.doc.getMap('m').set('after-a', 'a')

    await waitFor(
      () => ['during-a', 'during-b', 'after-a'].every((k) => onA.doc.getMap('m').has(k) && onB.doc.getMap('m').has(k)) && !onA.doc.getMap('m').has('doomed'),
      'both sides converged, the deletion included',
      20_000,
    )
    expect(keys(onA)).toEqual(keys(onB))
  })

  it('applies a template push, the timer and a lock made on one instance to clients of another', async () => {
    const options = cluster()
    const [a, b] = [await instance(options), await instance(options)]
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${a.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return res.json()
    }
    const { event, links } = await call('POST', '/api/events', { title: 'Multi', date: '2026-11-26' })
    const facilitator = links.facilitator.split('#token=')[1]
    const { token } = await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })
    const { team } = await call('POST', `/api/events/${event.id}/teams`, { name: 'Équipe' }, token)

    // Alice and a facilitator's view are on instance B; every facilitator action goes to A.
    const alice = connectBoardClient(syncUrl(b), team.boardId, token)
    cleanups.push(() => alice.destroy())
    const watcher = client(syncUrl(b), team.boardId, facilitator)
    const live = client(syncUrl(b), event.liveBoardId, token)
    await Promise.all([alice.synced, watcher.synced, live.synced])

    await call('POST', `/api/events/${event.id}/pushes`, { pushId: 'multi-push-1', templateId: 'five-whys', locale: 'fr' }, facilitator)
    await waitFor(() => alice.shapes().some((s) => s.type === 'frame'), 'the pushed template on instance B')
    await call('POST', `/api/events/${event.id}/timer`, { action: 'start', durationSeconds: 600, title: 'Sprint' }, facilitator)
    await waitFor(() => (live.doc.getMap(LIVE_MAP).get(LiveKey.Timer) as { title?: string } | undefined)?.title === 'Sprint', 'the timer on instance B')

    await call('POST', `/api/events/${event.id}/locks`, { locked: true }, facilitator)
    await new Promise((resolve) => setTimeout(resolve, 300))
    alice.doc.getMap('probe').set('while-locked', true)
    watcher.doc.getMap('probe').set('staff-still-writes', true)
    await waitFor(() => alice.doc.getMap('probe').has('staff-still-writes'), 'the facilitator writing through B')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(watcher.doc.getMap('probe').has('while-locked')).toBe(false)

    await call('POST', `/api/events/${event.id}/locks`, { locked: false }, facilitator)
    await waitFor(() => watcher.doc.getMap('probe').has('while-locked'), 'Alice’s writes after the unlock')
  })

  it('exports through one instance what was written through another, never a sheet it kept from before', async () => {
    const options = cluster()
    const [a, b] = [await instance(options), await instance(options)]
    const post = async (path: string, body: unknown, token?: string) =>
      (
        await fetch(`${a.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        })
      ).json()
    const { event, links } = await post('/api/events', { title: 'Export multi', date: '2026-12-07' })
    const organiser = links.organiser.split('#token=')[1]
    const { token } = await post('/api/join', { code: event.joinCode, pseudonym: 'Alice' })
    const { team } = await post(`/api/events/${event.id}/teams`, { name: 'Équipe' }, token)
    const markdown = async () => {
      const res = await fetch(`${a.url}/api/events/${event.id}/teams/${team.id}/sheet.md`, { headers: { authorization: `Bearer ${organiser}` } })
      return res.text()
    }

    // Alice writes through B; the sheets are exported through A, which keeps them.
    const alice = await Participant.open(syncUrl(b), team.boardId, token, 'alice', 'Alice')
    cleanups.push(() => alice.client.destroy())
    alice.note('first', 'Première idée', { x: 0, y: 0 })
    await waitFor(async () => (await markdown()).includes('Première idée'), 'the first note in the sheet made by A')
    alice.note('second', 'Seconde idée', { x: 300, y: 0 })
    await waitFor(async () => (await markdown()).includes('Seconde idée'), 'the second note, written through B, in A’s next sheet')
    expect(await markdown()).toContain('Première idée')
  })
})
