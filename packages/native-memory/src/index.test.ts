import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { ADDON_PATH, heapTrimUnavailable, trimHeap, trimHeapAsync } from './index.ts'

const residentKB = () => process.memoryUsage.rss() / 1024

describe('trimHeap', () => {
  it('is built on this (glibc) machine', () => {
    // Not skipped when missing: the server would run without it and keep far more memory.
    expect(
      heapTrimUnavailable,
      `${ADDON_PATH}: run "pnpm install" (it builds the addon with node-gyp; needs a C compiler, make and python3: apt-get install -y build-essential python3)`,
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
