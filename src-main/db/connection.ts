import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { sql } from './statements.js';

export { MigrationError } from './migrate.js';

export type Db = Database.Database;

export const DATABASE_FILE = 'cairn.sqlite';

export interface OpenOptions {
  /** Open read-only, without migrating (e.g. a second reader process). */
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the store in `dataDir`: the folder private to the user (0700), the
 * database file 0600 before SQLite ever writes to it, WAL, foreign keys, and migrations applied.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file) && !options.readonly) {
    // Create the file ourselves so it never exists with the umask's wider mode, not even briefly.
    closeSync(openSync(file, 'wx', 0o600));
  }
  const db = new Database(file, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  try {
    configure(db);
    if (!options.readonly) {
      migrate(db, MIGRATIONS);
      restrictSidecarFiles(file);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** An in-memory store with the full schema, for tests and benchmarks that need no file. */
/**
 * A stamp that changes whenever the store's content may have changed: SQLite's data_version moves
 * on commits by *other* connections (the CLI writing while `cairn serve` runs), total_changes on
 * this connection's own. One prepared statement: the page cache asks at every request.
 */
export function changeStamp(db: Db): string {
  const { version, changes } = sql(db, 'SELECT (SELECT data_version FROM pragma_data_version()) AS version, total_changes() AS changes').get() as { version: number; changes: number };
  return `${version}:${changes}`;
}

/**
 * A stamp that moves whenever what the public pages show may have changed: a counter kept by
 * triggers on exactly the tables they read (migration 0011), so it moves with other processes'
 * writes too, and not with metric points, audit entries or telemetry.
 */
export function publicChangeStamp(db: Db): string {
  return String((sql(db, 'SELECT n FROM public_version WHERE id = 1').get() as { n: number }).n);
}

/** This store's random id (the name its keys are filed under in the OS keychain). */
export function storeId(db: Db): string {
  return (db.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").get() as { value: string }).value;
}

export function openMemoryDatabase(): Db {
  const db = new Database(':memory:');
  configure(db);
  migrate(db, MIGRATIONS);
  return db;
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000'); // the CLI and the server may write the same file
  db.pragma('trusted_schema = OFF');
}

function restrictSidecarFiles(file: string): void {
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
  }
}
