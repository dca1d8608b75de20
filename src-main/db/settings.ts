import type { Db } from './connection.js';
import { sql } from './statements.js';

export function readSettings(db: Db): Map<string, unknown> {
  const rows = sql(db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export function writeSetting(db: Db, key: string, value: unknown, at: number): void {
  sql(
    db,
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), at);
}
