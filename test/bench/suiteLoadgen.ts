/**
 * The suite's work inside a load-generator process (loadgen.ts hands it the suite's messages):
 * people moving cursors and dragging shapes, holders writing boards, joiners, a kickoff herd,
 * connect/disconnect churn. Raw events go back to the benchmark, which does the accounting.
 */
import * as Y from 'yjs'
import { FieldMap, fieldKey } from '../../packages/board/src/fieldMap.ts'
import { now, type Stamp } from './client.ts'
import { readFixture } from './fixtures.ts'
import { type LoopDelay, loopDelayMonitor } from './loopDelay.ts'
import { rawJoin } from './rawJoiner.ts'
import type {
  BoardAddress,
  FromSuiteGenerator,
  JoinSample,
  Prefill,
  RunChurn,
  RunHerd,
  RunJoins,
  SuiteClientSpec,
  SuiteSetup,
  SuiteStart,
  SuiteStop,
  ToSuiteGenerator,
} from './suiteIpc.ts'
import { ThinClient } from './thinClient.ts'

/** Scheduler resolution; send times are stamped when sent, so this only bounds jitter. */
const TICK_MS = 5
/** Boards written at once by the holders of one generator. */
const PREFILL_CONCURRENCY = 4

function reply(message: FromSuiteGenerator): void {
  process.send?.(message)
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** A growable flat array of numbers. */
class Series {
  private data = new Float64Array(1 << 14)
  private length = 0

  push(...values: number[]): void {
    if (this.length + values.length > this.data.length) {
      const grown = new Float64Array(this.data.length * 2 + values.length)
      grown.set(this.data.subarray(0, this.length))
      this.data = grown
    }
    for (const value of values) this.data[this.length++] = value
  }

  result(): Float64Array {
    return this.data.slice(0, this.length)
  }
}

/** A shape of its own that a dragger moves: its fields in the board's layout (one entry per field). */
class DraggedShape {
  private readonly doc = new Y.Doc()
  private readonly fields = new FieldMap(this.doc.getArray('records'))
  private readonly id: string

  constructor(
    private readonly client: ThinClient,
    owner: number,
  ) {
    this.id = `shape:bench-drag-${owner}`
    this.doc.on('update', (update: Uint8Array) => this.client.sendUpdate(update))
    const record: Record<string, unknown> = { id: this.id, typeName: 'shape', type: 'note', x: 0, y: 0, rotation: 0, index: 'a1', parentId: 'page:page', isLocked: false, opacity: 1, meta: {} }
    this.fields.write(
      Object.entries(record).map(([field, value]) => [fieldKey(this.id, field), value] as const),
      [],
    )
  }

  /** One frame of a drag: x and y, plus the stamp in the shape's meta (how receivers time it). */
  move(step: number, stamp: Stamp): void {
    this.fields.write(
      [
        [fieldKey(this.id, 'x'), (step * 7) % 1600],
        [fieldKey(this.id, 'y'), (step * 3) % 900],
        [fieldKey(this.id, 'meta'), { s: stamp.s, t: stamp.t, n: stamp.n }],
      ],
      [],
    )
  }
}

interface Person {
  spec: SuiteClientSpec
  client: ThinClient
  drag: DraggedShape | undefined
  nextCursor: number
  nextDrag: number
  nextRenew: number
  cursorSteps: number
  dragSteps: number
  pushesSeen: Set<string>
  allPushesAt: number
}

class LoadSession {
  private readonly people: Person[] = []
  private readonly cursorSends = new Series()
  private readonly dragSends = new Series()
  private readonly cursorReceipts = new Series()
  private readonly dragReceipts = new Series()
  private skippedSends = 0
  private timer: NodeJS.Timeout | undefined
  private readonly loopDelay = loopDelayMonitor()
  private measuredDelay: LoopDelay | undefined
  /** Observers still missing a watched push. */
  private waitingForPushes = 0

  constructor(private readonly setup: SuiteSetup) {}

  async connect(): Promise<void> {
    const started = performance.now()
    const errors: string[] = []
    const queue = [...this.setup.clients]
    const watch = new Set(this.setup.watchPushes)
    const worker = async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        const person: Person = { spec, client: undefined as unknown as ThinClient, drag: undefined, nextCursor: 0, nextDrag: 0, nextRenew: 0, cursorSteps: 0, dragSteps: 0, pushesSeen: new Set(), allPushesAt: Number.NaN }
        person.client = new ThinClient({
          url: spec.url,
          board: spec.board,
          protocol: this.setup.protocol,
          id: spec.id,
          watchPushes: watch.size > 0 ? watch : undefined,
          sink: spec.observer
            ? {
                cursor: (stamp, at) => this.cursorReceipts.push(spec.id, stamp.s, stamp.n, stamp.t, at),
                update: (stamp, at) => this.dragReceipts.push(spec.id, stamp.s, stamp.n, stamp.t, at),
                push: (pushId, at) => {
                  person.pushesSeen.add(pushId)
                  if (person.pushesSeen.size < watch.size || !Number.isNaN(person.allPushesAt)) return
                  person.allPushesAt = at
                  if (--this.waitingForPushes === 0) reply({ type: 'pushes-seen', at })
                },
              }
            : undefined,
        })
        try {
          await withTimeout(person.client.synced, this.setup.timeoutMs, `client ${spec.id} to sync`)
          person.client.sendPresence(null)
          this.people.push(person)
        } catch (error) {
          errors.push((error as Error).message)
          person.client.close()
        }
      }
    }
    await Promise.all(Array.from({ length: this.setup.concurrency }, worker))
    this.waitingForPushes = watch.size > 0 ? this.people.filter((person) => person.spec.observer).length : 0
    reply({ type: 'suite-ready', connected: this.people.length, failed: errors.length, connectMs: performance.now() - started, errors: errors.slice(0, 5) })
  }

  start(start: SuiteStart): void {
    const cursorPeriod = this.setup.cursorsPerSecond > 0 ? 1000 / this.setup.cursorsPerSecond : Number.POSITIVE_INFINITY
    const dragPeriod = this.setup.dragsPerSecond > 0 ? 1000 / this.setup.dragsPerSecond : Number.POSITIVE_INFINITY
    const renewPeriod = this.setup.presenceRenewMs
    // Random phases: people do not move in lockstep, and bursts would measure the generator.
    for (const person of this.people) {
      if (person.spec.dragger) person.drag = new DraggedShape(person.client, person.spec.id)
      person.nextCursor = start.sendStart + Math.random() * Math.min(cursorPeriod, 1000)
      person.nextDrag = start.sendStart + Math.random() * Math.min(dragPeriod, 1000)
      person.nextRenew = start.sendStart + Math.random() * renewPeriod
    }
    setTimeout(() => this.loopDelay.reset(), Math.max(0, start.measureStart - now()))
    this.timer = setInterval(() => this.tick(cursorPeriod, dragPeriod, renewPeriod), TICK_MS)
  }

  private tick(cursorPeriod: number, dragPeriod: number, renewPeriod: number): void {
    const t = now()
    for (const person of this.people) {
      const { client, spec } = person
      if (!client.isOpen) continue
      if (spec.active && t >= person.nextCursor) {
        const stamp = { s: spec.id, t: now(), n: ++person.cursorSteps }
        client.sendPresence({ x: (stamp.n * 13) % 1600, y: (stamp.n * 7) % 900, stamp })
        this.cursorSends.push(stamp.s, stamp.n, stamp.t)
        person.nextCursor = this.next(person.nextCursor, cursorPeriod, t)
      } else if (!spec.active && t >= person.nextRenew) {
        // y-protocols' Awareness renews a state every 15 s, so that others do not drop it as gone.
        client.sendPresence(null)
        person.nextRenew = person.nextRenew + renewPeriod
      }
      if (person.drag && t >= person.nextDrag) {
        const stamp = { s: spec.id, t: now(), n: ++person.dragSteps }
        person.drag.move(stamp.n, stamp)
        this.dragSends.push(stamp.s, stamp.n, stamp.t)
        person.nextDrag = this.next(person.nextDrag, dragPeriod, t)
      }
    }
  }

  /** Keeps the rate; a generator a whole period behind skips rather than bursts (and says so). */
  private next(due: number, period: number, t: number): number {
    const next = due + period
    if (next >= t) return next
    this.skippedSends += Math.floor((t - next) / period)
    return t + period
  }

  async stop(stop: SuiteStop): Promise<void> {
    clearInterval(this.timer)
    this.measuredDelay = this.loopDelay.report()
    await new Promise((resolve) => setTimeout(resolve, stop.drainMs))
    let disconnects = 0
    const closeCodes: Record<string, number> = {}
    const pushes = new Series()
    for (const { client, spec, allPushesAt } of this.people) {
      if (client.lostWith !== undefined) {
        disconnects++
        closeCodes[client.lostWith] = (closeCodes[client.lostWith] ?? 0) + 1
      }
      if (spec.observer) pushes.push(spec.id, allPushesAt)
    }
    reply({
      type: 'suite-result',
      cursorSends: this.cursorSends.result(),
      dragSends: this.dragSends.result(),
      cursorReceipts: this.cursorReceipts.result(),
      dragReceipts: this.dragReceipts.result(),
      pushes: pushes.result(),
      skippedSends: this.skippedSends,
      loopDelay: this.measuredDelay,
      disconnects,
      closeCodes,
    })
    if (!stop.keep) this.close()
  }

  close(): void {
    for (const { client } of this.people) client.close()
    this.people.length = 0
  }
}

/** Connects `count` clients to work through `items` at once, each taking the next item. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

const holders: ThinClient[] = []

/** One holder per board writes the board and stays; done once the server has applied all of it. */
async function prefill(job: Prefill): Promise<void> {
  const fixture = readFixture(job.fixtureFile)
  const started = performance.now()
  await inParallel(job.boards, PREFILL_CONCURRENCY, async ({ board, url }, i) => {
    const holder = new ThinClient({ url, board, protocol: job.protocol, id: -1 - i })
    holders.push(holder)
    await withTimeout(holder.synced, job.timeoutMs, `the holder of ${board} to sync`)
    for (const chunk of fixture.chunks) holder.sendUpdate(chunk)
    // Answered after the chunks, which a connection's messages are handled in order: applied.
    const missing = await withTimeout(holder.requestSync(fixture.stateVector), job.timeoutMs, `the server to take ${board}`)
    if (missing.byteLength > 2 && Y.decodeUpdate(missing).structs.length > 0) throw new Error(`${board}: the server sent back structs it should not have`)
  })
  reply({ type: 'prefill-done', ms: performance.now() - started, boards: job.boards.length })
}

async function runJoins(job: RunJoins): Promise<void> {
  const joinOnce = async (): Promise<JoinSample> => {
    const client = new ThinClient({ url: job.board.url, board: job.board.board, protocol: job.protocol, id: -1000, applySync: true, deflate: true })
    try {
      await withTimeout(client.synced, job.timeoutMs, 'a joining client to sync')
      return {
        connectMs: client.openedAt - client.createdAt,
        receivedMs: client.syncReceivedAt - client.openedAt,
        syncedMs: client.syncAppliedAt - client.openedAt,
        messageBytes: client.syncBytes,
        wireBytes: client.syncWireBytes,
        entries: client.syncedEntries,
      }
    } finally {
      client.close()
    }
  }
  // One untimed join first: the JIT, not the server, would own the first figure.
  await joinOnce()
  const samples: JoinSample[] = []
  for (let i = 0; i < job.repeats; i++) samples.push(await joinOnce())
  reply({ type: 'joins-done', samples })
}

async function runHerd(job: RunHerd): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - now())))
  const errors: string[] = []
  const results = await Promise.all(
    job.joiners.map(({ board, url }) =>
      rawJoin(url, board, job.protocol, job.timeoutMs).catch((error: Error) => {
        errors.push(error.message)
        return undefined
      }),
    ),
  )
  const servedMs = Float64Array.from(results, (result) => (result ? result.servedAt - job.startAt : Number.NaN))
  const openMs = Float64Array.from(results, (result) => (result ? result.openedAt - job.startAt : Number.NaN))
  const bytes = results.reduce((sum, result) => sum + (result?.bytes ?? 0), 0)
  reply({ type: 'herd-done', servedMs, openMs, bytes, errors: errors.slice(0, 5) })
}

async function runChurn(job: RunChurn): Promise<void> {
  const fixture = readFixture(job.fixtureFile)
  const started = performance.now()
  const errors: string[] = []
  let failures = 0
  const cycles: BoardAddress[] = Array.from({ length: job.cycles }, (_, i) => job.boards[i % job.boards.length] as BoardAddress)
  await inParallel(cycles, job.concurrency, async ({ board, url }, i) => {
    const client = new ThinClient({ url, board, protocol: job.protocol, id: 1_000_000 + i, stateVector: fixture.stateVector })
    try {
      await withTimeout(client.synced, job.timeoutMs, `churn client on ${board} to sync`)
      client.sendPresence(null)
      client.leave()
      await withTimeout(client.closed, job.timeoutMs, 'the server to close')
    } catch (error) {
      failures++
      if (errors.length < 5) errors.push((error as Error).message)
      client.close()
    }
  })
  reply({ type: 'churn-done', cycles: job.cycles, failures, ms: performance.now() - started, errors })
}

let session: LoadSession | undefined

export async function handleSuiteMessage(message: ToSuiteGenerator): Promise<void> {
  switch (message.type) {
    case 'suite-setup':
      session?.close()
      session = new LoadSession(message)
      await session.connect()
      return
    case 'suite-start':
      if (!session) throw new Error('suite-start before suite-setup')
      session.start(message)
      return
    case 'suite-stop':
      if (!session) throw new Error('suite-stop before suite-setup')
      await session.stop(message)
      return
    case 'prefill':
      await prefill(message)
      return
    case 'run-joins':
      await runJoins(message)
      return
    case 'run-herd':
      await runHerd(message)
      return
    case 'run-churn':
      await runChurn(message)
      return
    case 'close-all':
      session?.close()
      session = undefined
      for (const holder of holders.splice(0)) holder.close()
      reply({ type: 'closed' })
      return
  }
}
