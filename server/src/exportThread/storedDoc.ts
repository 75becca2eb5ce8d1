import * as Y from 'yjs'

/** A board's stored updates in a Y.Doc of its own, to read: nothing written to it reaches the board. */
export function docOfUpdates(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  if (updates.length > 0) Y.applyUpdate(doc, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates([...updates]))
  return doc
}
