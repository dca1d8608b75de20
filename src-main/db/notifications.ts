import type { Db } from './connection.js';
import { bool, sql } from './statements.js';

export type ProviderKind = 'smtp' | 'webhook' | 'slack';
export type DeliveryState = 'pending' | 'sent' | 'failed';
/** What a delivery carries: an event, or a subscriber's confirmation or manage-link mail. */
export type DeliveryMessage = 'event' | 'confirm' | 'manage';

export interface ProviderRow {
  readonly kind: ProviderKind;
  readonly enabled: boolean;
  readonly config: Record<string, unknown>;
  readonly updatedAt: number;
}

export function listProviderRows(db: Db): ProviderRow[] {
  const rows = sql(db, 'SELECT kind, enabled, config, updated_at AS updatedAt FROM notification_providers ORDER BY kind').all() as {
    kind: ProviderKind;
    enabled: number;
    config: string;
    updatedAt: number;
  }[];
  return rows.map((r) => ({ ...r, enabled: r.enabled === 1, config: JSON.parse(r.config) as Record<string, unknown> }));
}

/** One provider's on/off, by its key: read on every `site.info` (every API request), so no config is parsed. */
export function providerEnabled(db: Db, kind: ProviderKind): boolean {
  return sql(db, 'SELECT 1 FROM notification_providers WHERE kind = ? AND enabled = 1').get(kind) !== undefined;
}

export function enabledProviderKinds(db: Db): ProviderKind[] {
  return (sql(db, 'SELECT kind FROM notification_providers WHERE enabled = 1 ORDER BY kind').all() as { kind: ProviderKind }[]).map((r) => r.kind);
}

export function writeProviderRow(db: Db, kind: ProviderKind, enabled: boolean, config: Record<string, unknown>, at: number): void {
  sql(
    db,
    `INSERT INTO notification_providers (kind, enabled, config, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, config = excluded.config, updated_at = excluded.updated_at`,
  ).run(kind, bool(enabled), JSON.stringify(config), at);
}

export interface OutboxEventRow {
  readonly id: number;
  readonly kind: string;
  readonly payload: Record<string, unknown>;
  readonly componentIds: number[];
  readonly createdAt: number;
}

export function insertOutboxEvent(db: Db, kind: string, payload: object, componentIds: readonly number[], at: number): number {
  const r = sql(db, 'INSERT INTO outbox_events (kind, payload, component_ids, created_at) VALUES (?, ?, ?, ?)').run(kind, JSON.stringify(payload), JSON.stringify(componentIds), at);
  return Number(r.lastInsertRowid);
}

export function unexpandedEvents(db: Db, limit: number): OutboxEventRow[] {
  const rows = sql(db, 'SELECT id, kind, payload, component_ids AS componentIds, created_at AS createdAt FROM outbox_events WHERE expanded_at IS NULL ORDER BY id LIMIT ?').all(limit) as {
    id: number;
    kind: string;
    payload: string;
    componentIds: string;
    createdAt: number;
  }[];
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown>, componentIds: JSON.parse(r.componentIds) as number[] }));
}

export function getOutboxEvent(db: Db, id: number): OutboxEventRow | undefined {
  const r = sql(db, 'SELECT id, kind, payload, component_ids AS componentIds, created_at AS createdAt FROM outbox_events WHERE id = ?').get(id) as
    | { id: number; kind: string; payload: string; componentIds: string; createdAt: number }
    | undefined;
  return r && { ...r, payload: JSON.parse(r.payload) as Record<string, unknown>, componentIds: JSON.parse(r.componentIds) as number[] };
}

export function markEventExpanded(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE outbox_events SET expanded_at = ? WHERE id = ?').run(at, id);
}

/**
 * Verified subscribers an event with these components reaches: everyone subscribed to all
 * components, and those subscribed to one of them (an event without components is site-wide and
 * reaches all). `componentChangesOnly` narrows to those who opted in to component status changes.
 */
export function recipientsOf(db: Db, componentIds: readonly number[], componentChangesOnly: boolean): number[] {
  const rows = sql(
    db,
    `SELECT s.id FROM subscribers s
     WHERE s.verified_at IS NOT NULL
       AND (@changes = 0 OR s.component_changes = 1)
       AND (s.global = 1 OR json_array_length(@components) = 0
            OR EXISTS (SELECT 1 FROM subscriptions x WHERE x.subscriber_id = s.id AND x.component_id IN (SELECT value FROM json_each(@components))))
     ORDER BY s.id`,
  ).all({ changes: bool(componentChangesOnly), components: JSON.stringify(componentIds) }) as { id: number }[];
  return rows.map((r) => r.id);
}

export function insertDelivery(
  db: Db,
  d: { eventId: number | null; channel: ProviderKind; subscriberId: number | null; message: DeliveryMessage },
  at: number,
): number {
  const r = sql(db, 'INSERT INTO outbox_deliveries (event_id, channel, subscriber_id, message, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    d.eventId,
    d.channel,
    d.subscriberId,
    d.message,
    at,
    at,
  );
  return Number(r.lastInsertRowid);
}

export interface DeliveryRow {
  readonly id: number;
  readonly eventId: number | null;
  readonly eventKind: string | null;
  readonly channel: ProviderKind;
  readonly subscriberId: number | null;
  readonly message: DeliveryMessage;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly leaseUntil: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly settledAt: number | null;
}

const DELIVERY_COLUMNS = `d.id, d.event_id AS eventId, e.kind AS eventKind, d.channel, d.subscriber_id AS subscriberId, d.message, d.state, d.attempts,
  d.next_attempt_at AS nextAttemptAt, d.lease_until AS leaseUntil, d.last_error AS lastError, d.created_at AS createdAt, d.settled_at AS settledAt`;
const DELIVERY_FROM = 'outbox_deliveries d LEFT JOIN outbox_events e ON e.id = d.event_id';

export function getDelivery(db: Db, id: number): DeliveryRow | undefined {
  return sql(db, `SELECT ${DELIVERY_COLUMNS} FROM ${DELIVERY_FROM} WHERE d.id = ?`).get(id) as DeliveryRow | undefined;
}

/** Pending deliveries of providers that are on, whose time has come and that no live lease holds, oldest first. */
export function dueDeliveries(db: Db, now: number, limit: number): DeliveryRow[] {
  return sql(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM ${DELIVERY_FROM}
     WHERE d.state = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
       AND d.channel IN (SELECT kind FROM notification_providers WHERE enabled = 1)
     ORDER BY d.next_attempt_at, d.id LIMIT @limit`,
  ).all({ now, limit }) as DeliveryRow[];
}

/** Due deliveries of providers that are on (those of a provider that is off wait), and events not yet fanned out. */
export function countDue(db: Db, now: number): { due: number; unexpanded: number } {
  return sql(
    db,
    `SELECT (SELECT count(*) FROM outbox_deliveries
             WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
               AND channel IN (SELECT kind FROM notification_providers WHERE enabled = 1)) AS due,
            (SELECT count(*) FROM outbox_events WHERE expanded_at IS NULL) AS unexpanded`,
  ).get({ now }) as { due: number; unexpanded: number };
}

export function leaseDelivery(db: Db, id: number, until: number): void {
  sql(db, 'UPDATE outbox_deliveries SET lease_until = ?, attempts = attempts + 1 WHERE id = ?').run(until, id);
}

export function settleDelivery(db: Db, id: number, outcome: { state: DeliveryState; nextAttemptAt: number; error: string | null }, at: number): void {
  sql(db, 'UPDATE outbox_deliveries SET state = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL, settled_at = ? WHERE id = ?').run(
    outcome.state,
    outcome.nextAttemptAt,
    outcome.error,
    outcome.state === 'pending' ? null : at,
    id,
  );
}

export function requeueDelivery(db: Db, id: number, at: number): void {
  sql(db, "UPDATE outbox_deliveries SET state = 'pending', next_attempt_at = ?, lease_until = NULL, settled_at = NULL WHERE id = ?").run(at, id);
}

export function listDeliveries(
  db: Db,
  f: { state?: DeliveryState | undefined; channel?: ProviderKind | undefined },
  limit: number,
  offset: number,
): { rows: DeliveryRow[]; total: number } {
  const params = { state: f.state ?? null, channel: f.channel ?? null };
  const where = 'WHERE (@state IS NULL OR d.state = @state) AND (@channel IS NULL OR d.channel = @channel)';
  const rows = sql(db, `SELECT ${DELIVERY_COLUMNS} FROM ${DELIVERY_FROM} ${where} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`).all({ ...params, limit, offset }) as DeliveryRow[];
  const { total } = sql(db, `SELECT count(*) AS total FROM ${DELIVERY_FROM} ${where}`).get(params) as { total: number };
  return { rows, total };
}

/** Unconfirmed subscribers created before `before`: double opt-in never finished. */
export function staleUnconfirmed(db: Db, before: number): number[] {
  return (sql(db, 'SELECT id FROM subscribers WHERE verified_at IS NULL AND created_at < ? ORDER BY id').all(before) as { id: number }[]).map((r) => r.id);
}

export function setComponentChanges(db: Db, subscriberId: number, on: boolean, at: number): void {
  sql(db, 'UPDATE subscribers SET component_changes = ?, updated_at = ? WHERE id = ?').run(bool(on), at, subscriberId);
}

/** Whether maintenance in progress covers this component. */
export function underMaintenance(db: Db, componentId: number): boolean {
  return sql(db, 'SELECT 1 FROM schedules s JOIN schedule_components c ON c.schedule_id = s.id WHERE s.status = 1 AND c.component_id = ?').get(componentId) !== undefined;
}
