import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { Metrics } from '../metrics.ts'
import v8 from 'node:v8'
import { fullCollection, HEAP_BYTES_PER_ITEM, MemoryReclaimer, type MemoryReclaimerOptions, youngCollection } from './memoryReclaimer.ts'
import { createSyncMetrics } from './syncMetrics.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const reclaimers: MemoryReclaimer[] = []
afterEach(() => {
  for (const reclaimer of reclaimers.splice(0)) reclaimer.dispose()
})

function reclaimer(collections: number[], overrides: { minIntervalMs?: number; trims?: number[]; maxLoopUtilization?: number } = {}) {
  const trims = overrides.trims
  const r = new MemoryReclaimer({
    collect: () => collections.push(performance.now()),
    trimHeap: trims ? () => trims.push(performance.now()) > 0 : undefined,
    trimDelayMs: 40,
    minReleasedBytes: 1000 * HEAP_BYTES_PER_ITEM,
    quietMs: 30,
    minIntervalMs: overrides.minIntervalMs ?? 0,
    maxLoopUtilization: overrides.maxLoopUtilization,
    logger: silentLogger,
    metrics: createSyncMetrics(new Metrics()),
  })
  reclaimers.push(r)
  return r
}

/** A reclaimer that collects once 1,000 items were released and 10 ms passed, with `options` on top. */
function reclaimerWith(options: Partial<MemoryReclaimerOptions>): MemoryReclaimer {
  const r = new MemoryReclaimer({
    collect: () => {},
    minReleasedBytes: 1000 * HEAP_BYTES_PER_ITEM,
    quietMs: 10,
    minIntervalMs: 0,
    logger: silentLogger,
    metrics: createSyncMetrics(new Metrics()),
    ...options,
  })
  reclaimers.push(r)
  return r
}

describe('MemoryReclaimer', () => {
  it('collects once enough was released and things went quiet, once for a batch', async () => {
    const collections: number[] = []
    const r = reclaimer(collections)
    r.noteReleased(600)
    await sleep(80)
    expect(collections).toHaveLength(0)
    r.noteReleased(600)
    r.noteReleased(600)
    await sleep(10)
    r.noteReleased(600)
    expect(collections).toHaveLength(0)
    await sleep(80)
    expect(collections).toHaveLength(1)
    // What was collected is not counted again.
    r.noteReleased(600)
    await sleep(80)
    expect(collections).toHaveLength(1)
  })

  it("trims the C heap once after each collection, a moment later", async () => {
    const collections: number[] = []
    const trims: number[] = []
    const r = reclaimer(collections, { trims })
    r.noteReleased(2000)
    await sleep(50)
    expect(collections).toHaveLength(1)
    expect(trims).toHaveLength(0)
    await sleep(60)
    expect(trims).toHaveLength(1)
    expect((trims[0] as number) - (collections[0] as number)).toBeGreaterThanOrEqual(35)
    r.noteReleased(2000)
    await sleep(150)
    expect(collections).toHaveLength(2)
    expect(trims).toHaveLength(2)
  })

  it('compacts V8 heap after the full collection, then trims the C heap', async () => {
    const steps: string[] = []
    const r = reclaimerWith({
      collect: () => steps.push('collect'),
      compactHeap: () => steps.push('compact'),
      trimHeap: () => steps.push('trim') > 0,
      trimDelayMs: 20,
    })
    r.noteReleased(2000)
    await sleep(20)
    expect(steps).toEqual(['collect'])
    await sleep(60)
    expect(steps).toEqual(['collect', 'compact', 'trim'])
  })

  it('skips the compaction (not the trim) when the server got busy after the collection', async () => {
    const steps: string[] = []
    const r = reclaimerWith({
      collect: () => steps.push('collect'),
      compactHeap: () => steps.push('compact'),
      trimHeap: () => steps.push('trim') > 0,
      trimDelayMs: 80,
      maxLoopUtilization: 0.5,
    })
    r.noteReleased(2000)
    await sleep(30)
    expect(steps).toEqual(['collect'])
    // A push to every board starts meanwhile.
    const until = performance.now() + 70
    while (performance.now() < until) {}
    await sleep(60)
    expect(steps).toEqual(['collect', 'trim'])
  })

  it('reclaims on an idle server whose heap grew unused space, once; not while it is busy or a board is live', async () => {
    const collections: number[] = []
    let unused = 10e6
    let liveBoards = 0
    reclaimerWith({
      collect: () => {
        collections.push(performance.now())
        unused = 10e6
      },
      idleCheckMs: 30,
      idleUtilization: 0.2,
      minUnusedBytes: 48e6,
      unusedBytes: () => unused,
      nothingLive: () => liveBoards === 0,
    })
    await sleep(100)
    expect(collections).toHaveLength(0)
    // A burst of connections grew the young generation, and kept the event loop busy meanwhile.
    unused = 130e6
    const spin = setInterval(() => {
      const until = performance.now() + 9
      while (performance.now() < until) {}
    }, 10)
    try {
      await sleep(150)
      expect(collections).toHaveLength(0)
    } finally {
      clearInterval(spin)
    }
    // Idle, but a board is live: its editing makes and drops the unused space.
    liveBoards = 1
    await sleep(120)
    expect(collections).toHaveLength(0)
    // Nothing live: one reclaim, then nothing while the heap stays as it left it.
    liveBoards = 0
    await sleep(120)
    expect(collections).toHaveLength(1)
    await sleep(120)
    expect(collections).toHaveLength(1)
  })

  it('gives back what starting the server left unused, once idle', async () => {
    const collections: number[] = []
    // Loading and compiling the modules left the heap mostly unused before any board was opened.
    let unused = 70e6
    reclaimerWith({
      collect: () => {
        collections.push(performance.now())
        unused = 5e6
      },
      idleCheckMs: 30,
      idleUtilization: 0.2,
      minUnusedBytes: 32e6,
      unusedBytes: () => unused,
      nothingLive: () => true,
    })
    await sleep(150)
    expect(collections).toHaveLength(1)
    await sleep(100)
    expect(collections).toHaveLength(1)
  })

  it('gives back the start-up heap at once when asked: collection, compaction, trim, and the idle check then finds nothing to do', async () => {
    const steps: string[] = []
    let unused = 70e6
    const r = reclaimerWith({
      collect: () => {
        steps.push('collect')
        unused = 5e6
      },
      compactHeap: () => steps.push('compact'),
      trimHeap: () => steps.push('trim') > 0,
      idleCheckMs: 20,
      idleUtilization: 0.5,
      minUnusedBytes: 32e6,
      unusedBytes: () => unused,
      nothingLive: () => true,
    })
    await r.reclaimStartUp()
    expect(steps).toEqual(['collect', 'compact', 'trim'])
    await sleep(100)
    expect(steps).toEqual(['collect', 'compact', 'trim'])
    // Without a collector (RECLAIM_MEMORY=false) it does nothing.
    const off = reclaimerWith({ collect: undefined, trimHeap: () => steps.push('trim') > 0 })
    await off.reclaimStartUp()
    expect(steps).toHaveLength(3)
  })

  it('logs a trim that failed and goes on', async () => {
    const warnings: string[] = []
    const r = reclaimerWith({
      trimHeap: () => Promise.reject(new Error('no allocator')),
      trimDelayMs: 0,
      logger: { ...silentLogger, warn: (message: string) => warnings.push(message) },
    })
    r.noteReleased(2000)
    await sleep(60)
    expect(warnings).toEqual(['could not give the C heap back'])
  })

  it('waits while the event loop is busy, then collects once it has been quiet', async () => {
    const collections: number[] = []
    const r = reclaimer(collections, { maxLoopUtilization: 0.5 })
    // Keep the loop busy ~80 % of the time, as a push to every board does.
    const spin = setInterval(() => {
      const until = performance.now() + 8
      while (performance.now() < until) {}
    }, 10)
    try {
      r.noteReleased(2000)
      await sleep(150)
      expect(collections).toHaveLength(0)
    } finally {
      clearInterval(spin)
    }
    const quietFrom = performance.now()
    await sleep(120)
    expect(collections).toHaveLength(1)
    expect((collections[0] as number) - quietFrom).toBeGreaterThanOrEqual(0)
  })

  it('leaves at least the minimum interval between two collections', async () => {
    const collections: number[] = []
    const r = reclaimer(collections, { minIntervalMs: 200 })
    r.noteReleased(2000)
    await sleep(60)
    r.noteReleased(2000)
    await sleep(60)
    expect(collections).toHaveLength(1)
    await sleep(250)
    expect(collections).toHaveLength(2)
    expect((collections[1] as number) - (collections[0] as number)).toBeGreaterThanOrEqual(195)
  })

  it('runs a young collection first and the full one once things stayed quiet after it, again after a new release', async () => {
    const steps: string[] = []
    const r = reclaimerWith({ collect: () => steps.push('full'), collectYoung: () => steps.push('young'), settleMs: 60 })
    r.noteReleased(2000)
    await sleep(40)
    expect(steps).toEqual(['young'])
    // A board rests meanwhile: its allocations count again, so the young collection runs again.
    r.noteReleased(2000)
    await sleep(40)
    expect(steps).toEqual(['young', 'young'])
    await sleep(80)
    expect(steps).toEqual(['young', 'young', 'full'])
  })

  // V8 shrinks its young generation when its recent allocation rate is low, which it measures
  // itself: on a machine busy with the other test files (Chromium, servers), one attempt in a few
  // dozen saw the rate still high (a clean-clone CI run, 2026-12-06). Retried, not loosened.
  it('gives V8\'s young generation back: after a young collection and a quiet moment, the full one shrinks it', { retry: 2, timeout: 15_000 }, async () => {
    const youngSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0
    // What resting boards do: allocate fast, much of it alive for a while, so that V8 grows its young generation.
    let held: number[][] = []
    const until = performance.now() + 1500
    while (performance.now() < until) {
      held.push(new Array(64).fill(Math.random()))
      if (held.length > 50_000) held = []
    }
    held = []
    const grown = youngSpace()
    expect(grown).toBeGreaterThanOrEqual(8 * 1024 * 1024)
    const collect = fullCollection()
    const collectYoung = youngCollection()
    const done = new Promise<void>((resolve) => {
      reclaimerWith({
        collect: () => {
          collect?.()
          resolve()
        },
        collectYoung,
        settleMs: 5_500,
        minReleasedBytes: 0,
      }).noteReleased(1)
    })
    await done
    expect(youngSpace()).toBeLessThan(grown / 2)
  })

  it('finds V8 full collection without --expose-gc, and it frees what nothing holds', async () => {
    const collect = fullCollection()
    expect(collect).toBeTypeOf('function')
    let garbage: Uint8Array[] | undefined = Array.from({ length: 64 }, () => new Uint8Array(1024 * 1024).fill(1))
    let finalized = false
    const watched = new FinalizationRegistry<string>(() => {
      finalized = true
    })
    watched.register(garbage, 'garbage')
    garbage = undefined
    collect?.()
    await sleep(20)
    expect(finalized).toBe(true)
  })
})
