/**
 * Load-generator process (forked by the benchmark, never inside a server's process). It holds a
 * share of the clients, sends on a steady schedule, times every receipt and reports over IPC.
 * The suite's scenarios (issue 12) are handled by suiteLoadgen.ts.
 */
import * as Y from 'yjs'
import { BenchClient, now, noteRecord, type ReceiptSink, type Stamp } from './client.ts'
import type { Deliveries, FromGenerator, JoinSample, RunJoin, SetupLoad, StartLoad, ToGenerator } from './ipc.ts'
import { type LoopDelay, loopDelayMonitor } from './loopDelay.ts'
import { handleSuiteMessage } from './suiteLoadgen.ts'

/** Clients connecting at once: enough to be quick, few enough not to overflow the accept backlog. */
const CONNECT_CONCURRENCY = 50
/** Scheduler resolution; send times are stamped when sent, so this only bounds jitter. */
const TICK_MS = 5

function reply(message: FromGenerator): void {
  process.send?.(message)
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function urlFor(template: string, board: string): string {
  return template.replace('{board}', board)
}

/** Counts and latencies of one message kind, for sends stamped inside the measuring window. */
class Tally {
  sent = 0
  expected = 0
  received = 0
  superseded = 0
  private samples = new Float64Array(1 << 16)

  record(latencyMs: number): void {
    if (this.received === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2)
      grown.set(this.samples)
      this.samples = grown
    }
    this.samples[this.received++] = latencyMs
  }

  result(): Deliveries {
    return { sent: this.sent, expected: this.expected, received: this.received, superseded: this.superseded, latencies: this.samples.slice(0, this.received) }
  }
}

interface Scheduled {
  client: BenchClient
  roomSize: number
  nextCursor: number
  nextUpdate: number
  /** Cursor moves sent so far. */
  step: number
  /** Document updates sent so far. */
  updates: number
}

class LoadSession {
  private readonly clients: Scheduled[] = []
  private readonly cursors = new Tally()
  private readonly updates = new Tally()
  private window = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY }
  private skippedSends = 0
  /** Our own event-loop delay: a receipt waits for it, so it is part of every latency measured. */
  private readonly loopDelay = loopDelayMonitor()

  constructor(private readonly setup: SetupLoad) {}

  /** Only what was sent inside the window counts; warm-up traffic is ignored. */
  private readonly sink: ReceiptSink = {
    cursor: (stamp, receivedAt, superseded) => {
      this.receipt(this.cursors, stamp, receivedAt)
      // Superseded moves were sent just before this one: counted with its window, give or take one.
      if (this.inWindow(stamp)) this.cursors.superseded += superseded
    },
    update: (stamp, receivedAt) => this.receipt(this.updates, stamp, receivedAt),
  }

  /** Sends and receipts are both classified by the send stamp, so they always match. */
  private inWindow(stamp: Stamp): boolean {
    return stamp.t >= this.window.start && stamp.t <= this.window.end
  }

  private receipt(tally: Tally, stamp: Stamp, receivedAt: number): void {
    if (this.inWindow(stamp)) tally.record(receivedAt - stamp.t)
  }

  async connect(): Promise<void> {
    const started = performance.now()
    const errors: string[] = []
    const queue = [...this.setup.clients]
    const worker = async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        const client = new BenchClient(urlFor(this.setup.urlTemplate, spec.board), spec.id, this.sink)
        try {
          await withTimeout(client.synced, this.setup.timeoutMs, `client ${spec.id} to sync`)
          client.introduce()
          this.clients.push({ client, roomSize: spec.roomSize, nextCursor: 0, nextUpdate: 0, step: 0, updates: 0 })
        } catch (error) {
          errors.push((error as Error).message)
          client.close()
        }
      }
    }
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker))
    reply({ type: 'ready', connected: this.clients.length, failed: errors.length, connectMs: performance.now() - started, errors: errors.slice(0, 5) })
  }

  run(start: StartLoad): void {
    this.window = { start: start.measureStart, end: start.measureEnd }
    const cursorPeriod = 1000 / this.setup.cursorsPerSecond
    const updatePeriod = this.setup.updatesPerSecond > 0 ? 1000 / this.setup.updatesPerSecond : Number.POSITIVE_INFINITY
    // Random phases: people do not move in lockstep, and bursts would measure the generator.
    const t0 = now()
    for (const scheduled of this.clients) {
      scheduled.nextCursor = t0 + Math.random() * cursorPeriod
      scheduled.nextUpdate = t0 + Math.random() * Math.min(updatePeriod, 1000)
    }
    const timer = setInterval(() => this.tick(cursorPeriod, updatePeriod), TICK_MS)
    setTimeout(() => this.loopDelay.reset(), Math.max(0, start.measureStart - now()))
    setTimeout(
      () => {
        clearInterval(timer)
        const loopDelay = this.loopDelay.report()
        setTimeout(() => this.report(loopDelay), start.drainMs)
      },
      Math.max(0, start.measureEnd - now()),
    )
  }

  private tick(cursorPeriod: number, updatePeriod: number): void {
    const t = now()
    if (t > this.window.end) return
    for (const scheduled of this.clients) {
      const { client } = scheduled
      if (!client.isOpen) continue
      if (t >= scheduled.nextCursor) {
        scheduled.step++
        const stamp = { s: client.id, t: now(), n: scheduled.step }
        client.moveCursor((scheduled.step * 13) % 1600, (scheduled.step * 7) % 900, stamp)
        if (this.inWindow(stamp)) this.countSend(this.cursors, scheduled)
        scheduled.nextCursor = this.next(scheduled.nextCursor, cursorPeriod, t)
      }
      if (t >= scheduled.nextUpdate) {
        scheduled.updates++
        const stamp = { s: client.id, t: now(), n: scheduled.updates }
        client.moveNote(scheduled.step, stamp)
        if (this.inWindow(stamp)) this.countSend(this.updates, scheduled)
        scheduled.nextUpdate = this.next(scheduled.nextUpdate, updatePeriod, t)
      }
    }
  }

  private countSend(tally: Tally, scheduled: Scheduled): void {
    tally.sent++
    tally.expected += scheduled.roomSize - 1
  }

  /** Keeps the rate; a generator a whole period behind skips rather than bursts (and says so). */
  private next(due: number, period: number, t: number): number {
    const next = due + period
    if (next >= t) return next
    this.skippedSends += Math.floor((t - next) / period)
    return t + period
  }

  private report(loopDelay: LoopDelay): void {
    let disconnects = 0
    const closeCodes: Record<string, number> = {}
    for (const { client } of this.clients) {
      if (client.lostWith === undefined) continue
      disconnects++
      closeCodes[client.lostWith] = (closeCodes[client.lostWith] ?? 0) + 1
    }
    reply({ type: 'load-result', cursors: this.cursors.result(), updates: this.updates.result(), skippedSends: this.skippedSends, loopDelay, disconnects, closeCodes })
    for (const { client } of this.clients) client.close()
  }
}

/**
 * One client fills the board (as a workshop that has run for a while), then fresh clients with
 * empty documents join one after the other.
 */
async function runJoin(job: RunJoin): Promise<void> {
  const url = urlFor(job.urlTemplate, job.board)
  const writer = new BenchClient(url, 0)
  await withTimeout(writer.synced, job.timeoutMs, 'the pre-filling client to sync')
  const started = performance.now()
  // Chunks of 500 records, as a paste or an imported template would arrive.
  for (let first = 0; first < job.records; first += 500) {
    writer.doc.transact(() => {
      for (let n = first; n < Math.min(job.records, first + 500); n++) writer.records.set(`shape:${n}`, noteRecord(n))
    })
  }
  const joinOnce = async (): Promise<JoinSample> => {
    const client = new BenchClient(url, -1)
    try {
      await withTimeout(client.synced, job.timeoutMs, 'a joining client to sync')
      return {
        connectMs: client.openedAt - client.createdAt,
        syncMs: client.syncedAt - client.openedAt,
        records: client.records.size,
        bytes: client.syncBytes,
      }
    } finally {
      client.close()
    }
  }
  // The writes are still on their way: join (untimed) until a newcomer gets every record.
  const deadline = performance.now() + job.timeoutMs
  while ((await joinOnce()).records < job.records) {
    if (performance.now() > deadline) throw new Error(`the board never reached ${job.records} records`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const prefillMs = performance.now() - started
  const samples: JoinSample[] = []
  for (let i = 0; i < job.repeats; i++) samples.push(await joinOnce())
  const docBytes = Y.encodeStateAsUpdate(writer.doc).byteLength
  writer.close()
  reply({ type: 'join-result', prefillMs, docBytes, samples })
}

let session: LoadSession | undefined

async function handle(message: ToGenerator): Promise<void> {
  switch (message.type) {
    case 'setup-load':
      session = new LoadSession(message)
      await session.connect()
      return
    case 'start-load':
      if (!session) throw new Error('start-load before setup-load')
      session.run(message)
      return
    case 'run-join':
      await runJoin(message)
      return
    default:
      await handleSuiteMessage(message)
  }
}

process.on('message', (message: ToGenerator) => {
  handle(message).catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
})
// Orphaned by a benchmark that died: nothing left to report to.
process.on('disconnect', () => process.exit(0))
