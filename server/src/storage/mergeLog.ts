import * as Y from 'yjs'

/**
 * Applies a log of updates to a fresh document and encodes it as one update. Faster and much
 * smaller than Y.mergeUpdates over thousands of small updates (design.md). An update Yjs cannot
 * read is skipped and counted rather than losing the whole board.
 */
export function mergeLog(updates: readonly Uint8Array[]): { snapshot: Uint8Array; skipped: number } {
  const doc = new Y.Doc({ gc: true })
  let skipped = 0
  for (const update of updates) {
    try {
      Y.applyUpdate(doc, update)
    } catch {
      skipped++
    }
  }
  const snapshot = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { snapshot, skipped }
}
