import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { FieldMap, fieldKey, RECORDS_ARRAY } from './fieldMap.ts'
import { readSomeFields } from './fieldScan.ts'
import { FieldWatch } from './fieldWatch.ts'
import { seededRandom } from './testing.ts'

const WANTED: ReadonlySet<string> = new Set(['typeName', 'x', 'y', 'props.w'])
const FIELDS = ['typeName', 'x', 'y', 'props.w', 'props.color', 'index']

/** What the watch holds, as readSomeFields gives it. */
function watched(watch: FieldWatch): Map<string, Map<string, unknown>> {
  return new Map([...watch.records].map(([recordId, fields]) => [recordId, new Map([...fields].map(([field, entry]) => [field, entry.value]))]))
}

/** Sorted, for toEqual on maps filled in different orders. */
function sorted(records: Map<string, Map<string, unknown>>): Array<[string, Array<[string, unknown]>]> {
  return [...records].map(([id, fields]): [string, Array<[string, unknown]>] => [id, [...fields].sort(([a], [b]) => a.localeCompare(b))]).sort(([a], [b]) => a.localeCompare(b))
}

describe('FieldWatch', () => {
  test('follows writes, overwrites, deleted fields and deleted records as a new read would see them', () => {
    const doc = new Y.Doc()
    const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    fields.write([[fieldKey('shape:a', 'x'), 1]], [])
    const watch = FieldWatch.read(doc, WANTED)
    const array = doc.getArray(RECORDS_ARRAY)
    let arrayChanges = 0
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.has(array as unknown as Y.AbstractType<Y.YEvent<Y.Array<unknown>>>)) arrayChanges++
    })
    const random = seededRandom(7)
    let versions = 0
    for (let step = 0; step < 400; step++) {
      const sets: Array<[string, unknown]> = []
      const deletes: string[] = []
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
        const key = fieldKey(`shape:${Math.floor(random() * 12)}`, FIELDS[Math.floor(random() * FIELDS.length)] as string)
        if (sets.some(([k]) => k === key) || deletes.includes(key)) continue
        if (random() < 0.25) deletes.push(key)
        else sets.push([key, random() < 0.5 ? Math.round(random() * 1000) : { nested: [step, 'é'] }])
      }
      const before = watch.version
      fields.write(sets, deletes)
      if (watch.version !== before) versions++
      expect(watch.following).toBe(true)
      expect(sorted(watched(watch)), `step ${step}`).toEqual(sorted(readSomeFields(doc, WANTED)))
    }
    // Every change of the records array bumps the version: its new entries are read when asked for.
    expect(versions).toBe(arrayChanges)
    expect(versions).toBeGreaterThan(100)
  })

  test('reads what changed when asked, or once much waits, as a new read would see it', () => {
    const doc = new Y.Doc()
    const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    const watch = FieldWatch.read(doc, WANTED)
    const random = seededRandom(3)
    // A thousand changes, nobody asking meanwhile: new entries, overwrites, deletions of entries
    // the watch has not read yet; then one change larger than what it leaves unread.
    for (let step = 0; step < 1000; step++) {
      const key = fieldKey(`shape:${Math.floor(random() * 40)}`, FIELDS[Math.floor(random() * FIELDS.length)] as string)
      fields.write(random() < 0.2 ? [] : [[key, step]], random() < 0.2 ? [key] : [])
    }
    fields.write(
      Array.from({ length: 9000 }, (_, i): [string, unknown] => [fieldKey(`shape:big-${i}`, FIELDS[i % FIELDS.length] as string), i]),
      [],
    )
    expect(watch.following).toBe(true)
    expect(sorted(watched(watch))).toEqual(sorted(readSomeFields(doc, WANTED)))
  })

  test('follows what other documents send, and stops when a concurrent entry lands left of a live one', () => {
    const random = seededRandom(11)
    const server = new Y.Doc()
    const watch = FieldWatch.read(server, WANTED)
    const peers = [0, 1, 2].map((n) => {
      const doc = new Y.Doc()
      // Fixed ids: Yjs orders entries written at once by their writers' ids.
      doc.clientID = n + 1
      return { doc, fields: new FieldMap(doc.getArray(RECORDS_ARRAY)), outbox: [] as Uint8Array[] }
    })
    for (const peer of peers) peer.doc.on('update', (update: Uint8Array) => peer.outbox.push(update))
    let checks = 0
    const deliver = () => {
      // In any order: the server sees an entry of a higher id before, or after, a lower one's.
      for (const from of [...peers].sort(() => random() - 0.5)) {
        for (const update of from.outbox.splice(0)) {
          Y.applyUpdate(server, update)
          for (const to of peers) if (to !== from) Y.applyUpdate(to.doc, update)
          if (!watch.following) return
          checks++
          expect(sorted(watched(watch))).toEqual(sorted(readSomeFields(server, WANTED)))
        }
      }
    }
    const write = (peer: (typeof peers)[number], key: string, step: number) => {
      if (random() < 0.2) peer.fields.write([], [key])
      else peer.fields.write([[key, step]], [])
    }
    // Each peer its own records, deliveries lagging behind: entries of other keys land anywhere.
    for (let step = 0; step < 300; step++) {
      const p = Math.floor(random() * peers.length)
      write(peers[p] as (typeof peers)[number], fieldKey(`shape:${p}-${Math.floor(random() * 3)}`, FIELDS[Math.floor(random() * 4)] as string), step)
      if (random() < 0.4) deliver()
    }
    deliver()
    expect(watch.following).toBe(true)
    expect(checks).toBeGreaterThan(100)
    // Then everyone writes the same few keys without having seen each other's writes: some entry
    // lands left of a live one, and the watch stops rather than guess.
    for (let step = 0; step < 300 && watch.following; step++) {
      const p = Math.floor(random() * peers.length)
      write(peers[p] as (typeof peers)[number], fieldKey(`shape:${Math.floor(random() * 2)}`, 'x'), step)
      if (random() < 0.4) deliver()
    }
    expect(watch.following).toBe(false)
    expect(watch.records.size).toBe(0)
  })

  test('a key written twice at once falls back on its older entry when the newer goes', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<Uint8Array>(RECORDS_ARRAY)
    const raw = (text: string) => new Uint8Array(new TextEncoder().encode(text))
    // As a board holds two people's writes of one key until a client deletes the losing one.
    array.push([raw('["shape:a/x",1]'), raw('["shape:a/y",5]'), raw('["shape:a/x",2]')])
    const watch = FieldWatch.read(doc, WANTED)
    expect(watch.valueOf('shape:a', 'x')).toBe(2)
    array.delete(2, 1)
    expect(watch.valueOf('shape:a', 'x')).toBe(1)
    array.delete(0, 1)
    expect(watch.records.get('shape:a')?.has('x')).toBe(false)
    array.delete(0, 1)
    expect(watch.records.has('shape:a')).toBe(false)
    expect(watch.following).toBe(true)
  })

  test('a read in turns is abandoned when the array changes between turns', async () => {
    const doc = new Y.Doc()
    const fields = new FieldMap(doc.getArray(RECORDS_ARRAY))
    fields.write(
      Array.from({ length: 50 }, (_, i): [string, unknown] => [fieldKey(`shape:${i}`, 'x'), i]),
      [],
    )
    let turns = 0
    const quiet = await FieldWatch.readInTurns(doc, WANTED, { itemsPerTurn: 10, nextTurn: async () => void turns++ })
    expect(turns).toBeGreaterThan(3)
    expect(quiet?.following).toBe(true)
    expect(quiet?.valueOf('shape:7', 'x')).toBe(7)
    const busy = await FieldWatch.readInTurns(doc, WANTED, { itemsPerTurn: 10, nextTurn: async () => fields.write([[fieldKey('shape:1', 'y'), 2]], []) })
    expect(busy).toBeUndefined()
    // The watch read in turns follows later writes.
    fields.write([[fieldKey('shape:7', 'x'), 70]], [])
    expect(quiet?.valueOf('shape:7', 'x')).toBe(70)
  })
})
