import { openSqliteDatabase } from '../storage/sqlite.ts'
import { describeEventStoreContract } from './contractSuite.ts'
import { SqliteEventStore } from './sqliteEventStore.ts'

describeEventStoreContract('sqlite', () => {
  const db = openSqliteDatabase({ file: ':memory:' })
  return { create: async () => new SqliteEventStore(db), destroy: async () => {
      db.close()
    },
  }
})
