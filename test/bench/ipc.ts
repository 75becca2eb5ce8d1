import type { LoopDelay } from './loopDelay.ts'
import type { FromSuiteGenerator, ToSuiteGenerator } from './suiteIpc.ts'

/**
 * Messages between the benchmark (parent) and its load-generator processes. They travel over the
 * fork() channel with `serialization: 'advanced'`, so latency samples go as Float64Arrays rather
 * than hundreds of thousands of JSON numbers.
 */

/** One simulated person: a global id (embedded in what it sends), its board and that board's size. */
export interface ClientSpec {
  id: number
  board: string
  /** Clients in the whole room, over every generator: each send is expected roomSize - 1 times. */
  roomSize: number
}

export interface SetupLoad {
  type: 'setup-load'
  /** WebSocket URL with `{board}` where the board id goes. */
  urlTemplate: string
  clients: ClientSpec[]
  updatesPerSecond: number
  cursorsPerSecond: number
  timeoutMs: number
}

/** Times are epoch milliseconds (performance.timeOrigin + performance.now()), shared by processes. */
export interface StartLoad {
  type: 'start-load'
  measureStart: number
  measureEnd: number
  drainMs: number
}

export interface RunJoin {
  type: 'run-join'
  urlTemplate: string
  board: string
  records: number
  repeats: number
  timeoutMs: number
}

/** The first scenarios' messages, then the suite's (suiteIpc.ts). */
export type ToGenerator = SetupLoad | StartLoad | RunJoin | ToSuiteGenerator

export interface Ready {
  type: 'ready'
  connected: number
  failed: number
  /** How long connecting and syncing every client of this generator took. */
  connectMs: number
  errors: string[]
}

/** Deliveries of one kind of message (cursor moves or document updates) sent inside the window. */
export interface Deliveries {
  sent: number
  /** Sum over sends of (room size - 1): what a lossless server delivers. */
  expected: number
  received: number
  /** Never received, but replaced by a later message of the same sender that was (coalesced). */
  superseded: number
  /** Milliseconds from send to receipt, one per receipt. */
  latencies: Float64Array
}

export interface LoadResult {
  type: 'load-result'
  cursors: Deliveries
  updates: Deliveries
  /** Sends the generator could not make on time (it was behind by a whole period): it was saturated. */
  skippedSends: number
  /** This generator's event-loop delay over the window. */
  loopDelay: LoopDelay
  /** Sockets closed by the server or the network during the run. */
  disconnects: number
  closeCodes: Record<string, number>
}

export interface JoinSample {
  /** new WebSocket() to the open event. */
  connectMs: number
  /** Open to sync step 2 received and applied: what the target is about. */
  syncMs: number
  records: number
  /** Size of the sync step 2 message. */
  bytes: number
}

export interface JoinResult {
  type: 'join-result'
  prefillMs: number
  /** Encoded size of the pre-filled document. */
  docBytes: number
  samples: JoinSample[]
}

export interface GeneratorError {
  type: 'error'
  message: string
}

export type FromGenerator = Ready | LoadResult | JoinResult | GeneratorError | FromSuiteGenerator
