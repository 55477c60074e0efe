/**
 * Opens the sqlite backend's database file: pragmas for durable group commit, an exclusive
 * lock so that a second kts process can never write to the same file, the schema, and clear
 * errors for a file that is corrupt, unreadable or in use.
 *
 * Schema: one revision log, as kine keeps it. Each row is one write; `rev` is the global
 * revision. A delete writes a tombstone row. `prev_rev` links a row to the row it replaced,
 * which gives watch replays their previous values without storing every value twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv_log (
  rev         INTEGER PRIMARY KEY,
  key         TEXT    NOT NULL,
  created_rev INTEGER NOT NULL,
  prev_rev    INTEGER NOT NULL,
  deleted     INTEGER NOT NULL,
  value       TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_log_key_rev ON kv_log (key, rev);
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', 1), ('compact_rev', 0);
`;

/** Failure to open the database, with a message that names the file and what is wrong. */
export class DatabaseOpenError extends Error {
  constructor(file: string, problem: string, cause?: unknown) {
    super(`cannot open the kts database ${file}: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'DatabaseOpenError';
  }
}

export function openDatabase(file: string): SqliteDatabase {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new DatabaseOpenError(file, `its directory cannot be created (${(err as Error).message})`, err);
  }
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (err) {
    throw new DatabaseOpenError(file, describe(err), err);
  }
  try {
    // EXCLUSIVE locking takes the file lock at the first write below and keeps it until close:
    // a second kts process on the same file fails here instead of becoming a second writer.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // NORMAL: sqlite syncs only around checkpoints; sqlite.ts syncs the WAL after every
    // batch, off the event loop, and acknowledges writes only then, so an acknowledged write
    // survives a crash of the process or the machine, as with FULL.
    db.pragma('synchronous = NORMAL');
    // After a checkpoint, truncate the WAL back to this size so it cannot grow without bound.
    db.pragma('journal_size_limit = 16777216');
    db.pragma('wal_autocheckpoint = 2000');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.exec(SCHEMA);
    const version = db.prepare(`SELECT value FROM meta WHERE name = 'schema_version'`).pluck().get() as number;
    if (version !== 1) throw new Error(`unsupported schema version ${version}`);
  } catch (err) {
    db.close();
    throw new DatabaseOpenError(file, describe(err), err);
  }
  return db;
}

function describe(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? String(err);
  switch (code) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'it is in use by another process (is another kts server running on this data dir?)';
    case 'SQLITE_NOTADB':
      return 'the file is not an SQLite database (corrupt, or not written by kts)';
    case 'SQLITE_CORRUPT':
      return `the database is corrupt (${message})`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_READONLY':
      return `it cannot be opened for writing (${message}; check the path and its permissions)`;
    default:
      return code ? `${message} (${code})` : message;
  }
}
