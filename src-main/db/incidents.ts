import type { Db } from './connection.js';
import { bool, orderBy, sql } from './statements.js';
import { withPublicRule } from './visibility.js';

export interface IncidentRow {
  readonly id: number;
  readonly name: string;
  readonly message: string;
  readonly messageHtml: string;
  readonly status: number;
  readonly visible: boolean;
  readonly stickied: boolean;
  readonly componentId: number | null;
  readonly componentStatus: number | null;
  readonly occurredAt: number;
  /** null while the incident is a draft. */
  readonly publishedAt: number | null;
  /** A draft to be published at this time (scheduled publication). */
  readonly publishAt: number | null;
  /** Who wrote it and who last changed its content, as "kind:id" (no self-approval). */
  readonly createdBy: string | null;
  readonly editedBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type IncidentFields = Omit<IncidentRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface IncidentUpdateRow {
  readonly id: number;
  readonly incidentId: number;
  readonly status: number;
  readonly message: string;
  readonly messageHtml: string;
  readonly componentId: number | null;
  readonly componentStatus: number | null;
  /** null while it waits for approval (two-person rule). */
  readonly publishedAt: number | null;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type IncidentUpdateFields = Omit<IncidentUpdateRow, 'id' | 'createdAt' | 'updatedAt'>;

const INCIDENT_COLUMNS = `id, name, message, message_html AS messageHtml, status, visible, stickied, component_id AS componentId,
  component_status AS componentStatus, occurred_at AS occurredAt, published_at AS publishedAt, publish_at AS publishAt,
  created_by AS createdBy, edited_by AS editedBy, created_at AS createdAt, updated_at AS updatedAt`;
export const INCIDENT_SORT = { id: 'id', name: 'name', status: 'status', occurredAt: 'occurred_at', createdAt: 'created_at' } as const;

type RawIncident = Omit<IncidentRow, 'visible' | 'stickied'> & { visible: number; stickied: number };
const toIncident = (r: RawIncident): IncidentRow => ({ ...r, visible: r.visible === 1, stickied: r.stickied === 1 });

export function getIncident(db: Db, id: number): IncidentRow | undefined {
  const raw = sql(db, `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ?`).get(id) as RawIncident | undefined;
  return raw && toIncident(raw);
}

export interface IncidentFilter {
  readonly status?: number | undefined;
  readonly visible?: boolean | undefined;
  readonly stickied?: boolean | undefined;
  readonly componentId?: number | undefined;
  readonly draft?: boolean | undefined;
  /** Only what the public may see. */
  readonly publicOnly?: boolean | undefined;
}

const INCIDENT_WHERE = `WHERE (@status IS NULL OR status = @status)
  AND (@visible IS NULL OR visible = @visible)
  AND (@stickied IS NULL OR stickied = @stickied)
  AND (@componentId IS NULL OR component_id = @componentId)
  AND (@draft IS NULL OR (published_at IS NULL) = @draft)`;

export function listIncidents(
  db: Db,
  f: IncidentFilter,
  sort: keyof typeof INCIDENT_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: IncidentRow[]; total: number } {
  const params = {
    status: f.status ?? null,
    visible: f.visible === undefined ? null : bool(f.visible),
    stickied: f.stickied === undefined ? null : bool(f.stickied),
    componentId: f.componentId ?? null,
    draft: f.draft === undefined ? null : bool(f.draft),
  };
  const where = withPublicRule('incidents', INCIDENT_WHERE, f.publicOnly);
  const rows = sql(db, `SELECT ${INCIDENT_COLUMNS} FROM incidents ${where} ${orderBy(INCIDENT_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawIncident[];
  const { total } = sql(db, `SELECT count(*) AS total FROM incidents ${where}`).get(params) as { total: number };
  return { rows: rows.map(toIncident), total };
}

function incidentParams(f: IncidentFields) {
  return { ...f, visible: bool(f.visible), stickied: bool(f.stickied) };
}

export function insertIncident(db: Db, f: IncidentFields, at: number): number {
  const r = sql(
    db,
    `INSERT INTO incidents (name, message, message_html, status, visible, stickied, component_id, component_status, occurred_at, published_at,
       publish_at, created_by, edited_by, created_at, updated_at)
     VALUES (@name, @message, @messageHtml, @status, @visible, @stickied, @componentId, @componentStatus, @occurredAt, @publishedAt,
       @publishAt, @createdBy, @editedBy, @at, @at)`,
  ).run({ ...incidentParams(f), at });
  return Number(r.lastInsertRowid);
}

export function updateIncidentRow(db: Db, id: number, f: IncidentFields, at: number): void {
  sql(
    db,
    `UPDATE incidents SET name = @name, message = @message, message_html = @messageHtml, status = @status, visible = @visible,
       stickied = @stickied, component_id = @componentId, component_status = @componentStatus, occurred_at = @occurredAt,
       published_at = @publishedAt, publish_at = @publishAt, created_by = @createdBy, edited_by = @editedBy, updated_at = @at
     WHERE id = @id`,
  ).run({ ...incidentParams(f), at, id });
}

export function deleteIncidentRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM incidents WHERE id = ?').run(id);
}

// ---- updates ----------------------------------------------------------------------------------

const UPDATE_COLUMNS = `id, incident_id AS incidentId, status, message, message_html AS messageHtml, component_id AS componentId,
  component_status AS componentStatus, published_at AS publishedAt, created_by AS createdBy, created_at AS createdAt, updated_at AS updatedAt`;

export function listIncidentUpdates(db: Db, incidentId: number): IncidentUpdateRow[] {
  return sql(db, `SELECT ${UPDATE_COLUMNS} FROM incident_updates WHERE incident_id = ? ORDER BY created_at, id`).all(incidentId) as IncidentUpdateRow[];
}

export function getIncidentUpdate(db: Db, incidentId: number, updateId: number): IncidentUpdateRow | undefined {
  return sql(db, `SELECT ${UPDATE_COLUMNS} FROM incident_updates WHERE incident_id = ? AND id = ?`).get(incidentId, updateId) as
    | IncidentUpdateRow
    | undefined;
}

export function insertIncidentUpdate(db: Db, f: IncidentUpdateFields, at: number): number {
  const r = sql(
    db,
    `INSERT INTO incident_updates (incident_id, status, message, message_html, component_id, component_status, published_at, created_by, created_at, updated_at)
     VALUES (@incidentId, @status, @message, @messageHtml, @componentId, @componentStatus, @publishedAt, @createdBy, @at, @at)`,
  ).run({ ...f, at });
  return Number(r.lastInsertRowid);
}

export function updateIncidentUpdateRow(db: Db, id: number, f: IncidentUpdateFields, at: number): void {
  sql(
    db,
    `UPDATE incident_updates SET status = @status, message = @message, message_html = @messageHtml, component_id = @componentId,
       component_status = @componentStatus, published_at = @publishedAt, created_by = @createdBy, updated_at = @at WHERE id = @id`,
  ).run({ ...f, at, id });
}

export function deleteIncidentUpdateRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM incident_updates WHERE id = ?').run(id);
}

// ---- approvals and scheduled publication ------------------------------------------------------

export function insertApproval(db: Db, a: { incidentId: number; updateId: number | null; contentHash: Buffer; approver: string }, at: number): number {
  return Number(
    sql(db, 'INSERT INTO incident_approvals (incident_id, update_id, content_hash, approver, at) VALUES (@incidentId, @updateId, @contentHash, @approver, @at)').run({ ...a, at })
      .lastInsertRowid,
  );
}

/** The approvers of exactly this content of an incident (updateId null) or of one of its updates. */
export function approversOf(db: Db, incidentId: number, updateId: number | null, contentHash: Buffer): string[] {
  return (
    sql(db, 'SELECT approver FROM incident_approvals WHERE incident_id = ? AND update_id IS ? AND content_hash = ? ORDER BY id').all(incidentId, updateId, contentHash) as {
      approver: string;
    }[]
  ).map((r) => r.approver);
}

/** Drafts whose scheduled publication time has come. */
export function dueDraftIds(db: Db, now: number): number[] {
  return (sql(db, 'SELECT id FROM incidents WHERE published_at IS NULL AND publish_at IS NOT NULL AND publish_at <= ? ORDER BY publish_at, id').all(now) as { id: number }[]).map((r) => r.id);
}
