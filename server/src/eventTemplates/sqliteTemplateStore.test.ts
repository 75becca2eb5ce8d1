import { SqliteEventStore } from '../events/sqliteEventStore.ts'
import { openSqliteDatabase } from '../storage/sqlite.ts'
import { describeTemplateStoreContract } from './contractSuite.ts'
import { SqliteTemplateStore } from './sqliteTemplateStore.ts'

describeTemplateStoreContract('sqlite', () => {
  const db = openSqliteDatabase({ file: ':memory:' })
  return {
    create: async () => ({ templates: new SqliteTemplateStore(db), events: new SqliteEventStore(db) }),
    destroy: async () => {
      db.close()
    },
  }
})
