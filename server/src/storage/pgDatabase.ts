import pg from 'pg'
import { StorageError } from './types.ts'

export interface PgOptions {
  /** postgres://user@host:port/database */
  connectionString: string
  /** Tables live in this schema (created if missing); `public` by default. */
  schema?: string
  maxConnections?: number
}

/** Every table Fabrique keeps in PostgreSQL; append new migrations, never edit shipped ones. */
const migrations: ReadonlyArray<readonly [number, string]> = [
  [
    1,
    `CREATE TABLE board_updates (
       id BIGSERIAL PRIMARY KEY,
       board_id TEXT NOT NULL,
       data BYTEA NOT NULL,
       created_at BIGINT NOT NULL
     );
     CREATE INDEX board_updates_board ON board_updates (board_id, id);`,
  ],
  [
    2,
    `CREATE TABLE board_assets (
       id TEXT PRIMARY KEY,
       board_id TEXT NOT NULL,
       mime_type TEXT NOT NULL,
       size INTEGER NOT NULL,
       data BYTEA NOT NULL,
       created_at TIMESTAMPTZ NOT NULL DEFAULT now()
     );
     CREATE INDEX board_assets_board ON board_assets (board_id);`,
  ],
  [
    3,
    `CREATE TABLE events (
       id TEXT PRIMARY KEY,
       title TEXT NOT NULL,
       date TEXT NOT NULL,
       agenda JSONB NOT NULL,
       settings JSONB NOT NULL,
       join_code TEXT NOT NULL UNIQUE,
       plenary_board_id TEXT NOT NULL UNIQUE,
       created_at TEXT NOT NULL
     );
     CREATE TABLE challenges (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       position INTEGER NOT NULL,
       title TEXT NOT NULL,
       description TEXT NOT NULL,
       datasets JSONB NOT NULL
     );
     CREATE INDEX challenges_event ON challenges (event_id, position);
     CREATE TABLE teams (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       challenge_id TEXT REFERENCES challenges (id) ON DELETE SET NULL,
       name TEXT NOT NULL,
       board_id TEXT NOT NULL UNIQUE,
       created_at TEXT NOT NULL,
       UNIQUE (event_id, name)
     );
     CREATE TABLE members (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       team_id TEXT REFERENCES teams (id) ON DELETE SET NULL,
       pseudonym TEXT NOT NULL,
       created_at TEXT NOT NULL
     );
     CREATE INDEX members_team ON members (team_id);
     CREATE INDEX members_event ON members (event_id);`,
  ],
  [
    4,
    `ALTER TABLE events ADD COLUMN live_board_id TEXT;
     UPDATE events SET live_board_id = md5(random()::text) WHERE live_board_id IS NULL;
     CREATE UNIQUE INDEX events_live_board ON events (live_board_id);
     CREATE TABLE board_locks (
       board_id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       locked_at TIMESTAMPTZ NOT NULL DEFAULT now()
     );
     CREATE INDEX board_locks_event ON board_locks (event_id);`,
  ],
  [
    5,
    `CREATE TABLE vote_sessions (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       board_ids JSONB NOT NULL,
       votes_per_person INTEGER NOT NULL,
       max_per_note INTEGER NOT NULL,
       anonymous BOOLEAN NOT NULL,
       status TEXT NOT NULL,
       revealed BOOLEAN NOT NULL DEFAULT false,
       created_at TIMESTAMPTZ NOT NULL,
       closes_at TIMESTAMPTZ
     );
     CREATE INDEX vote_sessions_event ON vote_sessions (event_id);
     CREATE TABLE vote_ballots (
       session_id TEXT NOT NULL REFERENCES vote_sessions (id) ON DELETE CASCADE,
       member_id TEXT NOT NULL,
       board_id TEXT NOT NULL,
       shape_id TEXT NOT NULL,
       count INTEGER NOT NULL,
       PRIMARY KEY (session_id, member_id, board_id, shape_id)
     );`,
  ],
  [
    6,
    `CREATE TABLE jury_scores (
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       team_id TEXT NOT NULL,
       juror_id TEXT NOT NULL,
       juror_name TEXT NOT NULL,
       scores JSONB NOT NULL,
       comment TEXT NOT NULL,
       updated_at TIMESTAMPTZ NOT NULL,
       PRIMARY KEY (event_id, team_id, juror_id)
     );
     CREATE TABLE jury_results (
       event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
       published_at TIMESTAMPTZ NOT NULL
     );`,
  ],
  [
    7,
    `CREATE TABLE audience_prizes (
       event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
       status TEXT NOT NULL,
       opened_at TIMESTAMPTZ,
       closed_at TIMESTAMPTZ
     );
     CREATE TABLE audience_votes (
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       member_id TEXT NOT NULL,
       team_id TEXT NOT NULL,
       voted_at TIMESTAMPTZ NOT NULL,
       PRIMARY KEY (event_id, member_id)
     );`,
  ],
  [
    8,
    `CREATE TABLE event_templates (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       name TEXT NOT NULL,
       content JSONB NOT NULL,
       created_at TIMESTAMPTZ NOT NULL
     );
     CREATE INDEX event_templates_event ON event_templates (event_id, created_at);`,
  ],
  [
    9,
    `CREATE TABLE board_summaries (
       board_id TEXT PRIMARY KEY,
       shapes INTEGER NOT NULL,
       boxes JSONB NOT NULL,
       computed_at BIGINT NOT NULL
     );`,
  ],
]

/** Any fixed number: instances starting together take turns to migrate. */
const MIGRATION_LOCK = 7_346_112

/** A pool on the configured schema, with every migration applied. */
export async function openPg(options: PgOptions): Promise<pg.Pool> {
  const schema = options.schema ?? 'public'
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`)
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, options: `-c search_path=${schema}` })
  pool.on('error', () => {}) // an idle client's connection dropped: the pool replaces it
  try {
    await migrate(pool, schema)
  } catch (error) {
    await pool.end()
    throw new StorageError(`PostgreSQL at ${redact(options.connectionString)} could not be prepared: ${(error as Error).message}`, { cause: error })
  }
  return pool
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())')
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((r) => r.version))
    for (const [version, sql] of migrations) {
      if (applied.has(version)) continue
      await client.query('BEGIN')
      await client.query(sql)
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version])
      await client.query('COMMIT')
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
}

/** Runs `work` in a transaction on one client of the pool. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** A connection string without its password, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return 'the configured database'
  }
}
