/**
 * Test support for the binding: peers made of a real tldraw store, a real Y.Doc and the binding,
 * joined by a network whose message queue the test controls (deliver one, drop a peer, reconnect).
 * Not exported from the package: tests import it directly.
 */
import {
  ArrowShapeUtil,
  createBindingId,
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  FrameShapeUtil,
  GeoShapeUtil,
  getIndexAbove,
  type IndexKey,
  NoteShapeUtil,
  PageRecordType,
  type TLArrowBinding,
  type TLArrowShape,
  type TLPageId,
  type TLParentId,
  type TLRecord,
  type TLShape,
  type TLShapeId,
  type TLStore,
} from 'tldraw'
import * as Y from 'yjs'
import { type BoardBinding, type BoardProblem, bindBoard } from './binding.ts'

export const NETWORK = Symbol('network')

export function createStore(): TLStore {
  return createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
}

// Default props come from tldraw's own shape utils, so the records are exactly what the editor makes.
const noEditor = {} as ConstructorParameters<typeof NoteShapeUtil>[0]
export const defaultProps = {
  note: () => new NoteShapeUtil(noEditor).getDefaultProps(),
  geo: () => new GeoShapeUtil(noEditor).getDefaultProps(),
  frame: () => new FrameShapeUtil(noEditor).getDefaultProps(),
  arrow: () => new ArrowShapeUtil(noEditor).getDefaultProps(),
}

export const PAGE_ID = PageRecordType.createId('page') as TLPageId

export function shapeRecord(
  store: TLStore,
  type: keyof typeof defaultProps,
  overrides: { id?: TLShapeId; parentId?: TLParentId; x?: number; y?: number; index?: IndexKey; props?: object } = {},
): TLShape {
  return store.schema.types.shape.create({
    id: overrides.id ?? createShapeId(),
    type,
    parentId: overrides.parentId ?? PAGE_ID,
    x: overrides.x ?? 0,
    y: overrides.y ?? 0,
    index: overrides.index ?? ('a1' as IndexKey),
    props: { ...defaultProps[type](), ...overrides.props },
  } as TLShape) as TLShape
}

export function arrowBinding(store: TLStore, arrow: TLArrowShape, target: TLShapeId, terminal: 'start' | 'end', id?: string): TLArrowBinding {
  return store.schema.types.binding.create({
    id: createBindingId(id),
    type: 'arrow',
    fromId: arrow.id,
    toId: target,
    props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
  } as TLArrowBinding) as TLArrowBinding
}

export function nextIndex(store: TLStore): IndexKey {
  let top: IndexKey | undefined
  for (const shape of store.query.records('shape').get()) if (!top || shape.index > top) top = shape.index
  return getIndexAbove(top)
}

export class Peer {
  readonly doc = new Y.Doc()
  readonly store = createStore()
  readonly binding: BoardBinding
  problems: BoardProblem[] = []
  online = true

  constructor(
    readonly name: string,
    readonly network: Network,
    clientId?: number,
  ) {
    // Concurrent inserts are ordered by client id: a fuzz seed replays only with fixed ones.
    if (clientId !== undefined) this.doc.clientID = clientId
    // What the editor does when it mounts: a usable store has a document, a page and a camera.
    ;(this.store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
    this.binding = bindBoard({ store: this.store, doc: this.doc, onProblemsChange: (problems) => (this.problems = problems) })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== NETWORK) network.broadcast(this, update)
    })
  }

  /** Local edits reach the document once tldraw flushes its history; tests flush explicitly. */
  edit(fn: (store: TLStore) => void): void {
    fn(this.store)
    this.binding.flush()
  }

  documentRecords(): TLRecord[] {
    return this.store
      .allRecords()
      .filter((record) => this.store.scopedTypes.document.has(record.typeName))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
  }
}

/** Messages in flight between peers, delivered when and in the order the test decides. */
export class Network {
  readonly peers: Peer[] = []
  readonly queue: Array<{ to: Peer; update: Uint8Array }> = []

  addPeer(name: string, clientId?: number): Peer {
    const peer = new Peer(name, this, clientId)
    this.peers.push(peer)
    return peer
  }

  broadcast(from: Peer, update: Uint8Array): void {
    if (!from.online) return
    for (const to of this.peers) if (to !== from && to.online) this.queue.push({ to, update })
  }

  deliverOne(index = 0): void {
    const [message] = this.queue.splice(index, 1)
    if (message?.to.online) Y.applyUpdate(message.to.doc, message.update, NETWORK)
  }

  deliverAll(): void {
    while (this.queue.length > 0) this.deliverOne()
  }

  disconnect(peer: Peer): void {
    peer.online = false
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].to === peer) this.queue.splice(i, 1)
  }

  /** What y-websocket does on reconnect: both sides send what the other lacks (sync step 1 and 2). */
  reconnect(peer: Peer): void {
    peer.online = true
    for (const other of this.peers) {
      if (other === peer || !other.online) continue
      Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(peer.doc, Y.encodeStateVector(other.doc)), NETWORK)
      Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(peer.doc)), NETWORK)
    }
  }

  /** Everyone online, every message delivered, every pending local change written: quiescence. */
  settle(): void {
    for (let round = 0; round < 20; round++) {
      for (const peer of this.peers) peer.binding.flush()
      for (const peer of this.peers) if (!peer.online) this.reconnect(peer)
      this.deliverAll()
      if (this.queue.length === 0) return
    }
    throw new Error('the network did not settle in 20 rounds')
  }
}

/** mulberry32: small, seedable, good enough to pick operations. */
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
