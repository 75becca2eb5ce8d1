/**
 * What the benchmark runs and what it expects. Scenario sizes come from the brief (an ideation
 * day: 500 people in 50 boards; a plenary board everyone joins; a board already full of notes).
 * The first scenarios (issues 2 and 3) are here; the suite of issue 12 (s1…s8, sweep) in suiteSettings.ts.
 */
import type { PushScenario } from './pushBench.ts'
import type { SoakScenario } from './soak.ts'
import { ALL_SERVERS, type AnyServer } from './servers.ts'
import { SUITE_NAMES, SUITE_PRESETS, type SuiteName, type SuiteScenario, type SuiteTiming, suiteScenarios } from './suiteSettings.ts'

export const FIRST_NAMES = ['event-load', 'hot-room', 'join', 'binding-batch', 'drag-bytes', 'board-load', 'push', 'export', 'relay'] as const
/** Run only when asked for by name (`--only soak`): never part of the default run. */
export const OPT_IN_NAMES = ['soak'] as const
export const SCENARIO_NAMES = [...FIRST_NAMES, ...SUITE_NAMES, ...OPT_IN_NAMES] as const
export type ScenarioName = (typeof SCENARIO_NAMES)[number]

/** Names that select several scenarios at once. */
const GROUPS: Record<string, ScenarioName[]> = {
  s3: ['s3a', 's3b'],
  s5: ['s5a', 's5b'],
  suite: [...SUITE_NAMES],
  first: [...FIRST_NAMES],
}

/** Clients exchanging document updates and cursor moves in rooms, for a measured while. */
export interface LoadScenario {
  kind: 'load'
  name: ScenarioName
  title: string
  rooms: number
  clientsPerRoom: number
  /** Document updates (one tldraw record set in a Y.Map) per client and second; 0 for none. */
  updatesPerSecond: number
  /** Cursor moves (awareness updates) per client and second. */
  cursorsPerSecond: number
  /** Load-generator processes sharing the clients, so the generator is not the bottleneck. */
  generators: number
  targets: { p99Ms: number; cpuPercent?: number }
}

/** A board pre-filled with records, then fresh clients timed from open to synced. */
export interface JoinScenario {
  kind: 'join'
  name: ScenarioName
  title: string
  records: number
  repeats: number
  targets: { syncMs: number }
}

/**
 * Canvas scenarios (issue 3): the board binding and the browser client rather than the sync
 * server. Each column runs in a fresh Node process; the second column is not @y/websocket-server
 * but the peer the scenario names (tldraw's whole-record layout, or a small board).
 */
export interface BindingBatchScenario {
  kind: 'binding-batch'
  name: ScenarioName
  title: string
  /** Shapes on the board, synced to the receiving peer before the batch. */
  shapes: number
  /** Shapes moved and recoloured in the one store transaction whose update is timed. */
  changed: number
  /** Untimed runs first, for the JIT. */
  warmups: number
  repeats: number
  targets: { applyMs: number }
}

export interface DragBytesScenario {
  kind: 'drag-bytes'
  name: ScenarioName
  title: string
  /** Shapes on the board besides the dragged note. */
  boardShapes: number
  seconds: number
  movesPerSecond: number
  /** Moves of the same note after which the document's growth is measured (the drag included). */
  growthMoves: number
  /** The whole-record layout must send at least this many times more bytes. */
  targets: { fewerBytesRatio: number }
}

export interface BoardLoadScenario {
  kind: 'board-load'
  name: ScenarioName
  title: string
  shapes: number
  /** The second column: the same measure on a small board, to see what the shapes cost. */
  comparisonShapes: number
  repeats: number
  targets: { loadMs: number }
}

/**
 * Issue 7: an event of team boards exported, on the server (text: Markdown and JSON; the ZIP) and
 * in the organiser's browser (the full bundle with pictures of every board).
 */
export interface ExportScenario {
  kind: 'export'
  name: ScenarioName
  title: string
  teams: number
  /** The second column: the same measures on a smaller event, for scale. */
  comparisonTeams: number
  shapesPerBoard: number
  /** Each server request is timed this many times (median reported). */
  serverRepeats: number
  /** How often the progress bar is read during the browser bundle. */
  progressPollMs: number
  targets: { serverMs: number; browserMs: number }
}

/**
 * Issue 8: the spine's event load against one Fabrique instance, then two sharing PostgreSQL and
 * Redis with every board's clients on both: what the relay adds.
 */
export interface RelayScenario {
  kind: 'relay'
  name: ScenarioName
  title: string
  /** The load: event-load's rooms, clients and rates. */
  load: LoadScenario
  /** Also one instance on SQLite (the default storage), in the first column's run. */
  compareSqlite: boolean
  targets: { addedP99Ms: number }
}

export type CanvasScenario = BindingBatchScenario | DragBytesScenario | BoardLoadScenario | ExportScenario
/** A scenario of issues 2 and 3: two columns, Fabrique and one peer. */
export type FirstScenario = LoadScenario | JoinScenario | CanvasScenario | RelayScenario
/** Issue 5's template push (pushBench.ts): Fabrique alone, reported on its own. */
export type Scenario = FirstScenario | SuiteScenario | PushScenario | SoakScenario

/** Names of the two columns of a scenario's table (the runs are keyed fabrique/reference throughout). */
export function columnLabels(scenario: FirstScenario): { fabrique: string; reference: string; ratio: string } {
  switch (scenario.kind) {
    case 'binding-batch':
    case 'drag-bytes':
      return { fabrique: 'Fabrique bindBoard (field layout)', reference: 'Peer: tldraw whole-record YKeyValue', ratio: 'Peer/Fab' }
    case 'board-load':
      return {
        fabrique: `Fabrique, ${scenario.shapes.toLocaleString('en-US')}-shape board`,
        reference: `For scale: Fabrique, ${scenario.comparisonShapes.toLocaleString('en-US')}-shape board (no peer)`,
        ratio: 'Small/Big',
      }
    case 'export':
      return { fabrique: `Fabrique, ${scenario.teams} boards`, reference: `For scale: Fabrique, ${scenario.comparisonTeams} boards`, ratio: 'Small/Big' }
    case 'relay':
      return { fabrique: 'One instance (PostgreSQL)', reference: 'Two instances + Redis relay (PostgreSQL)', ratio: 'Two/One' }
    default:
      return { fabrique: 'Fabrique', reference: '@y/websocket-server 0.1.1', ratio: 'Ref/Fab' }
  }
}

export function isCanvasScenario(scenario: Scenario): scenario is CanvasScenario {
  // S7 is a suite scenario of kind 'export' too: the suite's names come first.
  if (isSuiteScenario(scenario)) return false
  return scenario.kind === 'binding-batch' || scenario.kind === 'drag-bytes' || scenario.kind === 'board-load' || scenario.kind === 'export'
}

export function isSuiteScenario(scenario: Scenario): scenario is SuiteScenario {
  return (SUITE_NAMES as readonly string[]).includes(scenario.name)
}

export interface Settings {
  /** Length of the measuring window of a load scenario. */
  measureSeconds: number
  /** Load before the window: rooms loaded, JIT warm, buffers sized. */
  warmupSeconds: number
  /** After the window the load stops; deliveries arriving later than this count as lost. */
  drainSeconds: number
  generators: number
  /** Longest wait, before each run, for other processes to leave the CPU alone (0: do not wait). */
  quietWaitSeconds: number
  only: ScenarioName[]
  /** Durations of the suite's scenarios (BENCH_SUITE=quick for a short run). */
  suite: SuiteTiming
  /** Copy the chart to docs/bench-latency.svg (--write-docs). */
  writeDocs: boolean
  /** Profile Fabrique's server during its runs (--cpu-prof; figures then include the profiler's cost). */
  cpuProfile: boolean
  /** The suite's servers to run (--servers fabrique,relay); the others' columns say "skipped". */
  servers: AnyServer[]
  /** Length of the soak (BENCH_SOAK_MINUTES). */
  soakMinutes: number
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`)
  return value
}

const USAGE = `pnpm bench [-- --only <names> --servers <servers> --write-docs --cpu-prof]; servers: ${ALL_SERVERS.join(', ')}; names: ${SCENARIO_NAMES.join(', ')}, or ${Object.keys(GROUPS).join(', ')}`

/** `--only a,b`, `--only=a` or BENCH_ONLY=a,b; `--write-docs`, `--cpu-prof`; the `--` that pnpm may forward is ignored. */
function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): { only: ScenarioName[]; writeDocs: boolean; cpuProfile: boolean; servers: AnyServer[] } {
  const names: string[] = []
  let servers: AnyServer[] = [...ALL_SERVERS]
  let writeDocs = false
  let cpuProfile = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--only') names.push(...(argv[++i] ?? '').split(','))
    else if (arg.startsWith('--only=')) names.push(...arg.slice('--only='.length).split(','))
    else if (arg === '--write-docs') writeDocs = true
    else if (arg === '--cpu-prof') cpuProfile = true
    else if (arg === '--servers' || arg.startsWith('--servers=')) {
      const list = (arg === '--servers' ? (argv[++i] ?? '') : arg.slice('--servers='.length)).split(',').map((name) => name.trim())
      const unknown = list.find((name) => !(ALL_SERVERS as readonly string[]).includes(name))
      if (unknown !== undefined) throw new Error(`unknown server "${unknown}" (usage: ${USAGE})`)
      servers = list as AnyServer[]
    }
    else if (arg !== '--') throw new Error(`unknown argument "${arg}" (usage: ${USAGE})`)
  }
  if (names.length === 0 && env.BENCH_ONLY) names.push(...env.BENCH_ONLY.split(','))
  const wanted = new Set<ScenarioName>()
  for (const name of names.map((n) => n.trim()).filter(Boolean)) {
    if ((SCENARIO_NAMES as readonly string[]).includes(name)) wanted.add(name as ScenarioName)
    else if (GROUPS[name]) for (const member of GROUPS[name]) wanted.add(member)
    else throw new Error(`unknown scenario "${name}" (usage: ${USAGE})`)
  }
  const byDefault = SCENARIO_NAMES.filter((name) => !(OPT_IN_NAMES as readonly string[]).includes(name))
  return { only: wanted.size > 0 ? SCENARIO_NAMES.filter((name) => wanted.has(name)) : byDefault, writeDocs, cpuProfile, servers }
}

export function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Settings {
  const presetName = env.BENCH_SUITE || 'default'
  if (presetName !== 'default' && presetName !== 'quick') throw new Error(`BENCH_SUITE must be default or quick, got "${presetName}"`)
  const preset = SUITE_PRESETS[presetName]
  const measureSeconds = numberFromEnv(env, 'BENCH_SECONDS', preset.measureSeconds, 1)
  const warmupSeconds = numberFromEnv(env, 'BENCH_WARMUP_SECONDS', preset.warmupSeconds, 0)
  const drainSeconds = numberFromEnv(env, 'BENCH_DRAIN_SECONDS', preset.drainSeconds, 0.5)
  return {
    measureSeconds,
    warmupSeconds,
    drainSeconds,
    generators: Math.floor(numberFromEnv(env, 'BENCH_GENERATORS', 2, 1)),
    quietWaitSeconds: numberFromEnv(env, 'BENCH_QUIET_WAIT_SECONDS', 3, 0),
    soakMinutes: numberFromEnv(env, 'BENCH_SOAK_MINUTES', 30, 1),
    suite: { ...preset, measureSeconds, warmupSeconds, drainSeconds },
    ...parseArgs(argv, env),
  }
}

export function scenarios(settings: Settings): Scenario[] {
  const all: Scenario[] = [
    {
      kind: 'load',
      name: 'event-load',
      title: 'Event load: 500 clients in 50 boards of 10, 2 updates/s + 10 cursor moves/s each',
      rooms: 50,
      clientsPerRoom: 10,
      updatesPerSecond: 2,
      cursorsPerSecond: 10,
      generators: settings.generators,
      targets: { p99Ms: 50, cpuPercent: 85 },
    },
    {
      kind: 'load',
      name: 'hot-room',
      title: 'Hot room: 100 clients in one board, 10 cursor moves/s each',
      rooms: 1,
      clientsPerRoom: 100,
      updatesPerSecond: 0,
      cursorsPerSecond: 10,
      generators: settings.generators,
      targets: { p99Ms: 50 },
    },
    {
      kind: 'join',
      name: 'join',
      title: 'Join: fresh client on a board of 5,000 records, WebSocket open to synced',
      records: 5000,
      repeats: 10,
      targets: { syncMs: 300 },
    },
    {
      kind: 'binding-batch',
      name: 'binding-batch',
      title: 'Binding batch: a remote transaction changing 1,000 of 5,000 shapes, applied to a peer’s store',
      shapes: 5000,
      changed: 1000,
      warmups: 2,
      repeats: 10,
      targets: { applyMs: 50 },
    },
    {
      kind: 'drag-bytes',
      name: 'drag-bytes',
      title: 'Drag bytes: one person drags a note for 2 s (60 moves/s), bytes sent; document growth after 10,000 moves',
      boardShapes: 100,
      seconds: 2,
      movesPerSecond: 60,
      growthMoves: 10_000,
      targets: { fewerBytesRatio: 3 },
    },
    {
      kind: 'board-load',
      name: 'board-load',
      title: 'Board load (Chromium): a 5,000-shape board from navigation to rendered and synced',
      shapes: 5000,
      comparisonShapes: 50,
      repeats: 3,
      targets: { loadMs: 2000 },
    },
    {
      kind: 'template-push',
      name: 'push',
      title: 'Template push: a 60-shape event template pushed to 50 team boards, 10 with a client connected, 40 not loaded',
      boards: 50,
      connectedBoards: 10,
      shapes: 60,
      repeats: 5,
      targets: { allMs: 2000 },
    },
  ]
  all.push(
    {
      kind: 'export',
      name: 'export',
      title: 'Export (issue 7): an event of 50 team boards of 300 shapes; server Markdown/JSON and ZIP, then the full bundle with pictures in Chromium',
      teams: 50,
      comparisonTeams: 10,
      shapesPerBoard: 300,
      serverRepeats: 3,
      progressPollMs: 500,
      targets: { serverMs: 2000, browserMs: 60_000 },
    },
    {
      kind: 'relay',
      name: 'relay',
      title: 'Relay (issue 8): the event load on one instance, then on two instances sharing PostgreSQL and Redis, each board’s clients on both',
      load: { ...(all.find((scenario) => scenario.name === 'event-load') as LoadScenario), name: 'relay' },
      compareSqlite: true,
      targets: { addedP99Ms: 10 },
    },
  )
  all.push({
    kind: 'soak',
    name: 'soak',
    title: `Soak (issue 9): the event load for ${settings.soakMinutes} min against Fabrique, memory flat`,
    load: { ...(all.find((scenario) => scenario.name === 'event-load') as LoadScenario) },
    minutes: settings.soakMinutes,
    sampleSeconds: 10,
    sliceMinutes: 5,
    warmupMinutes: 2,
    targets: { slopeMbPer10Min: 5, endOverWarmRss: 1.2 },
  })
  const suite: Scenario[] = suiteScenarios(settings.suite)
  // The first scenarios first: S4 reuses board-load's Chromium figures when both run.
  return [...all, ...suite].filter((scenario) => settings.only.includes(scenario.name))
}

export type { SuiteName }
