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
 * Nothing is written to the document. Deleted entries are read as they go (their content goes with
 * the transaction), new ones when the fields are next asked for or once many wait.
 *
 * The rightmost entry of a key wins, as in a FieldMap. A new entry sits at the array's end in all
 * but one case: two people writing at the same instant, where Yjs may place one entry left of the
 * other. When such an entry meets a live entry of the same key, the watch cannot tell the winner
 * without walking the array: it stops following (`following` false) and is read again when asked.
 */
export class FieldWatch {
  private readonly byRecord = new Map<string, Map<string, WatchedEntry>>()
  /**
   * Bumped by every transaction that changed the records array: its new entries are read when the
   * fields are next asked for (a server writing a template into a board follows its outline, and
   * reading the ~900 entries it just wrote was half of each placement).
   */
  version = 0
  /** The last of those transactions. */
  lastChange: Y.Transaction | undefined
  /** The structs of each change not read yet (client, first clock, clock after), oldest first. */
  private unread: Array<[client: number, from: number, to: number]> = []
  /** How many structs they span. */
  private unreadStructs = 0
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

  /** Every record's watched fields, as the document holds them. */
  get records(): ReadonlyMap<string, ReadonlyMap<string, WatchedEntry>> {
    this.catchUp()
    return this.byRecord
  }

  /** False once a change could not be followed (or after dispose): read the fields again. */
  get following(): boolean {
    this.catchUp()
    return !this.stopped
  }

  /**
   * Whether the watch stopped following, as far as it has read (`following` reads what is left
   * first): for a caller that knows what the changes not read yet hold.
   */
  get stoppedSoFar(): boolean {
    return this.stopped
  }

  /** The value of a record's field as the document holds it. */
  valueOf(recordId: string, field: string): unknown {
    return this.records.get(recordId)?.get(field)?.value
  }

  dispose(): void {
    this.stopped = true
    this.doc.off('afterTransaction', this.onTransaction)
    this.byRecord.clear()
    this.unread = []
    this.unreadStructs = 0
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
    let fields = this.byRecord.get(recordId)
    if (!fields) {
      fields = new Map()
      this.byRecord.set(recordId, fields)
    }
    return fields
  }

  /** Reads the new entries of the changes not read yet, in their order. */
  private catchUp(): void {
    const unread = this.unread
    if (unread.length === 0) return
    this.unread = []
    this.unreadStructs = 0
    for (const [client, from, to] of unread) {
      const structs = this.doc.store.clients.get(client) ?? []
      for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= to) break
        // An entry deleted since is skipped: its deletion found nothing of it to take back.
        if (struct instanceof Y.Item && struct.parent === this.array && !struct.deleted && struct.content instanceof Y.ContentBinary) {
          this.reader.read(struct.content.content, struct, this.added)
          if (this.stopped) return
        }
      }
    }
  }

  /**
   * Runs after each transaction, before Yjs drops the content of what it deleted: deleted entries
   * are read now, new ones when the fields are next asked for.
   */
  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (this.stopped || !transaction.changed.has(this.array as unknown as Y.AbstractType<Y.YEvent<Y.Array<Uint8Array>>>)) return
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after === before) continue
      this.unread.push([client, before, after])
      this.unreadStructs += after - before
      // Entries other people appended: the server's next append starts from them.
      const structs = transaction.doc.store.clients.get(client) ?? []
      const last = structs[Y.findIndexSS(structs, after - 1)]
      if (last instanceof Y.Item && last.parent === this.array && last.right === null && !last.deleted) noteRightEnd(this.array, last)
    }
    // Read now when much waits: a board filled by its team is read as it fills, not all at once
    // when a push first asks for it (53,000 entries on a 2,000-shape board).
    if (this.unread.length > MAX_UNREAD_CHANGES || this.unreadStructs > MAX_UNREAD_STRUCTS) this.catchUp()
    if (this.stopped) return
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
    this.version++
    this.lastChange = transaction
  }

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
  }

  /** A deleted entry of a followed field: it matters if the field's value came from it. */
  private readonly removed = (recordId: string, field: string, _value: unknown, item: Y.Item): void => {
    const fields = this.byRecord.get(recordId)
    const entry = fields?.get(field)
    if (!fields || entry?.item !== item) return
    let below = entry.below
    while (below?.item.deleted) below = below.below
    if (below) fields.set(field, below)
    else {
      fields.delete(field)
      if (fields.size === 0) this.byRecord.delete(recordId)
    }
  }
}

/**
 * Left unread at most: a few template placements (~900 entries each), never read when nothing else
 * changes the board, as their placement worked out the outline they leave.
 */
const MAX_UNREAD_CHANGES = 256
const MAX_UNREAD_STRUCTS = 8192

/** Whether `item` sits right of `other` in their array: the walk from `item` rightwards never meets it. */
function rightOf(item: Y.Item, other: Y.Item): boolean {
  for (let next = item.right; next !== null; next = next.right) if (next === other) return false
  return true
}
