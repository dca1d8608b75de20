import type { Db } from './connection.js';
import { bool, orderBy, sql } from './statements.js';

export interface SubscriberRow {
  readonly id: number;
  readonly email: string;
  /** Subscribed to every component (no per-component subscriptions). */
  readonly global: boolean;
  readonly verifiedAt: number | null;
  /** Opted in to component status changes (not only incidents and maintenance). */
  readonly componentChanges: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly componentIds: number[];
}

const SUBSCRIBER_COLUMNS = 'id, email, global, verified_at AS verifiedAt, component_changes AS componentChanges, created_at AS createdAt, updated_at AS updatedAt';
export const SUBSCRIBER_SORT = { id: 'id', email: 'email', createdAt: 'created_at' } as const;

type RawSubscriber = Omit<SubscriberRow, 'global' | 'componentIds' | 'componentChanges'> & { global: number; componentChanges: number };

function toSubscriber(db: Db, r: RawSubscriber): SubscriberRow {
  const componentIds = (sql(db, 'SELECT component_id AS id FROM subscriptions WHERE subscriber_id = ? ORDER BY component_id').all(r.id) as { id: number }[]).map((s) => s.id);
  return { ...r, global: r.global === 1, componentChanges: r.componentChanges === 1, componentIds };
}

export function getSubscriber(db: Db, id: number): SubscriberRow | undefined {
  const raw = sql(db, `SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE id = ?`).get(id) as RawSubscriber | undefined;
  return raw && toSubscriber(db, raw);
}

export function findSubscriberByEmail(db: Db, email: string): SubscriberRow | undefined {
  const raw = sql(db, `SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE email = ?`).get(email) as RawSubscriber | undefined;
  return raw && toSubscriber(db, raw);
}

export function listSubscribers(
  db: Db,
  f: { verified?: boolean | undefined },
  sort: keyof typeof SUBSCRIBER_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: SubscriberRow[]; total: number } {
  const params = { verified: f.verified === undefined ? null : bool(f.verified) };
  const where = 'WHERE (@verified IS NULL OR (verified_at IS NOT NULL) = @verified)';
  const rows = sql(db, `SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers ${where} ${orderBy(SUBSCRIBER_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawSubscriber[];
  const { total } = sql(db, `SELECT count(*) AS total FROM subscribers ${where}`).get(params) as { total: number };
  return { rows: rows.map((r) => toSubscriber(db, r)), total };
}

export function insertSubscriber(db: Db, email: string, verifiedAt: number | null, at: number): number {
  const r = sql(db, 'INSERT INTO subscribers (email, global, verified_at, created_at, updated_at) VALUES (?, 1, ?, ?, ?)').run(email, verifiedAt, at, at);
  return Number(r.lastInsertRowid);
}

export function markSubscriberVerified(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE subscribers SET verified_at = ?, updated_at = ? WHERE id = ? AND verified_at IS NULL').run(at, at, id);
}

/** Replaces a subscriber's component subscriptions; none means every component. */
export function replaceSubscriptions(db: Db, subscriberId: number, componentIds: readonly number[], at: number): void {
  sql(db, 'DELETE FROM subscriptions WHERE subscriber_id = ?').run(subscriberId);
  for (const componentId of componentIds) {
    sql(db, 'INSERT INTO subscriptions (subscriber_id, component_id, created_at) VALUES (?, ?, ?)').run(subscriberId, componentId, at);
  }
  sql(db, 'UPDATE subscribers SET global = ?, updated_at = ? WHERE id = ?').run(bool(componentIds.length === 0), at, subscriberId);
}

export function deleteSubscriberRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM subscribers WHERE id = ?').run(id);
}

export function getSubscription(db: Db, id: number): { id: number; subscriberId: number; componentId: number } | undefined {
  return sql(db, 'SELECT id, subscriber_id AS subscriberId, component_id AS componentId FROM subscriptions WHERE id = ?').get(id) as
    | { id: number; subscriberId: number; componentId: number }
    | undefined;
}

export function deleteSubscriptionRow(db: Db, id: number, subscriberId: number, at: number): void {
  sql(db, 'DELETE FROM subscriptions WHERE id = ?').run(id);
  const { left } = sql(db, 'SELECT count(*) AS left FROM subscriptions WHERE subscriber_id = ?').get(subscriberId) as { left: number };
  if (left === 0) sql(db, 'UPDATE subscribers SET global = 1, updated_at = ? WHERE id = ?').run(at, subscriberId);
}

/** Every subscriber, oldest first, for an export. */
export function allSubscribers(db: Db): SubscriberRow[] {
  return (sql(db, `SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers ORDER BY id`).all() as RawSubscriber[]).map((r) => toSubscriber(db, r));
}
