/**
 * What the canvas benchmarks share: tldraw records made by tldraw's own schema and default props
 * (through the board package's test helpers, as the binding's own tests make them), boards of notes
 * and geo shapes, and the one browser API tldraw's store needs in Node.
 */
import { createStore, PAGE_ID, shapeRecord } from '../../packages/board/src/testing.ts'

export type Store = ReturnType<typeof createStore>
export type TLRecord = ReturnType<Store['allRecords']>[number]
export type Shape = ReturnType<typeof shapeRecord>

/**
 * tldraw's store delivers its changes to listeners once per animation frame. Node has no frames:
 * a 16 ms timer stands in (the benchmarks flush explicitly, as tldraw does at each frame).
 * Without it, `store.listen` throws in Node; with it, nothing else needs a DOM.
 */
export function installAnimationFrame(): void {
  globalThis.requestAnimationFrame ??= (callback: FrameRequestCallback) =>
    setTimeout(() => callback(performance.now()), 16) as unknown as number
  globalThis.cancelAnimationFrame ??= (handle: number) => clearTimeout(handle as unknown as NodeJS.Timeout)
}

/** A store as the editor leaves it once mounted: a document record, a page, a camera. */
export function usableStore(): Store {
  const store = createStore()
  ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
  return store
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The i-th of 238,328 increasing fractional-index keys ("c" + three base-62 digits), as tldraw's getIndices gives. */
export function indexKey(i: number): Shape['index'] {
  return `c${BASE62[Math.floor(i / 3844) % 62]}${BASE62[Math.floor(i / 62) % 62]}${BASE62[i % 62]}` as Shape['index']
}

export function richText(text: string) {
  return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
}

/** A board's worth of shapes: notes and rectangles alternating on a grid, each with a short text. */
export function boardShapes(store: Store, count: number): Shape[] {
  const columns = Math.ceil(Math.sqrt(count * 2))
  return Array.from({ length: count }, (_, i) =>
    shapeRecord(store, i % 2 === 0 ? 'note' : 'geo', {
      parentId: PAGE_ID,
      x: (i % columns) * 240,
      y: Math.floor(i / columns) * 240,
      index: indexKey(i),
      props: { richText: richText(`Idée n° ${i + 1}`) },
    }),
  )
}

export const COLOURS = ['black', 'blue', 'green', 'grey', 'light-blue', 'light-green', 'light-red', 'light-violet', 'orange', 'red', 'violet', 'yellow'] as const

/** Deterministic pseudo-random numbers (mulberry32): every run and both layouts see the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct items of `items`, picked at random. */
export function pickRandom<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items]
  for (let i = 0; i < count && i < pool.length; i++) {
    const j = i + Math.floor(random() * (pool.length - i))
    ;[pool[i], pool[j]] = [pool[j] as T, pool[i] as T]
  }
  return pool.slice(0, count)
}

/** Frees what the previous run left, so that a collection does not land inside a timed section. */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}
