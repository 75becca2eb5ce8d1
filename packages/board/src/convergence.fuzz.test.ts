// @vitest-environment jsdom
import type { TLArrowShape, TLNoteShape, TLParentId, TLShape, TLShapeId } from 'tldraw'
import { createShapeId, toRichText } from 'tldraw'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { jsonEqual } from './layout.ts'
import { arrowBinding, Network, nextIndex, PAGE_ID, type Peer, seededRandom, shapeRecord } from './testing.ts'

/**
 * Three peers make random edits (create, move, recolour, retype, delete, reparent, bind arrows),
 * with messages delivered in random order and peers dropping off and coming back. Once everyone is
 * back and every message delivered, every store must hold the same records.
 * A failing seed is printed; pin it in PINNED_SEEDS so it stays a regular test.
 */
// Seeds that failed once (transient partial records, writes from inside an observer swallowed by a merge).
const PINNED_SEEDS: number[] = [1007, 1077, 2014, 3087, 3089, 5026]
// Seeds that failed with local changes waiting for the next frame (a field's winning entry deleted by
// a peer that had not seen the loser, which was deleted too).
const PINNED_WAITING_SEEDS: number[] = [300083]
const RANDOM_RUNS = Number(process.env.BOARD_FUZZ_RUNS ?? 40)
const STEPS = 300

const COLORS = ['black', 'blue', 'green', 'red', 'yellow', 'violet'] as const

/**
 * `waitForFrames`: local changes wait in the store until the peer's next frame (a random step), as tldraw
 * writes them once per animation frame in a browser; remote changes arrive in between.
 */
function runScenario(seed: number, waitForFrames = false): void {
  const globals = globalThis as { __FORCE_RAF_IN_TESTS__?: boolean }
  globals.__FORCE_RAF_IN_TESTS__ = waitForFrames
  try {
    runSteps(seed, waitForFrames)
  } finally {
    globals.__FORCE_RAF_IN_TESTS__ = false
  }
}

function runSteps(seed: number, waitForFrames: boolean): void {
  const rand = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(rand() * items.length)])
  let counter = 0
  // Ids from the seed, so that a seed replays exactly.
  const newId = (): string => `s${seed}-${counter++}`
  const network = new Network()
  const clientId = (): number => Math.floor(rand() * 2 ** 31)
  const peers = [network.addPeer('a', clientId()), network.addPeer('b', clientId()), network.addPeer('c', clientId())]
  // Traced, deleted entries keep their content: the trace shows them too.
  if (process.env.BOARD_FUZZ_TRACE_FIELD) for (const peer of peers) peer.doc.gc = false
  for (const peer of peers) peer.binding.start()
  network.settle()

  const edit = (peer: Peer, change: (store: Peer['store']) => void): void => (waitForFrames ? change(peer.store) : peer.edit(change))
  const shapes = (peer: Peer): TLShape[] => peer.store.query.records('shape').get()
  const frames = (peer: Peer): TLShape[] => shapes(peer).filter((shape) => shape.type === 'frame')

  /** What the editor does on delete: children and bindings go with the shape. */
  const deleteShape = (peer: Peer, id: TLShapeId): void => {
    const doomed = new Set<string>([id])
    for (let grew = true; grew; ) {
      grew = false
      for (const shape of shapes(peer)) {
        if (!doomed.has(shape.id) && doomed.has(shape.parentId)) {
          doomed.add(shape.id)
          grew = true
        }
      }
    }
    const bindings = peer.store.query.records('binding').get().filter((b) => doomed.has(b.fromId) || doomed.has(b.toId))
    edit(peer, (store) => store.remove([...bindings.map((b) => b.id), ...([...doomed] as TLShapeId[])]))
  }

  const operations: Array<(peer: Peer) => void> = [
    (peer) => {
      const parentId = (rand() < 0.3 ? pick(frames(peer))?.id : undefined) ?? PAGE_ID
      const type = pick(['note', 'geo', 'frame'] as const) ?? 'note'
      const shape = shapeRecord(peer.store, type, { id: createShapeId(newId()), parentId: parentId as TLParentId, x: rand() * 1000, y: rand() * 1000, index: nextIndex(peer.store) })
      edit(peer, (store) => store.put([shape]))
    },
    (peer) => {
      const shape = pick(shapes(peer))
      if (shape) edit(peer, (store) => store.update(shape.id, (s) => ({ ...s, x: Math.round(rand() * 1000), y: Math.round(rand() * 1000) })))
    },
    (peer) => {
      const note = pick(shapes(peer).filter((s) => s.type === 'note')) as TLNoteShape | undefined
      if (!note) return
      const props = rand() < 0.5 ? { color: pick(COLORS) } : { richText: toRichText(`texte ${Math.floor(rand() * 100)}`) }
      edit(peer, (store) => store.update(note.id, (s) => ({ ...s, props: { ...(s as TLNoteShape).props, ...props } }) as TLShape))
    },
    (peer) => {
      const shape = pick(shapes(peer))
      if (shape) deleteShape(peer, shape.id)
    },
    (peer) => {
      const shape = pick(shapes(peer).filter((s) => s.type !== 'frame'))
      const target = rand() < 0.5 ? pick(frames(peer))?.id : PAGE_ID
      if (shape && target) edit(peer, (store) => store.update(shape.id, (s) => ({ ...s, parentId: target as TLParentId })))
    },
    (peer) => {
      const ends = shapes(peer).filter((s) => s.type === 'geo' || s.type === 'note')
      const from = pick(ends)
      const to = pick(ends)
      if (!from || !to || from === to) return
      const arrow = shapeRecord(peer.store, 'arrow', { id: createShapeId(newId()), index: nextIndex(peer.store) }) as TLArrowShape
      edit(peer, (store) =>
        store.put([arrow, arrowBinding(store, arrow, from.id, 'start', newId()), arrowBinding(store, arrow, to.id, 'end', newId())]),
      )
    },
  ]

  const trace = process.env.BOARD_FUZZ_TRACE
  if (trace) {
    for (const p of peers) {
      p.doc.getArray('records').observe((event) => {
        const show = (items: Set<unknown>) =>
          [...items]
            .flatMap((item) => (item as { content: { getContent(): Uint8Array[] } }).content.getContent())
            .map(entryOf)
            .filter(([key]) => key.startsWith(`${trace}/`))
            .map(([key]) => key.slice(trace.length + 1))
            .join(',')
        const added = show(event.changes.added)
        const deleted = show(event.changes.deleted)
        if (added || deleted) console.log(`  ${p.name} observe +[${added}] -[${deleted}]`)
      })
    }
  }
  const traceField = process.env.BOARD_FUZZ_TRACE_FIELD
  const fieldItems = (p: Peer): string => {
    const shown: string[] = []
    for (let item = p.doc.getArray('records')._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentBinary)) continue
      const [key, value] = entryOf(item.content.content)
      if (key === `${trace}/${traceField}`) shown.push(`${item.id.client % 1000}:${item.id.clock}${item.deleted ? 'x' : ''}=${JSON.stringify(value).slice(0, 30)}`)
    }
    return shown.join(' ')
  }
  let lastItems = ''
  const log = (step: number, what: string): void => {
    if (!trace) return
    if (traceField) {
      const items = peers.map((p) => `${p.name}[${fieldItems(p)}]`).join(' ')
      if (items !== lastItems) console.log(`${step} ${what} ${items}`)
      lastItems = items
      return
    }
    const view = peers.map((p) => `${p.name}:${JSON.stringify(p.store.get(trace as TLShapeId) ?? null).slice(0, 120)}`).join(' | ')
    console.log(`${step} ${what} ${view}`)
  }
  for (let step = 0; step < STEPS; step++) {
    const roll = rand()
    const peer = pick(peers) as Peer
    if (roll < 0.55) {
      const operation = pick(operations)
      // offline edits are kept and sent on reconnect
      if (peer.online || rand() < 0.5) {
        operation?.(peer)
        log(step, `${peer.name} op${operations.indexOf(operation as never)}`)
      }
    } else if (waitForFrames && roll < 0.65) {
      peer.binding.flush()
      log(step, `${peer.name} frame`)
    } else if (roll < 0.85) {
      if (network.queue.length > 0) {
        const index = Math.floor(rand() * network.queue.length)
        const to = network.queue[index].to.name
        network.deliverOne(index)
        log(step, `deliver to ${to}`)
      }
    } else if (roll < 0.93) {
      if (peer.online) network.disconnect(peer)
      else network.reconnect(peer)
      log(step, `${peer.name} ${peer.online ? 'reconnects' : 'disconnects'}`)
    } else {
      network.deliverAll()
      log(step, 'deliver all')
    }
  }
  network.settle()
  if (trace) {
    for (const p of peers) {
      const entries = (p.doc.getArray('records').toArray() as Uint8Array[]).map(entryOf).filter(([key]) => key.startsWith(`${trace}/`))
      console.log(`FINAL ${p.name}: store=${JSON.stringify(p.store.get(trace as TLShapeId))?.slice(0, 400)}`)
      console.log(`FINAL ${p.name}: ${entries.map(([key, value]) => `${key.slice(trace.length + 1)}=${JSON.stringify(value)?.slice(0, 90)}`).join(' ')}`)
    }
  }

  const [first, ...others] = peers
  for (const peer of others) {
    const differences = describeDifferences(peer, first)
    if (differences.length > 0) throw new Error(`peer ${peer.name} differs from ${first.name}:\n${differences.join("\n")}`)
    expect(peer.documentRecords()).toEqual(first.documentRecords())
  }
  for (const peer of peers) expect(peer.problems, `problems on ${peer.name}: ${JSON.stringify(peer.problems)}`).toEqual([])
}

/** A stored entry, `[key, value]`, for the trace. */
function entryOf(raw: Uint8Array): [string, unknown] {
  return JSON.parse(new TextDecoder().decode(raw)) as [string, unknown]
}

function describeDifferences(a: Peer, b: Peer): string[] {
  const mine = new Map(a.documentRecords().map((record) => [record.id, record]))
  const theirs = new Map(b.documentRecords().map((record) => [record.id, record]))
  const differences: string[] = []
  for (const id of new Set([...mine.keys(), ...theirs.keys()])) {
    const left = mine.get(id) ?? null
    const right = theirs.get(id) ?? null
    if (jsonEqual(left, right)) continue
    const fields = Object.keys({ ...left, ...right }).filter(
      (key) => !jsonEqual((left as Record<string, unknown> | null)?.[key], (right as Record<string, unknown> | null)?.[key]),
    )
    const show = (record: object | null) => JSON.stringify(record && Object.fromEntries(fields.map((key) => [key, (record as Record<string, unknown>)[key]])))
    differences.push(`${id}: ${a.name}=${show(left)} ${b.name}=${show(right)}`)
  }
  return differences
}

describe('convergence fuzz', () => {
  for (const seed of PINNED_SEEDS) {
    test(`pinned seed ${seed}`, () => runScenario(seed))
  }
  for (const seed of PINNED_WAITING_SEEDS) {
    test(`pinned seed ${seed}, local changes waiting for the next frame`, () => runScenario(seed, true))
  }

  for (const waitForFrames of [false, true]) {
    const waiting = waitForFrames ? ', local changes waiting for the next frame' : ''
    test(`${RANDOM_RUNS} random seeds converge${waiting}`, () => {
      const base = Number(process.env.BOARD_FUZZ_SEED ?? Date.now() % 1_000_000)
      for (let run = 0; run < RANDOM_RUNS; run++) {
        const seed = base + run
        try {
          runScenario(seed, waitForFrames)
        } catch (error) {
          const reproduce = `BOARD_FUZZ_SEED=${seed} BOARD_FUZZ_RUNS=1`
          throw new Error(`convergence failed for seed ${seed}${waiting} (reproduce: ${reproduce}): ${String(error)}`)
        }
      }
    })
  }
})
