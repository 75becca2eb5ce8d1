import { PgEventStore } from '../events/pgEventStore.ts'
import { openPg } from '../storage/pgDatabase.ts'
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from '../storage/pgTestDatabase.ts'
import { describeTemplateStoreContract } from './contractSuite.ts'
import { PgTemplateStore } from './pgTemplateStore.ts'

describeTemplateStoreContract('postgresql', () => {
  const schema = uniqueSchema()
  let pool: Awaited<ReturnType<typeof openPg>> | undefined
  return {
    create: async () => {
      pool = await openPg({ connectionString: TEST_DATABASE_URL, schema })
      return { templates: new PgTemplateStore(pool), events: new PgEventStore(pool) }
    },
    destroy: async () => {
      await pool?.end()
      await dropSchema(schema)
    },
  }
})
