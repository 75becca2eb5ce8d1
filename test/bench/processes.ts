/**
 * Every child process the benchmark starts is registered here, so that an error, Ctrl-C or a
 * normal exit kills all of them: a leftover server would skew the next run's figures.
 */
import { type ChildProcess, fork } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FromGenerator, ToGenerator } from './ipc.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const children = new Set<ChildProcess>()
const tempDirs = new Set<string>()

export function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export function trackTempDir(dir: string): string {
  tempDirs.add(dir)
  return dir
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

/** Synchronous, so that it also works from process.on('exit'). */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  children.clear()
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited(child)
  clearTimeout(timer)
}

/** The parent's handle on one load-generator process. */
export class Generator {
  readonly child: ChildProcess
  private readonly inbox: FromGenerator[] = []
  private waiter: (() => void) | undefined
  private exitCode: string | undefined

  constructor() {
    this.child = track(
      fork(path.join(here, 'loadgen.ts'), [], {
        execArgv: ['--import', 'tsx'],
        // Structured clone: latency samples travel as Float64Arrays.
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    )
    this.child.on('message', (message: FromGenerator) => {
      this.inbox.push(message)
      this.waiter?.()
    })
    this.child.once('exit', (code, signal) => {
      this.exitCode = `${code ?? signal}`
      this.waiter?.()
    })
  }

  get pid(): number {
    return this.child.pid as number
  }

  send(message: ToGenerator): void {
    this.child.send(message)
  }

  /** The next message of that type; a generator error, exit or the timeout rejects. */
  async next<T extends FromGenerator['type']>(type: T, timeoutMs: number): Promise<Extract<FromGenerator, { type: T }>> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type || message.type === 'error')
      if (index >= 0) {
        const [message] = this.inbox.splice(index, 1) as [FromGenerator]
        if (message.type === 'error') throw new Error(`load generator failed: ${message.message}`)
        return message as Extract<FromGenerator, { type: T }>
      }
      if (this.exitCode !== undefined) throw new Error(`load generator exited (${this.exitCode}) before sending ${type}`)
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`load generator sent no ${type} within ${Math.round(timeoutMs / 1000)} s`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.waiter = undefined
    }
  }

  async stop(): Promise<void> {
    // It exits by itself once the IPC channel closes; SIGKILL if it is too busy to notice.
    if (this.child.connected) this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000)
    await exited(this.child)
    clearTimeout(timer)
  }
}
