/**
 * The canvas scenarios from the parent's side: one worker process per column (canvasWorker.ts),
 * its CPU (and that of its children: esbuild, Chromium) counted as the benchmark's own, so that the
 * machine rows show what else ran meanwhile.
 */
import { fork } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BindingBatchResult, DragBytesResult } from './bindingScenarios.ts'
import type { BoardLoadResult } from './browserScenarios.ts'
import type { ExportResult } from './exportScenario.ts'
import { exited, stopProcess, track } from './processes.ts'
import { cpuSeconds, type MachineLoad, MachineSampler } from './procstat.ts'
import type { FailedRun } from './scenarios.ts'
import type { ServerKind } from './servers.ts'
import type { CanvasScenario } from './settings.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

/** Setting up 12 pairs of 5,000-shape peers, a board and three browser loads, or an event's export, fits within it. */
const WORKER_TIMEOUT_MS = 20 * 60_000

export interface CanvasJob {
  scenario: CanvasScenario
  /** `fabrique`: Fabrique; `reference`: the scenario's peer (see the table's column names). */
  kind: ServerKind
}

export type CanvasResult = BindingBatchResult | DragBytesResult | BoardLoadResult | ExportResult
export type FromCanvasWorker = { type: 'result'; result: CanvasResult } | { type: 'error'; message: string }
export type CanvasRun = CanvasResult & { server: ServerKind; machine: MachineLoad }

/** Pids of a process and all its descendants, from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []))
  return tree
}

/** CPU of a process tree over a window, sampled often enough to catch short-lived children (browser renderers). */
class TreeCpuSampler {
  private readonly first = new Map<number, number>()
  private readonly last = new Map<number, number>()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly root: number) {}

  start(): void {
    for (const pid of processTree(this.root)) this.read(pid, true)
    this.timer = setInterval(() => this.sample(), 250)
  }

  stop(): number {
    clearInterval(this.timer)
    this.sample()
    let total = 0
    for (const [pid, cpu] of this.last) total += cpu - (this.first.get(pid) ?? 0)
    return total
  }

  private sample(): void {
    for (const pid of processTree(this.root)) this.read(pid, false)
  }

  private read(pid: number, atStart: boolean): void {
    try {
      const cpu = cpuSeconds(pid)
      if (atStart) this.first.set(pid, cpu)
      this.last.set(pid, cpu)
    } catch {
      // Gone meanwhile: its last sample stands.
    }
  }
}

export async function runCanvasScenario(scenario: CanvasScenario, kind: ServerKind): Promise<CanvasRun | FailedRun> {
  const job: CanvasJob = { scenario, kind }
  const child = track(
    fork(path.join(here, 'canvasWorker.ts'), [JSON.stringify(job)], {
      // --expose-gc: the worker collects garbage before each timed section. binding-batch times one
      // apply right after that collection: V8 sweeps its pages on helper threads afterwards, and an
      // apply that allocates meanwhile sweeps as it goes (runs of 45-185 ms for the same work,
      // bimodal). Swept within the collection, each apply starts from the same clean heap.
      execArgv: ['--import', 'tsx', '--expose-gc', ...(scenario.kind === 'binding-batch' ? ['--no-concurrent-sweeping'] : [])],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  )
  const machineSampler = new MachineSampler()
  const treeSampler = new TreeCpuSampler(child.pid as number)
  machineSampler.start()
  treeSampler.start()
  let timer: NodeJS.Timeout | undefined
  try {
    const message = await new Promise<FromCanvasWorker>((resolve, reject) => {
      child.once('message', (received: FromCanvasWorker) => resolve(received))
      void exited(child).then(() => reject(new Error(`the canvas worker exited (${child.exitCode ?? child.signalCode}) without a result`)))
      timer = setTimeout(() => reject(new Error(`the canvas worker gave no result within ${WORKER_TIMEOUT_MS / 60_000} min`)), WORKER_TIMEOUT_MS)
    })
    const machine = machineSampler.stop(treeSampler.stop())
    if (message.type === 'error') throw new Error(message.message)
    return { ...message.result, server: kind, machine }
  } catch (error) {
    treeSampler.stop()
    return { kind: 'failed', server: kind, error: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
    await stopProcess(child)
  }
}
