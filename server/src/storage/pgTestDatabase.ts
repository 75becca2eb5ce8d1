import pg from 'pg'

/** The PostgreSQL of the test machines (design.md): 127.0.0.1:5432, trust auth, database `test`. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A schema name no other test uses, so tests run side by side in one database. */
export function uniqueSchema(): string {
  return `fabrique_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL at ${TEST_DATABASE_URL} (${(error as Error).message}). Install and start it (Debian: apt-get install -y postgresql, then pg_ctlcluster 15 main start), or set TEST_DATABASE_URL.`,
    )
  }
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => {})
  }
}

export function dropSchema(schema: string): Promise<void> {
  return withClient(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  })
}

/** Fails with what to install when PostgreSQL is not there. */
export function requirePostgres(): Promise<void> {
  return withClient(async () => {})
}
