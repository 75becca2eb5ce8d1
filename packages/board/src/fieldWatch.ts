import * as Y from 'yjs'
import { noteRightEnd } from './append.ts'
import { RECORDS_ARRAY } from './fieldMap.ts'
import { EntryReader, visitSomeFields } from './fieldScan.ts'

/** A watched field's value, the entry holding it, and the field's older live entries (further left). */
export interface WatchedEntry {
  value: unknown
  item: Y.Item
  below: WatchedEntry | undefined
}

/** Options of FieldWatch.readInTurns. */
export interface WatchInTurns {
  itemsPerTurn: number
  nextTurn?: () => Promise<unknown>
}

/**
 * Some fields of every record, read once from the document (readSomeFields) and then kept up to
 * date from each transaction's new and deleted entries, without reading the array again: a server
 * placing a template needs a board's pages, positions and sizes, and reading them from a
 * 2,000-shape board's 53,000 entries took 15-20 ms per board at the moment of a push to fifty.
 * Nothing is written to the document.
 *
 * The rightmost entry of a key wins, as in a FieldMap. A new entry sits at the array's end in all
 * but one case: two people writing at the same instant, where Yjs may place one entry left of the
 * other. When such an entry meets a live entry of the same key, the watch cannot tell the winner
 * without walking the array: it stops following (`following` false) and is read again when asked.
 */
export class FieldWatch {
  readonly records = new Map<string, Map<string, WatchedEntry>>()
  /** Bumped by every transaction that changed a watched field. */
  version = 0
  /** The last of those transactions. */
  lastChange: Y.Transaction | undefined
  private stopped = false
  private readonly reader: EntryReader
  private readonly array: Y.Array<Uint8Array>

  private constructor(
    readonly doc: Y.Doc,
    wanted: ReadonlySet<string>,
  ) {
    this.reader = new EntryReader(wanted)
    this.array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
  }

  /** Reads the fields now and follows them from there. */
  static read(doc: Y.Doc, wanted: ReadonlySet<string>): FieldWatch {
    const watch = new FieldWatch(doc, wanted)
    const scan = visitSomeFields(doc, wanted, Number.POSITIVE_INFINITY, watch.scanned)
    while (!scan.next().done);
    watch.follow()
    return watch
  }

  /**
   * Reads the fields over several turns of the event loop, `itemsPerTurn` items at a time, and
   * follows them from there. A change to the array between two turns may have unlinked the item the
   * scan stands on (merged tombstones): the read is abandoned and the answer is undefined.
   */
  static async readInTurns(doc: Y.Doc, wanted: ReadonlySet<string>, { itemsPerTurn, nextTurn }: WatchInTurns): Promise<FieldWatch | undefined> {
    const turn = nextTurn ?? (() => new Promise((resolve) => setImmediate(resolve)))
    const watch = new FieldWatch(doc, wanted)
    let changed = false
    const onChange = (transaction: Y.Transaction) => {
      if (transaction.changed.has(watch.array as unknown as Y.AbstractType<Y.YEvent<Y.Array<Uint8Array>>>)) changed = true
    }
    doc.on('afterTransaction', onChange)
    try {
      const scan = visitSomeFields(doc, wanted, itemsPerTurn, watch.scanned)
      while (!scan.next().done) {
        await turn()
        if (changed) return undefined
      }
    } finally {
      doc.off('afterTransaction', onChange)
    }
    watch.follow()
    return watch
  }

  /** False once a change could not be followed (or after dispose): read the fields again. */
  get following(): boolean {
    return !this.stopped
  }

  /** The value of a record's field as the document holds it. */
  valueOf(recordId: string, field: string): unknown {
    return this.records.get(recordId)?.get(field)?.value
  }

  dispose(): void {
    this.stopped = true
    this.doc.off('afterTransaction', this.onTransaction)
    this.records.clear()
  }

  private follow(): void {
    this.doc.on('afterTransaction', this.onTransaction)
  }

  /** An entry met by the first read, left to right: a later entry of the same key wins. */
  private readonly scanned = (recordId: string, field: string, value: unknown, item: Y.Item): void => {
    const fields = this.fieldsOf(recordId)
    fields.set(field, { value, item, below: fields.get(field) })
  }

  private fieldsOf(recordId: string): Map<string, WatchedEntry> {
    let fields = this.records.get(recordId)
    if (!fields) {
      fields = new Map()
      this.records.set(recordId, fields)
    }
    return fields
  }

  /** Runs after each transaction, before Yjs drops the content of what it deleted. */
  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (this.stopped || !transaction.changed.has(this.array as unknown as Y.AbstractType<Y.YEvent<Y.Array<Uint8Array>>>)) return
    this.changedNow = false
    // New entries first: one replacing an entry this transaction deleted takes its place.
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after === before) continue
      const structs = transaction.doc.store.clients.get(client) ?? []
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= after) break
        if (struct instanceof Y.Item && struct.parent === this.array && !struct.deleted && struct.content instanceof Y.ContentBinary) {
          // Entries other people appended: the server's next append starts from them.
          if (struct.right === null) noteRightEnd(this.array, struct)
          this.reader.read(struct.content.content, struct, this.added)
          if (this.stopped) return
        }
      }
    }
    // Then deleted entries: the one a field holds goes, and the field falls back on an older live
    // entry, or is gone (a deleted field or record). Only their keys are read: their content is
    // still there until the transaction's end.
    for (const [client, deletes] of transaction.deleteSet.clients) {
      const structs = transaction.doc.store.clients.get(client)
      if (!structs) continue
      for (const { clock, len } of deletes) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && (structs[i] as Y.Item).id.clock < clock + len; i++) {
          const struct = structs[i] as Y.Item | Y.GC
          if (struct instanceof Y.Item && struct.parent === this.array && struct.content instanceof Y.ContentBinary) this.reader.read(struct.content.content, struct, this.removed)
        }
      }
    }
    if (this.changedNow) {
      this.version++
      this.lastChange = transaction
    }
  }

  /** Whether the transaction being read changed a followed field. */
  private changedNow = false

  /** A new live entry of a followed field. */
  private readonly added = (recordId: string, field: string, value: unknown, item: Y.Item): void => {
    const fields = this.fieldsOf(recordId)
    let below = fields.get(field)
    while (below?.item.deleted) below = below.below
    if (below?.item === item) return
    if (below && !rightOf(item, below.item)) {
      // Written at once by two people, and this entry landed left of the live one.
      this.dispose()
      return
    }
    fields.set(field, { value, item, below })
    this.changedNow = true
  }

  /** A deleted entry of a followed field: it matters if the field's value came from it. */
  private readonly removed = (recordId: string, field: string, _value: unknown, item: Y.Item): void => {
    const fields = this.records.get(recordId)
    const entry = fields?.get(field)
    if (!fields || entry?.item !== item) return
    let below = entry.below
    while (below?.item.deleted) below = below.below
    if (below) fields.set(field, below)
    else {
      fields.delete(field)
      if (fields.size === 0) this.records.delete(recordId)
    }
    this.changedNow = true
  }
}

/** Whether `item` sits right of `other` in their array: the walk from `item` rightwards never meets it. */
function rightOf(item: Y.Item, other: Y.Item): boolean {
  for (let next = item.right; next !== null; next = next.right) if (next === other) return false
  return true
}
