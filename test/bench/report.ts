/**
 * Markdown tables of the first scenarios (both servers side by side, reference/Fabrique ratios),
 * the target checks, and the summary of every scenario's checks (the suite's tables: suiteReport.ts).
 * Ratios > 1 mean the reference takes longer or burns more CPU than Fabrique.
 */
import type { BindingBatchResult, DragBytesResult } from './bindingScenarios.ts'
import type { BoardLoadResult } from './browserScenarios.ts'
import type { CanvasRun } from './canvasRuns.ts'
import { exportChecks, exportNotes, exportRows, relayChecks, relayNotes, relayRows } from './exportRelayReport.ts'
import type { LoopDelay } from './loopDelay.ts'
import type { MachineLoad } from './procstat.ts'
import type { DeliverySummary, JoinRun, LoadRun, Run } from './scenarios.ts'
import { type AnyServer, SERVER_LABELS, type ServerKind } from './servers.ts'
import { type BindingBatchScenario, type BoardLoadScenario, columnLabels, type DragBytesScenario, type JoinScenario, type LoadScenario, type FirstScenario } from './settings.ts'

/** Latencies only mean something if the messages arrive: a sanity check added to the brief's targets. */
export const MIN_DELIVERED_PERCENT = 99

/** Past this much CPU used by unrelated processes during a window, its figures are flagged. */
export const NOISY_NEIGHBOUR_PERCENT = 10

/** n/a: the scenario does not apply to that server (the table says why). */
export type Status = 'PASS' | 'MISSED' | 'n/a'

export interface Check {
  label: string
  target: string
  /** The target as a number in the value's unit, when it is one: the summary prints value ÷ target. */
  targetValue?: number
  /** Only the servers the scenario ran (or marked n/a). */
  value: Partial<Record<AnyServer, number | undefined>>
  status: Partial<Record<AnyServer, Status>>
  /** How the summary prints the value; guessed from the target when absent. */
  unit?: 'ms' | 'percent' | 'count' | 'ratio' | 'bytes' | 'seconds'
  /** A comparison of Fabrique with the peer: one value, nothing to judge in the peer's column. */
  fabriqueOnly?: boolean
  /** Values that are only lower bounds (printed "≥"). */
  atLeast?: Partial<Record<AnyServer, boolean>>
}

/** A scenario of issues 2 and 3: Fabrique and one peer. */
export interface ScenarioReport {
  scenario: FirstScenario
  runs: Record<ServerKind, Run>
  checks: Check[]
}

// ---- formatting ----------------------------------------------------------------------------

export const fmtMs = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : v === Number.POSITIVE_INFINITY ? '∞' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`
export const fmtPct = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(digits)} %`)
export const fmtMb = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? '–' : `${(bytes / 1024 / 1024).toFixed(1)} MB`)
export const fmtInt = (v: number) => v.toLocaleString('en-US')
export const fmtBytes = (v: number | undefined) => {
  if (v === undefined || Number.isNaN(v)) return '–'
  if (v < 10_000) return `${fmtInt(Math.round(v))} B`
  return v < 10 * 1024 * 1024 ? `${(v / 1024).toFixed(1)} KB` : fmtMb(v)
}
export const fmtRatio = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : v === Number.POSITIVE_INFINITY ? '∞' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)}×`
export const fmtSeconds = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v === Number.POSITIVE_INFINITY ? '∞' : `${v.toFixed(1)} s`)

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

function table(scenario: FirstScenario, rows: Row[]): string {
  const labels = columnLabels(scenario)
  const header: Row = ['Metric', labels.fabrique, labels.reference, labels.ratio, 'Target', 'Fabrique vs target']
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

// ---- checks --------------------------------------------------------------------------------

export function check(
  label: string,
  target: string,
  value: Partial<Record<AnyServer, number | undefined>>,
  passes: (v: number) => boolean,
  extra: Pick<Check, 'unit' | 'fabriqueOnly' | 'targetValue'> = {},
  notApplicable: Partial<Record<AnyServer, string>> = {},
): Check {
  const status: Partial<Record<AnyServer, Status>> = {}
  for (const kind of Object.keys(value) as AnyServer[]) {
    const v = value[kind]
    status[kind] = notApplicable[kind] ? 'n/a' : v !== undefined && !Number.isNaN(v) && passes(v) ? 'PASS' : 'MISSED'
  }
  return { label, target, value, status, ...extra }
}

const asLoad = (run: Run): LoadRun | undefined => (run.kind === 'load' ? run : undefined)
const asJoin = (run: Run): JoinRun | undefined => (run.kind === 'join' ? run : undefined)
const asBatch = (run: Run) => (run.kind === 'binding-batch' ? (run as BindingBatchResult & CanvasRun) : undefined)
const asDrag = (run: Run) => (run.kind === 'drag-bytes' ? (run as DragBytesResult & CanvasRun) : undefined)
const asBoardLoad = (run: Run) => (run.kind === 'board-load' ? (run as BoardLoadResult & CanvasRun) : undefined)

function pick<T extends Run>(runs: Record<ServerKind, Run>, as: (run: Run) => T | undefined, get: (run: T) => number | undefined): Record<ServerKind, number | undefined> {
  const of = (run: Run) => {
    const typed = as(run)
    return typed ? get(typed) : undefined
  }
  return { fabrique: of(runs.fabrique), reference: of(runs.reference) }
}

export function checksFor(scenario: FirstScenario, runs: Record<ServerKind, Run>): Check[] {
  if (scenario.kind === 'export') return exportChecks(scenario, runs)
  if (scenario.kind === 'relay') return relayChecks(scenario, runs)
  if (scenario.kind === 'binding-batch') {
    const { applyMs } = scenario.targets
    return [
      check('Batch Y.applyUpdate on the reader, median', `≤ ${applyMs} ms`, pick(runs, asBatch, (r) => r.applyMs.median), (v) => v <= applyMs),
      check('Batch Y.applyUpdate on the reader, max', `≤ ${applyMs} ms`, pick(runs, asBatch, (r) => r.applyMs.max), (v) => v <= applyMs),
      check('Changed records right on the reader (worst run)', `= ${fmtInt(scenario.changed)}`, pick(runs, asBatch, (r) => r.minCorrect), (v) => v === scenario.changed, { unit: 'count' }),
    ]
  }
  if (scenario.kind === 'drag-bytes') {
    const { fewerBytesRatio } = scenario.targets
    const f = asDrag(runs.fabrique)
    const r = asDrag(runs.reference)
    const fewer = f && r && f.wireBytes > 0 ? r.wireBytes / f.wireBytes : undefined
    return [
      check('Drag bytes on the wire, peer ÷ Fabrique', `≥ ${fewerBytesRatio}× fewer`, { fabrique: fewer, reference: undefined }, (v) => v >= fewerBytesRatio, { unit: 'ratio', fabriqueOnly: true }),
      check('Reader converged after the moves', '= 1 (yes)', pick(runs, asDrag, (run) => (run.converged ? 1 : 0)), (v) => v === 1, { unit: 'count' }),
    ]
  }
  if (scenario.kind === 'board-load') {
    const { loadMs } = scenario.targets
    return [check(`Board load, goto → rendered & synced, median of ${scenario.repeats}`, `≤ ${loadMs} ms`, pick(runs, asBoardLoad, (r) => r.loadMs.median), (v) => v <= loadMs)]
  }
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

function machineRows(f: { machine: MachineLoad } | undefined, r: { machine: MachineLoad } | undefined): Row[] {
  return [
    ['Other processes on the machine (not the benchmark)', fmtPct(f?.machine.otherPercent), fmtPct(r?.machine.otherPercent), '', '', ''],
    ['Hypervisor steal', fmtPct(f?.machine.stealPercent), fmtPct(r?.machine.stealPercent), '', '', ''],
  ]
}

/** Runs during which something else kept the cores busy: their figures say more about the neighbour. */
function noisyWarnings(scenario: FirstScenario, runs: Record<ServerKind, Run>): string[] {
  return Object.values(runs).flatMap((run) => {
    if (run.kind === 'failed') return []
    const busy = run.machine.otherPercent + run.machine.stealPercent
    if (busy < NOISY_NEIGHBOUR_PERCENT) return []
    return [`\n> ⚠ During the ${columnLabels(scenario)[run.server]} run, other processes (or the hypervisor) took ${fmtPct(busy)} of a core: its figures are skewed; rerun on an idle machine.`]
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

// ---- canvas tables ---------------------------------------------------------------------------

type Pair<T> = [T | undefined, T | undefined]

function figures<T>([f, r]: Pair<T>, get: (run: T) => number | undefined, format: (v: number | undefined) => string): [string, string, string] {
  const fv = f && get(f)
  const rv = r && get(r)
  return [format(fv), format(rv), ratio(rv, fv)]
}

function texts<T>([f, r]: Pair<T>, get: (run: T) => string): [string, string] {
  return [f ? get(f) : '–', r ? get(r) : '–']
}

function bindingBatchRows(scenario: BindingBatchScenario, runs: Record<ServerKind, Run>, checks: Check[]): Row[] {
  const both: Pair<BindingBatchResult & CanvasRun> = [asBatch(runs.fabrique), asBatch(runs.reference)]
  const ms = (get: (run: BindingBatchResult) => number) => figures(both, get, fmtMs)
  return [
    ['Shapes on the board (in both stores)', ...texts(both, (run) => fmtInt(run.shapes)), '', '', ''],
    ['Board as a Yjs update', ...figures(both, (run) => run.docBytes, fmtBytes), '', ''],
    ['Shapes changed in the batch (moved + recoloured, one store transaction)', ...texts(both, (run) => fmtInt(run.changed)), '', '', ''],
    ['Batch update size (median)', ...figures(both, (run) => run.updateBytesMedian, fmtBytes), '', ''],
    ['Writer: store change → Yjs update (median, untimed by the target)', ...ms((run) => run.writerMsMedian), '', ''],
    [`**Reader: Y.applyUpdate, median of ${scenario.repeats}**`, ...ms((run) => run.applyMs.median), ...statusOf(checks, 'Batch Y.applyUpdate on the reader, median')],
    ['Reader: Y.applyUpdate, min', ...ms((run) => run.applyMs.min), '', ''],
    ['Reader: Y.applyUpdate, max', ...ms((run) => run.applyMs.max), ...statusOf(checks, 'Batch Y.applyUpdate on the reader, max')],
    ['… of which Yjs decode + integrate (median)', ...ms((run) => run.integrateMsMedian), '', ''],
    ['… of which the binding + store, in the observers or right after the transaction (median)', ...ms((run) => run.observersMsMedian), '', ''],
    ['… … of which store.mergeRemoteChanges (median)', ...ms((run) => run.storeMsMedian), '', ''],
    ['… of which Yjs cleanup: GC, struct merge, update event (median)', ...ms((run) => run.cleanupMsMedian), '', ''],
    ['Every run (apply, ms)', ...texts(both, (run) => run.samples.map((sample) => sample.applyMs.toFixed(0)).join(', ')), '', '', ''],
    ['Changed shapes right on the reader (worst run)', ...texts(both, (run) => fmtInt(run.minCorrect)), '', ...statusOf(checks, 'Changed records right on the reader (worst run)')],
    ...machineRows(...both),
  ]
}

function dragBytesRows(scenario: DragBytesScenario, runs: Record<ServerKind, Run>, checks: Check[]): Row[] {
  const both: Pair<DragBytesResult & CanvasRun> = [asDrag(runs.fabrique), asDrag(runs.reference)]
  const bytes = (get: (run: DragBytesResult) => number) => figures(both, get, fmtBytes)
  const growth = (run: DragBytesResult) => run.docBytesAfter - run.docBytesBefore
  return [
    [`Moves (store updates of x, y) in ${scenario.seconds} s at ${scenario.movesPerSecond}/s`, ...texts(both, (run) => fmtInt(run.moves)), '', '', ''],
    ['Yjs updates sent', ...texts(both, (run) => fmtInt(run.updates)), '', '', ''],
    ['Yjs update bytes', ...bytes((run) => run.updateBytes), '', ''],
    ['**Bytes on the wire (y-websocket frames)**', ...bytes((run) => run.wireBytes), ...statusOf(checks, 'Drag bytes on the wire, peer ÷ Fabrique')],
    ['Wire bytes per move: median (min–max)', ...texts(both, (run) => `${fmtInt(run.wireBytesPerMove.median)} B (${fmtInt(run.wireBytesPerMove.min)}–${fmtInt(run.wireBytesPerMove.max)})`), '', '', ''],
    ['The dragged note as JSON (a whole-record write)', ...bytes((run) => run.recordJsonBytes), '', ''],
    [`Document before the moves (board of ${scenario.boardShapes + 1} shapes)`, ...bytes((run) => run.docBytesBefore), '', ''],
    [`Document after ${fmtInt(scenario.growthMoves)} moves (the drag included)`, ...bytes((run) => run.docBytesAfter), '', ''],
    [`Document growth after ${fmtInt(scenario.growthMoves)} moves`, ...bytes(growth), '', ''],
    ['Growth per move', ...texts(both, (run) => `${(growth(run) / run.growthMoves).toFixed(2)} B`), '', '', ''],
    ['Reader converged', ...texts(both, (run) => (run.converged ? 'yes' : 'NO')), '', ...statusOf(checks, 'Reader converged after the moves')],
    ...machineRows(...both),
  ]
}

function boardLoadRows(scenario: BoardLoadScenario, runs: Record<ServerKind, Run>, checks: Check[]): Row[] {
  const both: Pair<BoardLoadResult & CanvasRun> = [asBoardLoad(runs.fabrique), asBoardLoad(runs.reference)]
  const ms = (get: (run: BoardLoadResult) => number) => figures(both, get, fmtMs)
  return [
    ['Shapes on the board', ...texts(both, (run) => fmtInt(run.shapes)), '', '', ''],
    ['Stored board (what the sync step 2 carries)', ...figures(both, (run) => run.docBytes, fmtBytes), '', ''],
    ['Pre-fill by a Node peer (binding + y-websocket) until stored', ...ms((run) => run.prefillMs), '', ''],
    ['Navigation start → app scripts run (DOMContentLoaded; medians, page clock)', ...ms((run) => run.milestonesMedian.domContentLoaded), '', ''],
    ['Navigation start → WebSocket open', ...ms((run) => run.milestonesMedian.wsOpen), '', ''],
    ['Navigation start → sync step 2 received (largest message)', ...ms((run) => run.milestonesMedian.syncMessage), '', ''],
    ['Sync step 2 message size', ...figures(both, (run) => run.milestonesMedian.syncMessageBytes, fmtBytes), '', ''],
    ['Navigation start → editor mounted (first animation frame seen)', ...ms((run) => run.milestonesMedian.editor), '', ''],
    ['Navigation start → every condition met', ...ms((run) => run.milestonesMedian.done), '', ''],
    ['Longest main-thread task before that (median)', ...ms((run) => run.milestonesMedian.longestTaskMs), '', ''],
    ['Main-thread tasks over 50 ms before that, total (median)', ...ms((run) => run.milestonesMedian.longTasksMs), '', ''],
    [`**page.goto → rendered and synced, median of ${scenario.repeats}**`, ...ms((run) => run.loadMs.median), ...statusOf(checks, `Board load, goto → rendered & synced, median of ${scenario.repeats}`)],
    ['page.goto → rendered and synced, min / max', ...texts(both, (run) => `${fmtMs(run.loadMs.min)} / ${fmtMs(run.loadMs.max)}`), '', '', ''],
    ['Every run (ms)', ...texts(both, (run) => run.samples.map((sample) => sample.loadMs.toFixed(0)).join(', ')), '', '', ''],
    ['.tl-shape elements in the DOM at that moment (fewest)', ...texts(both, (run) => fmtInt(run.minDomShapes)), '', '', ''],
    ['… of which drawn, against the shapes in view then (run that drew the fewest)', ...texts(both, (run) => `${fmtInt(run.minDrawn.drawnShapes)} (${fmtInt(run.minDrawn.inView)} in view)`), '', '', ''],
    ['Page errors (console + uncaught)', ...texts(both, (run) => String(run.pageErrors.length)), '', '', ''],
    ...machineRows(...both),
  ]
}

/** What each canvas table compares, under the table. */
function canvasNotes(scenario: FirstScenario): string[] {
  switch (scenario.kind) {
    case 'export':
      return exportNotes(scenario)
    case 'relay':
      return relayNotes(scenario)
    case 'binding-batch':
      return [
        '',
        `> Peer: tldraw's own Yjs example (tldraw-yjs-example): a YKeyValue keyed by record id holding whole records, remote changes put in one mergeRemoteChanges. Both layouts on the same tldraw 5.4.2 store (createTLStore, plain Node). Each run on a fresh pair of peers: the writer puts ${fmtInt(scenario.shapes)} shapes in one transaction, the reader receives them in one update, then the writer moves and recolours ${fmtInt(scenario.changed)} shapes picked at random (seeded; the same for both layouts) in one store transaction. Timed: Y.applyUpdate of that update on the reader (Yjs, the binding's observer, the store's mergeRemoteChanges), after a forced GC; ${scenario.warmups} warm-up runs untimed.`,
      ]
    case 'drag-bytes':
      return [
        '',
        `> Peer: tldraw's whole-record YKeyValue (tldraw-yjs-example). Each move is one store update of the note's x and y written to the document, as tldraw does once per animation frame; the bytes do not depend on timing, so the moves are not paced. Wire bytes: the y-websocket message (sync type, update type, length, update) the client sends; the server relays the same bytes to each other person. Cursor (awareness) traffic is not counted. Growth: Y.encodeStateAsUpdate of the writer's document before and after ${fmtInt(scenario.growthMoves)} moves of the note.`,
      ]
    case 'board-load':
      return [
        '',
        `> No peer: the second column is the same measure on a ${fmtInt(scenario.comparisonShapes)}-shape board, for scale. A Fabrique server in the worker process serves the built client (client/dist); a Node peer writes the board through bindBoard and y-websocket and waits until the server stored it. Each run opens ${'`'}/b/<board>?e2e=1${'`'} in a fresh Chromium context (no IndexedDB copy, no HTTP cache), from the call of page.goto to the first animation frame where window.__fabrique.editor exists, provider.synced is true, editor.getCurrentPageShapeIds().size equals the board's shape count, and every shape in view (not culled by tldraw) has its content drawn in its .tl-shape element (shapes out of view may still be empty wrappers).`,
      ]
    default:
      return []
  }
}

function rowsFor(report: ScenarioReport): Row[] {
  const { scenario, runs, checks } = report
  switch (scenario.kind) {
    case 'load':
      return loadRows(scenario, runs, checks)
    case 'join':
      return joinRows(scenario, runs, checks)
    case 'binding-batch':
      return bindingBatchRows(scenario, runs, checks)
    case 'drag-bytes':
      return dragBytesRows(scenario, runs, checks)
    case 'board-load':
      return boardLoadRows(scenario, runs, checks)
    case 'export':
      return exportRows(scenario, runs, checks)
    case 'relay':
      return relayRows(scenario, runs, checks)
  }
}

export function scenarioMarkdown(report: ScenarioReport): string {
  const { scenario, runs } = report
  const labels = columnLabels(scenario)
  const failures = Object.values(runs)
    .filter((run) => run.kind === 'failed')
    .map((run) => `\n> **${labels[run.server]} run failed:** ${run.error.split('\n')[0]}`)
  const errors = Object.values(runs)
    .flatMap((run) => (run.kind === 'load' && run.connectErrors.length > 0 ? [`\n> ${labels[run.server]}: ${run.connected}/${run.clients} connected; e.g. ${run.connectErrors[0]}`] : []))
  return [`### ${scenario.name}: ${scenario.title}`, '', table(scenario, rowsFor(report)), ...canvasNotes(scenario), ...failures, ...errors, ...noisyWarnings(scenario, runs)].join('\n')
}

function summaryValue(c: Check, v: number | undefined, kind: AnyServer = 'fabrique'): string {
  return `${c.atLeast?.[kind] ? '≥ ' : ''}${plainValue(c, v)}`
}

function plainValue(c: Check, v: number | undefined): string {
  const unit = c.unit ?? (c.target.includes('%') ? 'percent' : c.target.includes('ms') ? 'ms' : 'count')
  if (v === undefined) return 'n/a'
  switch (unit) {
    case 'percent':
      return fmtPct(v, 2)
    case 'ms':
      return fmtMs(v)
    case 'ratio':
      return fmtRatio(v)
    case 'bytes':
      return fmtBytes(v)
    case 'seconds':
      return fmtSeconds(v)
    default:
      return Number.isFinite(v) ? fmtInt(v) : '–'
  }
}

/** Every check of every scenario: Fabrique's value and its ratio to the target, then each peer's. */
export function summaryMarkdown(reports: ReadonlyArray<{ scenario: { name: string }; checks: Check[] }>): string {
  const peers: AnyServer[] = ['reference', 'hocuspocus', 'relay']
  const lines = [
    '### Targets',
    '',
    `| Scenario | Check | Target | Fabrique | Fabrique ÷ target | Status | ${peers.map((peer) => SERVER_LABELS[peer]).join(' | ')} |`,
    `| --- | --- | --- | --- | --- | --- | ${peers.map(() => '---').join(' | ')} |`,
  ]
  for (const { scenario, checks } of reports) {
    for (const c of checks) {
      const status = c.status.fabrique ?? 'n/a'
      const versus = c.targetValue && c.value.fabrique !== undefined ? `${c.atLeast?.fabrique ? '≥ ' : ''}${fmtRatio(c.value.fabrique / c.targetValue)}` : ''
      const peer = (kind: AnyServer) => {
        if (!(kind in c.status)) return ''
        if (c.status[kind] === 'n/a') return 'n/a'
        return `${summaryValue(c, c.value[kind], kind)}${c.fabriqueOnly ? '' : ` (${c.status[kind]})`}`
      }
      lines.push(
        `| ${scenario.name} | ${c.label} | ${c.target} | ${summaryValue(c, c.value.fabrique)} | ${versus} | ${status === 'MISSED' ? '**MISSED**' : status} | ${peers.map(peer).join(' | ')} |`,
      )
    }
  }
  const missed = reports.flatMap(({ scenario, checks }) => checks.filter((c) => c.status.fabrique === 'MISSED').map((c) => `${scenario.name}: ${c.label}`))
  lines.push('', missed.length === 0 ? 'Fabrique met every target.' : `**MISSED** by Fabrique: ${missed.join('; ')}.`)
  return lines.join('\n')
}
