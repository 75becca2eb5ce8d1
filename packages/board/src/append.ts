import * as Y from 'yjs'

/**
 * The item each records array last had at its right end, after an append by this module.
 *
 * Yjs's `Y.Array.push` walks the array from its start to its end (or from its rightmost search
 * marker, which only index-based calls leave behind): some 53,000 items on a 2,000-shape board, 2 ms
 * for every write, and 130,000 on a 5,000-shape board, for every frame of a drag.
 */
const tails = new WeakMap<Y.Array<Uint8Array>, Y.Item>()

/** The item at the right end of the array's list (deleted or not), null when it is empty. */
function rightEnd(array: Y.Array<Uint8Array>): Y.Item | null {
  let item: Y.Item | null = tails.get(array) ?? null
  // A deleted item may since have been merged into its left neighbour (tombstones merge), which
  // takes it out of the list; a live one never leaves it (binary content never merges). So step
  // left to a live item, which is in the list, then right to the end.
  while (item?.deleted) item = item.left
  item ??= array._start
  if (item !== null) while (item.right !== null) item = item.right
  return item
}

/**
 * Remembers an item met at the array's end by a walk over it (see visitSomeFields): the next
 * append starts from there instead of walking the whole array again.
 */
export function noteRightEnd(array: Y.Array<Uint8Array>, item: Y.Item): void {
  tails.set(array, item)
}

/**
 * Appends binary entries at the end of the array, as `array.push(entries)` would, in the caller's
 * transaction if one is open. Each entry is stored as given: build it in this realm's Uint8Array.
 */
export function appendEntries(array: Y.Array<Uint8Array>, entries: readonly Uint8Array[]): void {
  const doc = array.doc
  if (!doc) throw new Error('appendEntries needs a Y.Array that belongs to a Y.Doc')
  if (entries.length === 0) return
  doc.transact((transaction) => {
    let left = rightEnd(array)
    for (const entry of entries) {
      const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID))
      const item = new Y.Item(id, left, left?.lastId ?? null, null, null, array, null, new Y.ContentBinary(entry))
      item.integrate(transaction, 0)
      left = item
    }
    if (left !== null) tails.set(array, left)
  })
}
