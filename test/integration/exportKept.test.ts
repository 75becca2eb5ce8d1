import path from 'node:path'
import { SqliteStorage } from '@fabrique/server'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { apiCaller } from '../support/api.ts'
import type { BoardClient } from '../support/boardClient.ts'
import { Participant } from '../support/participant.ts'
import { startServer, syncUrl, type TestConfig, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/** Board storage that counts what reads each board's whole log. */
class CountingStorage extends SqliteStorage {
  readonly loads = new Map<string, number>()
  override load(boardId: string) {
    this.loads.set(boardId, (this.loads.get(boardId) ?? 0) + 1)
    return super.load(boardId)
  }
  /** Reads of these boards so far. */
  count(boardIds: readonly string[]): number {
    return boardIds.reduce((sum, boardId) => sum + (this.loads.get(boardId) ?? 0), 0)
  }
}

const tokenOf = (link: string) => link.split('#token=')[1] as string

let stop: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of stop.reverse()) await step()
  stop = []
})

/** A server with an event of three teams, each writing a note on its board (connected: rooms stay loaded). */
async function eventWithNotes(exports: TestConfig['exports']) {
  const dataDir = tempDir()
  const storage = new CountingStorage({ file: path.join(dataDir, 'boards.sqlite') })
  const server = await startServer({ dataDir, exports }, { storage })
  stop.push(() => server.close())
  const call = apiCaller(() => server.url)
  const { event, links } = (await call('POST', '/api/events', { title: 'Défis « Mobilités »', date: '2026-12-07', challenges: [{ title: 'Bus', description: '' }] })).body
  const organiser = tokenOf(links.organiser)
  const teams: Array<{ id: string; boardId: string; name: string; token: string }> = []
  for (const name of ['Alpha', 'Bêta', 'Gamma']) {
    const token = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: `Chef ${name}` })).body.token as string
    const team = (await call('POST', `/api/events/${event.id}/teams`, { name, challengeId: null }, token)).body.team
    teams.push({ ...team, token })
  }
  const participants: Participant[] = []
  for (const team of teams) {
    const participant = await Participant.open(syncUrl(server), team.boardId, team.token, `u-${team.id}`, `Chef ${team.name}`)
    stop.push(() => (participant.client as BoardClient).destroy())
    participant.note(`first-${team.id}`, `Première idée de ${team.name}`, { x: 0, y: 0 })
    participants.push(participant)
  }
  const boardIds = teams.map((team) => team.boardId)
  const exportZip = async (query = '') => {
    const res = await fetch(`${server.url}/api/events/${event.id}/export.zip${query}`, { headers: { authorization: `Bearer ${organiser}` } })
    expect(res.status).toBe(200)
    return unzipSync(new Uint8Array(await res.arrayBuffer()))
  }
  const markdown = (files: Record<string, Uint8Array>, folder: string) => strFromU8(files[`${folder}/fiche.md`] as Uint8Array)
  // Every note stored, as the export reads the boards.
  let files: Record<string, Uint8Array> = {}
  await waitFor(
    async () => {
      files = await exportZip()
      return ['alpha', 'beta', 'gamma'].every((folder, i) => markdown(files, folder).includes(`Première idée de ${teams[i]?.name}`))
    },
    'the three notes in the export',
  )
  return { server, storage, call, event, organiser, teams, participants, boardIds, exportZip, markdown, files }
}

describe('project sheets made once and kept', () => {
  it('exports an unchanged event again without reading any board, and the same files', async () => {
    const { storage, boardIds, exportZip, files } = await eventWithNotes({ aheadDelayMs: 0 })
    const before = storage.count(boardIds)
    const again = await exportZip()
    expect(storage.count(boardIds)).toBe(before)
    const names = Object.keys(files).sort()
    expect(Object.keys(again).sort()).toEqual(names)
    for (const name of names) expect(again[name], name).toEqual(files[name])
  })

  it('reads a board again once it changed, and only that board: the new note is in every file', async () => {
    const { storage, boardIds, exportZip, markdown, participants } = await eventWithNotes({ aheadDelayMs: 0 })
    const [alpha, beta, gamma] = boardIds as [string, string, string]
    ;(participants[1] as Participant).note('late', 'Une idée tardive', { x: 300, y: 0 })
    const before = { alpha: storage.count([alpha]), beta: storage.count([beta]), gamma: storage.count([gamma]) }
    let files: Record<string, Uint8Array> = {}
    await waitFor(async () => {
      files = await exportZip()
      return markdown(files, 'beta').includes('Une idée tardive')
    }, 'the late note in the export')
    expect(storage.count([beta])).toBeGreaterThan(before.beta)
    expect([storage.count([alpha]), storage.count([gamma])]).toEqual([before.alpha, before.gamma])
    expect(strFromU8(files['beta/fiche.json'] as Uint8Array)).toContain('Une idée tardive')
    expect(strFromU8(files['notes.csv'] as Uint8Array)).toContain('Une idée tardive')
    expect(markdown(files, 'alpha')).toContain('Première idée de Alpha')
  })

  it('makes a sheet again when what it says besides the board changes: a new member of the team', async () => {
    const { call, event, teams, exportZip } = await eventWithNotes({ aheadDelayMs: 0 })
    const members = (files: Record<string, Uint8Array>) => JSON.parse(strFromU8(files['gamma/fiche.json'] as Uint8Array)).team.members as string[]
    expect(members(await exportZip())).toEqual(['Chef Gamma'])
    const zoe = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Zoé' })).body.token
    expect((await call('POST', `/api/events/${event.id}/teams/${teams[2]?.id}/join`, undefined, zoe)).status).toBe(200)
    expect(members(await exportZip()).sort()).toEqual(['Chef Gamma', 'Zoé'])
  })

  it('makes the files ahead a while after the boards stop changing: the export then reads no board', async () => {
    const { server, storage, boardIds, exportZip, markdown, participants } = await eventWithNotes({ aheadDelayMs: 150 })
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await server.app.request('/metrics')).text())?.[1])
    // The export above made every file: nothing is left to make ahead.
    await waitFor(async () => (await metric('fabrique_sheets_ahead_pending')) === 0, 'nothing left to make ahead')
    const madeBefore = await metric('fabrique_sheets_ahead_events_made')
    ;(participants[0] as Participant).note('ahead', 'Préparée en avance', { x: 300, y: 0 })
    const before = storage.count(boardIds)
    await waitFor(async () => (await metric('fabrique_sheets_ahead_pending')) > 0, 'the change waiting to be made ahead')
    // Made ahead: the changed board is read again without anyone exporting, and the event counted
    // once every file is made again.
    await waitFor(async () => (await metric('fabrique_sheets_ahead_events_made')) === madeBefore + 1, 'the event made ahead again')
    expect(storage.count(boardIds)).toBeGreaterThan(before)
    expect(await metric('fabrique_sheets_ahead_pending')).toBe(0)
    // ...and its files kept: the export reads nothing more.
    const ahead = storage.count(boardIds)
    const files = await exportZip()
    expect(storage.count(boardIds)).toBe(ahead)
    expect(markdown(files, 'alpha')).toContain('Préparée en avance')
  })

  it('keeps nothing with EXPORT_KEPT_MB=0: each export reads every board', async () => {
    const { storage, boardIds, exportZip } = await eventWithNotes({ aheadDelayMs: 0, keptBytes: 0 })
    const before = storage.count(boardIds)
    await exportZip('?formats=json')
    expect(storage.count(boardIds)).toBe(before + boardIds.length)
  })
})
