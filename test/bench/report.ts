/**
 * Markdown tables (both servers side by side, reference/Fabrique ratios) and the target checks.
 * Ratios > 1 mean the reference takes longer or burns more CPU than Fabrique.
 */
import type { LoopDelay } from './loopDelay.ts'
import type { DeliverySummary, JoinRun, LoadRun, Run } from './scenarios.ts'
import { SERVER_LABELS, type ServerKind } from './servers.ts'
import type { JoinScenario, LoadScenario, Scenario } from './settings.ts'

/** Latencies only mean something if the messages arrive: a sanity check added to the brief's targets. */
export const MIN_DELIVERED_PERCENT = 99

/** Past this much CPU used by unrelated processes during a window, its figures are flagged. */
const NOISY_NEIGHBOUR_PERCENT = 10

export type Status = 'PASS' | 'MISSED'

export interface Check {
  label: string
  target: string
  value: Record<ServerKind, number | undefined>
  status: Record<ServerKind, Status>
}

export interface ScenarioReport {
  scenario: Scenario
  runs: Record<ServerKind, Run>
  checks: Check[]
}

// ---- formatting ----------------------------------------------------------------------------

const fmtMs = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`)
const fmtPct = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(digits)} %`)
const fmtMb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(1)} MB`)
const fmtInt = (v: number) => v.toLocaleString('en-US')

function ratio(reference: number | undefined, fabrique: number | undefined): string {
  if (reference === undefined || fabrique === undefined || Number.isNaN(reference) || Number.isNaN(fabrique) || fabrique <= 0) return '–'
  return `${(reference / fabrique).toFixed(2)}×`
}

function delivered(d: DeliverySummary | undefined): string {
  if (!d) return '–'
  return `${fmtPct(d.deliveredPercent, 2)} (${fmtInt(d.received)}/${fmtInt(d.expected)})`
}

function superseded(d: DeliverySummary | undefined): string {
  if (!d) return '–'
  return `${fmtInt(d.superseded)} → ${fmtPct(d.receivedOrSupersededPercent, 2)} accounted for`
}

type Row = [metric: string, fabrique: string, reference: string, ratio: string, target: string, status: string]

function table(rows: Row[]): string {
  const header: Row = ['Metric', SERVER_LABELS.fabrique, SERVER_LABELS.reference, 'Ref/Fab', 'Target', 'Fabrique vs target']
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

// ---- checks --------------------------------------------------------------------------------

function check(label: string, target: string, value: Record<ServerKind, number | undefined>, passes: (v: number) => boolean): Check {
  const status = (v: number | undefined): Status => (v !== undefined && !Number.isNaN(v) && passes(v) ? 'PASS' : 'MISSED')
  return { label, target, value, status: { fabrique: status(value.fabrique), reference: status(value.reference) } }
}

const asLoad = (run: Run): LoadRun | undefined => (run.kind === 'load' ? run : undefined)
const asJoin = (run: Run): JoinRun | undefined => (run.kind === 'join' ? run : undefined)

function pick<T extends Run>(runs: Record<ServerKind, Run>, as: (run: Run) => T | undefined, get: (run: T) => number | undefined): Record<ServerKind, number | undefined> {
  const of = (run: Run) => {
    const typed = as(run)
    return typed ? get(typed) : undefined
  }
  return { fabrique: of(runs.fabrique), reference: of(runs.reference) }
}

export function checksFor(scenario: Scenario, runs: Record<ServerKind, Run>): Check[] {
  if (scenario.kind === 'join') {
    const { syncMs } = scenario.targets
    return [
      check('Join open→synced, median', `≤ ${syncMs} ms`, pick(runs, asJoin, (r) => r.syncMs.median), (v) => v <= syncMs),
      check('Join open→synced, max', `≤ ${syncMs} ms`, pick(runs, asJoin, (r) => r.syncMs.max), (v) => v <= syncMs),
      check('Records received by joiners', `= ${fmtInt(scenario.records)}`, pick(runs, asJoin, (r) => r.minRecordsSeen), (v) => v === scenario.records),
    ]
  }
  const { p99Ms, cpuPercent } = scenario.targets
  const checks = [
    check('Cursor latency p99', `≤ ${p99Ms} ms`, pick(runs, asLoad, (r) => r.cursors.latencyMs.p99), (v) => v <= p99Ms),
    // A cursor move replaced by a later one that arrived is not lost: servers may coalesce them.
    check('Cursors received or superseded', `≥ ${MIN_DELIVERED_PERCENT} %`, pick(runs, asLoad, (r) => r.cursors.receivedOrSupersededPercent), (v) => v >= MIN_DELIVERED_PERCENT),
  ]
  if (scenario.updatesPerSecond > 0) {
    checks.push(
      check('Update latency p99', `≤ ${p99Ms} ms`, pick(runs, asLoad, (r) => r.updates?.latencyMs.p99), (v) => v <= p99Ms),
      check('Updates delivered', `≥ ${MIN_DELIVERED_PERCENT} %`, pick(runs, asLoad, (r) => r.updates?.deliveredPercent), (v) => v >= MIN_DELIVERED_PERCENT),
    )
  }
  if (cpuPercent !== undefined) {
    checks.push(check('Server CPU (avg)', `≤ ${cpuPercent} % of one core`, pick(runs, asLoad, (r) => r.serverUsage.cpuPercent), (v) => v <= cpuPercent))
  }
  return checks
}

// ---- tables --------------------------------------------------------------------------------

function statusOf(checks: Check[], label: string): [string, string] {
  const found = checks.find((c) => c.label === label)
  return found ? [found.target, found.status.fabrique === 'PASS' ? 'PASS' : '**MISSED**'] : ['', '']
}

function loadRows(scenario: LoadScenario, runs: Record<ServerKind, Run>, checks: Check[]): Row[] {
  const f = asLoad(runs.fabrique)
  const r = asLoad(runs.reference)
  const rows: Row[] = [
    ['Clients connected', f ? `${f.connected}/${f.clients}` : '–', r ? `${r.connected}/${r.clients}` : '–', '', '', ''],
  ]
  const latencyRows = (kind: string, get: (run: LoadRun) => DeliverySummary | undefined, p99Label: string) => {
    const fd = f && get(f)
    const rd = r && get(r)
    for (const key of ['p50', 'p95', 'p99', 'max'] as const) {
      const [target, status] = key === 'p99' ? statusOf(checks, p99Label) : ['', '']
      rows.push([`${kind} latency ${key}`, fmtMs(fd?.latencyMs[key]), fmtMs(rd?.latencyMs[key]), ratio(rd?.latencyMs[key], fd?.latencyMs[key]), target, status])
    }
    return [fd, rd] as const
  }
  const [fc, rc] = latencyRows('Cursor', (run) => run.cursors, 'Cursor latency p99')
  rows.push(
    ['Cursor moves received', delivered(fc), delivered(rc), '', '', ''],
    ['Cursor moves superseded (coalesced)', superseded(fc), superseded(rc), '', ...statusOf(checks, 'Cursors received or superseded')],
  )
  if (scenario.updatesPerSecond > 0) {
    const [fu, ru] = latencyRows('Update', (run) => run.updates, 'Update latency p99')
    rows.push(['Updates received', delivered(fu), delivered(ru), '', ...statusOf(checks, 'Updates delivered')])
  }
  rows.push(
    [
      'Server CPU avg (% of one core)',
      fmtPct(f?.serverUsage.cpuPercent),
      fmtPct(r?.serverUsage.cpuPercent),
      ratio(r?.serverUsage.cpuPercent, f?.serverUsage.cpuPercent),
      ...statusOf(checks, 'Server CPU (avg)'),
    ],
    ['Server CPU busiest second', fmtPct(f?.serverUsage.cpuPeakPercent), fmtPct(r?.serverUsage.cpuPeakPercent), '', '', ''],
    ['Server max RSS', fmtMb(f?.serverUsage.rssMaxBytes), fmtMb(r?.serverUsage.rssMaxBytes), ratio(r?.serverUsage.rssMaxBytes, f?.serverUsage.rssMaxBytes), '', ''],
    ['Server event-loop delay p99 / max', loop(f?.serverLoopDelay), loop(r?.serverLoopDelay), '', '', ''],
    [`Load generators CPU (sum of ${scenario.generators})`, fmtPct(f?.generatorCpuPercent), fmtPct(r?.generatorCpuPercent), '', '', ''],
    ['Generator event-loop delay p99 / max (worst)', loop(f?.generatorLoopDelay), loop(r?.generatorLoopDelay), '', '', ''],
    ['Generator sends skipped (generator behind)', f ? fmtInt(f.skippedSends) : '–', r ? fmtInt(r.skippedSends) : '–', '', '', ''],
    ['Sockets lost during the run', f ? lost(f) : '–', r ? lost(r) : '–', '', '', ''],
    ['Server log lines (warn/error)', f ? String(f.serverLog.lines) : '–', r ? String(r.serverLog.lines) : '–', '', '', ''],
    ...machineRows(f, r),
  )
  return rows
}

function machineRows(f: LoadRun | JoinRun | undefined, r: LoadRun | JoinRun | undefined): Row[] {
  return [
    ['Other processes on the machine (not the benchmark)', fmtPct(f?.machine.otherPercent), fmtPct(r?.machine.otherPercent), '', '', ''],
    ['Hypervisor steal', fmtPct(f?.machine.stealPercent), fmtPct(r?.machine.stealPercent), '', '', ''],
  ]
}

/** Runs during which something else kept the cores busy: their figures say more about the neighbour. */
function noisyWarnings(runs: Record<ServerKind, Run>): string[] {
  return Object.values(runs).flatMap((run) => {
    if (run.kind === 'failed') return []
    const busy = run.machine.otherPercent + run.machine.stealPercent
    if (busy < NOISY_NEIGHBOUR_PERCENT) return []
    return [`\n> ⚠ During the ${SERVER_LABELS[run.server]} run, other processes (or the hypervisor) took ${fmtPct(busy)} of a core: its figures are skewed; rerun on an idle machine.`]
  })
}

function loop(delay: LoopDelay | undefined): string {
  return delay ? `${fmtMs(delay.p99)} / ${fmtMs(delay.max)}` : '–'
}

function lost(run: LoadRun): string {
  const codes = Object.entries(run.closeCodes).map(([code, count]) => `${count}×${code}`)
  return codes.length > 0 ? `${run.disconnects} (${codes.join(', ')})` : String(run.disconnects)
}

function joinRows(scenario: JoinScenario, runs: Record<ServerKind, Run>, checks: Check[]): Row[] {
  const f = asJoin(runs.fabrique)
  const r = asJoin(runs.reference)
  const ms = (get: (run: JoinRun) => number): [string, string, string] => {
    const fv = f && get(f)
    const rv = r && get(r)
    return [fmtMs(fv), fmtMs(rv), ratio(rv, fv)]
  }
  return [
    ['Records on the board', f ? fmtInt(f.records) : '–', r ? fmtInt(r.records) : '–', '', '', ''],
    ['Document size', fmtMb(f?.docBytes), fmtMb(r?.docBytes), '', '', ''],
    ['Sync step 2 message', fmtMb(f?.syncMessageBytes), fmtMb(r?.syncMessageBytes), '', '', ''],
    ['Pre-fill until a newcomer sees every record', ...ms((run) => run.prefillMs), '', ''],
    ['WebSocket connect (new → open), median', ...ms((run) => run.connectMsMedian), '', ''],
    [`Open → synced, median of ${scenario.repeats}`, ...ms((run) => run.syncMs.median), ...statusOf(checks, 'Join open→synced, median')],
    ['Open → synced, min', ...ms((run) => run.syncMs.min), '', ''],
    ['Open → synced, max', ...ms((run) => run.syncMs.max), ...statusOf(checks, 'Join open→synced, max')],
    ['Fewest records a joiner received', f ? fmtInt(f.minRecordsSeen) : '–', r ? fmtInt(r.minRecordsSeen) : '–', '', ...statusOf(checks, 'Records received by joiners')],
    ...machineRows(f, r),
  ]
}

export function scenarioMarkdown(report: ScenarioReport): string {
  const { scenario, runs, checks } = report
  const rows = scenario.kind === 'load' ? loadRows(scenario, runs, checks) : joinRows(scenario, runs, checks)
  const failures = Object.values(runs)
    .filter((run) => run.kind === 'failed')
    .map((run) => `\n> **${SERVER_LABELS[run.server]} run failed:** ${run.error.split('\n')[0]}`)
  const errors = Object.values(runs)
    .flatMap((run) => (run.kind === 'load' && run.connectErrors.length > 0 ? [`\n> ${SERVER_LABELS[run.server]}: ${run.connected}/${run.clients} connected; e.g. ${run.connectErrors[0]}`] : []))
  return [`### ${scenario.name}: ${scenario.title}`, '', table(rows), ...failures, ...errors, ...noisyWarnings(runs)].join('\n')
}

export function summaryMarkdown(reports: ScenarioReport[]): string {
  const lines = ['### Targets', '', '| Scenario | Check | Target | Fabrique | Status | Reference | Reference status |', '| --- | --- | --- | --- | --- | --- | --- |']
  for (const { scenario, checks } of reports) {
    for (const c of checks) {
      const value = (v: number | undefined) => (v === undefined ? 'n/a' : c.target.includes('%') ? fmtPct(v, 2) : c.target.includes('ms') ? fmtMs(v) : fmtInt(v))
      lines.push(`| ${scenario.name} | ${c.label} | ${c.target} | ${value(c.value.fabrique)} | ${c.status.fabrique === 'PASS' ? 'PASS' : '**MISSED**'} | ${value(c.value.reference)} | ${c.status.reference} |`)
    }
  }
  const missed = reports.flatMap(({ scenario, checks }) => checks.filter((c) => c.status.fabrique === 'MISSED').map((c) => `${scenario.name}: ${c.label}`))
  lines.push('', missed.length === 0 ? 'Fabrique met every target.' : `**MISSED** by Fabrique: ${missed.join('; ')}.`)
  return lines.join('\n')
}
