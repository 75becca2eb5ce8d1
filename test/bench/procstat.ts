/**
 * CPU and memory of a process, read from /proc: what the process used, whatever it is (a server
 * cannot be asked to measure itself, and the reference server has no metrics endpoint).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

/** Clock ticks per second of utime/stime (USER_HZ); 100 on nearly every Linux. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** Seconds of CPU (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 (utime) and 15 (stime) of proc(5); fields[0] is field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

/** Resident memory now, in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]
  return kib ? Number(kib) * 1024 : 0
}

export interface Usage {
  /** CPU used during the window. */
  cpuSeconds: number
  /** Average over the window, in % of one core (200% = two cores busy). */
  cpuPercent: number
  /** Busiest one-second interval of the window. */
  cpuPeakPercent: number
  rssMaxBytes: number
}

/** Samples a process once a second between start() and stop(). */
export class UsageSampler {
  private first = { at: 0, cpu: 0 }
  private last = { at: 0, cpu: 0 }
  private peak = 0
  private rssMax = 0
  private timer: NodeJS.Timeout | undefined

  constructor(readonly pid: number) {}

  start(): void {
    this.first = this.read()
    this.last = this.first
    this.rssMax = rssBytes(this.pid)
    this.timer = setInterval(() => this.sample(), 1000)
  }

  stop(): Usage {
    clearInterval(this.timer)
    this.sample()
    const seconds = (this.last.at - this.first.at) / 1000
    const cpu = this.last.cpu - this.first.cpu
    return {
      cpuSeconds: cpu,
      cpuPercent: seconds > 0 ? (cpu / seconds) * 100 : 0,
      cpuPeakPercent: this.peak,
      rssMaxBytes: this.rssMax,
    }
  }

  private read(): { at: number; cpu: number } {
    return { at: performance.now(), cpu: cpuSeconds(this.pid) }
  }

  private sample(): void {
    try {
      const current = this.read()
      const seconds = (current.at - this.last.at) / 1000
      // Intervals much shorter than a second (the final one) are too coarse for a peak at 10 ms ticks.
      if (seconds >= 0.5) this.peak = Math.max(this.peak, ((current.cpu - this.last.cpu) / seconds) * 100)
      this.last = current
      this.rssMax = Math.max(this.rssMax, rssBytes(this.pid))
    } catch {
      // The process is gone; the run reports that by itself.
    }
  }
}

/** Busy and stolen CPU seconds of the whole machine so far (first line of /proc/stat). */
function machineCpu(): { busy: number; steal: number } {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
  return { busy: (user + nice + system + irq + softirq) / CLOCK_TICKS, steal: steal / CLOCK_TICKS }
}

export interface MachineLoad {
  /** CPU used by processes that are not part of this benchmark, in % of one core. */
  otherPercent: number
  /** CPU the hypervisor gave to other machines, in % of one core. */
  stealPercent: number
}

/**
 * Whatever else runs on the machine during a window: the servers and generators share the cores
 * with it, so a busy neighbour makes every latency of that window worse than the servers deserve.
 */
export class MachineSampler {
  private first = { at: 0, busy: 0, steal: 0, own: 0 }

  start(): void {
    this.first = { at: performance.now(), ...machineCpu(), own: ownCpuSeconds() }
  }

  /** `benchmarkCpuSeconds`: what the benchmark's child processes used during the window. */
  stop(benchmarkCpuSeconds: number): MachineLoad {
    const seconds = (performance.now() - this.first.at) / 1000
    const now = machineCpu()
    const own = ownCpuSeconds() - this.first.own
    const other = now.busy - this.first.busy - benchmarkCpuSeconds - own
    return {
      otherPercent: seconds > 0 ? Math.max(0, (other / seconds) * 100) : 0,
      stealPercent: seconds > 0 ? ((now.steal - this.first.steal) / seconds) * 100 : 0,
    }
  }
}

/** CPU of this (the orchestrating) process. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/**
 * Waits (at most `maxWaitMs`) until the machine's CPU, all processes together, stays under
 * `quietPercent` of one core for `sampleMs` (a second by default). Called between runs, when
 * nothing of ours is running.
 * Returns the busy percentage last seen.
 */
export async function waitForQuietMachine(quietPercent: number, maxWaitMs: number, sampleMs = 1000): Promise<number> {
  const deadline = performance.now() + maxWaitMs
  for (;;) {
    const before = { at: performance.now(), ...machineCpu() }
    await new Promise((resolve) => setTimeout(resolve, sampleMs))
    const after = machineCpu()
    const seconds = (performance.now() - before.at) / 1000
    const busyPercent = ((after.busy - before.busy + after.steal - before.steal) / seconds) * 100
    if (busyPercent < quietPercent || performance.now() >= deadline) return busyPercent
  }
}
