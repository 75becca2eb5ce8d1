import * as Y from 'yjs'

/** A board's stored updates in a Y.Doc of its own, to read: nothing written to it reaches the board. */
export function docOfUpdates(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  // One after the other, in one transaction: merging them first (Y.mergeUpdates) wrote the whole
  // log out again, a sixth of an export's time for a board stored as one large update and a few
  // small ones. Yjs holds back an update whose dependencies come later, whatever the order.
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  return doc
}
