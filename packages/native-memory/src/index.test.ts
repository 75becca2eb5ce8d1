import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { ADDON_PATH, heapTrimUnavailable, reduceV8Heap, trimHeap, trimHeapAsync } from './index.ts'

const residentKB = () => process.memoryUsage.rss() / 1024

describe('trimHeap', () => {
  it('is built on this (glibc) machine', () => {
    // Not skipped when missing: the server would run without it and keep far more memory.
    expect(
      heapTrimUnavailable,
      `${ADDON_PATH}: run "pnpm install" (it builds the addon with node-gyp; needs a C and C++ compiler, make and python3: apt-get install -y build-essential python3)`,
    ).toBeUndefined()
    expect(trimHeap).toBeTypeOf('function')
    expect(trimHeapAsync).toBeTypeOf('function')
  })

  it.each([
    ['on the event loop', async () => trimHeap?.()],
    ['on a thread of the pool', () => trimHeapAsync?.()],
  ])('gives the free pages of a fragmented C heap back to the system, %s', async (_, trim) => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    // 150 MB of 4 KB buffers (malloc'd, below glibc's mmap threshold), every 50th kept: the heap's
    // free pages sit between live chunks, where freeing alone never returns them.
    let buffers: Uint8Array[] | undefined = Array.from({ length: 150 * 256 }, () => new Uint8Array(4096).fill(1))
    const kept = buffers.filter((_, i) => i % 50 === 0)
    buffers = undefined
    gc()
    gc()
    const before = residentKB()
    expect(await trim()).toBe(true)
    const after = residentKB()
    expect(before - after, `RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MB`).toBeGreaterThan(50 * 1024)
    expect(kept.every((buffer) => buffer[4095] === 1)).toBe(true)
  })
})

describe('reduceV8Heap', () => {
  it('gives back the old space a forced collection keeps committed, and keeps what is alive', async () => {
    expect(reduceV8Heap, `${ADDON_PATH}: run "pnpm install" (it builds the addon; needs a C and C++ compiler, make and python3)`).toBeTypeOf('function')
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const oldSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space') as v8.HeapSpaceInfo
    // Two million small objects promoted to the old space as they are made, one in eight kept: once
    // the others are collected, its pages are sparse.
    let all: Array<{ i: number; s: string; a: number[] }> | undefined = []
    const kept: Array<{ i: number; s: string; a: number[] }> = []
    for (let i = 0; i < 2_000_000; i++) {
      const object = { i, s: `n${i}`, a: [i] }
      all.push(object)
      if (i % 8 === 0) kept.push(object)
    }
    all = undefined
    gc()
    gc()
    const before = oldSpace().space_size
    reduceV8Heap?.()
    // The last pages are unmapped by a background task of V8's.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const { space_size: after, space_used_size: used } = oldSpace()
    // Another gc() gives back a fifth of what is committed beyond what is used; this, nearly all.
    const message = `old space: ${Math.round(before / 1e6)} → ${Math.round(after / 1e6)} MB committed, ${Math.round(used / 1e6)} MB used`
    expect(after - used, message).toBeLessThan((before - used) / 2)
    expect(kept.every((object, n) => object.i === n * 8 && object.s === `n${n * 8}` && object.a[0] === n * 8)).toBe(true)
  })
})
