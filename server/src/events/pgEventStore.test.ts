import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from '../storage/pgTestDatabase.ts'
import { openPg } from '../storage/pgDatabase.ts'
import { describeEventStoreContract } from './contractSuite.ts'
import { PgEventStore } from './pgEventStore.ts'

describeEventStoreContract('postgresql', () => {
  const schema = uniqueSchema()
  let pool: Awaited<ReturnType<typeof openPg>> | undefined
  return {
    create: async () => {
      pool = await openPg({ connectionString: TEST_DATABASE_URL, schema })
      return new PgEventStore(pool)
    },
    destroy: async () => {
      await pool?.end()
      await dropSchema(schema)
    },
  }
})
