/**
 * export (issue 7), run in a canvas worker process: a Fabrique server in a process of its own
 * serving the built client, an event of team boards seeded as a day leaves them (exportSeed.ts),
 * then (a) the server's text exports timed over HTTP, as a script fetches them: the text bundle
 * (export.zip?formats=json,md, one request), the same texts over a request per team as before it,
 * and the full ZIP (which adds a PDF per team and the event's PDF); (b) the organiser's export page in Chromium
 * building the full bundle with pictures, from the click to the download, with its progress bar
 * read every `progressPollMs` and every change of it noted in the page.
 */
import fs from 'node:fs'
import { unzipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { clientDist, launchBrowser, requireBuiltClient } from '../support/browser.ts'
import type { Spread } from './bindingScenarios.ts'
import { createEvent } from './fabriqueApi.ts'
import { buildBoard, sendBoard } from './exportSeed.ts'
import { UsageSampler } from './procstat.ts'
import { type RunningServer, startServer } from './servers.ts'
import type { ExportScenario } from './settings.ts'
import { median } from './stats.ts'

/** Boards sent to the server at once while seeding. */
const SEED_CONCURRENCY = 5
/** Requests a script (or a browser, per host) keeps in flight. */
const FETCH_CONCURRENCY = 6
const BUNDLE_TIMEOUT_MS = 15 * 60_000

export interface ProgressSample {
  /** ms since the click. */
  t: number
  /** aria-valuenow; null when no progress bar was shown. */
  value: number | null
  /** How long the page took to answer the read (a busy main thread answers late). */
  readMs: number
}

export interface ExportResult {
  kind: 'export'
  teams: number
  shapesPerBoard: number
  notesPerBoard: number
  docBytesPerBoard: number
  seedMs: number
  /** The server's exports over HTTP. */
  http: {
    /** GET export.zip?formats=json,md: every team's fiche.json and fiche.md and notes.csv, in one request. */
    textBundleMs: Spread
    /** The same texts the way a script fetched them before: GET /sheets and every team's sheet.md, FETCH_CONCURRENCY at a time. */
    perTeamTextMs: Spread
    sheetsJsonMs: Spread
    markdownAllMs: Spread
    notesCsvMs: Spread
    /** GET export.zip: JSON, Markdown and PDF per team, notes.csv, event.pdf. */
    zipMs: Spread
    zipBytes: number
    /** Of the text bundle (a ZIP). */
    textBytes: number
  }
  browser: {
    /** Click on "Préparer l'archive complète" → the browser's download event. */
    totalMs: number
    /** Page load → export panel ready (untimed by the target). */
    pageReadyMs: number
    samples: ProgressSample[]
    /** Longest time the bar's value stayed the same (click → first change and last change → download included). */
    longestStallMs: number
    /** Reads that found no progress bar between the click and the download. */
    readsWithoutBar: number
    /** The page's own record of each value change (page clock, ms since the click). */
    changes: Array<{ t: number; value: number; text: string }>
    /** Time per team, from the progress text changing to "Équipe n sur N" to the next step's text. */
    perTeamMs: Spread
    /** Downloaded ZIP. */
    bytes: number
    pictures: number
    teamFolders: number
    serverCpuSeconds: number
    longestReadMs: number
    pageErrors: string[]
  }
}

const spread = (values: number[]): Spread => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) })

async function timed(repeats: number, work: () => Promise<number>): Promise<{ ms: Spread; bytes: number }> {
  const samples: number[] = []
  let bytes = 0
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    bytes = await work()
    samples.push(performance.now() - started)
  }
  return { ms: spread(samples), bytes }
}

async function fetchBytes(url: string, token: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`)
  return (await response.arrayBuffer()).byteLength
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i] as T, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}

interface Seeded {
  eventId: string
  token: string
  teamIds: string[]
  notes: number
  shapes: number
  docBytes: number
}

async function seedEvent(server: RunningServer, teams: number, shapes: number): Promise<Seeded> {
  const event = await createEvent(server.httpUrl, teams)
  const syncUrl = `${server.httpUrl.replace(/^http/, 'ws')}/sync`
  const built = await pool(event.teamBoards, SEED_CONCURRENCY, async (boardId, i) => {
    const board = buildBoard(i, shapes)
    await sendBoard(syncUrl, boardId, event.facilitatorToken, board.update)
    return board
  })
  const response = await fetch(`${server.httpUrl}/api/events/${event.eventId}`, { headers: { authorization: `Bearer ${event.facilitatorToken}` } })
  const body = (await response.json()) as { teams: Array<{ id: string; boardId: string }> }
  const teamIds = event.teamBoards.map((boardId) => body.teams.find((team) => team.boardId === boardId)?.id ?? '')
  return {
    eventId: event.eventId,
    token: event.facilitatorToken,
    teamIds,
    notes: built[0]?.notes ?? 0,
    shapes: built[0]?.shapes ?? 0,
    docBytes: median(built.map((board) => board.update.byteLength)),
  }
}

async function serverExports(server: RunningServer, seeded: Seeded, repeats: number): Promise<ExportResult['http']> {
  const api = `${server.httpUrl}/api/events/${seeded.eventId}`
  const sheets = () => fetchBytes(`${api}/sheets`, seeded.token)
  const markdowns = async () => (await pool(seeded.teamIds, FETCH_CONCURRENCY, (teamId) => fetchBytes(`${api}/teams/${teamId}/sheet.md`, seeded.token))).reduce((a, b) => a + b, 0)
  // Untimed: the first request loads and compiles what the later ones reuse.
  await sheets()
  const sheetsJson = await timed(repeats, sheets)
  const markdownAll = await timed(repeats, markdowns)
  const perTeamText = await timed(repeats, async () => {
    const [json, md] = await Promise.all([sheets(), markdowns()])
    return json + md
  })
  const textBundle = await timed(repeats, () => fetchBytes(`${api}/export.zip?formats=json,md`, seeded.token))
  const notesCsv = await timed(repeats, () => fetchBytes(`${api}/notes.csv`, seeded.token))
  const zip = await timed(Math.min(repeats, 2), () => fetchBytes(`${api}/export.zip`, seeded.token))
  return {
    textBundleMs: textBundle.ms,
    perTeamTextMs: perTeamText.ms,
    sheetsJsonMs: sheetsJson.ms,
    markdownAllMs: markdownAll.ms,
    notesCsvMs: notesCsv.ms,
    zipMs: zip.ms,
    zipBytes: zip.bytes,
    textBytes: textBundle.bytes,
  }
}

type ProgressWindow = { __benchExport?: { start: number; changes: Array<{ t: number; value: number; text: string }> } }

/** Notes every change of the bar in the page, stamped with the page's clock (from the click). */
async function recordChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = { start: performance.now(), changes: [] as Array<{ t: number; value: number; text: string }> }
    ;(window as unknown as ProgressWindow).__benchExport = record
    // Anonymous arrows only: tsx names the others with a helper that does not exist in the page.
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"]')
      if (!bar) return
      const value = Number(bar.getAttribute('aria-valuenow'))
      const text = (bar.getAttribute('aria-valuetext') ?? '').replace(/\s+/g, ' ')
      const last = record.changes.at(-1)
      if (!last || last.value !== value || last.text !== text) record.changes.push({ t: performance.now() - record.start, value, text })
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuetext'] })
  })
}

function longestStall(samples: ProgressSample[], totalMs: number): number {
  let longest = 0
  let since = 0
  let last: number | null | undefined
  for (const sample of samples) {
    if (sample.value !== null && sample.value !== last) {
      longest = Math.max(longest, sample.t - since)
      since = sample.t
      last = sample.value
    }
  }
  return Math.max(longest, totalMs - since)
}

async function browserBundle(browser: Browser, server: RunningServer, seeded: Seeded, scenario: ExportScenario): Promise<ExportResult['browser']> {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true })
  try {
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    const opened = performance.now()
    await page.goto(`${server.httpUrl}/e/${seeded.eventId}/export?e2e=1#token=${seeded.token}`)
    const region = page.getByRole('region', { name: 'Exporter les fiches projet', exact: true })
    await region.getByTestId('export-team').first().waitFor({ timeout: 60_000 })
    const pageReadyMs = performance.now() - opened
    await recordChanges(page)

    const serverCpu = new UsageSampler(server.pid)
    const downloaded = page.waitForEvent('download', { timeout: BUNDLE_TIMEOUT_MS })
    serverCpu.start()
    const clicked = performance.now()
    await region.getByRole('button', { name: 'Préparer l’archive complète', exact: true }).click()
    let done = false
    let totalMs = Number.NaN
    const finished = downloaded.then((download) => {
      totalMs = performance.now() - clicked
      done = true
      return download
    })
    finished.catch(() => {
      done = true
    })
    const samples: ProgressSample[] = []
    for (let tick = 1; !done; tick++) {
      const asked = performance.now()
      const value = await page
        .evaluate(() => {
          const bar = document.querySelector('[role="progressbar"]')
          return bar ? Number(bar.getAttribute('aria-valuenow')) : null
        })
        .catch(() => null)
      samples.push({ t: asked - clicked, value, readMs: performance.now() - asked })
      const wait = clicked + tick * scenario.progressPollMs - performance.now()
      if (wait > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), finished.catch(() => {})])
    }
    const download = await finished
    const { cpuSeconds } = serverCpu.stop()
    const changes = (await page.evaluate(() => (window as unknown as ProgressWindow).__benchExport?.changes)) ?? []
    const file = await download.path()
    const bytes = new Uint8Array(fs.readFileSync(file))
    const files = Object.keys(unzipSync(bytes, { filter: (entry) => !entry.name.endsWith('.pdf') || entry.name === 'event.pdf' }))
    // A team's bar moves while its board is drawn: a team runs from its first "Équipe n" to the first change that names another step.
    const stepOf = (change: { text: string }) => /— (.*)$/.exec(change.text)?.[1] ?? change.text
    const stepStarts = changes.filter((change, i) => i === 0 || stepOf(change) !== stepOf(changes[i - 1] as (typeof changes)[number]))
    const perTeam = stepStarts.flatMap((change, i) => (/Équipe \d+ sur/.test(change.text) ? [(stepStarts[i + 1]?.t ?? totalMs) - change.t] : []))
    const during = samples.filter((sample) => sample.t > 0)
    return {
      totalMs,
      pageReadyMs,
      samples,
      longestStallMs: longestStall(samples, totalMs),
      readsWithoutBar: during.filter((sample) => sample.value === null).length,
      changes,
      perTeamMs: spread(perTeam),
      bytes: bytes.byteLength,
      pictures: files.filter((name) => name.includes('/pictures/')).length,
      teamFolders: new Set(files.filter((name) => name.endsWith('/fiche.json')).map((name) => name.split('/')[0])).size,
      serverCpuSeconds: cpuSeconds,
      longestReadMs: Math.max(...samples.map((sample) => sample.readMs)),
      pageErrors: [...new Set(pageErrors)].slice(0, 10),
    }
  } finally {
    await context.close()
  }
}

export async function runExport(scenario: ExportScenario, teams: number): Promise<ExportResult> {
  requireBuiltClient()
  const server = await startServer('fabrique', { env: { CLIENT_DIR: clientDist, LOG_LEVEL: 'warn' } })
  let browser: Browser | undefined
  try {
    const seedStart = performance.now()
    const seeded = await seedEvent(server, teams, scenario.shapesPerBoard)
    const seedMs = performance.now() - seedStart
    const sheet = (await (await fetch(`${server.httpUrl}/api/events/${seeded.eventId}/sheets`, { headers: { authorization: `Bearer ${seeded.token}` } })).json()) as { sheets: unknown[] }
    process.stderr.write(
      `    ${teams} boards of ${seeded.shapes} shapes (${seeded.notes} notes, ${(seeded.docBytes / 1024).toFixed(0)} KB each) seeded in ${(seedMs / 1000).toFixed(1)} s; ${sheet.sheets.length} sheets\n`,
    )
    const serverFigures = await serverExports(server, seeded, scenario.serverRepeats)
    process.stderr.write(`    server: text bundle ${serverFigures.textBundleMs.median.toFixed(0)} ms, ZIP ${serverFigures.zipMs.median.toFixed(0)} ms\n`)
    browser = await launchBrowser()
    const browserFigures = await browserBundle(browser, server, seeded, scenario)
    process.stderr.write(`    browser bundle: ${(browserFigures.totalMs / 1000).toFixed(1)} s, longest stall ${(browserFigures.longestStallMs / 1000).toFixed(1)} s\n`)
    return {
      kind: 'export',
      teams,
      shapesPerBoard: seeded.shapes,
      notesPerBoard: seeded.notes,
      docBytesPerBoard: seeded.docBytes,
      seedMs,
      http: serverFigures,
      browser: browserFigures,
    }
  } finally {
    await browser?.close()
    await server.stop()
  }
}

