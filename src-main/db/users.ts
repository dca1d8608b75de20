import type { Db } from './connection.js';
import { sql } from './statements.js';

/** A user as the core sees it; secrets (hash, TOTP) are read only through their own functions. */
export interface UserRow {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly status: 'active' | 'disabled';
  readonly mustChangePassword: boolean;
  readonly totpEnabled: boolean;
  readonly totpPending: boolean;
  readonly totpLastStep: number;
  readonly passwordChangedAt: number;
  readonly lastSignInAt: number | null;
  readonly lastActiveAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const USER_COLUMNS = `id, email, name, status, must_change_password AS mustChangePassword,
  totp_secret IS NOT NULL AS totpEnabled, totp_pending_secret IS NOT NULL AS totpPending,
  totp_last_step AS totpLastStep, password_changed_at AS passwordChangedAt,
  last_sign_in_at AS lastSignInAt, last_active_at AS lastActiveAt, created_at AS createdAt, updated_at AS updatedAt`;

type RawUser = Omit<UserRow, 'mustChangePassword' | 'totpEnabled' | 'totpPending'> & { mustChangePassword: number; totpEnabled: number; totpPending: number };

const toUser = (r: RawUser): UserRow => ({ ...r, mustChangePassword: r.mustChangePassword === 1, totpEnabled: r.totpEnabled === 1, totpPending: r.totpPending === 1 });

export function getUser(db: Db, id: number): UserRow | undefined {
  const raw = sql(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as RawUser | undefined;
  return raw && toUser(raw);
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  const raw = sql(db, `SELECT ${USER_COLUMNS} FROM users WHERE email = ?`).get(email) as RawUser | undefined;
  return raw && toUser(raw);
}

export function listUsers(db: Db): UserRow[] {
  return (sql(db, `SELECT ${USER_COLUMNS} FROM users ORDER BY id`).all() as RawUser[]).map(toUser);
}

export function insertUser(db: Db, u: { email: string; name: string; passwordHash: string; mustChangePassword: boolean }, at: number): number {
  const r = sql(
    db,
    `INSERT INTO users (email, name, password_hash, password_changed_at, must_change_password, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(u.email, u.name, u.passwordHash, at, u.mustChangePassword ? 1 : 0, at, at);
  return Number(r.lastInsertRowid);
}

export function updateUserProfile(db: Db, id: number, p: { email: string; name: string }, at: number): void {
  sql(db, 'UPDATE users SET email = ?, name = ?, updated_at = ? WHERE id = ?').run(p.email, p.name, at, id);
}

export function setUserStatus(db: Db, id: number, status: 'active' | 'disabled', at: number): void {
  sql(db, 'UPDATE users SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

export function getPasswordHash(db: Db, id: number): string | undefined {
  return (sql(db, 'SELECT password_hash AS h FROM users WHERE id = ?').get(id) as { h: string } | undefined)?.h;
}

export function setPasswordHash(db: Db, id: number, hash: string, mustChange: boolean, at: number): void {
  sql(db, 'UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ?, updated_at = ? WHERE id = ?').run(hash, at, mustChange ? 1 : 0, at, id);
}

export function getTotpSecrets(db: Db, id: number): { active: Buffer | null; pending: Buffer | null } {
  const r = sql(db, 'SELECT totp_secret AS active, totp_pending_secret AS pending FROM users WHERE id = ?').get(id) as { active: Buffer | null; pending: Buffer | null } | undefined;
  return r ?? { active: null, pending: null };
}

export function setPendingTotp(db: Db, id: number, encrypted: Buffer | null, at: number): void {
  sql(db, 'UPDATE users SET totp_pending_secret = ?, updated_at = ? WHERE id = ?').run(encrypted, at, id);
}

/** Makes the pending secret the active one; `step` is the time step of the code that proved it. */
export function activatePendingTotp(db: Db, id: number, step: number, at: number): void {
  sql(db, 'UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = ?, totp_last_step = ?, updated_at = ? WHERE id = ?').run(at, step, at, id);
}

export function clearTotp(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, updated_at = ? WHERE id = ?').run(at, id);
  sql(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(id);
}

/** Records an accepted time step; returns false if a step this new was already used (a replay). */
export function advanceTotpStep(db: Db, id: number, step: number): boolean {
  return sql(db, 'UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?').run(step, id, step).changes === 1;
}

export function recordSignIn(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE users SET last_sign_in_at = ?, last_active_at = ? WHERE id = ?').run(at, at, id);
}

/** Last activity, written at most once a minute per user to keep reads cheap. */
export function touchUserActivity(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE users SET last_active_at = ? WHERE id = ? AND (last_active_at IS NULL OR last_active_at < ?)').run(at, id, at - 60_000);
}

export function replaceRecoveryCodes(db: Db, userId: number, codeHashes: readonly Buffer[]): void {
  sql(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const insert = sql(db, 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
  for (const h of codeHashes) insert.run(userId, h);
}

/** Marks the unused code with this hash used; returns how many remain, or undefined if none matched. */
export function consumeRecoveryCode(db: Db, userId: number, codeHash: Buffer, at: number): number | undefined {
  const used = sql(db, 'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(at, userId, codeHash).changes;
  if (used === 0) return undefined;
  return countRecoveryCodes(db, userId);
}

export function countRecoveryCodes(db: Db, userId: number): number {
  return (sql(db, 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as { n: number }).n;
}

export interface ThrottleRow {
  readonly failures: number;
  readonly lockedUntil: number;
}

export function getThrottle(db: Db, emailHash: Buffer): ThrottleRow | undefined {
  return sql(db, 'SELECT failures, locked_until AS lockedUntil FROM sign_in_throttle WHERE email_hash = ?').get(emailHash) as ThrottleRow | undefined;
}

export function putThrottle(db: Db, emailHash: Buffer, row: ThrottleRow, at: number): void {
  sql(
    db,
    `INSERT INTO sign_in_throttle (email_hash, failures, locked_until, last_failure_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (email_hash) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`,
  ).run(emailHash, row.failures, row.lockedUntil, at);
}

export function clearThrottle(db: Db, emailHash: Buffer): void {
  sql(db, 'DELETE FROM sign_in_throttle WHERE email_hash = ?').run(emailHash);
}

/** Whether any account exists at all (first-run setup is offered only while none does). */
export function anyUserExists(db: Db): boolean {
  return sql(db, 'SELECT 1 FROM users LIMIT 1').get() !== undefined;
}
