import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, type Json } from '../support/api.ts'
import { strFromU8, unzipSync } from 'fflate'
import type { BoardClient } from '../support/boardClient.ts'
import { Participant } from '../support/participant.ts'
import { startServer, syncUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

let server: Awaited<ReturnType<typeof startServer>>
const clients: BoardClient[] = []

const call = apiCaller(() => server.url)

async function download(path: string, token: string): Promise<{ status: number; type: string; disposition: string; bytes: Uint8Array }> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: new Uint8Array(await res.arrayBuffer()),
  }
}

const tokenOf = (link: string) => link.split('#token=')[1]

let world: {
  eventId: string
  organiser: string
  facilitator: string
  jury: string
  alice: string
  teams: Array<{ id: string; boardId: string; name: string }>
}

const sheetsOf = async (token: string) => (await call('GET', `/api/events/${world.eventId}/sheets`, undefined, token)).body.sheets as Json[]
const texts = (notes: Json[]) => notes.map((note) => note.text)

beforeAll(async () => {
  server = await startServer({ sync: { roomIdleMs: 200 } })
  const challenges = [
    { title: 'Mieux informer les voyageurs', description: 'Prévenir des retards.', datasets: [{ title: 'Horaires GTFS', url: 'https://transport.data.gouv.fr/' }] },
    { title: 'Accès aux soins', description: '' },
  ]
  const { event, links } = (await call('POST', '/api/events', { title: 'Hackathon « Services publics »', date: '2026-11-26', challenges })).body
  const join = async (pseudonym: string) => (await call('POST', '/api/join', { code: event.joinCode, pseudonym })).body.token as string
  const [alice, bob, chloe, dave] = await Promise.all(['Alice', 'Bob', 'Chloé', 'Dave'].map(join))
  const create = async (token: string, name: string, challengeId: string | null) =>
    (await call('POST', `/api/events/${event.id}/teams`, { name, challengeId }, token)).body.team as { id: string; boardId: string; name: string }
  const teams = [
    await create(alice, 'Mobilités', event.challenges[0].id),
    await create(bob, 'Santé', event.challenges[1].id),
    await create(chloe, 'Éducation « pour tous »', null),
  ]
  expect((await call('POST', `/api/events/${event.id}/teams/${teams[0].id}/join`, undefined, dave)).status).toBe(200)
  world = { eventId: event.id, organiser: tokenOf(links.organiser), facilitator: tokenOf(links.facilitator), jury: tokenOf(links.jury), alice, teams }

  // Mobilités has a project sheet and a lean canvas, Santé only a lean canvas, Éducation nothing.
  const push = (pushId: string, templateId: string, boardIds: string[]) =>
    call('POST', `/api/events/${event.id}/pushes`, { pushId, templateId, locale: 'fr', boardIds }, world.facilitator)
  expect((await push('push-sheet-1', 'project-sheet', [teams[0].boardId])).status).toBe(200)
  expect((await push('push-canvas-1', 'lean-canvas', [teams[0].boardId, teams[1].boardId])).status).toBe(200)

  const open = async (boardId: string, token: string, userId: string, name: string) => {
    const participant = await Participant.open(syncUrl(server), boardId, token, userId, name)
    clients.push(participant.client)
    return participant
  }
  const a = await open(teams[0].boardId, alice, 'alice', 'Alice')
  const b = await open(teams[1].boardId, bob, 'bob', 'Bob')
  const c = await open(teams[2].boardId, chloe, 'chloe', 'Chloé')
  a.note('mob-title', 'Bus à l’heure', { templateId: 'project-sheet', sectionKey: 'title' })
  a.note('mob-problem', 'Les voyageurs disent « on ne sait jamais » : horaires périmés', { templateId: 'project-sheet', sectionKey: 'problem' })
  a.note('mob-canvas-problem', 'Problème du canvas', { templateId: 'lean-canvas', sectionKey: 'problem' })
  a.note('mob-solution', 'Alerte SMS', { templateId: 'lean-canvas', sectionKey: 'solution' })
  b.note('sante-problem', 'Rendez-vous manqués', { templateId: 'lean-canvas', sectionKey: 'problem' })
  c.note('edu-loose', 'Une idée, "en vrac"', { x: -2000, y: -2000 })

  // Votes show once the vote is closed.
  const vote = (await call('POST', `/api/events/${event.id}/votes`, { votesPerPerson: 3, maxPerNote: 3 }, world.facilitator)).body.vote
  for (let i = 0; i < 2; i++) {
    const ballot = { boardId: teams[0].boardId, shapeId: 'shape:mob-problem', delta: 1 }
    expect((await call('POST', `/api/events/${event.id}/votes/${vote.id}/ballots`, ballot, alice)).status).toBe(200)
  }
  expect((await call('POST', `/api/events/${event.id}/votes/${vote.id}/close`, undefined, world.facilitator)).status).toBe(200)

  const noteCount = (sheet: Json) =>
    sheet.otherNotes.length + sheet.templates.reduce((sum: number, t: Json) => sum + t.sections.reduce((n: number, s: Json) => n + s.notes.length, 0), 0)
  await waitFor(async () => (await sheetsOf(world.organiser)).map(noteCount).join() === '4,1,1', 'the six notes stored, as the export reads them')
})
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
})

describe('exporting project sheets', () => {
  it('gives every team’s sheet as JSON, each field from the right section', async () => {
    const sheets = await sheetsOf(world.jury)
    expect(sheets.map((sheet) => sheet.team.name)).toEqual(['Mobilités', 'Santé', 'Éducation « pour tous »'])
    const [mobility, health, education] = sheets

    expect(mobility.title).toBe('Bus à l’heure')
    expect(mobility.team.members.sort()).toEqual(['Alice', 'Dave'])
    expect(mobility.challenge).toEqual({
      title: 'Mieux informer les voyageurs',
      description: 'Prévenir des retards.',
      datasets: [{ title: 'Horaires GTFS', url: 'https://transport.data.gouv.fr/' }],
    })
    // The project sheet wins for the problem; the lean canvas fills the solution.
    expect(mobility.fields.problem.notes).toEqual([
      { shapeId: 'shape:mob-problem', text: 'Les voyageurs disent « on ne sait jamais » : horaires périmés', author: 'Alice', votes: 2 },
    ])
    expect(mobility.fields.problem.source).toEqual({ templateId: 'project-sheet', sectionKey: 'problem' })
    expect(texts(mobility.fields.solution.notes)).toEqual(['Alerte SMS'])
    expect(mobility.fields.data.notes).toEqual([])

    expect(health.title).toBe('Santé')
    expect(texts(health.fields.problem.notes)).toEqual(['Rendez-vous manqués'])
    expect(health.fields.problem.source).toEqual({ templateId: 'lean-canvas', sectionKey: 'problem' })

    expect(education.challenge).toBeNull()
    expect(education.templates).toEqual([])
    expect(texts(education.otherNotes)).toEqual(['Une idée, "en vrac"'])
    expect(education.juryScores).toBeNull()
  })

  it('bundles the event as a ZIP with a folder per team and the event files at the root', async () => {
    const zip = await download(`/api/events/${world.eventId}/export.zip`, world.organiser)
    expect(zip.status).toBe(200)
    expect(zip.type).toBe('application/zip')
    expect(zip.disposition).toBe('attachment; filename="hackathon-services-publics-export.zip"')

    const files = unzipSync(zip.bytes)
    const names = Object.keys(files).filter((name) => !name.endsWith('/'))
    const perTeam = ['mobilites', 'sante', 'education-pour-tous'].flatMap((folder) => ['fiche.json', 'fiche.md', 'fiche.pdf'].map((name) => `${folder}/${name}`))
    expect(names.sort()).toEqual([...perTeam, 'event.pdf', 'fiche.schema.json', 'notes.csv'].sort())

    const mobility = JSON.parse(strFromU8(files['mobilites/fiche.json']))
    expect(texts(mobility.fields.problem.notes)).toEqual(['Les voyageurs disent « on ne sait jamais » : horaires périmés'])
    expect(strFromU8(files['sante/fiche.md'])).toContain('- Rendez-vous manqués')
    expect(strFromU8(files['education-pour-tous/fiche.pdf'].subarray(0, 5))).toBe('%PDF-')
    expect(strFromU8(files['event.pdf'].subarray(0, 5))).toBe('%PDF-')
    const csv = strFromU8(files['notes.csv'])
    // A UTF-8 byte order mark for Excel (TextDecoder drops it from the string).
    expect([...files['notes.csv'].subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(csv.startsWith('board,team,section,author,text,votes\r\n')).toBe(true)
    expect(csv).toContain(`${world.teams[2].boardId},Éducation « pour tous »,,Chloé,"Une idée, ""en vrac""",0\r\n`)
  })

  it('bundles the text alone with formats=json,md: every sheet’s JSON and Markdown, the notes, no PDF', async () => {
    const zip = await download(`/api/events/${world.eventId}/export.zip?formats=json,md`, world.facilitator)
    expect([zip.status, zip.type, zip.disposition]).toEqual([200, 'application/zip', 'attachment; filename="hackathon-services-publics-export.zip"'])
    const files = unzipSync(zip.bytes)
    const names = Object.keys(files).filter((name) => !name.endsWith('/'))
    const perTeam = ['mobilites', 'sante', 'education-pour-tous'].flatMap((folder) => ['fiche.json', 'fiche.md'].map((name) => `${folder}/${name}`))
    expect(names.sort()).toEqual([...perTeam, 'fiche.schema.json', 'notes.csv'].sort())
    expect(texts(JSON.parse(strFromU8(files['mobilites/fiche.json'])).fields.solution.notes)).toEqual(['Alerte SMS'])
    expect(strFromU8(files['sante/fiche.md'])).toContain('- Rendez-vous manqués')
    expect(strFromU8(files['notes.csv'])).toContain('Une idée, ""en vrac""')

    const english = unzipSync((await download(`/api/events/${world.eventId}/export.zip?lang=en&formats=md`, world.jury)).bytes)
    expect(Object.keys(english).filter((name) => !name.endsWith('/')).sort()).toEqual(['education-pour-tous/fiche.md', 'mobilites/fiche.md', 'notes.csv', 'sante/fiche.md'])
    expect(strFromU8(english['sante/fiche.md'])).toContain('## Problem')
  })

  it('refuses an unknown format of the bundle, and says which in both languages', async () => {
    const base = `/api/events/${world.eventId}/export.zip`
    const unknown = await call('GET', `${base}?formats=json,docx`, undefined, world.organiser)
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.code).toBe('unknown_format')
    expect(unknown.body.error.message.fr).toContain('Format inconnu : « docx »')
    expect(unknown.body.error.message.en).toContain('Unknown format: “docx”')
    for (const formats of ['', 'json,,md']) {
      const empty = await call('GET', `${base}?formats=${formats}`, undefined, world.organiser)
      expect(empty.status).toBe(400)
      expect(empty.body.error.code).toBe('unknown_format')
    }
    const openapi = (await call('GET', '/api/openapi.json')).body
    const parameters = openapi.paths['/events/{eventId}/export.zip'].get.parameters as Json[]
    expect(parameters.find((parameter) => parameter.name === 'formats')).toMatchObject({ in: 'query', required: false })
  })

  it('serves one team’s sheet as JSON, Markdown and PDF, and the event as CSV and PDF', async () => {
    const team = world.teams[0]
    const base = `/api/events/${world.eventId}`
    const json = await download(`${base}/teams/${team.id}/sheet.json`, world.facilitator)
    expect([json.status, json.type, json.disposition]).toEqual([200, 'application/json; charset=utf-8', 'attachment; filename="fiche-mobilites.json"'])
    expect(JSON.parse(strFromU8(json.bytes)).schemaVersion).toBe(1)

    const md = await download(`${base}/teams/${team.id}/sheet.md?lang=en`, world.jury)
    expect([md.status, md.type, md.disposition]).toEqual([200, 'text/markdown; charset=utf-8', 'attachment; filename="fiche-mobilites.md"'])
    expect(strFromU8(md.bytes)).toContain('## Problem\n\n- Les voyageurs disent')

    const pdf = await download(`${base}/teams/${team.id}/sheet.pdf`, world.organiser)
    expect([pdf.status, pdf.type, pdf.disposition]).toEqual([200, 'application/pdf', 'attachment; filename="fiche-mobilites.pdf"'])
    expect(strFromU8(pdf.bytes.subarray(0, 5))).toBe('%PDF-')

    const csv = await download(`${base}/notes.csv?lang=en`, world.jury)
    expect([csv.status, csv.type, csv.disposition]).toEqual([200, 'text/csv; charset=utf-8', 'attachment; filename="hackathon-services-publics-notes.csv"'])
    expect(strFromU8(csv.bytes)).toContain('Project sheet › Problem,Alice')

    const all = await download(`${base}/sheets.pdf`, world.jury)
    expect([all.status, all.type, all.disposition]).toEqual([200, 'application/pdf', 'attachment; filename="hackathon-services-publics-fiches.pdf"'])
  })

  it('refuses participants and strangers, and says what is wrong', async () => {
    const base = `/api/events/${world.eventId}`
    for (const path of [`${base}/sheets`, `${base}/export.zip`, `${base}/notes.csv`, `${base}/teams/${world.teams[0].id}/sheet.pdf`]) {
      const asParticipant = await call('GET', path, undefined, world.alice)
      expect(asParticipant.status).toBe(403)
      expect(asParticipant.body.error.code).toBe('forbidden')
    }
    expect((await call('GET', `${base}/sheets`)).status).toBe(401)
    const unknownTeam = await call('GET', `${base}/teams/no-such-team/sheet.json`, undefined, world.organiser)
    expect(unknownTeam.status).toBe(404)
    expect(unknownTeam.body.error.code).toBe('unknown_team')
    expect((await call('GET', `${base}/teams/${world.teams[0].id}/sheet.docx`, undefined, world.organiser)).status).toBe(400)
    expect((await call('GET', `${base}/sheets.pdf?lang=de`, undefined, world.organiser)).status).toBe(400)
  })
})
