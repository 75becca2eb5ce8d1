import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeStorageContract } from './contractSuite.ts'
import { SqliteStorage } from './sqlite.ts'

describeStorageContract('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabrique-sqlite-'))
  const file = path.join(dir, 'fabrique.sqlite')
  return {
    create: async () => new SqliteStorage({ file }),
    reopen: async () => new SqliteStorage({ file }),
    destroy: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
})
