import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeStorageContract } from './contractSuite.ts'
import { PgStorage } from './pg.ts'
import { openPg } from './pgDatabase.ts'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from './pgTestDatabase.ts'
import { StorageError } from './types.ts'

beforeAll(requirePostgres)

describeStorageContract('postgresql', () => {
  const schema = uniqueSchema()
  return {
    create: () => PgStorage.open({ connectionString: TEST_DATABASE_URL, schema }),
    reopen: () => PgStorage.open({ connectionString: TEST_DATABASE_URL, schema }),
    destroy: () => dropSchema(schema),
  }
})

describe('PgStorage', () => {
  it('says which database it could not reach, without the password', async () => {
    await expect(PgStorage.open({ connectionString: 'postgres://me:hunter2@127.0.0.1:1/none' })).rejects.toThrow(/postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/none/)
  })
})

describe('PgStorage appends', () => {
  const schema = uniqueSchema()
  afterAll(() => dropSchema(schema))

  /** A storage whose INSERTs into board_updates are counted. */
  async function countingStorage(): Promise<{ storage: PgStorage; inserts: () => number }> {
    const pool = await openPg({ connectionString: TEST_DATABASE_URL, schema })
    let inserts = 0
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
    ;(pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('INSERT INTO board_updates')) inserts++
      return query(...args)
    }
    return { storage: new PgStorage(pool), inserts: () => inserts }
  }

  it('writes the appends of many boards in one statement, and those made meanwhile in the next', async () => {
    const { storage, inserts } = await countingStorage()
    try {
      const first = Array.from({ length: 50 }, (_, i) => storage.append(`group-${i}`, [new Uint8Array([i, 1])]))
      // The first commit is under way once this turn ends: these wait for the next one.
      await new Promise((resolve) => setImmediate(resolve))
      const second = Array.from({ length: 50 }, (_, i) => storage.append(`group-${i}`, [new Uint8Array([i, 2]), new Uint8Array([i, 3])]))
      await Promise.all([...first, ...second])
      expect(inserts()).toBe(2)
      for (const i of [0, 17, 49]) {
        const { updates } = await storage.load(`group-${i}`)
        expect(updates.map((u) => [...u])).toEqual([
          [i, 1],
          [i, 2],
          [i, 3],
        ])
      }
    } finally {
      await storage.close()
    }
  })

  it('fails only the board whose append PostgreSQL refuses; the others of the same commit are stored', async () => {
    const { storage } = await countingStorage()
    try {
      const good = storage.append('fine-board', [new Uint8Array([7])])
      // PostgreSQL refuses a NUL character in text.
      const bad = storage.append('bad\u0000board', [new Uint8Array([8])])
      const alsoGood = storage.append('fine-board-2', [new Uint8Array([9])])
      await expect(bad).rejects.toThrow(StorageError)
      await expect(bad).rejects.toThrow(/could not store 1 update\(s\) of board bad/)
      await good
      await alsoGood
      expect((await storage.load('fine-board')).updates.map((u) => [...u])).toEqual([[7]])
      expect((await storage.load('fine-board-2')).updates.map((u) => [...u])).toEqual([[9]])
    } finally {
      await storage.close()
    }
  })

  it('writes what is pending before it closes, including appends made while a commit was under way', async () => {
    const { storage } = await countingStorage()
    const first = storage.append('closing-board', [new Uint8Array([4])])
    await new Promise((resolve) => setImmediate(resolve))
    // The first commit is being written: this one waits for the next.
    const second = storage.append('closing-board', [new Uint8Array([5])])
    await storage.close()
    await Promise.all([first, second])
    const reopened = await PgStorage.open({ connectionString: TEST_DATABASE_URL, schema })
    try {
      expect((await reopened.load('closing-board')).updates.map((u) => [...u])).toEqual([[4], [5]])
    } finally {
      await reopened.close()
    }
  })
})
