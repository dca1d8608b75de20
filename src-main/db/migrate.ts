import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from './migrations/types.js';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const checksum = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex');

/**
 * Applies the migrations not yet applied, each in its own transaction, recording a checksum of
 * each. A database whose recorded migrations differ from the code's (an edited migration, or a
 * database written by a newer Cairn) is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string; checksum: string }[];
  if (applied.length > migrations.length) {
    throw new MigrationError(
      `the database is at schema version ${applied.length}, newer than this Cairn (${migrations.length}); upgrade Cairn`,
    );
  }
  for (const row of applied) {
    const m = migrations[row.version - 1];
    if (!m || m.name !== row.name || checksum(m) !== row.checksum) {
      throw new MigrationError(`migration ${row.version} (${row.name}) differs from the one applied to this database`);
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const done: number[] = [];
  for (const m of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, checksum(m), Date.now());
    }).immediate();
    done.push(m.version);
  }
  return done;
}
