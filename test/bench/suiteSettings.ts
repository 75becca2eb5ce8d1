/**
 * The suite of issue 12: eight scenarios of an ideation day (S1-S8) and a latency sweep, each run
 * against Fabrique and its peers, with the targets as given (never loosened).
 */
import type { AnyServer } from './servers.ts'

export const SUITE_NAMES = ['s1', 's2', 'sweep', 's2-stretch', 's3a', 's3b', 's4', 's5a', 's5b', 's6', 's7', 's7-cold', 's8'] as const
export type SuiteName = (typeof SUITE_NAMES)[number]

/** A peer the scenario cannot apply to, and why (its column says "n/a"). */
export type NotApplicable = Partial<Record<AnyServer, string>>

const NO_DOCUMENT = 'holds no document: nothing serves a newcomer the board'
const NO_EXPORT: NotApplicable = {
  reference: 'no export: it holds documents, not events, teams or project sheets',
  hocuspocus: 'no export: it holds documents, not events, teams or project sheets',
  relay: 'no export and no document',
}

interface SuiteBase {
  name: SuiteName
  title: string
  notApplicable: NotApplicable
}

/** People in rooms moving cursors (awareness), some dragging shapes (document updates). */
export interface CursorLoadScenario extends SuiteBase {
  kind: 'cursor-load'
  rooms: number
  clientsPerRoom: number
  /** Clients of each room moving their cursor; the others announce themselves and stay. */
  activePerRoom: number
  cursorsPerSecond: number
  draggersPerRoom: number
  dragsPerSecond: number
  /** Clients of each room that decode and time what they receive (all when it equals the room size). */
  observersPerRoom: number
  targets: { p99Ms: number; p50Ms?: number; accountedPercent?: number; cpuPercent?: number; rssMb?: number }
}

/** p99 against the number of clients in one board, all moving their cursor: the chart. */
export interface SweepScenario extends SuiteBase {
  kind: 'sweep'
  clients: number[]
  cursorsPerSecond: number
  observersPerRoom: number
}

export interface SuiteJoinScenario extends SuiteBase {
  kind: 'suite-join'
  shapes: number
  repeats: number
  /** Chromium loads of the built client (Fabrique only), reusing the board-load measure. */
  chromiumRepeats: number
  targets: { syncMs: number; wireBytes: number; chromiumMs: number }
}

export interface HerdScenario extends SuiteBase {
  kind: 'herd'
  rooms: number
  joinersPerRoom: number
  shapes: number
  targets: { allServedMs: number }
}

/** S3a on 50 boards of 2,000 shapes, then an action on every board while it runs. */
export interface LiveActionScenario extends SuiteBase {
  kind: 'push' | 'export'
  background: CursorLoadScenario
  shapes: number
  /**
   * Fabrique makes each event's project sheets ahead, a while after its boards stop changing
   * (SHEETS_AHEAD_DELAY_MS). True: the harness waits, the load on, until the server made them
   * (as through a day: the boards rested since the pre-fill), before the baseline, so that neither
   * window holds that work (its time and the cursors' p99 meanwhile are reported). False: the server
   * makes none (SHEETS_AHEAD_DELAY_MS=0) and the export makes every sheet.
   */
  sheetsAhead: boolean
  /** Export: a template pushed into one team's board right before it (the last change of the day), whose sheet is made again. */
  lastChange?: boolean
  targets: { doneMs: number; stallMs?: number; p99Ratio: number }
}

export interface IdleScenario extends SuiteBase {
  kind: 'idle'
  rooms: number
  connectionsPerRoom: number
  shapes: number
  /** Connect/disconnect cycles standing for an hour of an event (people × reconnections each). */
  churnCycles: number
  churnConcurrency: number
  targets: { rssMb: number; idleCpuPercent: number; unloadSeconds: number; growthPercent: number }
}

export type SuiteScenario = CursorLoadScenario | SweepScenario | SuiteJoinScenario | HerdScenario | LiveActionScenario | IdleScenario

/** Durations of a suite run: `default` fits the whole `pnpm bench` in about ten minutes, `quick` is a smoke run. */
export interface SuiteTiming {
  preset: 'default' | 'quick'
  warmupSeconds: number
  measureSeconds: number
  drainSeconds: number
  sweepPoints: number[]
  sweepWarmupSeconds: number
  sweepMeasureSeconds: number
  /** Cursor load before a push or an export: the baseline window. */
  baselineSeconds: number
  /** S8's idle window: one whole presence-renewal period (15 s), so that it sees every client renew once. */
  idleSeconds: number
  churnCycles: number
  /** Longest wait for boards to rest (Fabrique: no change for ROOM_REST_AFTER_MS, 30 s by default) before the idle window. */
  restWaitSeconds: number
  /** Longest wait for empty boards to be unloaded (the target is 60 s). */
  unloadWaitSeconds: number
  joinRepeats: number
  chromiumRepeats: number
}

export const SUITE_PRESETS: Record<SuiteTiming['preset'], SuiteTiming> = {
  default: {
    preset: 'default',
    warmupSeconds: 1,
    measureSeconds: 3,
    drainSeconds: 1,
    sweepPoints: [25, 50, 100, 200, 400],
    sweepWarmupSeconds: 1,
    sweepMeasureSeconds: 2,
    baselineSeconds: 3,
    idleSeconds: 15,
    // 500 people reconnecting five times (Wi-Fi, reloads, moving between boards): an hour's worth.
    churnCycles: 2500,
    restWaitSeconds: 60,
    unloadWaitSeconds: 60,
    joinRepeats: 5,
    chromiumRepeats: 3,
  },
  quick: {
    preset: 'quick',
    warmupSeconds: 1,
    measureSeconds: 2,
    drainSeconds: 1,
    sweepPoints: [25, 100, 400],
    sweepWarmupSeconds: 1,
    sweepMeasureSeconds: 2,
    baselineSeconds: 2,
    idleSeconds: 15,
    churnCycles: 500,
    restWaitSeconds: 60,
    unloadWaitSeconds: 60,
    joinRepeats: 3,
    chromiumRepeats: 1,
  },
}

const s3a = (name: SuiteName, title: string): CursorLoadScenario => ({
  kind: 'cursor-load',
  name,
  title,
  notApplicable: {},
  rooms: 50,
  clientsPerRoom: 10,
  activePerRoom: 2,
  cursorsPerSecond: 10,
  draggersPerRoom: 0,
  dragsPerSecond: 0,
  observersPerRoom: 10,
  targets: { p99Ms: 10 },
})

export function suiteScenarios(timing: SuiteTiming): SuiteScenario[] {
  return [
    {
      kind: 'cursor-load',
      name: 's1',
      title: 'S1 cursor storm: 50 people in one board, cursors at 30 Hz',
      notApplicable: {},
      rooms: 1,
      clientsPerRoom: 50,
      activePerRoom: 50,
      cursorsPerSecond: 30,
      draggersPerRoom: 0,
      dragsPerSecond: 0,
      observersPerRoom: 50,
      targets: { p99Ms: 15, p50Ms: 3, accountedPercent: 100, cpuPercent: 50 },
    },
    {
      kind: 'cursor-load',
      name: 's2',
      title: 'S2 plenary board: 500 people in one board, 10 % moving their cursor at 3 Hz',
      notApplicable: {},
      rooms: 1,
      clientsPerRoom: 500,
      activePerRoom: 50,
      cursorsPerSecond: 3,
      draggersPerRoom: 0,
      dragsPerSecond: 0,
      observersPerRoom: 500,
      targets: { p99Ms: 100, accountedPercent: 100, cpuPercent: 60, rssMb: 200 },
    },
    {
      kind: 'sweep',
      name: 'sweep',
      title: `Latency sweep: one board with ${timing.sweepPoints.join('/')} people, all moving their cursor at 10 Hz`,
      notApplicable: {},
      clients: timing.sweepPoints,
      cursorsPerSecond: 10,
      observersPerRoom: 50,
    },
    // The sweep's 200-client point is this very load: when the sweep ran, its figures are reused.
    {
      kind: 'cursor-load',
      name: 's2-stretch',
      title: 'S2 stretch: 200 people in one board, all moving their cursor at 10 Hz',
      notApplicable: {},
      rooms: 1,
      clientsPerRoom: 200,
      activePerRoom: 200,
      cursorsPerSecond: 10,
      draggersPerRoom: 0,
      dragsPerSecond: 0,
      observersPerRoom: 50,
      targets: { p99Ms: 50 },
    },
    s3a('s3a', 'S3a hackathon steady state: 500 people over 50 boards of 10, 20 % moving their cursor at 10 Hz'),
    {
      ...s3a('s3b', 'S3b hackathon busy: 500 people over 50 boards of 10, all at 10 Hz, plus two shape drags per board at 30 Hz'),
      activePerRoom: 10,
      draggersPerRoom: 2,
      dragsPerSecond: 30,
      targets: { p99Ms: 50, cpuPercent: 85 },
    },
    {
      kind: 'suite-join',
      name: 's4',
      title: 'S4 join: one person opens a 5,000-shape board',
      notApplicable: { relay: NO_DOCUMENT },
      shapes: 5000,
      repeats: timing.joinRepeats,
      chromiumRepeats: timing.chromiumRepeats,
      targets: { syncMs: 250, wireBytes: 300 * 1024, chromiumMs: 1500 },
    },
    {
      kind: 'herd',
      name: 's5a',
      title: 'S5a kickoff herd: 50 people open one 5,000-shape board at once',
      notApplicable: { relay: NO_DOCUMENT },
      rooms: 1,
      joinersPerRoom: 50,
      shapes: 5000,
      targets: { allServedMs: 500 },
    },
    {
      kind: 'herd',
      name: 's5b',
      title: 'S5b kickoff herd: 500 people open 50 boards of 2,000 shapes at once',
      notApplicable: { relay: NO_DOCUMENT },
      rooms: 50,
      joinersPerRoom: 10,
      shapes: 2000,
      targets: { allServedMs: 2500 },
    },
    {
      kind: 'push',
      name: 's6',
      title: 'S6 template push: 200 shapes into 50 boards of 2,000 shapes while S3a runs',
      notApplicable: { relay: 'holds no document to write a template into' },
      background: s3a('s6', 'S3a'),
      shapes: 2000,
      // A push holds the sheets made ahead back (SheetsAhead's busy): made, they would only load the baseline.
      sheetsAhead: false,
      targets: { doneMs: 250, stallMs: 50, p99Ratio: 2 },
    },
    {
      kind: 'export',
      name: 's7',
      title: 'S7 export while live: the event export (50 boards of 2,000 shapes) while S3a runs, its sheets made ahead but one',
      notApplicable: NO_EXPORT,
      background: s3a('s7', 'S3a'),
      shapes: 2000,
      sheetsAhead: true,
      lastChange: true,
      targets: { doneMs: 1000, p99Ratio: 2 },
    },
    {
      kind: 'export',
      name: 's7-cold',
      title: 'S7 cold: the same export with no sheet made ahead (SHEETS_AHEAD_DELAY_MS=0): every board read and typeset',
      notApplicable: NO_EXPORT,
      background: s3a('s7-cold', 'S3a'),
      shapes: 2000,
      sheetsAhead: false,
      targets: { doneMs: 1000, p99Ratio: 2 },
    },
    {
      kind: 'idle',
      name: 's8',
      title: 'S8 memory and idle: 500 idle connections on 50 boards of 2,000 shapes; unload; connect/disconnect churn',
      notApplicable: {},
      rooms: 50,
      connectionsPerRoom: 10,
      shapes: 2000,
      churnCycles: timing.churnCycles,
      churnConcurrency: 40,
      targets: { rssMb: 250, idleCpuPercent: 2, unloadSeconds: 60, growthPercent: 5 },
    },
  ]
}
