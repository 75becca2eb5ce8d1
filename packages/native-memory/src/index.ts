import { createRequire } from 'node:module'

interface NativeMemory {
  trimHeap(): boolean
  trimHeapAsync(): Promise<boolean>
  hasTrim(): boolean
  reduceV8Heap(): boolean
}

/** Where `pnpm install` builds the addon (see build.mjs), in this package. */
export const ADDON_PATH = 'packages/native-memory/build/Release/native_memory.node'

function load(): { addon: NativeMemory } | { error: string } {
  try {
    // Through the package's own exports ("./addon"), so that the same line finds it from this
    // source and from the server's bundle (server/dist), which depends on this package.
    const addon = createRequire(import.meta.url)('@fabrique/native-memory/addon') as NativeMemory
    return addon.hasTrim() ? { addon } : { error: 'this C library has no malloc_trim (not glibc)' }
  } catch (error) {
    return { error: `the addon is not built (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` }
  }
}

const loaded = load()

/**
 * Gives the free pages of the C heap back to the system (glibc's `malloc_trim(0)`); undefined when
 * this process cannot (see `heapTrimUnavailable`). Node's buffers and Yjs's updates live there: once
 * they are freed, glibc keeps their pages, in the middle of its heap, for later allocations.
 */
export const trimHeap: (() => boolean) | undefined = 'addon' in loaded ? () => loaded.addon.trimHeap() : undefined

/** The same on a thread of libuv's pool: the event loop goes on meanwhile. */
export const trimHeapAsync: (() => Promise<boolean>) | undefined = 'addon' in loaded ? () => loaded.addon.trimHeapAsync() : undefined

/**
 * A full collection of V8's heap that also compacts it and gives the pages it no longer needs back
 * to the system (V8 told, for that one collection, that memory is critically short); undefined
 * without the addon. A forced `gc()` keeps fragmented old-space pages committed: 116 MB for 32 MB
 * of live objects once a server's boards all rested (S8). It pauses the event loop longer than
 * `gc()` (~1.5× in a test here).
 */
export const reduceV8Heap: (() => void) | undefined = 'addon' in loaded ? () => void loaded.addon.reduceV8Heap() : undefined

/** Why `trimHeap` is undefined, for the server's log. */
export const heapTrimUnavailable: string | undefined = 'error' in loaded ? loaded.error : undefined
