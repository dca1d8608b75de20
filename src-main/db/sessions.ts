import type { Db } from './connection.js';
import { sql } from './statements.js';

export type Stage = 'mfa' | 'setup' | 'full';

export interface SessionRow {
  readonly id: number;
  readonly userId: number;
  readonly stage: Stage;
  readonly client: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly authenticatedAt: number;
  readonly mfaFailures: number;
  readonly endedAt: number | null;
}

const SESSION_COLUMNS = `id, user_id AS userId, stage, client, created_at AS createdAt, last_seen_at AS lastSeenAt,
  authenticated_at AS authenticatedAt, mfa_failures AS mfaFailures, ended_at AS endedAt`;

export function getSession(db: Db, id: number): SessionRow | undefined {
  return sql(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(id) as SessionRow | undefined;
}

export function findSessionByTokenHash(db: Db, tokenHash: Buffer): SessionRow | undefined {
  return sql(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ?`).get(tokenHash) as SessionRow | undefined;
}

export function insertSession(db: Db, s: { tokenHash: Buffer; userId: number; stage: Stage; client: string }, at: number): number {
  const r = sql(
    db,
    'INSERT INTO sessions (token_hash, user_id, stage, client, created_at, last_seen_at, authenticated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(s.tokenHash, s.userId, s.stage, s.client, at, at, at);
  return Number(r.lastInsertRowid);
}

/** Moves a session to a new stage under a new token: the old token stops working (no fixation). */
export function advanceSession(db: Db, id: number, stage: Stage, tokenHash: Buffer, at: number): void {
  sql(db, 'UPDATE sessions SET stage = ?, token_hash = ?, authenticated_at = ?, mfa_failures = 0, last_seen_at = ? WHERE id = ?').run(stage, tokenHash, at, at, id);
}

export function setSessionStage(db: Db, id: number, stage: Stage): void {
  sql(db, 'UPDATE sessions SET stage = ? WHERE id = ?').run(stage, id);
}

export function markAuthenticated(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE sessions SET authenticated_at = ?, mfa_failures = 0 WHERE id = ?').run(at, id);
}

export function countMfaFailure(db: Db, id: number): number {
  sql(db, 'UPDATE sessions SET mfa_failures = mfa_failures + 1 WHERE id = ?').run(id);
  return (sql(db, 'SELECT mfa_failures AS n FROM sessions WHERE id = ?').get(id) as { n: number }).n;
}

export function touchSession(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(at, id);
}

export function endSession(db: Db, id: number, reason: string, at: number): void {
  sql(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL').run(at, reason, id);
}

/** Ends every live session of a user (optionally all but one); returns how many. */
export function endUserSessions(db: Db, userId: number, reason: string, at: number, except?: number): number {
  return sql(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL AND id IS NOT ?').run(at, reason, userId, except ?? null).changes;
}

export function countLiveSessions(db: Db, userId: number): number {
  return (sql(db, 'SELECT count(*) AS n FROM sessions WHERE user_id = ? AND ended_at IS NULL').get(userId) as { n: number }).n;
}
