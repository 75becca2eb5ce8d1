/**
 * Checks and table rows of the export (issue 7) and relay (issue 8) scenarios; report.ts lays them
 * out like the other first scenarios (two columns, ratio, target, status).
 */
import type { CanvasRun } from './canvasRuns.ts'
import type { ExportResult } from './exportScenario.ts'
import type { RelayMeasure, RelayRun } from './relayRuns.ts'
import { type Check, check, fmtBytes, fmtInt, fmtMs, fmtPct, fmtSeconds, MIN_DELIVERED_PERCENT } from './report.ts'
import type { Run } from './scenarios.ts'
import type { ServerKind } from './servers.ts'
import type { ExportScenario, RelayScenario } from './settings.ts'
import type { LatencySummary } from './stats.ts'

type Row = [metric: string, fabrique: string, reference: string, ratio: string, target: string, status: string]
type Runs = Record<ServerKind, Run>

const asExport = (run: Run) => (run.kind === 'export' ? (run as ExportResult & CanvasRun) : undefined)
const asRelay = (run: Run) => (run.kind === 'relay' ? (run as RelayRun) : undefined)

function ratio(reference: number | undefined, fabrique: number | undefined): string {
  if (reference === undefined || fabrique === undefined || Number.isNaN(reference) || Number.isNaN(fabrique) || fabrique <= 0) return '–'
  return `${(reference / fabrique).toFixed(2)}×`
}

function statusOf(checks: Check[], label: string, kind: ServerKind = 'fabrique'): [string, string] {
  const found = checks.find((c) => c.label === label)
  if (!found) return ['', '']
  return [found.target, found.status[kind] === 'PASS' ? 'PASS' : '**MISSED**']
}

function machineRows(f: { machine: CanvasRun['machine'] } | undefined, r: { machine: CanvasRun['machine'] } | undefined, note = ''): Row[] {
  return [
    [`Other processes on the machine (not the benchmark${note})`, fmtPct(f?.machine.otherPercent), fmtPct(r?.machine.otherPercent), '', '', ''],
    ['Hypervisor steal', fmtPct(f?.machine.stealPercent), fmtPct(r?.machine.stealPercent), '', '', ''],
  ]
}

// ---- export ----------------------------------------------------------------------------------

const LABELS = {
  text: 'Server Markdown/JSON bundle (GET export.zip?formats=json,md), median',
  browser: 'Full bundle with pictures in Chromium, click → download',
  bar: 'Progress bar missing at a read during the bundle',
}

export function exportChecks(scenario: ExportScenario, runs: Runs): Check[] {
  const value = (get: (run: ExportResult) => number) => {
    const of = (run: Run) => {
      const typed = asExport(run)
      return typed ? get(typed) : undefined
    }
    return { fabrique: of(runs.fabrique), reference: of(runs.reference) }
  }
  const { serverMs, browserMs } = scenario.targets
  return [
    check(LABELS.text, `≤ ${serverMs} ms`, value((r) => r.http.textBundleMs.median), (v) => v <= serverMs, { targetValue: serverMs }),
    check(LABELS.browser, `≤ ${browserMs} ms`, value((r) => r.browser.totalMs), (v) => v <= browserMs, { targetValue: browserMs }),
    check(LABELS.bar, '= 0 reads', value((r) => r.browser.readsWithoutBar), (v) => v === 0, { unit: 'count' }),
  ]
}

function progressTrace(run: ExportResult): string {
  // One value per second at most: the table stays readable, the JSON has every read.
  const marks: string[] = []
  let nextSecond = 0
  for (const sample of run.browser.samples) {
    if (sample.t < nextSecond * 1000) continue
    marks.push(`${(sample.t / 1000).toFixed(0)} s: ${sample.value ?? '–'}`)
    nextSecond = Math.floor(sample.t / 1000) + 5
  }
  return marks.join(', ')
}

export function exportRows(scenario: ExportScenario, runs: Runs, checks: Check[]): Row[] {
  const f = asExport(runs.fabrique)
  const r = asExport(runs.reference)
  const ms = (get: (run: ExportResult) => number): [string, string, string] => [fmtMs(f && get(f)), fmtMs(r && get(r)), ratio(r && get(r), f && get(f))]
  const sec = (get: (run: ExportResult) => number): [string, string, string] => [fmtSeconds(f && get(f) / 1000), fmtSeconds(r && get(r) / 1000), ratio(r && get(r), f && get(f))]
  const text = (get: (run: ExportResult) => string): [string, string] => [f ? get(f) : '–', r ? get(r) : '–']
  return [
    ['Team boards', ...text((run) => fmtInt(run.teams)), '', '', ''],
    ['Shapes per board (templates + notes) / notes', ...text((run) => `${fmtInt(run.shapesPerBoard)} / ${fmtInt(run.notesPerBoard)}`), '', '', ''],
    ['Board document (Yjs update, median)', ...text((run) => fmtBytes(run.docBytesPerBoard)), '', '', ''],
    ['Seeding (API + y-websocket, until the server holds every board)', ...sec((run) => run.seedMs), '', ''],
    [`**${LABELS.text}** of ${scenario.serverRepeats}`, ...ms((run) => run.http.textBundleMs.median), ...statusOf(checks, LABELS.text)],
    ['… min / max', ...text((run) => `${fmtMs(run.http.textBundleMs.min)} / ${fmtMs(run.http.textBundleMs.max)}`), '', '', ''],
    ['… bytes (ZIP)', ...text((run) => fmtBytes(run.http.textBytes)), '', '', ''],
    ['The same texts over GET /sheets + every team’s sheet.md (6 requests at a time), median', ...ms((run) => run.http.perTeamTextMs.median), '', ''],
    ['GET /sheets alone (every team’s JSON), median', ...ms((run) => run.http.sheetsJsonMs.median), '', ''],
    [`Every team’s sheet.md alone (6 requests at a time), median`, ...ms((run) => run.http.markdownAllMs.median), '', ''],
    ['GET notes.csv, median', ...ms((run) => run.http.notesCsvMs.median), '', ''],
    ['GET export.zip (adds a PDF per team and event.pdf), median', ...ms((run) => run.http.zipMs.median), '', ''],
    ['… ZIP size', ...text((run) => fmtBytes(run.http.zipBytes)), '', '', ''],
    ['Export page ready (goto → team list shown)', ...ms((run) => run.browser.pageReadyMs), '', ''],
    [`**${LABELS.browser}**`, ...sec((run) => run.browser.totalMs), ...statusOf(checks, LABELS.browser)],
    ['Per team (progress text “Équipe n” → the next step’s text): median / min / max', ...text((run) => `${fmtMs(run.browser.perTeamMs.median)} / ${fmtMs(run.browser.perTeamMs.min)} / ${fmtMs(run.browser.perTeamMs.max)}`), '', '', ''],
    ['Longest interval without progress (bar value unchanged)', ...sec((run) => run.browser.longestStallMs), '', ''],
    [`Progress reads (every ${scenario.progressPollMs} ms) / without a bar`, ...text((run) => `${run.browser.samples.length} / ${run.browser.readsWithoutBar}`), '', ...statusOf(checks, LABELS.bar)],
    ['Slowest answer to a read (page main thread busy)', ...ms((run) => run.browser.longestReadMs), '', ''],
    ['Progress seen (s since the click: aria-valuenow, every ~5 s)', ...text(progressTrace), '', '', ''],
    ['Server CPU during the bundle (its PDFs, sync reads)', ...sec((run) => run.browser.serverCpuSeconds * 1000), '', ''],
    ['Bundle downloaded: size / team folders / pictures', ...text((run) => `${fmtBytes(run.browser.bytes)} / ${run.browser.teamFolders} / ${run.browser.pictures}`), '', '', ''],
    ['Page errors (console + uncaught)', ...text((run) => String(run.browser.pageErrors.length)), '', '', ''],
    ...machineRows(f, r, ', Chromium excluded'),
  ]
}

export function exportNotes(scenario: ExportScenario): string[] {
  return [
    '',
    `> A Fabrique server in its own process serves the built client. The event is made through the API; each of its ${scenario.teams} team boards gets the project-sheet template and three others (alternately lean canvas, problem tree, persona / journey map, empathy map, problem statement) placed as a push places them, notes written in their sections by a tldraw store bound to the document until ${scenario.shapesPerBoard} shapes, and ${5} notes outside every template; boards reach the server over y-websocket with a facilitator's token. Server: "the Markdown/JSON bundle" is GET /api/events/:id/export.zip?formats=json,md (every team's fiche.json and fiche.md, notes.csv, the JSON schema; each board read once), as a script would fetch it; for comparison, the same texts over GET /api/events/:id/sheets (every team's JSON) together with every team's sheet.md, 6 requests in flight; the full ZIP also renders a PDF per team and the event's PDF. Browser: /e/:id/export in Chromium (fresh context), from the click on "Préparer l’archive complète" to the download event; aria-valuenow read from Node every ${scenario.progressPollMs} ms (a read waits for the page's main thread). The second column is the same on ${scenario.comparisonTeams} boards.`,
  ]
}

// ---- relay -----------------------------------------------------------------------------------

const RELAY = {
  cursors: 'p99 added by the relay (relayed − local receipts, same run), cursors',
  updates: 'p99 added by the relay (relayed − local receipts, same run), updates',
  cursorsDelivered: 'Cursors received or superseded',
  updatesDelivered: 'Updates delivered',
}

export function relayChecks(scenario: RelayScenario, runs: Runs): Check[] {
  const one = asRelay(runs.fabrique)
  const two = asRelay(runs.reference)
  const { addedP99Ms } = scenario.targets
  const both = (get: (run: RelayRun) => number | undefined) => ({ fabrique: one && get(one), reference: two && get(two) })
  return [
    check(RELAY.cursors, `≤ ${addedP99Ms} ms`, { fabrique: two && hopAdded(two, 'cursors') }, (v) => v <= addedP99Ms, { fabriqueOnly: true, unit: 'ms' }),
    check(RELAY.updates, `≤ ${addedP99Ms} ms`, { fabrique: two && hopAdded(two, 'updates') }, (v) => v <= addedP99Ms, { fabriqueOnly: true, unit: 'ms' }),
    check(RELAY.cursorsDelivered, `≥ ${MIN_DELIVERED_PERCENT} %`, both((run) => run.load.cursors.receivedOrSupersededPercent), (v) => v >= MIN_DELIVERED_PERCENT),
    check(RELAY.updatesDelivered, `≥ ${MIN_DELIVERED_PERCENT} %`, both((run) => run.load.updates?.deliveredPercent), (v) => v >= MIN_DELIVERED_PERCENT),
  ]
}

/**
 * What the relay's hop adds: p99 of the receipts that went through Redis and the other instance,
 * minus p99 of those that stayed on one instance, in the same run (same machine load, same clients).
 */
const hopAdded = (run: RelayRun, kind: 'cursors' | 'updates') => run.cross[kind].p99 - run.same[kind].p99

const latency = (summary: LatencySummary | undefined) => (summary ? `${fmtMs(summary.p50)} / ${fmtMs(summary.p99)}` : '–')

function isMeasure(value: RelayRun['sqlite']): value is RelayMeasure {
  return value !== undefined && 'load' in value
}

export function relayRows(scenario: RelayScenario, runs: Runs, checks: Check[]): Row[] {
  const f = asRelay(runs.fabrique)
  const r = asRelay(runs.reference)
  const ms = (get: (run: RelayRun) => number | undefined): [string, string, string] => [fmtMs(f && get(f)), fmtMs(r && get(r)), ratio(r && get(r), f && get(f))]
  const text = (get: (run: RelayRun) => string): [string, string] => [f ? get(f) : '–', r ? get(r) : '–']
  const added = (get: (run: RelayRun) => number | undefined) => (f && r ? (get(r) ?? Number.NaN) - (get(f) ?? Number.NaN) : undefined)
  const sqlite = f && isMeasure(f.sqlite) ? f.sqlite : undefined
  const rows: Row[] = [
    ['Instances / storage', ...text((run) => `${run.instances} / ${run.storage}${run.instances > 1 ? ' + Redis' : ''}`), '', '', ''],
    ['Clients connected', ...text((run) => `${run.load.connected}/${run.load.clients}`), '', '', ''],
  ]
  for (const key of ['p50', 'p95', 'p99', 'max'] as const) rows.push([`Cursor latency ${key}`, ...ms((run) => run.load.cursors.latencyMs[key]), '', ''])
  rows.push(['Cursor p99, two instances − one (whole deployment on this machine)', fmtMs(added((run) => run.load.cursors.latencyMs.p99)), '', '', '', ''])
  for (const key of ['p50', 'p95', 'p99', 'max'] as const) rows.push([`Update latency ${key}`, ...ms((run) => run.load.updates?.latencyMs[key]), '', ''])
  rows.push(
    ['Update p99, two instances − one (whole deployment on this machine)', fmtMs(added((run) => run.load.updates?.latencyMs.p99)), '', '', '', ''],
    ['Local receipts (sender and receiver on one instance): cursor p50 / p99', ...text((run) => latency(run.same.cursors)), '', '', ''],
    ['… update p50 / p99', ...text((run) => latency(run.same.updates)), '', '', ''],
    ['Relayed receipts (sender and receiver on different instances): cursor p50 / p99', ...text((run) => latency(run.cross.cursors)), '', '', ''],
    ['… update p50 / p99', ...text((run) => latency(run.cross.updates)), '', '', ''],
    ['**Cursor p99 added by the relay** (relayed − local, same run)', '', fmtMs(r && hopAdded(r, 'cursors')), '', ...statusOf(checks, RELAY.cursors)],
    ['**Update p99 added by the relay** (relayed − local, same run)', '', fmtMs(r && hopAdded(r, 'updates')), '', ...statusOf(checks, RELAY.updates)],
    ['Cursors received or superseded', ...text((run) => fmtPct(run.load.cursors.receivedOrSupersededPercent, 2)), '', ...statusOf(checks, RELAY.cursorsDelivered)],
    ['Updates delivered', ...text((run) => fmtPct(run.load.updates?.deliveredPercent, 2)), '', ...statusOf(checks, RELAY.updatesDelivered)],
    ['Server CPU avg, all instances (% of one core)', ...text((run) => fmtPct(run.load.serverUsage.cpuPercent)), ratio(r?.load.serverUsage.cpuPercent, f?.load.serverUsage.cpuPercent), '', ''],
    ['… per instance', ...text((run) => run.instanceUsage.map((usage) => fmtPct(usage.cpuPercent)).join(' + ')), '', '', ''],
    ['Server event-loop delay p99 / max (worst instance)', ...text((run) => `${fmtMs(run.load.serverLoopDelay.p99)} / ${fmtMs(run.load.serverLoopDelay.max)}`), '', '', ''],
    [`Load generators CPU (sum of ${scenario.load.generators})`, ...text((run) => fmtPct(run.load.generatorCpuPercent)), '', '', ''],
    ['Generator event-loop delay p99 / max (worst)', ...text((run) => `${fmtMs(run.load.generatorLoopDelay.p99)} / ${fmtMs(run.load.generatorLoopDelay.max)}`), '', '', ''],
    ['Generator sends skipped', ...text((run) => fmtInt(run.load.skippedSends)), '', '', ''],
    ['Sockets lost / server log lines', ...text((run) => `${run.load.disconnects} / ${run.load.serverLog.lines}`), '', '', ''],
    [
      'For comparison: one instance on SQLite, cursor / update p50 / p99',
      sqlite ? `${latency(sqlite.load.cursors.latencyMs)}; ${latency(sqlite.load.updates?.latencyMs)} (CPU ${fmtPct(sqlite.load.serverUsage.cpuPercent)})` : f?.sqlite && 'error' in f.sqlite ? `failed: ${f.sqlite.error.split('\n')[0]}` : '–',
      '',
      '',
      '',
      '',
    ],
    ...machineRows(f, r, '; PostgreSQL and Redis count here'),
  )
  return rows
}

export function relayNotes(scenario: RelayScenario): string[] {
  const { rooms, clientsPerRoom, updatesPerSecond, cursorsPerSecond, generators } = scenario.load
  return [
    '',
    `> event-load's load (${rooms} boards of ${clientsPerRoom}, each person ${updatesPerSecond} document updates/s (dragging a shape of their own) + ${cursorsPerSecond} cursor moves/s), as the suite's thin clients (they decode only what they time) spread over ${generators} generator processes. One instance: Fabrique's entry point on PostgreSQL (a fresh schema). Two instances: two processes on the same database and schema with REDIS_URL; within each board clients alternate between the instances, so every message reaches half of its receivers through Redis. "Local receipts" are those where sender and receiver are on the same instance, "relayed" those where they are not: the relay's added p99 is the difference of the two in the same run, under the same load of the machine. The whole deployment's difference (two instances − one) is shown too: on this machine it also counts a second server process, Redis and the generators sharing two cores. PostgreSQL and Redis are not in the server CPU rows (they are in "other processes").`,
  ]
}
