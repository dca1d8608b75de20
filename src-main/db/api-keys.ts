import type { Db } from './connection.js';
import { sql } from './statements.js';

/** An API key as the core sees it. The HMAC of the secret is read only by `findKeyForCheck`. */
export interface ApiKeyRow {
  readonly id: number;
  readonly publicId: string;
  readonly name: string;
  readonly ownerId: number | null;
  readonly ownerEmail: string | null;
  readonly scopes: string[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  /** The public id of the key this one succeeded. */
  readonly rotatedFrom: string | null;
  readonly lastUsedAt: number | null;
  readonly lastUsedIp: string | null;
  readonly useCount: number;
}

const KEY_COLUMNS = `k.id, k.public_id AS publicId, k.name, k.owner_id AS ownerId, u.email AS ownerEmail, k.scopes,
  k.created_at AS createdAt, k.expires_at AS expiresAt, k.revoked_at AS revokedAt, p.public_id AS rotatedFrom,
  k.last_used_at AS lastUsedAt, k.last_used_ip AS lastUsedIp, k.use_count AS useCount`;
const FROM = 'FROM api_keys k LEFT JOIN users u ON u.id = k.owner_id LEFT JOIN api_keys p ON p.id = k.rotated_from';

type RawKey = Omit<ApiKeyRow, 'scopes'> & { scopes: string };
const toKey = (r: RawKey): ApiKeyRow => ({ ...r, scopes: JSON.parse(r.scopes) as string[] });

export function getApiKey(db: Db, id: number): ApiKeyRow | undefined {
  const raw = sql(db, `SELECT ${KEY_COLUMNS} ${FROM} WHERE k.id = ?`).get(id) as RawKey | undefined;
  return raw && toKey(raw);
}

export function findApiKeyByPublicId(db: Db, publicId: string): ApiKeyRow | undefined {
  const raw = sql(db, `SELECT ${KEY_COLUMNS} ${FROM} WHERE k.public_id = ?`).get(publicId) as RawKey | undefined;
  return raw && toKey(raw);
}

/** The stored HMAC of a key's secret, for the constant-time comparison at authentication. */
export function apiKeySecretHmac(db: Db, id: number): Buffer | undefined {
  return (sql(db, 'SELECT secret_hmac AS h FROM api_keys WHERE id = ?').get(id) as { h: Buffer } | undefined)?.h;
}

export function listApiKeys(db: Db, filter: { ownerId?: number | undefined }): ApiKeyRow[] {
  const rows =
    filter.ownerId === undefined
      ? sql(db, `SELECT ${KEY_COLUMNS} ${FROM} ORDER BY k.id`).all()
      : sql(db, `SELECT ${KEY_COLUMNS} ${FROM} WHERE k.owner_id = ? ORDER BY k.id`).all(filter.ownerId);
  return (rows as RawKey[]).map(toKey);
}

export function insertApiKey(
  db: Db,
  k: { publicId: string; secretHmac: Buffer; name: string; ownerId: number | null; scopes: readonly string[]; expiresAt: number | null; rotatedFrom: number | null },
  at: number,
): number {
  const r = sql(
    db,
    `INSERT INTO api_keys (public_id, secret_hmac, name, owner_id, scopes, created_at, expires_at, rotated_from)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(k.publicId, k.secretHmac, k.name, k.ownerId, JSON.stringify(k.scopes), at, k.expiresAt, k.rotatedFrom);
  return Number(r.lastInsertRowid);
}

export function setApiKeyExpiry(db: Db, id: number, expiresAt: number): void {
  sql(db, 'UPDATE api_keys SET expires_at = ? WHERE id = ?').run(expiresAt, id);
}

export function revokeApiKeyRow(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
}

/** Usage telemetry of an accepted call: when, from where, how often. */
export function recordApiKeyUse(db: Db, id: number, ip: string, at: number, uses = 1): void {
  sql(db, 'UPDATE api_keys SET last_used_at = ?, last_used_ip = ?, use_count = use_count + ? WHERE id = ?').run(at, ip.slice(0, 64), uses, id);
}

/** Keys of `ownerId` that are neither revoked nor expired at `now`. */
export function countLiveApiKeys(db: Db, ownerId: number, now: number): number {
  return (sql(db, 'SELECT count(*) AS n FROM api_keys WHERE owner_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)').get(ownerId, now) as { n: number }).n;
}
