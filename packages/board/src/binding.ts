import type { HistoryEntry, SerializedSchemaV2, TLPageId, TLRecord, TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { FieldMap, fieldKey, RECORDS_ARRAY } from './fieldMap.ts'
import { diffRecords, fieldsToRecord, jsonEqual, recordToFields, valueOfEntry } from './layout.ts'
import { compareSchemas, parseStoredSchema } from './schemaVersion.ts'

/** Names of the shared types inside a board's `Y.Doc` (the records array is defined with FieldMap). */
export { RECORDS_ARRAY }
export const SCHEMA_MAP = 'schema'
export const SCHEMA_KEY = 'tldraw'

export type BoardProblem =
  /** A record this client cannot show: invalid, or of a type it does not know. Others are unaffected. */
  | { kind: 'record-held-back'; recordId: string; reason: string }
  /** Someone wrote this board with a newer tldraw: this client must reload before it writes again. */
  | { kind: 'client-outdated' }

export interface BoardBindingOptions {
  store: TLStore
  doc: Y.Doc
  /** Called whenever the list of problems changes (to tell the person to reload). */
  onProblemsChange?: (problems: BoardProblem[]) => void
}

export interface BoardBinding {
  /**
   * Starts syncing. Call it once the document holds the board's content (the server's sync step 2,
   * or a local copy of a board this browser has already synced): until then nothing is written,
   * so a default page can never clobber a board that is still loading.
   */
  start(): void
  readonly started: boolean
  /** False when this client is older than the board's content: it shows but does not write. */
  readonly writable: boolean
  problems(): BoardProblem[]
  /** Writes pending local changes now (tldraw delivers them once per animation frame). */
  flush(): void
  dispose(): void
}

/**
 * Binds a tldraw store to a Yjs document: local document changes go into the document as fields
 * (see layout.ts), remote changes come back in one `mergeRemoteChanges` per transaction, so they
 * never echo back, never enter the undo stack, and arrows stay bound to the shapes they point at.
 */
export function bindBoard({ store, doc, onProblemsChange }: BoardBindingOptions): BoardBinding {
  const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
  const schemaMap = doc.getMap<unknown>(SCHEMA_MAP)
  const origin = { binding: 'fabrique-board' }
  const ourSchema = store.schema.serialize() as SerializedSchemaV2
  const heldBack = new Map<string, string>()
  let outdated = false
  let started = false
  let disposed = false
  const cleanups: Array<() => void> = []

  const problems = (): BoardProblem[] => [
    ...(outdated ? [{ kind: 'client-outdated' } as const] : []),
    ...[...heldBack].map(([recordId, reason]) => ({ kind: 'record-held-back', recordId, reason }) as const),
  ]
  let lastReported = ''
  const reportProblems = (): void => {
    const current = problems()
    const key = JSON.stringify(current)
    if (key === lastReported) return
    lastReported = key
    onProblemsChange?.(current)
  }

  const isDocumentRecordType = (typeName: unknown): boolean =>
    typeof typeName === 'string' && store.scopedTypes.document.has(typeName as TLRecord['typeName'])

  const readRecord = (recordId: string): TLRecord | undefined => {
    const entries = fields.fieldsOf(recordId)
    return entries && fieldsToRecord(entries, valueOfEntry)
  }

  /** The board's schema check: returns false when this client must stop writing. */
  const checkSchema = (): boolean => {
    const stored = parseStoredSchema(schemaMap.get(SCHEMA_KEY))
    if (stored && compareSchemas(ourSchema, stored) === 'board-is-newer') {
      if (!outdated) {
        outdated = true
        reportProblems()
      }
      return false
    }
    return true
  }

  /** Older clients wrote some records: bring them to our schema before anyone reads them. */
  const migrateBoard = (): void => {
    const stored = parseStoredSchema(schemaMap.get(SCHEMA_KEY))
    if (!stored || compareSchemas(ourSchema, stored) !== 'board-is-older') return
    const sets: Array<[string, unknown]> = []
    const deletes: string[] = []
    for (const recordId of [...fields.recordIds()]) {
      const record = readRecord(recordId)
      if (!record) continue
      const migrated = store.schema.migratePersistedRecord(record, stored)
      if (migrated.type !== 'success') continue
      const diff = diffRecords(record, migrated.value)
      for (const [field, value] of diff.sets) sets.push([fieldKey(recordId, field), value])
      for (const field of diff.deletes) deletes.push(fieldKey(recordId, field))
    }
    doc.transact(() => {
      fields.write(sets, deletes)
      schemaMap.set(SCHEMA_KEY, ourSchema)
    }, origin)
  }

  const ensureSchemaWritten = (): void => {
    const stored = parseStoredSchema(schemaMap.get(SCHEMA_KEY))
    if (!stored || compareSchemas(ourSchema, stored) === 'board-is-older') schemaMap.set(SCHEMA_KEY, ourSchema)
  }

  /** Applies the document's current state of these records to the store, in one batch. */
  const applyFromDoc = (recordIds: Iterable<string>, removeMissing: boolean): void => {
    const puts: TLRecord[] = []
    const removals = new Set<TLRecord['id']>()
    const present = new Set<string>()
    for (const recordId of recordIds) {
      const record = readRecord(recordId)
      if (!record || record.id !== recordId) {
        heldBack.delete(recordId)
        const existing = store.get(recordId as TLRecord['id'])
        if (existing && isDocumentRecordType(existing.typeName)) removals.add(existing.id)
        continue
      }
      if (removeMissing) present.add(recordId)
      if (!isDocumentRecordType(record.typeName)) {
        heldBack.set(recordId, `unknown record type "${String(record.typeName)}"`)
        continue
      }
      // Held back again below if the store refuses it.
      heldBack.delete(recordId)
      // By the id the record holds, a string that lasts as long as its entry: the store hashes ids
      // through a cache keyed by the string, and `recordId` is a fresh copy at every change.
      const existing = store.get(record.id)
      if (!existing || !jsonEqual(existing, record)) puts.push(record)
    }
    if (removeMissing) {
      for (const record of store.allRecords()) {
        if (isDocumentRecordType(record.typeName) && !present.has(record.id)) removals.add(record.id)
      }
    }
    const repairs = repairReferences(puts, removals)
    if (puts.length > 0 || removals.size > 0) applyToStore(puts, removals)
    if (repairs.length > 0 && !outdated) afterTransactions(() => writeRepairs(repairs))
    reportProblems()
  }

  /** Why the store would refuse this record, or undefined when it takes it. */
  const validationProblem = (record: TLRecord): string | undefined => {
    const existing = store.get(record.id)
    try {
      store.schema.validateRecord(store, record, existing ? 'updateRecord' : 'createRecord', existing ?? null)
      return undefined
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
  }

  /** False, and the record held back, when the store would refuse it. */
  const isValid = (record: TLRecord): boolean => {
    const problem = validationProblem(record)
    if (problem !== undefined) heldBack.set(record.id, problem)
    return problem === undefined
  }

  /**
   * One batch, in which the store validates every record. Only when it refuses the batch is each
   * record validated on its own, so that a bad one is held back and the rest applied: validating
   * them all beforehand validated every record twice.
   */
  const applyToStore = (puts: TLRecord[], removals: Set<TLRecord['id']>): void => {
    const applyBatch = (records: TLRecord[]): void =>
      store.mergeRemoteChanges(() => {
        if (removals.size > 0) store.remove([...removals])
        if (records.length > 0) store.put(records)
      })
    try {
      applyBatch(puts)
      return
    } catch {
      // Validated below.
    }
    const valid = puts.filter(isValid)
    try {
      applyBatch(valid)
    } catch {
      applyOneByOne(valid, removals)
    }
  }

  /** The batch failed as a whole: find the culprits so that one bad record cannot block the others. */
  const applyOneByOne = (puts: TLRecord[], removals: Set<TLRecord['id']>): void => {
    store.mergeRemoteChanges(() => {
      if (removals.size > 0) store.remove([...removals])
    })
    for (const record of puts) {
      try {
        store.mergeRemoteChanges(() => store.put([record]))
      } catch (error) {
        heldBack.set(record.id, error instanceof Error ? error.message : String(error))
      }
    }
  }

  /**
   * Two people acting at once can leave references dangling: a note added to a frame someone else
   * deleted, an arrow bound to a shape that is gone. Every peer sees the same document and makes the
   * same repair (the note moves to the first page, the binding goes), so they converge.
   */
  const repairReferences = (puts: TLRecord[], removals: Set<TLRecord['id']>): Array<{ id: string; parentId?: TLPageId; remove?: true }> => {
    // Records are validated by the store when put, after this: the few a repair looks at are
    // validated here, as a record the store refuses neither counts as there nor gets repaired (the
    // store is given it all the same, and refuses it).
    const putsById = new Map<string, TLRecord>(puts.map((record) => [record.id, record]))
    const checked = new Map<string, boolean>()
    const valid = (record: TLRecord): boolean => {
      let result = checked.get(record.id)
      if (result === undefined) {
        result = isValid(record)
        checked.set(record.id, result)
      }
      return result
    }
    const exists = (id: string): boolean => {
      if (removals.has(id as TLRecord['id'])) return false
      const put = putsById.get(id)
      return (put !== undefined && valid(put)) || store.has(id as TLRecord['id'])
    }
    const repairs: Array<{ id: string; parentId?: TLPageId; remove?: true }> = []
    let firstPage: TLPageId | undefined
    const pageForOrphans = (): TLPageId | undefined => {
      if (firstPage) return firstPage
      const pages = [...puts.filter((record) => record.typeName === 'page' && valid(record)), ...store.query.records('page').get()]
        .filter((page) => exists(page.id))
        .sort((a, b) => ((a as { index: string }).index < (b as { index: string }).index ? -1 : 1))
      firstPage = pages[0]?.id as TLPageId | undefined
      return firstPage
    }
    for (let i = 0; i < puts.length; i++) {
      const record = puts[i]
      if (record.typeName === 'shape' && !exists(record.parentId)) {
        const page = pageForOrphans()
        if (!page || !valid(record)) continue
        puts[i] = { ...record, parentId: page }
        repairs.push({ id: record.id, parentId: page })
      } else if (record.typeName === 'binding' && (!exists(record.fromId) || !exists(record.toId)) && valid(record)) {
        puts.splice(i, 1)
        i--
        if (store.has(record.id)) removals.add(record.id)
        repairs.push({ id: record.id, remove: true })
      }
    }
    return repairs
  }

  /**
   * Runs `write` once Yjs has finished the transactions under way. Writing from inside an observer
   * is unsafe: the struct merge of the transaction being observed can swallow the new item, and its
   * own event then never reports it to the other observers.
   */
  const afterTransactions = (write: () => void): void => {
    if (doc._transactionCleanups.length === 0) write()
    else doc.once('afterAllTransactions', () => {
      if (!disposed) write()
    })
  }

  const writeRepairs = (repairs: Array<{ id: string; parentId?: TLPageId; remove?: true }>): void => {
    const sets: Array<[string, unknown]> = []
    const deletes: string[] = []
    for (const repair of repairs) {
      if (repair.parentId) sets.push([fieldKey(repair.id, 'parentId'), repair.parentId])
      if (repair.remove) {
        for (const field of fields.fieldsOf(repair.id)?.keys() ?? []) deletes.push(fieldKey(repair.id, field))
      }
    }
    fields.write(sets, deletes, origin)
  }

  const onLocalChanges = ({ changes }: HistoryEntry<TLRecord>): void => {
    if (!started || disposed || !checkSchema()) return
    const sets: Array<[string, unknown]> = []
    const deletes: string[] = []
    const writeWhole = (record: TLRecord): void => {
      const written = new Set<string>()
      for (const [field, value] of recordToFields(record)) {
        sets.push([fieldKey(record.id, field), value])
        written.add(field)
      }
      // Leftovers of an earlier life of this id (undo of a delete racing an edit) must not mix in.
      for (const field of fields.fieldsOf(record.id)?.keys() ?? []) {
        if (!written.has(field)) deletes.push(fieldKey(record.id, field))
      }
    }
    for (const record of Object.values(changes.added)) writeWhole(record)
    for (const [from, to] of Object.values(changes.updated)) {
      // A record missing from the document (its deletion raced this edit) is written whole again.
      if (!fields.fieldsOf(to.id)?.has('typeName')) {
        writeWhole(to)
        continue
      }
      const diff = diffRecords(from, to)
      for (const [field, value] of diff.sets) sets.push([fieldKey(to.id, field), value])
      for (const field of diff.deletes) deletes.push(fieldKey(to.id, field))
    }
    for (const record of Object.values(changes.removed)) {
      for (const field of fields.fieldsOf(record.id)?.keys() ?? []) deletes.push(fieldKey(record.id, field))
    }
    if (sets.length === 0 && deletes.length === 0) return
    doc.transact(() => {
      ensureSchemaWritten()
      fields.write(sets, deletes)
    }, origin)
  }

  /** Whether the store holds changes its listeners have not been given yet (tldraw gives them once a frame). */
  const hasUnflushedChanges = (): boolean =>
    (store as unknown as { historyAccumulator?: { hasChanges(): boolean } }).historyAccumulator?.hasChanges() ?? false

  /** Records of remote changes that wait for the local changes to be written first. */
  let waitingRemote: Set<string> | undefined

  /**
   * A remote change that arrives while local changes wait for tldraw's next frame (someone else
   * recolours the note the person is dragging) is applied after them: applied at once, the records
   * rebuilt from the document, which does not hold the local changes yet, replaced them in the
   * store, and written at the frame they reached the document but never came back: the person saw
   * the note where it was before, everyone else where they had put it. Once Yjs has finished the
   * transaction, the local changes are written, then the records read with both.
   */
  const applyAfterLocalChanges = (recordIds: Set<string>): void => {
    if (waitingRemote) {
      for (const recordId of recordIds) waitingRemote.add(recordId)
      return
    }
    waitingRemote = new Set(recordIds)
    afterTransactions(() => {
      const waiting = waitingRemote ?? new Set<string>()
      waitingRemote = undefined
      store._flushHistory()
      applyFromDoc(waiting, false)
    })
  }

  const onRemoteFields = ({ recordIds, transaction }: { recordIds: Set<string>; transaction: Y.Transaction }): void => {
    if (!started || disposed) return
    if (transaction.origin !== origin) {
      if (waitingRemote || hasUnflushedChanges()) applyAfterLocalChanges(recordIds)
      else applyFromDoc(recordIds, false)
      return
    }
    // Our own write can settle a record we held back (we deleted or rewrote it): look again.
    const settled = [...recordIds].filter((recordId) => heldBack.has(recordId))
    if (settled.length > 0) applyFromDoc(settled, false)
  }

  const onSchemaChange = (): void => {
    if (started) checkSchema()
  }

  return {
    start() {
      if (started || disposed) return
      started = true
      const writable = checkSchema()
      if (writable) migrateBoard()
      const boardHasContent = fields.byRecord.size > 0
      applyFromDoc([...fields.recordIds()], boardHasContent)
      if (writable && !boardHasContent) {
        // A new board: what the store holds already (tldraw's default page) becomes its first content.
        const initial = store.allRecords().filter((record) => isDocumentRecordType(record.typeName))
        onLocalChanges({ changes: { added: Object.fromEntries(initial.map((r) => [r.id, r])), updated: {}, removed: {} }, source: 'user' })
      }
      fields.onChange(onRemoteFields)
      schemaMap.observe(onSchemaChange)
      cleanups.push(
        () => schemaMap.unobserve(onSchemaChange),
        store.listen(onLocalChanges, { source: 'user', scope: 'document' }),
      )
      reportProblems()
    },
    get started() {
      return started
    },
    get writable() {
      return !outdated
    },
    problems,
    flush() {
      store._flushHistory()
    },
    dispose() {
      if (disposed) return
      disposed = true
      for (const cleanup of cleanups.splice(0)) cleanup()
      fields.destroy()
    },
  }
}
