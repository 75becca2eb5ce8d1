/**
 * The binding benchmarks, run in a canvas worker process: two peers, each a tldraw store bound to
 * a Y.Doc, with the updates of one handed to the other by the benchmark (no network, no server: what
 * is measured is the binding and Yjs). Two layouts: Fabrique's (bindBoard, one Yjs entry per field)
 * and tldraw's whole-record YKeyValue (wholeRecordPeer.ts).
 */
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { jsonEqual } from '../../packages/board/src/layout.ts'
import { NETWORK, Network } from '../../packages/board/src/testing.ts'
import { boardShapes, COLOURS, collectGarbage, pickRandom, type Shape, type Store, seededRandom } from './canvasFixtures.ts'
import type { ServerKind } from './servers.ts'
import type { BindingBatchScenario, DragBytesScenario } from './settings.ts'
import { median } from './stats.ts'
import { WholeRecordPeer } from './wholeRecordPeer.ts'

const LAYOUTS: Record<ServerKind, string> = { fabrique: 'fields (bindBoard)', reference: 'whole-record YKeyValue' }

/** A writer and a reader peer, synced, whatever the layout. */
interface Pair {
  writer: Store
  reader: Store
  writerDoc: Y.Doc
  readerDoc: Y.Doc
  /** Changes the writer's store and writes the change to its document, as tldraw does each frame. */
  edit(fn: (store: Store) => void): void
  /** The updates the writer produced since the last call. */
  takeUpdates(): Uint8Array[]
  /** Applies an update to the reader's document, as its WebSocket provider does. */
  deliver(update: Uint8Array): void
  /** Time the reader's store spent in mergeRemoteChanges since the last reset. */
  storeMs: { value: number }
  dispose(): void
}

/** Accumulates the time a store spends in mergeRemoteChanges (benchmark instrumentation only). */
function timeMerges(store: Store): { value: number } {
  const spent = { value: 0 }
  const merge = store.mergeRemoteChanges.bind(store)
  store.mergeRemoteChanges = (fn: () => void) => {
    const start = performance.now()
    try {
      merge(fn)
    } finally {
      spent.value += performance.now() - start
    }
  }
  return spent
}

function fabriquePair(): Pair {
  const network = new Network()
  const a = network.addPeer('a')
  const b = network.addPeer('b')
  a.binding.start()
  network.deliverAll()
  b.binding.start()
  network.settle()
  return {
    writer: a.store,
    reader: b.store,
    writerDoc: a.doc,
    readerDoc: b.doc,
    edit: (fn) => a.edit(fn),
    takeUpdates: () =>
      network.queue
        .splice(0)
        .filter((message) => message.to === b)
        .map((message) => message.update),
    deliver: (update) => Y.applyUpdate(b.doc, update, NETWORK),
    storeMs: timeMerges(b.store),
    dispose() {
      a.binding.dispose()
      b.binding.dispose()
      a.doc.destroy()
      b.doc.destroy()
    },
  }
}

function wholeRecordPair(): Pair {
  const a = new WholeRecordPeer()
  const b = new WholeRecordPeer()
  a.start()
  for (const update of a.outbox.splice(0)) b.receive(update)
  b.start()
  // The reader has a provider too: something listens to its updates (and encodes them), as in Fabrique's peers.
  b.doc.on('update', () => {})
  return {
    writer: a.store,
    reader: b.store,
    writerDoc: a.doc,
    readerDoc: b.doc,
    edit: (fn) => a.edit(fn),
    takeUpdates: () => a.outbox.splice(0),
    deliver: (update) => b.receive(update),
    storeMs: timeMerges(b.store),
    dispose() {
      a.dispose()
      b.dispose()
    },
  }
}

const createPair = (kind: ServerKind): Pair => (kind === 'fabrique' ? fabriquePair() : wholeRecordPair())

function shapeCount(store: Store): number {
  return store.query.records('shape').get().length
}

function deliverAll(pair: Pair): number {
  let bytes = 0
  for (const update of pair.takeUpdates()) {
    bytes += update.length
    pair.deliver(update)
  }
  return bytes
}

// ---- binding-batch ---------------------------------------------------------------------------

export interface Spread {
  median: number
  min: number
  max: number
}

const spread = (values: number[]): Spread => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) })

export interface BatchSample {
  /** Y.applyUpdate on the reader, whole. */
  applyMs: number
  /** Decoding the update and integrating it into the document, up to the observers. */
  integrateMs: number
  /**
   * The binding, including the store's mergeRemoteChanges: in Yjs's observers, and once Yjs has
   * finished the transaction when the binding waits for it (local changes not yet written first).
   */
  observersMs: number
  storeMs: number
  /** Yjs after the observers: garbage collection, struct merging, update events. */
  cleanupMs: number
  /** On the writer: the store change written into its document. */
  writerMs: number
  updateBytes: number
  /** Changed shapes that the reader's store holds exactly as the writer's. */
  correct: number
}

export interface BindingBatchResult {
  kind: 'binding-batch'
  layout: string
  shapes: number
  changed: number
  warmups: number
  /** The board before the batch, as a Yjs update. */
  docBytes: number
  applyMs: Spread
  integrateMsMedian: number
  observersMsMedian: number
  storeMsMedian: number
  cleanupMsMedian: number
  writerMsMedian: number
  updateBytesMedian: number
  minCorrect: number
  samples: BatchSample[]
}

/** Times one Y.applyUpdate on the reader, split by Yjs's own transaction events. */
function timeApply(pair: Pair, update: Uint8Array): Omit<BatchSample, 'writerMs' | 'updateBytes' | 'correct'> {
  const doc = pair.readerDoc
  let outer: Y.Transaction | undefined
  let integrated = Number.NaN
  let observed = Number.NaN
  const beforeObservers = (transaction: Y.Transaction) => {
    if (outer) return
    outer = transaction
    integrated = performance.now()
  }
  const afterTransaction = (transaction: Y.Transaction) => {
    if (transaction === outer) observed = performance.now()
  }
  // Registered before the apply, so called before what the binding leaves for after the transaction.
  let finished = Number.NaN
  const afterAllTransactions = () => {
    if (Number.isNaN(finished)) finished = performance.now()
  }
  doc.on('beforeObserverCalls', beforeObservers)
  doc.on('afterTransaction', afterTransaction)
  doc.on('afterAllTransactions', afterAllTransactions)
  pair.storeMs.value = 0
  const start = performance.now()
  pair.deliver(update)
  const end = performance.now()
  doc.off('beforeObserverCalls', beforeObservers)
  doc.off('afterTransaction', afterTransaction)
  doc.off('afterAllTransactions', afterAllTransactions)
  return {
    applyMs: end - start,
    integrateMs: integrated - start,
    observersMs: observed - integrated + (end - finished),
    storeMs: pair.storeMs.value,
    cleanupMs: finished - observed,
  }
}

/**
 * Each run on a fresh pair of peers: the writer puts the board in one transaction, the reader
 * receives it (one update, as a newcomer's sync brings it); then the writer moves and recolours
 * `changed` shapes picked at random in one store transaction, and the reader applies that update.
 */
/**
 * Between runs, longer than a frame: tldraw's store schedules its listeners for the next animation
 * frame, and a pair's pending frames hold on to its stores and documents. In a synchronous loop
 * they never ran, every pair stayed reachable, and the heap grew ~12 MB a run: the later applies
 * ran with V8 marking a large heap (a run took 26 ms on a clean heap, up to 99 ms ten runs later).
 */
const BETWEEN_RUNS_MS = 50

export async function runBindingBatch(scenario: BindingBatchScenario, kind: ServerKind): Promise<BindingBatchResult> {
  const samples: BatchSample[] = []
  let docBytes = 0
  for (let run = 0; run < scenario.warmups + scenario.repeats; run++) {
    const pair = createPair(kind)
    try {
      const shapes = boardShapes(pair.writer, scenario.shapes)
      pair.edit((store) => store.put(shapes))
      deliverAll(pair)
      if (shapeCount(pair.reader) !== scenario.shapes) throw new Error(`the reader has ${shapeCount(pair.reader)} shapes, not ${scenario.shapes}`)
      docBytes = Y.encodeStateAsUpdate(pair.writerDoc).length

      const chosen = pickRandom(shapes, scenario.changed, seededRandom(1000 + run))
      // Never the default colour (black), so that every chosen shape changes colour.
      const color = COLOURS[1 + (run % (COLOURS.length - 1))]
      const changed = chosen.map((shape) => {
        const current = pair.writer.get(shape.id) as Shape
        return { ...current, x: current.x + 37.5, y: current.y - 12.25, props: { ...current.props, color } } as Shape
      })
      collectGarbage()
      const writeStart = performance.now()
      pair.edit((store) => store.put(changed))
      const writerMs = performance.now() - writeStart
      const updates = pair.takeUpdates()
      const update = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates)

      collectGarbage()
      const timing = timeApply(pair, update)
      const correct = chosen.filter((shape) => jsonEqual(pair.reader.get(shape.id), pair.writer.get(shape.id))).length
      if (run >= scenario.warmups) samples.push({ ...timing, writerMs, updateBytes: update.length, correct })
      process.stderr.write(`    ${run < scenario.warmups ? 'warm-up' : `run ${run - scenario.warmups + 1}`}: apply ${timing.applyMs.toFixed(1)} ms (${correct}/${scenario.changed} correct)\n`)
    } finally {
      pair.dispose()
    }
    await new Promise((resolve) => setTimeout(resolve, BETWEEN_RUNS_MS))
  }
  const med = (get: (sample: BatchSample) => number) => median(samples.map(get))
  return {
    kind: 'binding-batch',
    layout: LAYOUTS[kind],
    shapes: scenario.shapes,
    changed: scenario.changed,
    warmups: scenario.warmups,
    docBytes,
    applyMs: spread(samples.map((sample) => sample.applyMs)),
    integrateMsMedian: med((sample) => sample.integrateMs),
    observersMsMedian: med((sample) => sample.observersMs),
    storeMsMedian: med((sample) => sample.storeMs),
    cleanupMsMedian: med((sample) => sample.cleanupMs),
    writerMsMedian: med((sample) => sample.writerMs),
    updateBytesMedian: med((sample) => sample.updateBytes),
    minCorrect: Math.min(...samples.map((sample) => sample.correct)),
    samples,
  }
}

// ---- drag-bytes ------------------------------------------------------------------------------

export interface DragBytesResult {
  kind: 'drag-bytes'
  layout: string
  /** Store updates of the dragged note's x and y during the drag. */
  moves: number
  /** Yjs updates the writer produced for them. */
  updates: number
  updateBytes: number
  /** The same updates in y-websocket frames (sync message, update message, length). */
  wireBytes: number
  wireBytesPerMove: Spread
  /** The dragged note as JSON: what a whole-record write carries. */
  recordJsonBytes: number
  growthMoves: number
  docBytesBefore: number
  docBytesAfter: number
  /** The reader's note ended where the writer's did. */
  converged: boolean
}

/** Bytes of the y-websocket message carrying a document update. */
export function frameBytes(update: Uint8Array): number {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0) // messageSync
  syncProtocol.writeUpdate(encoder, update)
  return encoding.length(encoder)
}

/** Where the note is at the i-th move: a wavy line, at fractional coordinates as a zoomed canvas gives. */
function dragPosition(move: number): { x: number; y: number } {
  return { x: 400 + (move % 600) * 1.37, y: 300 + Math.round(120 * Math.sin(move / 15) * 100) / 100 }
}

/**
 * One note dragged: each move is one store update of x and y, written as tldraw does once per
 * animation frame, sent to and applied by the reader. The first seconds × movesPerSecond moves are
 * the drag whose bytes are counted; the moves go on to `growthMoves` to see what the document keeps.
 */
export function runDragBytes(scenario: DragBytesScenario, kind: ServerKind): DragBytesResult {
  const pair = createPair(kind)
  try {
    const shapes = boardShapes(pair.writer, scenario.boardShapes + 1)
    pair.edit((store) => store.put(shapes))
    deliverAll(pair)
    const note = shapes.find((shape) => shape.type === 'note') as Shape
    const docBytesBefore = Y.encodeStateAsUpdate(pair.writerDoc).length

    const dragMoves = scenario.seconds * scenario.movesPerSecond
    const perMove: number[] = []
    let updates = 0
    let updateBytes = 0
    let wireBytes = 0
    for (let move = 0; move < Math.max(dragMoves, scenario.growthMoves); move++) {
      pair.edit((store) => store.put([{ ...(store.get(note.id) as Shape), ...dragPosition(move) }]))
      const sent = pair.takeUpdates()
      if (move < dragMoves) {
        const frames = sent.reduce((sum, update) => sum + frameBytes(update), 0)
        updates += sent.length
        updateBytes += sent.reduce((sum, update) => sum + update.length, 0)
        wireBytes += frames
        perMove.push(frames)
      }
      for (const update of sent) pair.deliver(update)
    }
    const docBytesAfter = Y.encodeStateAsUpdate(pair.writerDoc).length
    const final = pair.writer.get(note.id) as Shape
    const seen = pair.reader.get(note.id) as Shape | undefined
    return {
      kind: 'drag-bytes',
      layout: LAYOUTS[kind],
      moves: dragMoves,
      updates,
      updateBytes,
      wireBytes,
      wireBytesPerMove: { median: median(perMove), min: Math.min(...perMove), max: Math.max(...perMove) },
      recordJsonBytes: Buffer.byteLength(JSON.stringify(final)),
      growthMoves: Math.max(dragMoves, scenario.growthMoves),
      docBytesBefore,
      docBytesAfter,
      converged: seen !== undefined && jsonEqual(seen, final),
    }
  } finally {
    pair.dispose()
  }
}
