/**
 * What the suite's runs share, on the benchmark's side: a pool of load generators, the windows in
 * which the server, the generators and the rest of the machine are measured, and the accounting of
 * deliveries from the generators' raw events.
 */
import { now } from './client.ts'
import type { LoopDelay } from './loopDelay.ts'
import { Generator } from './processes.ts'
import { type MachineLoad, MachineSampler, type Usage, UsageSampler } from './procstat.ts'
import type { DeliverySummary } from './scenarios.ts'
import type { RunningServer, WireProtocol } from './servers.ts'
import { summarize } from './stats.ts'
import type { BoardAddress, SuiteClientSpec, SuiteReady, SuiteResult } from './suiteIpc.ts'

/** Connecting and syncing every client of a generator. */
export const CONNECT_TIMEOUT_MS = 120_000
/** One client's connection and first sync (a board of thousands of shapes on a busy server included). */
export const CLIENT_TIMEOUT_MS = 60_000
/** Generators report right after the drain; this is only slack for a swamped event loop. */
const REPORT_SLACK_MS = 60_000

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
export const sleepUntil = (epochMs: number) => sleep(epochMs - now())

/** A board on the server under test; Fabrique's event boards need the facilitator's token. */
export function boardAddress(server: RunningServer, board: string, token?: string): BoardAddress {
  const url = server.urlTemplate.replace('{board}', board)
  return { board, url: token ? `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : url }
}

export interface ReadySummary {
  connected: number
  clients: number
  connectMs: number
  errors: string[]
}

export interface LoadRates {
  cursorsPerSecond: number
  dragsPerSecond: number
  watchPushes?: string[]
}

/** Generators sharing a load: clients dealt round-robin, so every room spans the processes. */
export class GeneratorPool {
  readonly generators: Generator[]
  private shares: SuiteClientSpec[][] = []

  constructor(count: number) {
    this.generators = Array.from({ length: count }, () => new Generator())
  }

  get pids(): number[] {
    return this.generators.map((generator) => generator.pid)
  }

  async setup(protocol: WireProtocol, specs: SuiteClientSpec[], rates: LoadRates): Promise<ReadySummary> {
    this.shares = this.generators.map(() => [])
    specs.forEach((spec, i) => {
      this.shares[i % this.generators.length]?.push(spec)
    })
    this.generators.forEach((generator, i) => {
      generator.send({
        type: 'suite-setup',
        protocol,
        clients: this.shares[i] ?? [],
        cursorsPerSecond: rates.cursorsPerSecond,
        dragsPerSecond: rates.dragsPerSecond,
        presenceRenewMs: 15_000,
        watchPushes: rates.watchPushes ?? [],
        concurrency: 50,
        timeoutMs: CLIENT_TIMEOUT_MS,
      })
    })
    const ready: SuiteReady[] = await Promise.all(this.generators.map((generator) => generator.next('suite-ready', CONNECT_TIMEOUT_MS)))
    return {
      connected: ready.reduce((sum, r) => sum + r.connected, 0),
      clients: specs.length,
      connectMs: Math.max(...ready.map((r) => r.connectMs)),
      errors: ready.flatMap((r) => r.errors),
    }
  }

  start(sendStart: number, measureStart: number): void {
    for (const generator of this.generators) generator.send({ type: 'suite-start', sendStart, measureStart })
  }

  /** Resolves when every observer has every watched push; the time the last one had it. */
  async pushesSeen(timeoutMs: number): Promise<number> {
    const watching = this.generators.filter((_, i) => (this.shares[i] ?? []).some((spec) => spec.observer))
    const seen = await Promise.all(watching.map((generator) => generator.next('pushes-seen', timeoutMs)))
    return Math.max(...seen.map((message) => message.at))
  }

  async stop(drainMs: number, keep = false): Promise<SuiteResult[]> {
    for (const generator of this.generators) generator.send({ type: 'suite-stop', drainMs, keep })
    return Promise.all(this.generators.map((generator) => generator.next('suite-result', drainMs + REPORT_SLACK_MS)))
  }

  /** Holders write the boards, spread over the generators; resolves once the server has applied them. */
  async prefill(protocol: WireProtocol, boards: BoardAddress[], fixtureFile: string): Promise<number> {
    const started = performance.now()
    const shares = this.generators.map((_, i) => boards.filter((_, j) => j % this.generators.length === i))
    this.generators.forEach((generator, i) => {
      if ((shares[i] ?? []).length > 0) generator.send({ type: 'prefill', protocol, boards: shares[i] ?? [], fixtureFile, timeoutMs: CLIENT_TIMEOUT_MS })
    })
    await Promise.all(this.generators.filter((_, i) => (shares[i] ?? []).length > 0).map((generator) => generator.next('prefill-done', 10 * 60_000)))
    return performance.now() - started
  }

  /** Closes every client, holders included (the boards are then empty). */
  async closeClients(): Promise<void> {
    for (const generator of this.generators) generator.send({ type: 'close-all' })
    await Promise.all(this.generators.map((generator) => generator.next('closed', 30_000)))
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.generators.map((generator) => generator.stop()))
  }
}

export interface WindowFigures {
  seconds: number
  server: Usage
  /** Summed over generator processes (% of one core). */
  generatorCpuPercent: number
  machine: MachineLoad
}

/** CPU of the server, of the generators and of the rest of the machine over one window. */
export class WindowMeter {
  private readonly server: UsageSampler
  private readonly generators: UsageSampler[]
  private readonly machine = new MachineSampler()
  private startedAt = 0

  constructor(serverPid: number, generatorPids: number[]) {
    this.server = new UsageSampler(serverPid)
    this.generators = generatorPids.map((pid) => new UsageSampler(pid))
  }

  start(): this {
    this.startedAt = performance.now()
    this.machine.start()
    this.server.start()
    for (const sampler of this.generators) sampler.start()
    return this
  }

  stop(): WindowFigures {
    const server = this.server.stop()
    const generators = this.generators.map((sampler) => sampler.stop())
    const machine = this.machine.stop(server.cpuSeconds + generators.reduce((sum, usage) => sum + usage.cpuSeconds, 0))
    return { seconds: (performance.now() - this.startedAt) / 1000, server, generatorCpuPercent: generators.reduce((sum, usage) => sum + usage.cpuPercent, 0), machine }
  }
}

/**
 * The server's event-loop delay over a window. A server too swamped to answer its probe within
 * `timeoutMs` has had its loop blocked at least that long: a lower bound.
 */
export function serverDelay(server: RunningServer, start: number, end: number, timeoutMs = 30_000): Promise<LoopDelay> {
  return server.loopDelayBetween(start, end, timeoutMs).catch(() => ({ p50: Number.NaN, p99: Number.NaN, max: timeoutMs, atLeast: true }))
}

export function worstDelay(delays: LoopDelay[]): LoopDelay {
  return {
    p50: Math.max(...delays.map((d) => d.p50)),
    p99: Math.max(...delays.map((d) => d.p99)),
    max: Math.max(...delays.map((d) => d.max)),
  }
}

/** Whether a (receiver, sender) pair of client ids counts. */
export type PairFilter = (receiver: number, sender: number) => boolean

export interface Window {
  start: number
  end: number
}

/**
 * Deliveries from the generators' raw events. Expected receipts: each send inside the window, once
 * per observer of the sender's room (the sender excepted). A cursor move that never arrived but was
 * followed by a later move of the same sender that did is superseded (servers may coalesce): that
 * receiver had it, or newer, when the later move arrived, so the move's latency runs to that receipt.
 * Otherwise a server that stalls and then sends only the latest positions would show the latency of
 * the few moves it sent, not how stale everyone's cursors were. A move never delivered counts as
 * infinitely late: if more than 1 % were lost, p99 says "never".
 */
export class Accounting {
  private readonly roomOf = new Map<number, string>()
  private readonly observers = new Map<string, number[]>()

  constructor(
    specs: readonly SuiteClientSpec[],
    private readonly results: readonly SuiteResult[],
  ) {
    for (const spec of specs) {
      this.roomOf.set(spec.id, spec.board)
      if (!spec.observer) continue
      const list = this.observers.get(spec.board) ?? []
      list.push(spec.id)
      this.observers.set(spec.board, list)
    }
  }

  /** `pairs`, when given, keeps only the (receiver, sender) pairs it accepts (sends and receipts alike). */
  cursors(window: Window, pairs?: PairFilter): DeliverySummary {
    return this.deliveries(window, (result) => result.cursorSends, (result) => result.cursorReceipts, true, pairs)
  }

  drags(window: Window, pairs?: PairFilter): DeliverySummary {
    return this.deliveries(window, (result) => result.dragSends, (result) => result.dragReceipts, false, pairs)
  }

  /** Per observer, when it had every watched push (NaN: not all). */
  pushTimes(): number[] {
    const times: number[] = []
    for (const result of this.results) for (let i = 0; i < result.pushes.length; i += 2) times.push(result.pushes[i + 1] as number)
    return times
  }

  private deliveries(
    window: Window,
    sendsOf: (r: SuiteResult) => Float64Array,
    receiptsOf: (r: SuiteResult) => Float64Array,
    coalescable: boolean,
    pairs: PairFilter = () => true,
  ): DeliverySummary {
    const inWindow = (t: number) => t >= window.start && t <= window.end
    /** Send time of each (sender, n). */
    const sentAt = new Map<number, number>()
    const key = (sender: number, n: number) => sender * 4_000_000 + n
    const count = new Map<number, number>()
    for (const result of this.results) {
      const sends = sendsOf(result)
      for (let i = 0; i < sends.length; i += 3) {
        const sender = sends[i] as number
        const t = sends[i + 2] as number
        sentAt.set(key(sender, sends[i + 1] as number), t)
        if (inWindow(t)) count.set(sender, (count.get(sender) ?? 0) + 1)
      }
    }
    let sent = 0
    let expected = 0
    for (const [sender, sends] of count) {
      sent += sends
      const receivers = this.observers.get(this.roomOf.get(sender) ?? '') ?? []
      expected += sends * receivers.filter((receiver) => receiver !== sender && pairs(receiver, sender)).length
    }
    const latencies: number[] = []
    let received = 0
    /** Per (receiver, sender): the last move received. */
    const last = new Map<number, number>()
    for (const result of this.results) {
      const receipts = receiptsOf(result)
      for (let i = 0; i < receipts.length; i += 5) {
        const receiver = receipts[i] as number
        const sender = receipts[i + 1] as number
        const n = receipts[i + 2] as number
        const receivedAt = receipts[i + 4] as number
        if (!pairs(receiver, sender)) continue
        if (inWindow(receipts[i + 3] as number)) {
          latencies.push(receivedAt - (receipts[i + 3] as number))
          received++
        }
        if (!coalescable) continue
        const pair = receiver * 4_000_000 + sender
        for (let skipped = (last.get(pair) ?? 0) + 1; skipped < n; skipped++) {
          const t = sentAt.get(key(sender, skipped))
          if (t !== undefined && inWindow(t)) latencies.push(receivedAt - t)
        }
        last.set(pair, n)
      }
    }
    const accounted = latencies.length
    // Never delivered (nor replaced by a later move that was) before the run ended: infinitely late.
    for (let lost = accounted; lost < expected; lost++) latencies.push(Number.POSITIVE_INFINITY)
    const percent = (value: number) => (expected > 0 ? (value / expected) * 100 : Number.NaN)
    return {
      sent,
      expected,
      received,
      superseded: accounted - received,
      deliveredPercent: percent(received),
      receivedOrSupersededPercent: percent(accounted),
      latencyMs: summarize([latencies]),
    }
  }
}
