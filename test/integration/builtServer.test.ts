import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller } from '../support/api.ts'
import { Participant } from '../support/participant.ts'
import { type ServerProcess, startServerProcess, syncUrl, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

// What `pnpm start` runs: server/dist/main.js, node alone, no TypeScript loader. What the bundle
// leaves to node_modules (pdfkit's font files, the SQLite and memory addons) and the export thread's
// own entry (dist/exportWorker.js) only show up here.
let proc: ServerProcess
let participant: Participant | undefined
const call = apiCaller(() => proc.url)
const tokenOf = (link: string) => link.split('#token=')[1]
// French typography: the sheet puts no-break spaces inside the guillemets.
const NOTE = /Des passoires thermiques «\s?oubliées\s?»/u

beforeAll(async () => {
  proc = await startServerProcess(tempDir())
})
afterAll(async () => {
  participant?.client.destroy()
  proc?.child.kill('SIGTERM')
  await proc?.exited
})

describe('the built server (server/dist, as pnpm start runs it)', () => {
  it('starts with its addons, syncs a board and exports its sheet through its export thread', async () => {
    expect((await call('GET', '/healthz')).body.status).toBe('ok')

    const { event, links } = (await call('POST', '/api/events', { title: 'Défi « bâti »', date: '2026-12-07', challenges: [{ title: 'Rénovation', description: '' }] })).body
    const alice = (await call('POST', '/api/join', { code: event.joinCode, pseudonym: 'Alice' })).body.token as string
    const team = (await call('POST', `/api/events/${event.id}/teams`, { name: 'Équipe Été', challengeId: event.challenges[0].id }, alice)).body.team
    const facilitator = tokenOf(links.facilitator)
    const push = { pushId: 'push-built-1', templateId: 'project-sheet', locale: 'fr', boardIds: [team.boardId] }
    expect((await call('POST', `/api/events/${event.id}/pushes`, push, facilitator)).status).toBe(200)

    participant = await Participant.open(syncUrl(proc), team.boardId, alice, 'alice', 'Alice')
    participant.note('built-problem', 'Des passoires thermiques « oubliées »', { templateId: 'project-sheet', sectionKey: 'problem' })

    const organiser = tokenOf(links.organiser)
    const download = async (url: string) => {
      const res = await fetch(`${proc.url}${url}`, { headers: { authorization: `Bearer ${organiser}` } })
      expect(res.status, await res.clone().text().catch(() => '')).toBe(200)
      return new Uint8Array(await res.arrayBuffer())
    }
    let files: Record<string, Uint8Array> = {}
    await waitFor(async () => {
      files = unzipSync(await download(`/api/events/${event.id}/export.zip`))
      return NOTE.test(strFromU8(files['equipe-ete/fiche.md'] ?? new Uint8Array()))
    }, 'the note in the exported sheet')
    expect(Object.keys(files).filter((name) => !name.endsWith('/')).sort()).toEqual(
      ['equipe-ete/fiche.json', 'equipe-ete/fiche.md', 'equipe-ete/fiche.pdf', 'event.pdf', 'fiche.schema.json', 'notes.csv'].sort(),
    )
    // The PDF is laid out with pdfkit's Helvetica metrics, read from its files at run time.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-built-'))
    fs.writeFileSync(path.join(dir, 'fiche.pdf'), files['equipe-ete/fiche.pdf'] as Uint8Array)
    expect(execFileSync('pdftotext', [path.join(dir, 'fiche.pdf'), '-'], { encoding: 'utf8' })).toMatch(NOTE)
    fs.rmSync(dir, { recursive: true, force: true })

    // Both addons loaded: no warning that idle boards' memory is only partly given back.
    await waitFor(() => proc.stderr().includes('gave back the memory used to start'), 'the start-up memory given back')
    expect(proc.stderr()).not.toMatch(/only partly given back|"level":"error"/)
  })
})
