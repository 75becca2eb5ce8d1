import { beforeAll, describe, expect, it } from 'vitest'
import { describeStorageContract } from './contractSuite.ts'
import { PgStorage } from './pg.ts'
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from './pgTestDatabase.ts'

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
