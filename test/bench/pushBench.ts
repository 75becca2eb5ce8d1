/**
 * Issue 5's benchmark: a facilitator saves a 60-shape template for the event and pushes it to 50
 * team boards, 10 of which have a real y-websocket client (a tldraw store bound to the board, in
 * this process); the other 40 are not loaded. Timed from the request until every board's stored log
 * holds the push (read back from the server's SQLite file) and until every connected client's store
 * shows all 60 shapes. The server runs in its own process, as in the other scenarios.
 * Fabrique alone: no peer server has templates, events or pushes.
 */
import { SqliteStorage } from '@fabrique/server'
import { PUSHES_MAP, type PushEntry, TEMPLATE_ROOT_PARENT } from '@fabrique/templates'
import path from 'node:path'
import { createShapeId, type IndexKey, getIndicesAbove, type TLRecord, toRichText } from 'tldraw'
import * as Y from 'yjs'
import { type BoardClient, connectBoardClient } from '../support/boardClient.ts'
import { installAnimationFrame } from './canvasFixtures.ts'
import { type BenchEvent, createEvent } from './fabriqueApi.ts'
import { type Check, fmtMs, type Status } from './report.ts'
import { type RunningServer, startServer } from './servers.ts'
import { percentile } from './stats.ts'

export interface PushScenario {
  kind: 'template-push'
  name: 'push'
  title: string
  boards: number
  connectedBoards: number
  shapes: number
  repeats: number
  targets: { allMs: number }
}

export interface PushRepeat {
  /** Request sent → answer received (every board written, as the server reports it). */
  responseMs: number
  /** Request sent → the last of the boards' stored logs holding the push. */
  storedMs: number
  /** Request sent → the last connected client's store showing every shape. */
  clientsMs: number
  /** The later of the two: the scenario's measure. */
  allMs: number
  outcomes: Record<string, number>
}

export type PushRun = { kind: 'push'; repeats: PushRepeat[]; saveMs: number } | { kind: 'failed'; error: string }

export interface PushBenchReport {
  scenario: PushScenario
  runs: { fabrique: PushRun }
  checks: Check[]
}

type Json = Record<string, unknown>

async function call(baseUrl: string, method: string, url: string, body: unknown, token: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Json }
}

/** A frame holding 59 notes in a grid: what a facilitator would select and save. */
function templateRecords(shapes: number): { size: { w: number; h: number }; records: TLRecord[] } {
  const columns = 10
  const notes = shapes - 1
  const size = { w: columns * 220 + 40, h: Math.ceil(notes / columns) * 220 + 40 }
  const frameId = createShapeId('bench-frame')
  const base = { typeName: 'shape', rotation: 0, isLocked: false, opacity: 1, meta: {} } as const
  const frame = { ...base, id: frameId, type: 'frame', x: 0, y: 0, index: 'a1' as IndexKey, parentId: TEMPLATE_ROOT_PARENT, props: { w: size.w, h: size.h, name: 'Banc d’essai', color: 'black' } }
  const indexes = getIndicesAbove(null, notes)
  const noteRecords = indexes.map((index, i) => ({
    ...base,
    id: createShapeId(`bench-note-${i}`),
    type: 'note',
    x: 20 + (i % columns) * 220,
    y: 20 + Math.floor(i / columns) * 220,
    index,
    parentId: frameId,
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'sans',
      fontSizeAdjustment: 1,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: toRichText(`Idée ${i + 1}`),
      scale: 1,
      textLastEditedBy: null,
    },
  }))
  return { size, records: [frame, ...noteRecords] as unknown as TLRecord[] }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with the time (ms after `start`) when every board's stored log holds the push. */
async function storedAll(storage: SqliteStorage, boardIds: readonly string[], pushId: string, shapes: number, start: number, limitMs: number): Promise<number> {
  const waiting = new Set(boardIds)
  while (waiting.size > 0) {
    if (performance.now() - start > limitMs) throw new Error(`${waiting.size} board(s) not stored after ${limitMs} ms`)
    for (const boardId of [...waiting]) {
      const doc = new Y.Doc()
      for (const update of (await storage.load(boardId)).updates) Y.applyUpdate(doc, update)
      if ((doc.getMap<PushEntry>(PUSHES_MAP).get(pushId)?.shapeIds.length ?? 0) >= shapes) waiting.delete(boardId)
      doc.destroy()
    }
    if (waiting.size > 0) await sleep(20)
  }
  return performance.now() - start
}

/** Resolves with the time (ms after `start`) when the client's store holds `count` shapes. */
function showsAll(client: BoardClient, count: number, start: number, limitMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => client.shapes().length >= count
    if (done()) return resolve(performance.now() - start)
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`a client shows ${client.shapes().length} of ${count} shapes after ${limitMs} ms`))
    }, limitMs)
    const stop = client.store.listen(() => {
      if (!done()) return
      clearTimeout(timer)
      stop()
      resolve(performance.now() - start)
    })
  })
}

async function measure(server: RunningServer, scenario: PushScenario): Promise<PushRun> {
  // The clients' stores notify once per frame, as in a browser (16 ms timers in Node).
  installAnimationFrame()
  const baseUrl = server.httpUrl
  const event: BenchEvent = await createEvent(baseUrl, scenario.boards)
  const syncBase = server.urlTemplate.replace(/\/\{board\}.*$/, '')
  const clients = event.teamBoards.slice(0, scenario.connectedBoards).map((boardId) => connectBoardClient(syncBase, boardId, event.facilitatorToken))
  const storage = new SqliteStorage({ file: path.join(server.dataDir as string, 'fabrique.sqlite') })
  try {
    await Promise.all(clients.map((client) => client.synced))
    const saveStart = performance.now()
    const saved = await call(baseUrl, 'POST', `/api/events/${event.eventId}/templates`, { name: 'Banc d’essai', ...templateRecords(scenario.shapes) }, event.facilitatorToken)
    const saveMs = performance.now() - saveStart
    if (saved.status !== 201) throw new Error(`saving the template: HTTP ${saved.status} ${JSON.stringify(saved.body)}`)
    const repeats: PushRepeat[] = []
    for (let r = 0; r < scenario.repeats; r++) {
      const pushId = `bench-push-${r}-${Date.now()}`
      const limitMs = scenario.targets.allMs * 10
      const start = performance.now()
      const request = call(baseUrl, 'POST', `/api/events/${event.eventId}/pushes`, { pushId, templateId: saved.body.id, locale: 'fr', boardIds: event.teamBoards }, event.facilitatorToken).then(
        (response) => ({ response, ms: performance.now() - start }),
      )
      const stored = storedAll(storage, event.teamBoards, pushId, scenario.shapes, start, limitMs)
      const shown = Promise.all(clients.map((client) => showsAll(client, scenario.shapes * (r + 1), start, limitMs)))
      const [{ response, ms }, storedMs, clientTimes] = await Promise.all([request, stored, shown])
      if (response.status !== 200) throw new Error(`push: HTTP ${response.status} ${JSON.stringify(response.body)}`)
      const outcomes: Record<string, number> = {}
      for (const board of response.body.boards as Array<{ status: string }>) outcomes[board.status] = (outcomes[board.status] ?? 0) + 1
      const clientsMs = Math.max(...clientTimes)
      repeats.push({ responseMs: ms, storedMs, clientsMs, allMs: Math.max(storedMs, clientsMs), outcomes })
      // Let the boards nobody has open be unloaded again, as between two pushes of a real day.
      await sleep(1500)
    }
    return { kind: 'push', repeats, saveMs }
  } finally {
    for (const client of clients) client.destroy()
    await storage.close()
  }
}

export async function runPushBench(scenario: PushScenario): Promise<PushBenchReport> {
  let run: PushRun
  const server = await startServer('fabrique').catch((error: unknown) => error as Error)
  if (server instanceof Error) run = { kind: 'failed', error: server.stack ?? server.message }
  else {
    run = await measure(server, scenario).catch((error: unknown) => ({ kind: 'failed' as const, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    await server.stop()
  }
  const worst = run.kind === 'push' ? Math.max(...run.repeats.map((repeat) => repeat.allMs)) : undefined
  const status: Status = worst !== undefined && worst <= scenario.targets.allMs ? 'PASS' : 'MISSED'
  const checks: Check[] = [
    {
      label: `${scenario.boards} boards stored and ${scenario.connectedBoards} clients showing all ${scenario.shapes} shapes (worst of ${scenario.repeats})`,
      target: `≤ ${scenario.targets.allMs} ms`,
      targetValue: scenario.targets.allMs,
      value: { fabrique: worst },
      status: { fabrique: status },
      unit: 'ms',
    },
  ]
  return { scenario, runs: { fabrique: run }, checks }
}

export function pushMarkdown(report: PushBenchReport): string {
  const { scenario } = report
  const run = report.runs.fabrique
  const lines = [`### ${scenario.name}: ${scenario.title}`, '', 'Fabrique alone: no peer server has events, saved templates or pushes, so there is no second column.', '']
  if (run.kind === 'failed') return [...lines, `Failed: ${run.error}`].join('\n')
  const column = (pick: (repeat: PushRepeat) => number) => {
    const values = run.repeats.map(pick).sort((a, b) => a - b)
    return `${fmtMs(percentile(values, 50))} (max ${fmtMs(Math.max(...values))})`
  }
  const check = report.checks[0] as Check
  lines.push(
    `Median of ${run.repeats.length} pushes (max in brackets); the template was saved through the API in ${fmtMs(run.saveMs)}.`,
    '',
    '| Metric | Fabrique | Target | Status |',
    '| --- | --- | --- | --- |',
    `| HTTP push answered (every board written) | ${column((r) => r.responseMs)} | | |`,
    `| Every board's stored log holds the push (read back from SQLite) | ${column((r) => r.storedMs)} | | |`,
    `| Every connected client shows all ${scenario.shapes} shapes | ${column((r) => r.clientsMs)} | | |`,
    `| Both: stored everywhere and shown everywhere | ${column((r) => r.allMs)} | ${check.target} | ${check.status.fabrique === 'MISSED' ? '**MISSED**' : check.status.fabrique} |`,
    `| Board outcomes (last push) | ${Object.entries(run.repeats.at(-1)?.outcomes ?? {}).map(([outcome, n]) => `${outcome}: ${n}`).join(', ')} | | |`,
  )
  return lines.join('\n')
}
