/**
 * The suite's boards (fixtureWorker.ts builds them), built once per run into a temporary directory
 * and read by the load generators from there.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import { exited, track, trackTempDir } from './processes.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface BoardFixture {
  shapes: number
  /** The board as updates of 1,000 shapes each, in order. */
  chunks: Uint8Array[]
  /** The board's state vector: what a returning client sends. */
  stateVector: Uint8Array
  /** Y.encodeStateAsUpdate of the whole board. */
  docBytes: number
  /** Entries of the records array (one per field of each record). */
  entries: number
  /** The sync answer a newcomer gets, uncompressed and with permessage-deflate (raw deflate of the message). */
  syncMessageBytes: number
  deflatedSyncBytes: number
  /** Templates placed on the board after the shapes, one update each (empty when none were asked). */
  templates: { ids: string[]; pushIds: string[]; updates: Uint8Array[]; shapes: number }
}

/**
 * Templates summing to 200 shapes (service blueprint 57, journey map 53, lean canvas 47, problem
 * tree 27, problem statement 16): no template of the catalogue has 200 shapes, so S6 pushes five.
 */
export const PUSH_TEMPLATES = ['service-blueprint', 'journey-map', 'lean-canvas', 'problem-tree', 'problem-statement']

const FIXTURE_TIMEOUT_MS = 180_000
let dir: string | undefined
const building = new Map<string, Promise<string>>()

/** The file holding a board of `shapes` shapes (with the S6 templates when asked), built on first use. */
export function fixtureFile(shapes: number, withTemplates = false): Promise<string> {
  const key = `${shapes}${withTemplates ? '-templates' : ''}`
  let file = building.get(key)
  if (!file) {
    file = buildFixture(key, shapes, withTemplates ? PUSH_TEMPLATES : [])
    building.set(key, file)
  }
  return file
}

async function buildFixture(key: string, shapes: number, templates: string[]): Promise<string> {
  dir ??= trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-bench-fixtures-')))
  const file = path.join(dir, `board-${key}.bin`)
  const started = performance.now()
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtureWorker.ts'), file, String(shapes), ...templates], {
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  )
  const timer = setTimeout(() => child.kill('SIGKILL'), FIXTURE_TIMEOUT_MS)
  await exited(child)
  clearTimeout(timer)
  if (child.exitCode !== 0) throw new Error(`building the ${shapes}-shape board failed (${child.exitCode ?? child.signalCode})`)
  process.stderr.write(`    board of ${shapes.toLocaleString('en-US')} shapes built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  return file
}

const cache = new Map<string, BoardFixture>()

/** Reads a fixture file (once per process). */
export function readFixture(file: string): BoardFixture {
  let fixture = cache.get(file)
  if (!fixture) {
    fixture = v8.deserialize(fs.readFileSync(file)) as BoardFixture
    cache.set(file, fixture)
  }
  return fixture
}
