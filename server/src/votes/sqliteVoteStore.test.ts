import { SqliteEventStore } from '../events/sqliteEventStore.ts'
import { openSqliteDatabase } from '../storage/sqlite.ts'
import { describeVoteStoreContract } from './contractSuite.ts'
import { SqliteVoteStore } from './sqliteVoteStore.ts'

describeVoteStoreContract('sqlite', () => {
  const db = openSqliteDatabase({ file: ':memory:' })
  return {
    create: async () => ({ votes: new SqliteVoteStore(db), events: new SqliteEventStore(db) }),
    destroy: async () => {
      db.close()
    },
  }
})
