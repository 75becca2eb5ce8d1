/**
 * board-load, run in a canvas worker process: a real Fabrique server (in that process) serving the
 * built client, a board pre-filled by a Node peer through the real binding and y-websocket, then
 * Debian's Chromium opening it in a fresh context (no IndexedDB copy, no HTTP cache) each time.
 */
import fs from 'node:fs'
import { bindBoard } from '@fabrique/board'
import { PROTOCOL_VERSION } from '@fabrique/protocol'
import type { Browser } from 'playwright-core'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { launchBrowser, requireBuiltClient } from '../support/browser.ts'
import { startServer, storedDoc, syncUrl } from '../support/server.ts'
import { nextEvent, waitFor } from '../support/wait.ts'
import { boardShapes, usableStore } from './canvasFixtures.ts'
import type { Spread } from './bindingScenarios.ts'
import type { BoardLoadScenario } from './settings.ts'
import { median } from './stats.ts'

/** Shapes written per transaction while pre-filling: well under the server's 4 MB message limit. */
const PREFILL_CHUNK = 250
const PREFILL_TIMEOUT_MS = 120_000
const LOAD_TIMEOUT_MS = 60_000

/**
 * Milestones of one page load, in ms since the navigation started (the page's time origin). The
 * conditions are noted when first seen at an animation frame: while the main thread is busy
 * there is no frame, so conditions met within one long task are seen together.
 */
export interface LoadMilestones {
  /** The app's scripts loaded and run (module scripts run before DOMContentLoaded). */
  domContentLoaded: number
  wsOpen: number
  /** Arrival of the largest WebSocket message: the sync step 2 carrying the board. */
  syncMessage: number
  syncMessageBytes: number
  editor: number
  synced: number
  shapes: number
  firstShapeInDom: number
  /** Every condition met at once. */
  done: number
  /** Main-thread tasks over 50 ms that started before `done` (PerformanceObserver longtask). */
  longestTaskMs: number
  longTasksMs: number
}

export interface BoardLoadSample {
  /** From the call of page.goto to the moment the page reported every condition met. */
  loadMs: number
  milestones: LoadMilestones
  /** `.tl-shape` elements in the DOM when every condition was first met. */
  domShapes: number
  /** Of these, the ones with their content drawn, and the shapes in view (not culled) then. */
  drawnShapes: number
  inView: number
  pageErrors: string[]
}

export interface BoardLoadResult {
  kind: 'board-load'
  shapes: number
  /** The stored board, as a Yjs update (what the sync step 2 carries). */
  docBytes: number
  prefillMs: number
  loadMs: Spread
  milestonesMedian: LoadMilestones
  minDomShapes: number
  /** Shapes drawn and shapes in view when every condition was met, in the run that drew the fewest. */
  minDrawn: { drawnShapes: number; inView: number }
  pageErrors: string[]
  samples: BoardLoadSample[]
}

type PageMarks = Partial<LoadMilestones> & { domShapes?: number; drawnShapes?: number; inView?: number; tasks?: Array<{ start: number; duration: number }> }
type PageWithMarks = { __benchLoad?: PageMarks }

/**
 * Runs in the page before its scripts (a string: tsx's helpers would not exist in the page). Each
 * animation frame it notes when each condition first held, and `done` when all hold at once. It
 * also notes the WebSocket's opening and its largest message (a subclass of WebSocket that only
 * adds listeners: y-websocket picks it up as the global), and the long tasks.
 */
function milestoneScript(expectedShapes: number): string {
  return `(() => {
  if (window !== window.top) return
  const expected = ${expectedShapes}
  const marks = { tasks: [] }
  window.__benchLoad = marks
  const NativeWebSocket = window.WebSocket
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args)
      this.addEventListener('open', () => {
        if (marks.wsOpen === undefined) marks.wsOpen = performance.now()
      })
      this.addEventListener('message', (event) => {
        const bytes = typeof event.data === 'string' ? event.data.length : (event.data.byteLength ?? event.data.size ?? 0)
        if (marks.syncMessageBytes === undefined || bytes > marks.syncMessageBytes) {
          marks.syncMessageBytes = bytes
          marks.syncMessage = performance.now()
        }
      })
    }
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) marks.tasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {}
  const tick = () => {
    const now = performance.now()
    const fabrique = window.__fabrique
    const editor = fabrique && fabrique.editor
    const hasEditor = Boolean(editor)
    const synced = Boolean(fabrique && fabrique.provider && fabrique.provider.synced)
    const allShapes = hasEditor && editor.getCurrentPageShapeIds().size === expected
    const inDom = document.querySelector('.tl-shape') !== null
    // Drawn: the shapes in view have their content (shapes out of view may be empty wrappers).
    const inView = hasEditor ? editor.getCurrentPageShapeIds().size - editor.getCulledShapes().size : 0
    const drawnShapes = document.querySelectorAll('.tl-shape:not(:empty)').length
    const drawn = inDom && drawnShapes >= inView
    if (hasEditor && marks.editor === undefined) marks.editor = now
    if (synced && marks.synced === undefined) marks.synced = now
    if (allShapes && marks.shapes === undefined) marks.shapes = now
    if (inDom && marks.firstShapeInDom === undefined) marks.firstShapeInDom = now
    if (hasEditor && synced && allShapes && drawn) {
      marks.domShapes = document.querySelectorAll('.tl-shape').length
      marks.drawnShapes = drawnShapes
      marks.inView = inView
      const navigation = performance.getEntriesByType('navigation')[0]
      marks.domContentLoaded = navigation ? navigation.domContentLoadedEventEnd : NaN
      marks.done = now
      return
    }
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`
}

/** A Node peer writes the board through the binding and y-websocket, as a browser would. */
async function prefillBoard(server: Awaited<ReturnType<typeof startServer>>, boardId: string, count: number): Promise<number> {
  const doc = new Y.Doc()
  const store = usableStore()
  const binding = bindBoard({ store, doc })
  const provider = new WebsocketProvider(syncUrl(server), boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { v: String(PROTOCOL_VERSION) },
    disableBc: true,
  })
  try {
    if (!provider.synced) await nextEvent(provider, 'sync', 30_000)
    binding.start()
    const shapes = boardShapes(store, count)
    for (let i = 0; i < shapes.length; i += PREFILL_CHUNK) {
      store.put(shapes.slice(i, i + PREFILL_CHUNK))
      binding.flush()
    }
    // Stored, not only received: a newcomer loads the board from storage.
    const wanted = Y.decodeStateVector(Y.encodeStateVector(doc))
    const stored = await waitFor(
      async () => {
        const copy = await storedDoc(server, boardId)
        const have = Y.decodeStateVector(Y.encodeStateVector(copy))
        return [...wanted].every(([client, clock]) => (have.get(client) ?? 0) >= clock) ? copy : undefined
      },
      `the server to store the ${count} shapes`,
      PREFILL_TIMEOUT_MS,
    )
    return Y.encodeStateAsUpdate(stored).length
  } finally {
    provider.destroy()
    binding.dispose()
    doc.destroy()
  }
}

async function loadOnce(browser: Browser, url: string, shapes: number): Promise<BoardLoadSample> {
  const context = await browser.newContext()
  try {
    await context.addInitScript(milestoneScript(shapes))
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    const profileDir = process.env.BENCH_PAGE_PROFILE_DIR
    const cdp = profileDir ? await context.newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
      await cdp.send('Profiler.start')
    }
    const start = performance.now()
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS })
    // Anonymous arrows only: Playwright sends their source to the page, where tsx's naming helper
    // does not exist; and a string would be evaluated, which the client's CSP forbids.
    await page.waitForFunction(() => (window as unknown as PageWithMarks).__benchLoad?.done !== undefined, undefined, {
      polling: 'raf',
      timeout: LOAD_TIMEOUT_MS,
    })
    const loadMs = performance.now() - start
    if (cdp && profileDir) {
      const { profile } = await cdp.send('Profiler.stop')
      fs.mkdirSync(profileDir, { recursive: true })
      fs.writeFileSync(`${profileDir}/page-${shapes}-${Date.now()}.cpuprofile`, JSON.stringify(profile))
    }
    // Long tasks are reported after they end: give the observer a moment.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const { domShapes = 0, drawnShapes = 0, inView = 0, tasks = [], ...marks } = (await page.evaluate(() => (window as unknown as PageWithMarks).__benchLoad)) ?? {}
    const done = marks.done ?? Number.NaN
    const before = tasks.filter((task) => task.start < done)
    const milestones: LoadMilestones = {
      domContentLoaded: Number.NaN,
      wsOpen: Number.NaN,
      syncMessage: Number.NaN,
      syncMessageBytes: Number.NaN,
      editor: Number.NaN,
      synced: Number.NaN,
      shapes: Number.NaN,
      firstShapeInDom: Number.NaN,
      ...marks,
      done,
      longestTaskMs: Math.max(0, ...before.map((task) => task.duration)),
      longTasksMs: before.reduce((sum, task) => sum + task.duration, 0),
    }
    return { loadMs, milestones, domShapes, drawnShapes, inView, pageErrors }
  } finally {
    await context.close()
  }
}

export async function runBoardLoad(scenario: BoardLoadScenario, shapes: number): Promise<BoardLoadResult> {
  const clientDir = requireBuiltClient()
  const server = await startServer({ clientDir })
  let browser: Browser | undefined
  try {
    const boardId = `bench-board-load-${shapes}`
    const prefillStart = performance.now()
    const docBytes = await prefillBoard(server, boardId, shapes)
    const prefillMs = performance.now() - prefillStart
    process.stderr.write(`    board of ${shapes} shapes stored (${(docBytes / 1024 / 1024).toFixed(1)} MB) in ${(prefillMs / 1000).toFixed(1)} s\n`)

    browser = await launchBrowser()
    const samples: BoardLoadSample[] = []
    for (let run = 0; run < scenario.repeats; run++) {
      const sample = await loadOnce(browser, `${server.url}/b/${boardId}?e2e=1`, shapes)
      samples.push(sample)
      process.stderr.write(`    run ${run + 1}: ${sample.loadMs.toFixed(0)} ms (${sample.domShapes} .tl-shape in the DOM, ${sample.drawnShapes} drawn, ${sample.inView} in view)\n`)
    }
    const med = (get: (milestones: LoadMilestones) => number) => median(samples.map((sample) => get(sample.milestones)))
    const loads = samples.map((sample) => sample.loadMs)
    return {
      kind: 'board-load',
      shapes,
      docBytes,
      prefillMs,
      loadMs: { median: median(loads), min: Math.min(...loads), max: Math.max(...loads) },
      milestonesMedian: {
        domContentLoaded: med((m) => m.domContentLoaded),
        wsOpen: med((m) => m.wsOpen),
        syncMessage: med((m) => m.syncMessage),
        syncMessageBytes: med((m) => m.syncMessageBytes),
        editor: med((m) => m.editor),
        synced: med((m) => m.synced),
        shapes: med((m) => m.shapes),
        firstShapeInDom: med((m) => m.firstShapeInDom),
        done: med((m) => m.done),
        longestTaskMs: med((m) => m.longestTaskMs),
        longTasksMs: med((m) => m.longTasksMs),
      },
      minDomShapes: Math.min(...samples.map((sample) => sample.domShapes)),
      minDrawn: samples.reduce((fewest, { drawnShapes, inView }) => (drawnShapes < fewest.drawnShapes ? { drawnShapes, inView } : fewest), {
        drawnShapes: Number.POSITIVE_INFINITY,
        inView: 0,
      }),
      pageErrors: samples.flatMap((sample) => sample.pageErrors),
      samples,
    }
  } finally {
    await browser?.close()
    await server.close()
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  }
}
