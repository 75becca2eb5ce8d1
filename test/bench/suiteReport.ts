/**
 * The suite's tables (issue 12): Fabrique and its three peers side by side, each peer's ratio to
 * Fabrique (> 1: the peer is slower or uses more), the target and Fabrique against it; the same
 * figures and ratios as numbers for the JSON.
 */
import type { BoardLoadResult } from './browserScenarios.ts'
import type { LoopDelay } from './loopDelay.ts'
import type { MachineLoad } from './procstat.ts'
import {
  type Check,
  check,
  fmtBytes,
  fmtInt,
  fmtMs,
  fmtPct,
  fmtRatio,
  fmtSeconds,
  MIN_DELIVERED_PERCENT,
  NOISY_NEIGHBOUR_PERCENT,
} from './report.ts'
import type { DeliverySummary } from './scenarios.ts'
import { ALL_SERVERS, type AnyServer, SERVER_LABELS, SERVER_SHORT } from './servers.ts'
import type { CursorLoadRun, HerdRun, IdleRun, LiveActionRun, SuiteJoinRun, SuiteRun, SweepRun } from './suiteRuns.ts'
import type { CursorLoadScenario, HerdScenario, IdleScenario, LiveActionScenario, SuiteJoinScenario, SuiteScenario, SweepScenario } from './suiteSettings.ts'

export interface NotApplicableRun {
  kind: 'n/a'
  server: AnyServer
  reason: string
}

export interface FailedSuiteRun {
  kind: 'failed'
  server: AnyServer
  error: string
}

export type SuiteOutcome = SuiteRun | NotApplicableRun | FailedSuiteRun

/** The Chromium measure of S4 (the board-load run of the built client: Fabrique only). */
export interface ChromiumJoin {
  source: string
  result: BoardLoadResult | undefined
  error?: string
}

/** A top-down summary of a Fabrique CPU profile taken during the run (--cpu-prof). */
export interface ProfileSummary {
  file: string
  lines: string[]
}

export interface SuiteReport {
  scenario: SuiteScenario
  runs: Partial<Record<AnyServer, SuiteOutcome>>
  checks: Check[]
  /** Every figure of the table as numbers, with each peer's ratio to Fabrique. */
  figures: Figure[]
  chromium?: ChromiumJoin
  profile?: ProfileSummary
  /** Where the figures come from, when not from runs of their own. */
  source?: string
}

type Unit = 'ms' | 'percent' | 'bytes' | 'count' | 'seconds' | 'ratio' | 'text'

/** One row: a value per server (numbers, or text), how to print it, and the check it carries. */
export interface Figure {
  metric: string
  unit: Unit
  values: Partial<Record<AnyServer, number | string>>
  /** Peer ÷ Fabrique, for numeric rows. */
  ratios: Partial<Record<AnyServer, number>>
  check?: string
  /** Measured apart from the runs of the table (S4's Chromium part): printed whatever they gave. */
  separate?: boolean
}

const PEERS: AnyServer[] = ['reference', 'hocuspocus', 'relay']

function format(unit: Unit, value: number | string | undefined): string {
  if (value === undefined) return '–'
  if (typeof value === 'string') return value
  switch (unit) {
    case 'ms':
      return fmtMs(value)
    case 'percent':
      return fmtPct(value)
    case 'bytes':
      return fmtBytes(value)
    case 'seconds':
      return fmtSeconds(value)
    case 'ratio':
      return fmtRatio(value)
    default:
      return Number.isFinite(value) ? fmtInt(Math.round(value)) : '–'
  }
}

/** Builds the rows of one table from the runs that have figures (the others print n/a or –). */
class Table<R extends SuiteRun> {
  readonly figures: Figure[] = []

  constructor(private readonly runs: Partial<Record<AnyServer, R>>) {}

  row(metric: string, unit: Unit, get: (run: R) => number | string | undefined, checkLabel?: string): void {
    const values: Partial<Record<AnyServer, number | string>> = {}
    for (const kind of ALL_SERVERS) {
      const run = this.runs[kind]
      const value = run ? get(run) : undefined
      if (value !== undefined) values[kind] = value
    }
    const ratios: Partial<Record<AnyServer, number>> = {}
    const base = values.fabrique
    if (unit !== 'text' && typeof base === 'number' && Number.isFinite(base) && base > 0) {
      for (const peer of PEERS) {
        const value = values[peer]
        if (typeof value === 'number' && Number.isFinite(value)) ratios[peer] = value / base
      }
    }
    this.figures.push({ metric, unit, values, ratios, check: checkLabel })
  }

  latency(label: string, get: (run: R) => DeliverySummary | undefined, p99Check?: string, p50Check?: string): void {
    for (const key of ['p50', 'p95', 'p99', 'max'] as const) {
      const checkLabel = key === 'p99' ? p99Check : key === 'p50' ? p50Check : undefined
      this.row(`${label} latency ${key}`, 'ms', (run) => get(run)?.latencyMs[key], checkLabel)
    }
  }

  machine(get: (run: R) => MachineLoad): void {
    this.row('Other processes on the machine (not the benchmark)', 'percent', (run) => get(run).otherPercent)
    this.row('Hypervisor steal', 'percent', (run) => get(run).stealPercent)
  }
}

const loop = (delay: LoopDelay | undefined) =>
  !delay ? undefined : delay.atLeast ? `probe unanswered: blocked ≥ ${fmtMs(delay.max)}` : `${fmtMs(delay.p99)} / ${fmtMs(delay.max)}`
const delivered = (d: DeliverySummary | undefined) => (d ? `${fmtPct(d.deliveredPercent, 2)} (${fmtInt(d.received)}/${fmtInt(d.expected)})` : undefined)
const accounted = (d: DeliverySummary | undefined) => (d ? `${fmtInt(d.superseded)} → ${fmtPct(d.receivedOrSupersededPercent, 2)} accounted for` : undefined)

/** The runs of one kind, keyed by server; n/a and failed runs left out. */
function runsOf<R extends SuiteRun>(runs: Partial<Record<AnyServer, SuiteOutcome>>, kind: R['kind']): Partial<Record<AnyServer, R>> {
  const out: Partial<Record<AnyServer, R>> = {}
  for (const server of ALL_SERVERS) {
    const run = runs[server]
    if (run && run.kind === kind) out[server] = run as R
  }
  return out
}

/** A check over every server of the scenario (n/a where it does not apply, MISSED where a run failed). */
function suiteCheck(
  scenario: SuiteScenario,
  runs: Partial<Record<AnyServer, SuiteOutcome>>,
  label: string,
  target: string,
  get: (run: SuiteRun) => number | undefined,
  passes: (v: number) => boolean,
  extra: Pick<Check, 'unit' | 'targetValue' | 'fabriqueOnly'> = {},
): Check {
  const value: Partial<Record<AnyServer, number | undefined>> = {}
  for (const kind of ALL_SERVERS) {
    const run = runs[kind]
    if (!run) continue
    value[kind] = run.kind === 'n/a' || run.kind === 'failed' ? undefined : get(run)
  }
  return check(label, target, value, passes, extra, scenario.notApplicable)
}

function cursorLoad(scenario: CursorLoadScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>) {
  const t = new Table(runsOf<CursorLoadRun>(runs, 'cursor-load'))
  const { targets } = scenario
  const as = (get: (run: CursorLoadRun) => number | undefined) => (run: SuiteRun) => (run.kind === 'cursor-load' ? get(run) : undefined)
  const checks: Check[] = [check0('Cursor latency p99', `≤ ${targets.p99Ms} ms`, as((r) => r.cursors.latencyMs.p99), (v) => v <= targets.p99Ms, { unit: 'ms', targetValue: targets.p99Ms })]
  if (targets.p50Ms !== undefined) {
    const p50 = targets.p50Ms
    checks.push(check0('Cursor latency p50', `≤ ${p50} ms`, as((r) => r.cursors.latencyMs.p50), (v) => v <= p50, { unit: 'ms', targetValue: p50 }))
  }
  const minAccounted = targets.accountedPercent ?? MIN_DELIVERED_PERCENT
  checks.push(
    check0(
      targets.accountedPercent !== undefined ? 'Every cursor move delivered (received or superseded)' : 'Cursor moves received or superseded (sanity)',
      `≥ ${minAccounted} %`,
      as((r) => r.cursors.receivedOrSupersededPercent),
      (v) => v >= minAccounted - 1e-9,
      { unit: 'percent', targetValue: minAccounted },
    ),
  )
  if (scenario.draggersPerRoom > 0) {
    checks.push(
      check0('Drag latency p99', `≤ ${targets.p99Ms} ms`, as((r) => r.drags?.latencyMs.p99), (v) => v <= targets.p99Ms, { unit: 'ms', targetValue: targets.p99Ms }),
      check0('Drags delivered (sanity)', `≥ ${MIN_DELIVERED_PERCENT} %`, as((r) => r.drags?.deliveredPercent), (v) => v >= MIN_DELIVERED_PERCENT, { unit: 'percent', targetValue: MIN_DELIVERED_PERCENT }),
    )
  }
  if (targets.cpuPercent !== undefined) {
    const cpu = targets.cpuPercent
    checks.push(check0('Server CPU (avg)', `≤ ${cpu} % of one core`, as((r) => r.window.cpuPercent), (v) => v <= cpu, { unit: 'percent', targetValue: cpu }))
  }
  if (targets.rssMb !== undefined) {
    const mb = targets.rssMb
    checks.push(check0('Server max RSS', `≤ ${mb} MB`, as((r) => r.window.rssMaxBytes), (v) => v <= mb * 1024 * 1024, { unit: 'bytes', targetValue: mb * 1024 * 1024 }))
  }

  t.row('Clients connected', 'text', (r) => `${r.connected}/${r.clients}`)
  t.latency('Cursor', (r) => r.cursors, 'Cursor latency p99', targets.p50Ms !== undefined ? 'Cursor latency p50' : undefined)
  t.row('Cursor moves sent in the window', 'count', (r) => r.cursors.sent)
  t.row('Cursor moves received', 'text', (r) => delivered(r.cursors))
  t.row('Cursor moves superseded (coalesced)', 'text', (r) => accounted(r.cursors), checks[targets.p50Ms !== undefined ? 2 : 1]?.label)
  if (scenario.draggersPerRoom > 0) {
    t.latency('Drag', (r) => r.drags, 'Drag latency p99')
    t.row('Drag updates received', 'text', (r) => delivered(r.drags), 'Drags delivered (sanity)')
  }
  t.row('Server CPU avg (% of one core)', 'percent', (r) => r.window.cpuPercent, targets.cpuPercent !== undefined ? 'Server CPU (avg)' : undefined)
  t.row('Server CPU busiest second', 'percent', (r) => r.window.cpuPeakPercent)
  t.row('Server max RSS', 'bytes', (r) => r.window.rssMaxBytes, targets.rssMb !== undefined ? 'Server max RSS' : undefined)
  t.row('Server RSS once started, before any client', 'bytes', (r) => r.rssAtStartBytes)
  t.row('Server event-loop delay p99 / max', 'text', (r) => loop(r.serverLoopDelay))
  t.row('Load generators CPU (sum)', 'percent', (r) => r.window.generatorCpuPercent)
  t.row('Generator event-loop delay p99 / max (worst)', 'text', (r) => loop(r.generatorLoopDelay))
  t.row('Generator sends skipped (generator behind)', 'count', (r) => r.skippedSends)
  t.row('Sockets lost during the run', 'count', (r) => r.disconnects)
  t.row('Server log lines (warn/error)', 'count', (r) => r.serverLog.lines)
  t.machine((r) => r.machine)
  return { checks, figures: t.figures }

  function check0(label: string, target: string, get: (run: SuiteRun) => number | undefined, passes: (v: number) => boolean, extra: Pick<Check, 'unit' | 'targetValue'>) {
    return suiteCheck(scenario, runs, label, target, get, passes, extra)
  }
}

function sweep(scenario: SweepScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>) {
  const t = new Table(runsOf<SweepRun>(runs, 'sweep'))
  for (const clients of scenario.clients) {
    const point = (run: SweepRun) => run.points.find((p) => p.clients === clients)
    t.row(`${clients} clients: cursor latency p50`, 'ms', (r) => point(r)?.cursors.latencyMs.p50)
    t.row(`${clients} clients: cursor latency p99`, 'ms', (r) => point(r)?.cursors.latencyMs.p99 ?? 'not run: saturated before')
    t.row(`${clients} clients: moves received or superseded`, 'percent', (r) => point(r)?.cursors.receivedOrSupersededPercent)
    t.row(`${clients} clients: server CPU`, 'percent', (r) => point(r)?.window.cpuPercent)
    t.row(`${clients} clients: server event-loop delay p99 / max`, 'text', (r) => loop(point(r)?.serverLoopDelay))
    t.row(`${clients} clients: generator event-loop delay p99 / max, sends skipped`, 'text', (r) => {
      const p = point(r)
      return p ? `${loop(p.generatorLoopDelay)}, ${fmtInt(p.skippedSends)}` : undefined
    })
  }
  t.machine((r) => r.machine)
  return { checks: [] as Check[], figures: t.figures }
}

/** Entries of the board the joiners should receive (the same fixture for every server). */
function boardEntries(runs: Partial<Record<AnyServer, SuiteOutcome>>): number {
  const run = Object.values(runs).find((r): r is SuiteJoinRun => r?.kind === 'suite-join')
  return run?.entries ?? Number.NaN
}

function join(scenario: SuiteJoinScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>, chromium: ChromiumJoin | undefined) {
  const t = new Table(runsOf<SuiteJoinRun>(runs, 'suite-join'))
  const { targets } = scenario
  const as = (get: (run: SuiteJoinRun) => number | undefined) => (run: SuiteRun) => (run.kind === 'suite-join' ? get(run) : undefined)
  const checks = [
    suiteCheck(scenario, runs, 'Join open → synced (applied), median', `≤ ${targets.syncMs} ms`, as((r) => r.syncedMs.median), (v) => v <= targets.syncMs, { unit: 'ms', targetValue: targets.syncMs }),
    suiteCheck(scenario, runs, 'Join bytes on the wire (browser-like client offering permessage-deflate)', `≤ ${fmtBytes(targets.wireBytes)}`, as((r) => r.wireBytesMedian), (v) => v <= targets.wireBytes, {
      unit: 'bytes',
      targetValue: targets.wireBytes,
    }),
    suiteCheck(scenario, runs, 'Fewest board entries a joiner had once synced', `= ${fmtInt(boardEntries(runs))} (all)`, as((r) => r.minEntries), (v) => v === boardEntries(runs), { unit: 'count' }),
  ]
  const chromiumMs = chromium?.result?.loadMs.median
  checks.push(
    check(
      'Chromium: goto → rendered and synced, median',
      `≤ ${targets.chromiumMs} ms`,
      { fabrique: chromiumMs, reference: undefined, hocuspocus: undefined, relay: undefined },
      (v) => v <= targets.chromiumMs,
      { unit: 'ms', targetValue: targets.chromiumMs },
      { reference: 'the client speaks to Fabrique', hocuspocus: 'the client speaks to Fabrique', relay: 'the client speaks to Fabrique' },
    ),
  )
  t.row('Shapes on the board', 'count', (r) => r.shapes)
  t.row('Records array entries (one per field of each record)', 'count', (r) => r.entries)
  t.row('Board as a Yjs update', 'bytes', (r) => r.docBytes)
  t.row('Pre-fill (one holder writes the board in 1,000-shape updates) until applied', 'ms', (r) => r.prefillMs)
  t.row('WebSocket connect (new → open), median', 'ms', (r) => r.connectMsMedian)
  t.row('Open → sync answer received, median', 'ms', (r) => r.receivedMsMedian)
  t.row(`Open → synced (answer applied to the joiner's Y.Doc), median of ${scenario.repeats}`, 'ms', (r) => r.syncedMs.median, checks[0]?.label)
  t.row('Open → synced, min / max', 'text', (r) => `${fmtMs(r.syncedMs.min)} / ${fmtMs(r.syncedMs.max)}`)
  t.row('Sync answer (message, uncompressed)', 'bytes', (r) => r.messageBytes)
  t.row('Bytes on the wire for it (socket, frames included), median', 'bytes', (r) => r.wireBytesMedian, checks[1]?.label)
  t.row('The same message with permessage-deflate (raw deflate; no server here enables it)', 'bytes', (r) => r.deflatedSyncBytes)
  t.row('Fewest entries a joiner received', 'count', (r) => r.minEntries, checks[2]?.label)
  t.row('Every join (open → synced, ms)', 'text', (r) => r.samples.map((s) => s.syncedMs.toFixed(0)).join(', '))
  t.machine((r) => r.machine)
  if (chromium?.result) {
    const c = chromium.result
    t.figures.push(
      { metric: `Chromium (${chromium.source}): page.goto → rendered and synced, median of ${c.samples.length}`, unit: 'ms', values: { fabrique: c.loadMs.median }, ratios: {}, check: checks[3]?.label, separate: true },
      { metric: 'Chromium: navigation → sync step 2 received (median)', unit: 'ms', values: { fabrique: c.milestonesMedian.syncMessage }, ratios: {}, separate: true },
      { metric: 'Chromium: longest main-thread task before rendered (median)', unit: 'ms', values: { fabrique: c.milestonesMedian.longestTaskMs }, ratios: {}, separate: true },
      { metric: 'Chromium: every run (ms)', unit: 'text', values: { fabrique: c.samples.map((s) => s.loadMs.toFixed(0)).join(', ') }, ratios: {}, separate: true },
    )
  }
  return { checks, figures: t.figures }
}

function herd(scenario: HerdScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>) {
  const t = new Table(runsOf<HerdRun>(runs, 'herd'))
  const target = scenario.targets.allServedMs
  const checks = [
    suiteCheck(scenario, runs, 'All served (start → last joiner has the whole board)', `≤ ${target} ms`, (run) => (run.kind === 'herd' ? run.servedMs.max : undefined), (v) => v <= target, {
      unit: 'ms',
      targetValue: target,
    }),
  ]
  t.row('Joiners served', 'text', (r) => `${r.served}/${r.joiners}`)
  t.row('Shapes per board', 'count', (r) => r.shapes)
  t.row('Pre-fill (holders write the boards) until applied', 'ms', (r) => r.prefillMs)
  t.row('Start → last socket open', 'ms', (r) => r.lastOpenMs)
  t.row('Start → served, p50', 'ms', (r) => r.servedMs.p50)
  t.row('Start → served, p99', 'ms', (r) => r.servedMs.p99)
  t.row('**Start → all served**', 'ms', (r) => r.servedMs.max, checks[0]?.label)
  t.row('Bytes served (sync answers)', 'bytes', (r) => r.bytes)
  t.row('Server CPU avg during the herd (% of one core)', 'percent', (r) => r.window.cpuPercent)
  t.row('Server max RSS', 'bytes', (r) => r.window.rssMaxBytes)
  t.row('Server event-loop delay p99 / max', 'text', (r) => loop(r.serverLoopDelay))
  t.row('Load generators CPU (sum)', 'percent', (r) => r.window.generatorCpuPercent)
  t.row('Errors', 'text', (r) => (r.errors.length > 0 ? `${r.errors.length}: ${r.errors[0]}` : '0'))
  t.machine((r) => r.machine)
  return { checks, figures: t.figures }
}

function liveAction(scenario: LiveActionScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>) {
  const t = new Table(runsOf<LiveActionRun>(runs, scenario.kind))
  const { targets } = scenario
  const isPush = scenario.kind === 'push'
  const as = (get: (run: LiveActionRun) => number | undefined) => (run: SuiteRun) => (run.kind === 'push' || run.kind === 'export' ? get(run) : undefined)
  const p99Ratio = (r: LiveActionRun) => r.during.latencyMs.p99 / r.baseline.latencyMs.p99
  const doneLabel = isPush ? 'Push: the last client has every template' : 'Export: ZIP received'
  const live = runsOf<LiveActionRun>(runs, scenario.kind)
  // Not done when the harness stopped waiting: the limit is a lower bound.
  const doneCheck = suiteCheck(scenario, runs, doneLabel, `≤ ${targets.doneMs} ms`, as((r) => (Number.isFinite(r.doneMs) ? r.doneMs : r.actionLimitMs)), (v) => v <= targets.doneMs, {
    unit: 'ms',
    targetValue: targets.doneMs,
  })
  doneCheck.atLeast = Object.fromEntries(ALL_SERVERS.map((kind) => [kind, live[kind] !== undefined && !Number.isFinite(live[kind]?.doneMs)]))
  const checks = [
    doneCheck,
    suiteCheck(scenario, runs, `Cursor p99 during the ${isPush ? 'push' : 'export'} ÷ baseline`, `≤ ${targets.p99Ratio}×`, as(p99Ratio), (v) => v <= targets.p99Ratio, {
      unit: 'ratio',
      targetValue: targets.p99Ratio,
    }),
  ]
  if (targets.stallMs !== undefined) {
    const stall = targets.stallMs
    const stallCheck = suiteCheck(scenario, runs, 'Longest event-loop stall during the push', `≤ ${stall} ms`, as((r) => r.actionLoopDelay.max), (v) => v <= stall, { unit: 'ms', targetValue: stall })
    stallCheck.atLeast = Object.fromEntries(ALL_SERVERS.map((kind) => [kind, live[kind]?.actionLoopDelay.atLeast === true]))
    checks.push(stallCheck)
  }
  t.row('Boards (2,000 shapes each) / clients connected', 'text', (r) => `${r.boards} / ${r.connected} of ${r.clients}`)
  t.row('Pre-fill of the boards until applied', 'ms', (r) => r.prefillMs)
  t.row('Sheets made ahead before the baseline, S3a on: since the pre-fill; cursor p99 meanwhile', 'text', (r) => {
    if (r.server !== 'fabrique') return '–'
    if (!scenario.sheetsAhead) return 'none (SHEETS_AHEAD_DELAY_MS=0)'
    if (!r.ahead) return '–'
    if (!Number.isFinite(r.ahead.seconds)) return `not within ${fmtSeconds(r.ahead.limitSeconds)}`
    return `${fmtSeconds(r.ahead.seconds)}; ${r.ahead.cursors ? `${fmtMs(r.ahead.cursors.latencyMs.p99)} (p50 ${fmtMs(r.ahead.cursors.latencyMs.p50)})` : 'made before the warm-up ended'}`
  })
  if (isPush) {
    t.row('Template shapes pushed into each board', 'count', (r) => r.templateShapes)
    t.row('How (Fabrique: POST /api/events/{id}/pushes, one per template, at once; peers: a server-side script)', 'text', (r) =>
      r.pushes
        ? r.pushes.map((p) => `${p.templateId}: HTTP ${p.status}, ${Object.entries(p.outcomes).map(([k, v]) => `${v} ${k}`).join(' ')} in ${fmtMs(p.ms)}`).join('; ')
        : r.server === 'fabrique'
          ? `5 POSTs: not all answered within ${fmtSeconds(r.actionLimitMs / 1000)}`
          : 'script: 5 updates per board, a board at a time',
    )
    t.row('Requests / script: start → answer', 'ms', (r) => (Number.isFinite(r.actionMs) ? r.actionMs : `not within ${fmtSeconds(r.actionLimitMs / 1000)}`))
    t.row('Observers that got every template', 'text', (r) => `${r.observersWithAll}/${r.observers}`)
    t.row('**Start → the last client has every template**', 'ms', (r) => (Number.isFinite(r.doneMs) ? r.doneMs : `not within ${fmtSeconds(r.actionLimitMs / 1000)}`), checks[0]?.label)
  } else {
    if (scenario.lastChange) t.row('The last change right before: a template pushed into one team’s board (POST, start → answer)', 'ms', (r) => r.lastChangeMs)
    t.row('**GET /api/events/{id}/export.zip: start → ZIP received**', 'ms', (r) => (Number.isFinite(r.doneMs) ? r.doneMs : `not within ${fmtSeconds(r.actionLimitMs / 1000)}`), checks[0]?.label)
    t.row('ZIP size', 'bytes', (r) => r.exportBytes)
    t.row('The same export again right after, no board changed (Fabrique keeps the files), load still on', 'ms', (r) => (Number.isFinite(r.exportAgainMs) ? r.exportAgainMs : '–'))
  }
  t.row('Cursor latency p50, baseline (S3a before)', 'ms', (r) => r.baseline.latencyMs.p50)
  t.row('Cursor latency p99, baseline', 'ms', (r) => r.baseline.latencyMs.p99)
  t.row(`Cursor latency p50, during the ${isPush ? 'push' : 'export'}`, 'ms', (r) => r.during.latencyMs.p50)
  t.row(`Cursor latency p99, during the ${isPush ? 'push' : 'export'}`, 'ms', (r) => r.during.latencyMs.p99)
  t.row('… ÷ baseline', 'ratio', p99Ratio, checks[1]?.label)
  t.row('Cursor moves received or superseded, during', 'percent', (r) => r.during.receivedOrSupersededPercent)
  t.row('Server event-loop delay p99 / max, baseline', 'text', (r) => loop(r.baselineLoopDelay))
  t.row(`Server event-loop delay p99 / max, during the ${isPush ? 'push' : 'export'}`, 'text', (r) => loop(r.actionLoopDelay))
  t.row(`Longest stall during the ${isPush ? 'push' : 'export'}`, 'ms', (r) => (r.actionLoopDelay.atLeast ? `≥ ${fmtMs(r.actionLoopDelay.max)} (probe unanswered: still stalled)` : r.actionLoopDelay.max), checks[2]?.label)
  t.row('Server CPU avg, baseline / during (% of one core)', 'text', (r) => `${fmtPct(r.baselineWindow.cpuPercent)} / ${fmtPct(r.actionWindow.cpuPercent)}`)
  t.row('Server max RSS', 'bytes', (r) => Math.max(r.baselineWindow.rssMaxBytes, r.actionWindow.rssMaxBytes))
  t.row('Generator event-loop delay p99 / max (worst), sends skipped', 'text', (r) => `${loop(r.generatorLoopDelay)}, ${fmtInt(r.skippedSends)}`)
  t.row('Sockets lost during the run', 'count', (r) => r.disconnects)
  t.row('Server log lines (warn/error)', 'count', (r) => r.serverLog.lines)
  t.machine((r) => r.machine)
  return { checks, figures: t.figures }
}

function idle(scenario: IdleScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>) {
  const t = new Table(runsOf<IdleRun>(runs, 'idle'))
  const { targets } = scenario
  const as = (get: (run: IdleRun) => number | undefined) => (run: SuiteRun) => (run.kind === 'idle' ? get(run) : undefined)
  const mb = targets.rssMb * 1024 * 1024
  const checks = [
    suiteCheck(scenario, runs, 'RSS with 500 idle connections on 50 boards', `≤ ${targets.rssMb} MB`, as((r) => r.rssIdleBytes), (v) => v <= mb, { unit: 'bytes', targetValue: mb }),
    suiteCheck(scenario, runs, 'Idle CPU', `≤ ${targets.idleCpuPercent} % of one core`, as((r) => r.idle.cpuPercent), (v) => v <= targets.idleCpuPercent, {
      unit: 'percent',
      targetValue: targets.idleCpuPercent,
    }),
    suiteCheck(scenario, runs, 'Empty boards unloaded', `≤ ${targets.unloadSeconds} s`, as((r) => (Number.isNaN(r.unloadSeconds) ? Number.POSITIVE_INFINITY : r.unloadSeconds)), (v) => v <= targets.unloadSeconds, {
      unit: 'seconds',
      targetValue: targets.unloadSeconds,
    }),
    suiteCheck(scenario, runs, 'RSS growth after the churn (same 500 idle connections)', `≤ ${targets.growthPercent} % (no growth)`, as((r) => r.growthPercent), (v) => v <= targets.growthPercent, {
      unit: 'percent',
      targetValue: targets.growthPercent,
    }),
  ]
  t.row('Connections (of which one per board wrote it)', 'text', (r) => `${r.connected}/${r.connections} on ${r.rooms} boards`)
  t.row('Pre-fill of the boards until applied', 'ms', (r) => r.prefillMs)
  t.row('RSS once everyone joined', 'bytes', (r) => r.rssJoinedBytes)
  t.row('Boards resting (held encoded) after', 'text', (r) => (r.restSeconds === undefined ? 'no such state' : Number.isNaN(r.restSeconds) ? 'not all within the wait' : fmtSeconds(r.restSeconds)))
  t.row('Memory of the rested boards returned (one full GC, then V8\'s heap compacted and the C heap trimmed) after', 'text', (r) => {
    if (r.reclaim === undefined) return 'no such step'
    if (Number.isNaN(r.reclaim.seconds)) return 'not within the wait'
    const trim = r.reclaim.trimMs === undefined || Number.isNaN(r.reclaim.trimMs) ? 'no trim' : `trim ${r.reclaim.trimMs.toFixed(0)} ms on a pool thread`
    const compact = r.reclaim.compactMs === undefined || Number.isNaN(r.reclaim.compactMs) ? '' : `, compaction pause ${r.reclaim.compactMs.toFixed(0)} ms`
    return `${fmtSeconds(r.reclaim.seconds)} (GC pause ${r.reclaim.pauseMs.toFixed(0)} ms${compact}, ${trim})`
  })
  t.row('Server CPU from the boards resting until 10 s after that GC (one-off)', 'text', (r) => (r.reclaim === undefined ? '–' : `${r.reclaim.window.cpuPercent.toFixed(1)} % over ${fmtSeconds(r.reclaim.windowSeconds)}`))
  t.row('**RSS, idle**', 'bytes', (r) => r.rssIdleBytes, checks[0]?.label)
  t.row('**Server CPU, idle (presence renewed every 15 s)**', 'percent', (r) => r.idle.cpuPercent, checks[1]?.label)
  t.row('Churn: connect, sync as a returning tab, announce, leave', 'text', (r) => `${fmtInt(r.churn.cycles)} cycles (${r.churn.failures} failed) in ${fmtSeconds(r.churn.ms / 1000)}`)
  t.row('Server CPU during the churn', 'percent', (r) => r.churnWindow.cpuPercent)
  t.row('Server max RSS during the churn', 'bytes', (r) => r.churnWindow.rssMaxBytes)
  t.row('RSS 2 s after the churn (500 idle connections again)', 'bytes', (r) => r.rssAfterChurnBytes)
  t.row('RSS 25 s later (compared with the idle RSS)', 'bytes', (r) => r.rssSettledAfterChurnBytes)
  t.row('**RSS growth**', 'percent', (r) => r.growthPercent, checks[3]?.label)
  t.row('**Everyone left → no board loaded**', 'seconds', (r) => (Number.isNaN(r.unloadSeconds) ? `not within ${r.unloadWaitSeconds} s (${r.roomsAtEnd} boards still loaded)` : r.unloadSeconds), checks[2]?.label)
  t.row('RSS after that', 'bytes', (r) => r.rssAfterUnloadBytes)
  t.row('Sockets lost while idle', 'count', (r) => r.disconnects)
  t.row('Churn errors', 'text', (r) => (r.churn.errors.length > 0 ? r.churn.errors[0] : '–'))
  t.machine((r) => r.machine)
  return { checks, figures: t.figures }
}

export function suiteReport(scenario: SuiteScenario, runs: Partial<Record<AnyServer, SuiteOutcome>>, chromium?: ChromiumJoin): SuiteReport {
  const built = (() => {
    switch (scenario.kind) {
      case 'cursor-load':
        return cursorLoad(scenario, runs)
      case 'sweep':
        return sweep(scenario, runs)
      case 'suite-join':
        return join(scenario, runs, chromium)
      case 'herd':
        return herd(scenario, runs)
      case 'push':
      case 'export':
        return liveAction(scenario, runs)
      case 'idle':
        return idle(scenario, runs)
    }
  })()
  return { scenario, runs, checks: built.checks, figures: built.figures, chromium }
}

/** What each table measures, under it. */
function notes(scenario: SuiteScenario): string {
  switch (scenario.kind) {
    case 'cursor-load':
      return (
        `> ${scenario.rooms} board(s) of ${scenario.clientsPerRoom}; ${scenario.activePerRoom} per board move their cursor at ${scenario.cursorsPerSecond} Hz, the others announce themselves and renew their presence every 15 s` +
        (scenario.draggersPerRoom > 0 ? `; ${scenario.draggersPerRoom} per board drag a shape at ${scenario.dragsPerSecond} Hz (x, y and a stamp written as fields of the board's layout: one document update each)` : '') +
        `. ${scenario.observersPerRoom < scenario.clientsPerRoom ? `${scenario.observersPerRoom} clients per board decode and time what they receive (the others only read the bytes), so that the harness does not measure itself. ` : 'Every client decodes and times what it receives. '}` +
        'Latency: send → receipt (fan-out), stamped with a clock shared by the processes; a move that never arrived because a later one of the same sender replaced it (servers may coalesce) counts as superseded, with its latency running to the arrival of that later move: how stale the cursor was, not only how fast the moves that were sent went. Delivery: each move sent in the window, expected once per other observer of the board.'
      )
    case 'sweep':
      return `> One board per point, every client moving its cursor at ${scenario.cursorsPerSecond} Hz; ${scenario.observersPerRoom} clients per board time receipts. One server process per column for all points, in increasing order; once a point's p99 passes 5 s the server is saturated and its larger points are not run. The chart (latency.svg) plots the p99 rows.`
    case 'suite-join':
      return '> The board is written as the client writes it (tldraw records through the board binding, one Yjs entry per field), by one holder that stays. Each joiner is a fresh client (new Y.Doc) offering permessage-deflate as browsers do; synced = its Y.Doc has applied the answer. Wire bytes: read by its socket from open to the answer. One untimed join first.'
    case 'herd':
      return `> ${scenario.rooms} board(s) of ${fmtInt(scenario.shapes)} shapes written by one holder each (kept connected, so every server holds the boards in memory); then ${scenario.rooms * scenario.joinersPerRoom} fresh clients open their sockets at the same instant and ask for the board. Served: the whole sync answer received (not applied: the joiners' own work is not the server's).`
    case 'push':
      return '> S3a runs on 50 boards of 2,000 shapes (Fabrique: the teams of an event, reached with a facilitator token). After the baseline, 200 shapes are pushed into every board: five templates (service blueprint, journey map, lean canvas, problem tree, problem statement; no catalogue template has 200 shapes). Fabrique: five POST /api/events/{id}/pushes at once (the real API: placeTemplate on each board). Peers: a server-side script applies the same templates, placed by placeTemplate on the same board, as five updates per board. Done: every client of the 500 has all five (seen in the updates it received). "During": cursor moves sent between the start and the last receipt.'
    case 'export':
      return '> S3a runs on the 50 team boards (2,000 shapes each) of an event; after the baseline, GET /api/events/{id}/export.zip with a facilitator token (every team’s sheet as JSON, Markdown and PDF, notes.csv, event.pdf). "During": cursor moves sent while the request ran.'
    case 'idle':
      return `> 50 boards of 2,000 shapes, 10 connections each (the first wrote the board). Idle: ${'`'}presence renewed every 15 s${'`'} as y-protocols does, nothing else (the benchmark's 10 ms event-loop probe, preloaded in every server, is stopped for the idle window: it alone costs ~1.7 % of a core); RSS is read once everyone joined, then after the idle window, which starts once Fabrique's boards rest (no change for its default ROOM_REST_AFTER_MS, 30 s: held encoded, not as live documents) and it has returned their memory (one full GC a few seconds later, then V8's heap compacted and glibc's free pages given back with malloc_trim a second after it; the CPU from the rest until 10 s after that GC is shown on its own row, as a one-off). The peers have no such states and start at once. Churn, an hour-equivalent shortened: ${fmtInt(scenario.churnCycles)} connect/disconnect cycles (500 people × ${scenario.churnCycles / 500} reconnections in an hour), ${scenario.churnConcurrency} at a time, each a returning tab (it sends the board's state vector), announcing itself, then closing; the 500 idle connections stay. Growth: RSS 27 s after the churn (the idle state again: Fabrique gives back what the churn grew once it idles, as it did for the boards before the idle window) against RSS before it; RSS 2 s after is shown too. Unload: every client leaves; the server is polled (Fabrique: /healthz; peers: their room count) until no board is loaded. Fabrique runs with its default ROOM_IDLE_MS (30 s). The servers run one after the other (the reference first), and each waits for its unload while the next ones run: it has no client left by then.`
  }
}

function cellOf(report: SuiteReport, figure: Figure, kind: AnyServer): string {
  if (figure.separate) return kind === 'fabrique' ? format(figure.unit, figure.values[kind]) : 'n/a'
  const run = report.runs[kind]
  if (!run) return ''
  if (run.kind === 'n/a') return 'n/a'
  if (run.kind === 'failed') return 'failed'
  return format(figure.unit, figure.values[kind])
}

export function suiteMarkdown(report: SuiteReport): string {
  const { scenario, runs, checks } = report
  const header = ['Metric', ...ALL_SERVERS.map((kind) => SERVER_LABELS[kind]), ...PEERS.map((peer) => `${SERVER_SHORT[peer]}/Fab`), 'Target', 'Fabrique vs target']
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  const rows = report.figures.map((figure) => {
    const c = figure.check ? checks.find((k) => k.label === figure.check) : undefined
    const times = c?.targetValue && typeof c.value.fabrique === 'number' ? ` (${c.atLeast?.fabrique ? '≥ ' : ''}${fmtRatio(c.value.fabrique / c.targetValue)} the target)` : ''
    const status = c ? (c.status.fabrique === 'PASS' ? 'PASS' : c.status.fabrique === 'n/a' ? 'n/a' : `**MISSED**${times}`) : ''
    return line([figure.metric, ...ALL_SERVERS.map((kind) => cellOf(report, figure, kind)), ...PEERS.map((peer) => fmtRatio(figure.ratios[peer])), c?.target ?? '', status])
  })
  const extra: string[] = []
  for (const kind of ALL_SERVERS) {
    const run = runs[kind]
    if (run?.kind === 'n/a') extra.push(`> ${SERVER_LABELS[kind]}: n/a — ${run.reason}.`)
    if (run?.kind === 'failed') extra.push(`> **${SERVER_LABELS[kind]} run failed:** ${run.error.split('\n')[0]}`)
    if (run && run.kind !== 'n/a' && run.kind !== 'failed') {
      const busy = run.machine.otherPercent + run.machine.stealPercent
      if (busy >= NOISY_NEIGHBOUR_PERCENT) extra.push(`> ⚠ During the ${SERVER_LABELS[kind]} run, other processes (or the hypervisor) took ${fmtPct(busy)} of a core: its figures are skewed; rerun on an idle machine.`)
      if (run.kind === 'cursor-load' && run.connectErrors.length > 0) extra.push(`> ${SERVER_LABELS[kind]}: ${run.connected}/${run.clients} connected; e.g. ${run.connectErrors[0]}`)
    }
  }
  if (report.source) extra.push(`> ${report.source}`)
  if (report.chromium?.error) extra.push(`> Chromium part failed: ${report.chromium.error.split('\n')[0]}`)
  if (report.profile) extra.push(`Fabrique CPU profile of this run (${report.profile.file}), self time:\n\n${report.profile.lines.map((l) => `    ${l}`).join('\n')}`)
  return [`### ${scenario.name}: ${scenario.title}`, '', line(header), line(header.map(() => '---')), ...rows, '', notes(scenario), ...extra.flatMap((e) => ['', e])].join('\n')
}

