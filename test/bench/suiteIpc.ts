import type { LoopDelay } from './loopDelay.ts'
import type { WireProtocol } from './servers.ts'

/**
 * Messages between the benchmark and its load generators for the suite's scenarios (issue 12).
 * Generators record raw events (each send, each timed receipt, with epoch-ms stamps shared by the
 * processes); the benchmark slices them into windows (a baseline, the seconds of a template push)
 * and does the accounting.
 */

/** One board and how to reach it on the server under test (token included for Fabrique's event boards). */
export interface BoardAddress {
  board: string
  url: string
}

/** One simulated person of a load. */
export interface SuiteClientSpec extends BoardAddress {
  id: number
  /** Moves its cursor at the load's rate; otherwise only announces itself and renews its presence. */
  active: boolean
  /** Decodes and times what it receives; other clients only read the bytes. */
  observer: boolean
  /** Drags a shape of its own at the load's drag rate (document updates). */
  dragger: boolean
}

export interface SuiteSetup {
  type: 'suite-setup'
  protocol: WireProtocol
  clients: SuiteClientSpec[]
  cursorsPerSecond: number
  dragsPerSecond: number
  /** Inactive clients renew their presence this often, as y-protocols' Awareness does (15 s). */
  presenceRenewMs: number
  /** Template pushes the observers watch for in document updates. */
  watchPushes: string[]
  /** Clients connecting at once. */
  concurrency: number
  timeoutMs: number
}

export interface SuiteStart {
  type: 'suite-start'
  /** Epoch ms: sends begin. */
  sendStart: number
  /** Epoch ms: the generator's own event-loop delay is measured from here. */
  measureStart: number
}

/** Stop sending, wait `drainMs` for what is still on its way, report, close the clients unless `keep`. */
export interface SuiteStop {
  type: 'suite-stop'
  drainMs: number
  keep: boolean
}

/** Holders: one client per board writes the board (fixture chunks) and stays connected. */
export interface Prefill {
  type: 'prefill'
  protocol: WireProtocol
  boards: BoardAddress[]
  fixtureFile: string
  timeoutMs: number
}

/** S4: fresh clients join one after the other, each applying the board before it counts as synced. */
export interface RunJoins {
  type: 'run-joins'
  protocol: WireProtocol
  board: BoardAddress
  repeats: number
  timeoutMs: number
}

/** S5: every joiner opens its socket at `startAt`, as a room does when the facilitator says "go". */
export interface RunHerd {
  type: 'run-herd'
  protocol: WireProtocol
  joiners: Array<BoardAddress & { id: number }>
  startAt: number
  timeoutMs: number
}

/** S8: connect, sync (as a returning tab: with the board's state vector), announce, leave; again and again. */
export interface RunChurn {
  type: 'run-churn'
  protocol: WireProtocol
  boards: BoardAddress[]
  cycles: number
  concurrency: number
  fixtureFile: string
  timeoutMs: number
}

/** Closes every client this generator holds (holders included). */
export interface CloseAll {
  type: 'close-all'
}

export type ToSuiteGenerator = SuiteSetup | SuiteStart | SuiteStop | Prefill | RunJoins | RunHerd | RunChurn | CloseAll

export interface SuiteReady {
  type: 'suite-ready'
  connected: number
  failed: number
  connectMs: number
  errors: string[]
}

/**
 * Flat Float64Arrays, so that hundreds of thousands of events cross the IPC channel cheaply.
 * sends: [sender, n, sentAt]…; receipts: [receiver, sender, n, sentAt, receivedAt]…, in the order
 * received (a receiver takes a sender's cursor moves only in increasing n).
 */
export interface SuiteResult {
  type: 'suite-result'
  cursorSends: Float64Array
  dragSends: Float64Array
  cursorReceipts: Float64Array
  dragReceipts: Float64Array
  /** [client, time all watched pushes had arrived (NaN: not all)]… */
  pushes: Float64Array
  skippedSends: number
  loopDelay: LoopDelay
  disconnects: number
  closeCodes: Record<string, number>
}

/** Every observer of this generator has every watched push (sent once, as soon as it is true). */
export interface PushesSeen {
  type: 'pushes-seen'
  at: number
}

export interface PrefillDone {
  type: 'prefill-done'
  ms: number
  boards: number
}

export interface JoinSample {
  /** new WebSocket() → open. */
  connectMs: number
  /** open → the whole answer received. */
  receivedMs: number
  /** open → answer applied: synced. */
  syncedMs: number
  /** The sync answer (uncompressed message). */
  messageBytes: number
  /** Socket bytes from open to the answer: what crossed the wire. */
  wireBytes: number
  /** Entries of the board's records array once synced. */
  entries: number
}

export interface JoinsDone {
  type: 'joins-done'
  samples: JoinSample[]
}

export interface HerdDone {
  type: 'herd-done'
  /** Per joiner, ms from startAt to the whole answer received (NaN: never). */
  servedMs: Float64Array
  /** Per joiner, ms from startAt to the socket open. */
  openMs: Float64Array
  bytes: number
  errors: string[]
}

export interface ChurnDone {
  type: 'churn-done'
  cycles: number
  failures: number
  ms: number
  errors: string[]
}

export interface Closed {
  type: 'closed'
}

export type FromSuiteGenerator = SuiteReady | SuiteResult | PushesSeen | PrefillDone | JoinsDone | HerdDone | ChurnDone | Closed
