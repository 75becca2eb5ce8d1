import { SqliteEventStore } from '../events/sqliteEventStore.ts'
import { openSqliteDatabase } from '../storage/sqlite.ts'
import { describeJuryStoreContract } from './contractSuite.ts'
import { SqliteJuryStore } from './sqliteJuryStore.ts'

describeJuryStoreContract('sqlite', () => {
  const db = openSqliteDatabase({ file: ':memory:' })
  return {
    create: async () => ({ jury: new SqliteJuryStore(db), events: new SqliteEventStore(db) }),
    destroy: async () => {
      db.close()
    },
  }
})
