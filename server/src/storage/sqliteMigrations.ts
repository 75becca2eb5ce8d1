import type Database from 'better-sqlite3'

/**
 * Every table of the SQLite file, as numbered migrations applied once each, in order, at start.
 * Add a migration at the end; never edit one that has shipped.
 */
const migrations: ReadonlyArray<readonly [number, string]> = [
  [
    1,
    `CREATE TABLE board_updates (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       board_id TEXT NOT NULL,
       data BLOB NOT NULL
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
       data BLOB NOT NULL,
       created_at TEXT NOT NULL
     );
     CREATE INDEX board_assets_board ON board_assets (board_id);`,
  ],
  [
    3,
    `CREATE TABLE events (
       id TEXT PRIMARY KEY,
       title TEXT NOT NULL,
       date TEXT NOT NULL,
       agenda TEXT NOT NULL,
       settings TEXT NOT NULL,
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
       datasets TEXT NOT NULL
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
  [4, `ALTER TABLE board_updates ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;`],
  [
    5,
    `ALTER TABLE events ADD COLUMN live_board_id TEXT;
     UPDATE events SET live_board_id = lower(hex(randomblob(12))) WHERE live_board_id IS NULL;
     CREATE UNIQUE INDEX events_live_board ON events (live_board_id);
     CREATE TABLE board_locks (
       board_id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       locked_at TEXT NOT NULL
     );
     CREATE INDEX board_locks_event ON board_locks (event_id);`,
  ],
  [
    6,
    `CREATE TABLE vote_sessions (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       board_ids TEXT NOT NULL,
       votes_per_person INTEGER NOT NULL,
       max_per_note INTEGER NOT NULL,
       anonymous INTEGER NOT NULL,
       status TEXT NOT NULL,
       revealed INTEGER NOT NULL DEFAULT 0,
       created_at TEXT NOT NULL,
       closes_at TEXT
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
    7,
    `CREATE TABLE jury_scores (
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       team_id TEXT NOT NULL,
       juror_id TEXT NOT NULL,
       juror_name TEXT NOT NULL,
       scores TEXT NOT NULL,
       comment TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (event_id, team_id, juror_id)
     );
     CREATE TABLE jury_results (
       event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
       published_at TEXT NOT NULL
     );`,
  ],
  [
    8,
    `CREATE TABLE audience_prizes (
       event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
       status TEXT NOT NULL,
       opened_at TEXT,
       closed_at TEXT
     );
     CREATE TABLE audience_votes (
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       member_id TEXT NOT NULL,
       team_id TEXT NOT NULL,
       voted_at TEXT NOT NULL,
       PRIMARY KEY (event_id, member_id)
     );`,
  ],
  [
    9,
    `CREATE TABLE event_templates (
       id TEXT PRIMARY KEY,
       event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
       name TEXT NOT NULL,
       content TEXT NOT NULL,
       created_at TEXT NOT NULL
     );
     CREATE INDEX event_templates_event ON event_templates (event_id, created_at);`,
  ],
  [
    10,
    `CREATE TABLE board_summaries (
       board_id TEXT PRIMARY KEY,
       shapes INTEGER NOT NULL,
       boxes TEXT NOT NULL,
       computed_at INTEGER NOT NULL
     );`,
  ],
  // A board's size and last change (SqliteStorage.stats, logSize) from the index alone: created_at
  // comes after data in a row (added by migration 4), so reading it walked every overflow page of
  // the board's updates, 65-85 ms for 50 boards of 2,000 shapes at each export, on the event loop.
  [11, `CREATE INDEX board_updates_stats ON board_updates (board_id, id, created_at, length(data));`],
]

export function migrateSqlite(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version))
  const record = db.prepare<[number, string]>('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
  for (const [version, sql] of migrations) {
    if (applied.has(version)) continue
    db.transaction(() => {
      db.exec(sql)
      record.run(version, new Date().toISOString())
    })()
  }
}
