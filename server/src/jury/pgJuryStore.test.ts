import { PgEventStore } from '../events/pgEventStore.ts'
import { openPg } from '../storage/pgDatabase.ts'
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from '../storage/pgTestDatabase.ts'
import { describeJuryStoreContract } from './contractSuite.ts'
import { PgJuryStore } from './pgJuryStore.ts'

describeJuryStoreContract('postgresql', () => {
  const schema = uniqueSchema()
  let pool: Awaited<ReturnType<typeof openPg>> | undefined
  return {
    create: async () => {
      pool = await openPg({ connectionString: TEST_DATABASE_URL, schema })
      return { jury: new PgJuryStore(pool), events: new PgEventStore(pool) }
    },
    destroy: async () => {
      await pool?.end()
      await dropSchema(schema)
    },
  }
})
