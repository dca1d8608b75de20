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

export interface LogoRow {
  readonly type: string;
  readonly bytes: Buffer;
  readonly updatedAt: number;
}

export function readLogo(db: Db): LogoRow | undefined {
  return sql(db, 'SELECT type, bytes, updated_at AS updatedAt FROM site_logo WHERE id = 1').get() as LogoRow | undefined;
}

export function readLogoType(db: Db): string | undefined {
  return (sql(db, 'SELECT type FROM site_logo WHERE id = 1').get() as { type: string } | undefined)?.type;
}

export function writeLogo(db: Db, type: string, bytes: Buffer, at: number): void {
  sql(
    db,
    `INSERT INTO site_logo (id, type, bytes, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET type = excluded.type, bytes = excluded.bytes, updated_at = excluded.updated_at`,
  ).run(type, bytes, at);
}

export function deleteLogo(db: Db): boolean {
  return sql(db, 'DELETE FROM site_logo WHERE id = 1').run().changes > 0;
}
