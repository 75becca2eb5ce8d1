/**
 * The peer of the canvas benchmarks: tldraw's own Yjs example (tldraw-yjs-example, useYjsStore),
 * the approach Fabrique's field layout replaces. One YKeyValue entry per record id holds the whole
 * record: moving a note rewrites all of it. Remote changes reach the store in one
 * `mergeRemoteChanges` per transaction, as in the example.
 *
 * y-utility is a dependency of packages/board, not of test/: it is imported from there.
 */
import * as Y from 'yjs'
import { YKeyValue } from '../../packages/board/node_modules/y-utility/y-keyvalue.js'
import { type Store, type TLRecord, usableStore } from './canvasFixtures.ts'

/** Origin of updates that came from the other peer: not sent back. */
export const REMOTE = Symbol('remote')

type Change = { action: 'add'; newValue: TLRecord } | { action: 'update'; oldValue: TLRecord; newValue: TLRecord } | { action: 'delete'; oldValue: TLRecord }
type ChangeListener = (changes: Map<string, Change>, transaction: Y.Transaction) => void
/** YKeyValue's events (lib0's Observable): its base type does not resolve from this path for tsc. */
type ChangeEvents = { on(name: 'change', listener: ChangeListener): void; off(name: 'change', listener: ChangeListener): void }

export class WholeRecordPeer {
  readonly doc = new Y.Doc()
  readonly store: Store = usableStore()
  readonly records: YKeyValue<TLRecord>
  /** Updates this peer produced, for the benchmark to deliver. */
  readonly outbox: Uint8Array[] = []
  private readonly cleanups: Array<() => void> = []

  constructor() {
    this.records = new YKeyValue(this.doc.getArray<{ key: string; val: TLRecord }>('tl_records'))
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.outbox.push(update)
    })
  }

  /** What the example does once the provider has synced. */
  start(): void {
    const { store, records, doc } = this
    const isDocumentRecord = (record: TLRecord) => store.scopedTypes.document.has(record.typeName)
    if (records.yarray.length === 0) {
      // A new board: the store's records (the default page) become its content.
      doc.transact(() => {
        for (const record of store.allRecords().filter(isDocumentRecord)) records.set(record.id, record)
      })
    } else {
      store.mergeRemoteChanges(() => store.put(records.yarray.toArray().map(({ val }) => val)))
    }

    const onStoreChange = ({ changes }: { changes: { added: Record<string, TLRecord>; updated: Record<string, [TLRecord, TLRecord]>; removed: Record<string, TLRecord> } }) => {
      doc.transact(() => {
        for (const record of Object.values(changes.added)) records.set(record.id, record)
        for (const [, record] of Object.values(changes.updated)) records.set(record.id, record)
        for (const record of Object.values(changes.removed)) records.delete(record.id)
      })
    }
    this.cleanups.push(store.listen(onStoreChange, { source: 'user', scope: 'document' }))

    const onDocChange: ChangeListener = (changes, transaction) => {
      if (transaction.local) return
      const toRemove: TLRecord['id'][] = []
      const toPut: TLRecord[] = []
      changes.forEach((change, id) => {
        if (change.action === 'delete') toRemove.push(id as TLRecord['id'])
        else toPut.push(records.get(id) as TLRecord)
      })
      store.mergeRemoteChanges(() => {
        if (toRemove.length > 0) store.remove(toRemove)
        if (toPut.length > 0) store.put(toPut)
      })
    }
    const events = records as unknown as ChangeEvents
    events.on('change', onDocChange)
    this.cleanups.push(() => events.off('change', onDocChange))
  }

  /** Local edits reach the document when tldraw flushes its history (once a frame); here, at once. */
  edit(fn: (store: Store) => void): void {
    fn(this.store)
    this.store._flushHistory()
  }

  receive(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE)
  }

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.doc.destroy()
  }
}
