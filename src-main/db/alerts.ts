import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface AlertRow {
  readonly id: number;
  readonly auditId: number;
  readonly kind: string;
  readonly message: string;
  readonly at: number;
  readonly acknowledgedAt: number | null;
  readonly acknowledgedBy: string | null;
}

const COLUMNS = 'id, audit_id AS auditId, kind, message, at, acknowledged_at AS acknowledgedAt, acknowledged_by AS acknowledgedBy';

export function insertAlert(db: Db, a: { auditId: number; kind: string; message: string }, at: number): number {
  return Number(sql(db, 'INSERT INTO security_alerts (audit_id, kind, message, at) VALUES (@auditId, @kind, @message, @at)').run({ ...a, at }).lastInsertRowid);
}

export function listAlerts(db: Db, openOnly: boolean, limit: number): AlertRow[] {
  return sql(db, `SELECT ${COLUMNS} FROM security_alerts WHERE (? = 0 OR acknowledged_at IS NULL) ORDER BY id DESC LIMIT ?`).all(openOnly ? 1 : 0, limit) as AlertRow[];
}

export function getAlert(db: Db, id: number): AlertRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM security_alerts WHERE id = ?`).get(id) as AlertRow | undefined;
}

export function acknowledgeAlert(db: Db, id: number, by: string, at: number): void {
  sql(db, 'UPDATE security_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?').run(at, by, id);
}

/** Whether an alert of `kind` was raised since `since` (to raise a burst alert once per window). */
export function alertRaisedSince(db: Db, kind: string, since: number): boolean {
  return sql(db, 'SELECT 1 FROM security_alerts WHERE kind = ? AND at >= ? LIMIT 1').get(kind, since) !== undefined;
}

/** Failed attempts of `action` since `since`. */
export function countFailedSince(db: Db, action: string, since: number): number {
  return (sql(db, "SELECT count(*) AS n FROM audit_log WHERE action = ? AND outcome = 'failed' AND at >= ?").get(action, since) as { n: number }).n;
}
