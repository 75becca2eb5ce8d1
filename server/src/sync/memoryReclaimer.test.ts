import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { Metrics } from '../metrics.ts'
import { fullCollection, HEAP_BYTES_PER_ITEM, MemoryReclaimer } from './memoryReclaimer.ts'
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

  it('logs a trim that failed and goes on', async () => {
    const warnings: string[] = []
    const r = new MemoryReclaimer({
      collect: () => {},
      trimHeap: () => Promise.reject(new Error('no allocator')),
      trimDelayMs: 0,
      minReleasedBytes: 1000 * HEAP_BYTES_PER_ITEM,
      quietMs: 10,
      minIntervalMs: 0,
      logger: { ...silentLogger, warn: (message: string) => warnings.push(message) },
      metrics: createSyncMetrics(new Metrics()),
    })
    reclaimers.push(r)
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
