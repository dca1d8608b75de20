import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface AuditRow {
  readonly id: number;
  readonly at: number;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly client: string;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: 'ok' | 'denied' | 'failed';
  readonly details: unknown;
}

export type NewAuditRow = Omit<AuditRow, 'id'>;

export function insertAudit(db: Db, row: NewAuditRow): number {
  const result = sql(
    db,
    `INSERT INTO audit_log (at, actor_kind, actor_id, client, action, target_type, target_id, outcome, details)
     VALUES (@at, @actorKind, @actorId, @client, @action, @targetType, @targetId, @outcome, @details)`,
  ).run({ ...row, details: row.details === undefined ? null : JSON.stringify(row.details) });
  return Number(result.lastInsertRowid);
}

export interface AuditFilter {
  readonly actionPrefix?: string | undefined;
  readonly actorKind?: string | undefined;
  readonly actorId?: string | undefined;
  readonly outcome?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

interface RawAuditRow extends Omit<AuditRow, 'details'> {
  details: string | null;
}

const AUDIT_COLUMNS = `id, at, actor_kind AS actorKind, actor_id AS actorId, client, action,
  target_type AS targetType, target_id AS targetId, outcome, details`;

// Every filter is a bound parameter; a NULL parameter switches that filter off.
const AUDIT_WHERE = `WHERE (@actionPrefix IS NULL OR substr(action, 1, length(@actionPrefix)) = @actionPrefix)
  AND (@actorKind IS NULL OR actor_kind = @actorKind)
  AND (@actorId IS NULL OR actor_id = @actorId)
  AND (@outcome IS NULL OR outcome = @outcome)
  AND (@since IS NULL OR at >= @since)
  AND (@until IS NULL OR at < @until)`;

function auditParams(f: AuditFilter) {
  return {
    actionPrefix: f.actionPrefix ?? null,
    actorKind: f.actorKind ?? null,
    actorId: f.actorId ?? null,
    outcome: f.outcome ?? null,
    since: f.since ?? null,
    until: f.until ?? null,
  };
}

/** Newest first. */
export function listAudit(db: Db, filter: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number } {
  const params = auditParams(filter);
  const rows = sql(db, `SELECT ${AUDIT_COLUMNS} FROM audit_log ${AUDIT_WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawAuditRow[];
  const { total } = sql(db, `SELECT count(*) AS total FROM audit_log ${AUDIT_WHERE}`).get(params) as { total: number };
  return { rows: rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) })), total };
}
