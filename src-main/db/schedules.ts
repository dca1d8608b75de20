import type { Db } from './connection.js';
import { orderBy, sql } from './statements.js';

export interface ScheduleRow {
  readonly id: number;
  readonly name: string;
  readonly message: string;
  readonly messageHtml: string;
  readonly status: number;
  readonly scheduledAt: number;
  readonly completedAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type ScheduleFields = Omit<ScheduleRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface ScheduleUpdateRow {
  readonly id: number;
  readonly scheduleId: number;
  readonly status: number;
  readonly message: string;
  readonly messageHtml: string;
  readonly createdAt: number;
}

const SCHEDULE_COLUMNS = `id, name, message, message_html AS messageHtml, status, scheduled_at AS scheduledAt,
  completed_at AS completedAt, created_at AS createdAt, updated_at AS updatedAt`;
export const SCHEDULE_SORT = { id: 'id', name: 'name', status: 'status', scheduledAt: 'scheduled_at' } as const;

export function getSchedule(db: Db, id: number): ScheduleRow | undefined {
  return sql(db, `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE id = ?`).get(id) as ScheduleRow | undefined;
}

export function listSchedules(
  db: Db,
  f: { status?: number | undefined },
  sort: keyof typeof SCHEDULE_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: ScheduleRow[]; total: number } {
  const params = { status: f.status ?? null };
  const where = 'WHERE (@status IS NULL OR status = @status)';
  const rows = sql(db, `SELECT ${SCHEDULE_COLUMNS} FROM schedules ${where} ${orderBy(SCHEDULE_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as ScheduleRow[];
  const { total } = sql(db, `SELECT count(*) AS total FROM schedules ${where}`).get(params) as { total: number };
  return { rows, total };
}

export function insertSchedule(db: Db, f: ScheduleFields, at: number): number {
  const r = sql(
    db,
    `INSERT INTO schedules (name, message, message_html, status, scheduled_at, completed_at, created_at, updated_at)
     VALUES (@name, @message, @messageHtml, @status, @scheduledAt, @completedAt, @at, @at)`,
  ).run({ ...f, at });
  return Number(r.lastInsertRowid);
}

export function updateScheduleRow(db: Db, id: number, f: ScheduleFields, at: number): void {
  sql(
    db,
    `UPDATE schedules SET name = @name, message = @message, message_html = @messageHtml, status = @status,
       scheduled_at = @scheduledAt, completed_at = @completedAt, updated_at = @at WHERE id = @id`,
  ).run({ ...f, at, id });
}

export function deleteScheduleRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM schedules WHERE id = ?').run(id);
}

/** Affected components: component id → the status they are in during the maintenance. */
export function scheduleComponents(db: Db, scheduleId: number): Record<string, number> {
  const rows = sql(db, 'SELECT component_id AS componentId, component_status AS status FROM schedule_components WHERE schedule_id = ? ORDER BY component_id')
    .all(scheduleId) as { componentId: number; status: number }[];
  return Object.fromEntries(rows.map((r) => [String(r.componentId), r.status]));
}

export function replaceScheduleComponents(db: Db, scheduleId: number, components: Record<string, number>): void {
  sql(db, 'DELETE FROM schedule_components WHERE schedule_id = ?').run(scheduleId);
  for (const [componentId, status] of Object.entries(components)) {
    sql(db, 'INSERT INTO schedule_components (schedule_id, component_id, component_status) VALUES (?, ?, ?)').run(scheduleId, Number(componentId), status);
  }
}

export function listScheduleUpdates(db: Db, scheduleId: number): ScheduleUpdateRow[] {
  return sql(
    db,
    `SELECT id, schedule_id AS scheduleId, status, message, message_html AS messageHtml, created_at AS createdAt
     FROM schedule_updates WHERE schedule_id = ? ORDER BY created_at, id`,
  ).all(scheduleId) as ScheduleUpdateRow[];
}

export function insertScheduleUpdate(db: Db, f: Omit<ScheduleUpdateRow, 'id' | 'createdAt'>, at: number): number {
  const r = sql(
    db,
    'INSERT INTO schedule_updates (schedule_id, status, message, message_html, created_at) VALUES (@scheduleId, @status, @message, @messageHtml, @at)',
  ).run({ ...f, at });
  return Number(r.lastInsertRowid);
}
