import { RECORDS_ARRAY, SCHEMA_MAP } from '@fabrique/board'
import { LIVE_MAP } from '@fabrique/protocol'
import { PUSHES_MAP } from '@fabrique/templates'
import * as Y from 'yjs'

/**
 * Which shared types a board may hold. `board` is what Fabrique writes: the records array of
 * field entries, the tldraw schema, template pushes and the live facilitation map. `free` takes
 * any root of plain values (tests and benchmarks that write their own documents).
 */
export type UpdateLayout = 'board' | 'free'

const MAP_ROOTS: ReadonlySet<string> = new Set([SCHEMA_MAP, PUSHES_MAP, LIVE_MAP])

/** The contents a client may send in `free` mode; `board` mode narrows them per root. */
const PLAIN_CONTENTS: ReadonlySet<unknown> = new Set([Y.ContentAny, Y.ContentBinary, Y.ContentDeleted, Y.ContentString, Y.ContentJSON])

/** Where an item lands: a root type by name, nowhere yet (it waits for what it follows), or garbage. */
type Placement = { root: string; mapEntry: boolean } | 'unknown' | 'collected'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The refusal of bytes that are no update at all: a malformed message rather than an invalid update. */
export const NOT_AN_UPDATE = 'not a Yjs update'

/** Why a stored field entry is not one (see packages/board/src/fieldMap.ts), or undefined. */
export function checkFieldEntry(raw: Uint8Array): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(utf8.decode(raw))
  } catch {
    return 'a record entry is not UTF-8 JSON'
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return 'a record entry is not a [key, value] pair'
  const key = parsed[0]
  if (typeof key !== 'string') return 'a record entry key is not a string'
  const slash = key.lastIndexOf('/')
  if (slash <= 0 || slash === key.length - 1) return `record entry key "${key.slice(0, 40)}" is not "recordId/field"`
  return undefined
}

/**
 * Why the server refuses this update, or undefined when it may be applied. Runs before the update
 * touches the room's document: Yjs cannot take back what it integrated, and whatever the server
 * integrates goes to every client of the board.
 *
 * Zero-length structs and delete ranges are the reason this exists: Yjs reads them, integrates an
 * item that occupies no clock, and relays a zero-length deletion that the other clients then fail
 * to apply ("Unexpected case"), or that leaves the server's own struct store unreadable.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, layout: UpdateLayout): string | undefined {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return NOT_AN_UPDATE
  }
  for (const [, ranges] of decoded.ds.clients) {
    for (const range of ranges) if (!(range.len >= 1)) return 'a deletion of zero length'
  }
  const byClient = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>()
  for (const struct of decoded.structs) {
    if (!(struct.length >= 1)) return 'a change of zero length'
    let list = byClient.get(struct.id.client)
    if (!list) {
      list = []
      byClient.set(struct.id.client, list)
    }
    list.push(struct)
  }
  const placements = new Map<Y.Item, Placement>()
  /** Where an item lands, or the item whose place it shares (its origin, or right origin). */
  const direct = (item: Y.Item): Placement | Y.Item => {
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { root: parent, mapEntry: item.parentSub !== null }
    if (parent !== null) return 'collected' // an ID: refused anyway, no Fabrique document nests types
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour) return 'unknown'
    const inUpdate = findIn(byClient.get(neighbour.client), neighbour.clock)
    if (inUpdate) return inUpdate instanceof Y.Item ? inUpdate : 'collected'
    return placeInDoc(doc, neighbour)
  }
  // A whole board in one sync step is a chain of thousands of items: followed in a loop, not recursively.
  const placeOf = (item: Y.Item): Placement => {
    const chain: Y.Item[] = []
    const visiting = new Set<Y.Item>()
    let current = item
    let placement: Placement
    for (;;) {
      const known = placements.get(current)
      if (known) {
        placement = known
        break
      }
      const next = direct(current)
      chain.push(current)
      if (!(next instanceof Y.Item)) {
        placement = next
        break
      }
      visiting.add(current)
      if (visiting.has(next)) {
        placement = 'unknown' // a loop of origins: Yjs never integrates it
        break
      }
      current = next
    }
    for (const link of chain) placements.set(link, placement)
    return placement
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    if (!PLAIN_CONTENTS.has(struct.content.constructor)) return `content of a kind Fabrique does not use (${struct.content.constructor.name})`
    if (struct.parent !== null && typeof struct.parent !== 'string') return 'a nested shared type'
    // Yjs takes a same-client neighbour as already there: one at or after the item itself breaks it.
    for (const neighbour of [struct.origin, struct.rightOrigin]) {
      if (neighbour && neighbour.client === struct.id.client && neighbour.clock >= struct.id.clock) return 'a change that refers to itself'
    }
    const refusal = checkPlaced(struct, placeOf(struct), layout)
    if (refusal) return refusal
  }
  return undefined
}

function checkPlaced(item: Y.Item, placement: Placement, layout: UpdateLayout): string | undefined {
  const content = item.content
  if (content instanceof Y.ContentDeleted || placement === 'collected') return undefined
  if (content instanceof Y.ContentBinary && layout === 'board') {
    const refusal = checkFieldEntry(content.content)
    if (refusal) return refusal
  }
  if (layout === 'free') return undefined
  if (placement === 'unknown') {
    // It lands next to what it follows, once that arrives: only a record entry is safe everywhere.
    return content instanceof Y.ContentBinary ? undefined : 'a change that follows changes the server never received'
  }
  if (placement.root === RECORDS_ARRAY) {
    if (placement.mapEntry || !(content instanceof Y.ContentBinary)) return `"${RECORDS_ARRAY}" holds record entries only`
    return undefined
  }
  if (MAP_ROOTS.has(placement.root)) {
    if (!placement.mapEntry || !(content instanceof Y.ContentAny)) return `"${placement.root}" holds plain values by key only`
    return undefined
  }
  return `"${placement.root.slice(0, 40)}" is not part of a board`
}

/** The struct covering `clock` in one client's structs of an update (sorted by clock). */
function findIn(structs: Array<Y.Item | Y.GC | Y.Skip> | undefined, clock: number): Y.Item | Y.GC | Y.Skip | undefined {
  if (!structs) return undefined
  let low = 0
  let high = structs.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const struct = structs[mid] as Y.Item | Y.GC | Y.Skip
    if (clock < struct.id.clock) high = mid - 1
    else if (clock >= struct.id.clock + struct.length) low = mid + 1
    else return struct
  }
  return undefined
}

/** Where the document's own struct at `id` sits; 'unknown' when the document does not have it yet. */
function placeInDoc(doc: Y.Doc, id: Y.ID): Placement {
  if (id.clock >= Y.getState(doc.store, id.client)) return 'unknown'
  const structs = doc.store.clients.get(id.client)
  if (!structs) return 'unknown'
  const struct = structs[Y.findIndexSS(structs, id.clock)]
  if (!(struct instanceof Y.Item) || struct.parent === null) return 'collected'
  const parent = struct.parent as Y.AbstractType<unknown>
  if (parent._item !== null) return 'collected'
  for (const [name, type] of doc.share) if (type === parent) return { root: name, mapEntry: struct.parentSub !== null }
  return 'collected'
}
