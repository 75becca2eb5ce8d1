import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { readConfig } from './config.ts'

/**
 * `backup FILE`: an online copy of the SQLite database, safe while the server runs (SQLite's
 * backup API copies a consistent snapshot page by page).
 * `restore FILE`: puts a backup in place; the server must be stopped.
 */
const usage = `Usage:
  pnpm --filter @fabrique/server backup <file>    copy the live database (the server may run)
  pnpm --filter @fabrique/server restore <file>   replace the database by a backup (stop the server first)
The database is DATA_DIR/fabrique.sqlite (DATA_DIR=${readConfig().dataDir}).
With DATABASE_URL (PostgreSQL), use pg_dump and pg_restore instead: see the README.`

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv
  const config = readConfig()
  const live = path.join(config.dataDir, 'fabrique.sqlite')
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL is set: back up PostgreSQL with pg_dump (see the README).\n')
    return 2
  }
  if (!file || (command !== 'backup' && command !== 'restore')) {
    process.stderr.write(`${usage}\n`)
    return 2
  }
  if (command === 'backup') {
    if (!fs.existsSync(live)) {
      process.stderr.write(`No database at ${live}: nothing to back up. Is DATA_DIR right?\n`)
      return 1
    }
    const db = new Database(live, { readonly: true, fileMustExist: true })
    try {
      await db.backup(file, {
        progress: ({ totalPages, remainingPages }) => {
          process.stderr.write(`\rbackup: ${Math.round(((totalPages - remainingPages) / Math.max(1, totalPages)) * 100)}%`)
          return 256
        },
      })
    } finally {
      db.close()
    }
    process.stderr.write(`\nbacked up ${live} to ${file}\n`)
    return 0
  }
  if (fs.existsSync(`${live}-wal`) || fs.existsSync(`${live}-shm`)) {
    process.stderr.write(`${live}-wal exists: the server is running, or did not stop cleanly. Stop it (start and stop it once if it crashed), then restore.\n`)
    return 1
  }
  const check = new Database(file, { readonly: true, fileMustExist: true })
  const ok = check.pragma('integrity_check', { simple: true })
  check.close()
  if (ok !== 'ok') {
    process.stderr.write(`${file} is not a sound SQLite database (${String(ok)}); nothing was changed.\n`)
    return 1
  }
  fs.mkdirSync(config.dataDir, { recursive: true })
  for (const suffix of ['-wal', '-shm']) fs.rmSync(live + suffix, { force: true })
  fs.copyFileSync(file, `${live}.restoring`)
  fs.renameSync(`${live}.restoring`, live)
  process.stderr.write(`restored ${file} to ${live}\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
