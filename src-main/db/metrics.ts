import type { Db } from './connection.js';
import { bool, orderBy, sql } from './statements.js';
import { withPublicRule } from './visibility.js';

export interface MetricRow {
  readonly id: number;
  readonly name: string;
  readonly suffix: string;
  readonly description: string;
  readonly defaultValue: number;
  readonly calcType: number;
  readonly displayChart: boolean;
  readonly places: number;
  readonly defaultView: number;
  readonly threshold: number;
  readonly order: number;
  readonly visible: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type MetricFields = Omit<MetricRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface MetricPointRow {
  readonly id: number;
  readonly metricId: number;
  readonly value: number;
  readonly counter: number;
  readonly calculatedValue: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const METRIC_COLUMNS = `id, name, suffix, description, default_value AS defaultValue, calc_type AS calcType, display_chart AS displayChart,
  places, default_view AS defaultView, threshold, sort_order AS "order", visible, created_at AS createdAt, updated_at AS updatedAt`;
export const METRIC_SORT = { id: 'id', name: 'name', order: 'sort_order' } as const;

type RawMetric = Omit<MetricRow, 'displayChart'> & { displayChart: number };
const toMetric = (r: RawMetric): MetricRow => ({ ...r, displayChart: r.displayChart === 1 });

export function getMetric(db: Db, id: number): MetricRow | undefined {
  const raw = sql(db, `SELECT ${METRIC_COLUMNS} FROM metrics WHERE id = ?`).get(id) as RawMetric | undefined;
  return raw && toMetric(raw);
}

export function listMetrics(
  db: Db,
  f: { visible?: number | undefined; publicOnly?: boolean | undefined },
  sort: keyof typeof METRIC_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: MetricRow[]; total: number } {
  const params = { visible: f.visible ?? null };
  const where = withPublicRule('metrics', 'WHERE (@visible IS NULL OR visible = @visible)', f.publicOnly);
  const rows = sql(db, `SELECT ${METRIC_COLUMNS} FROM metrics ${where} ${orderBy(METRIC_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawMetric[];
  const { total } = sql(db, `SELECT count(*) AS total FROM metrics ${where}`).get(params) as { total: number };
  return { rows: rows.map(toMetric), total };
}

const metricParams = (f: MetricFields) => ({ ...f, displayChart: bool(f.displayChart) });

export function insertMetric(db: Db, f: MetricFields, at: number): number {
  const r = sql(
    db,
    `INSERT INTO metrics (name, suffix, description, default_value, calc_type, display_chart, places, default_view, threshold, sort_order, visible, created_at, updated_at)
     VALUES (@name, @suffix, @description, @defaultValue, @calcType, @displayChart, @places, @defaultView, @threshold, @order, @visible, @at, @at)`,
  ).run({ ...metricParams(f), at });
  return Number(r.lastInsertRowid);
}

export function updateMetricRow(db: Db, id: number, f: MetricFields, at: number): void {
  sql(
    db,
    `UPDATE metrics SET name = @name, suffix = @suffix, description = @description, default_value = @defaultValue, calc_type = @calcType,
       display_chart = @displayChart, places = @places, default_view = @defaultView, threshold = @threshold, sort_order = @order,
       visible = @visible, updated_at = @at WHERE id = @id`,
  ).run({ ...metricParams(f), at, id });
}

export function deleteMetricRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM metrics WHERE id = ?').run(id);
}

// ---- points -----------------------------------------------------------------------------------

const POINT_COLUMNS = `id, metric_id AS metricId, value, counter, value * counter AS calculatedValue, created_at AS createdAt, updated_at AS updatedAt`;

export function getMetricPoint(db: Db, metricId: number, pointId: number): MetricPointRow | undefined {
  return sql(db, `SELECT ${POINT_COLUMNS} FROM metric_points WHERE metric_id = ? AND id = ?`).get(metricId, pointId) as MetricPointRow | undefined;
}

export function listMetricPoints(db: Db, metricId: number, direction: 'asc' | 'desc', limit: number, offset: number): { rows: MetricPointRow[]; total: number } {
  const rows = sql(db, `SELECT ${POINT_COLUMNS} FROM metric_points WHERE metric_id = ? ${orderBy({ createdAt: 'created_at' }, 'createdAt', direction)} LIMIT ? OFFSET ?`)
    .all(metricId, limit, offset) as MetricPointRow[];
  const { total } = sql(db, 'SELECT count(*) AS total FROM metric_points WHERE metric_id = ?').get(metricId) as { total: number };
  return { rows, total };
}

/**
 * Cachet's counter semantics in one statement: the first `value` in a threshold window inserts a
 * point with counter 1; each repeat of the same value in that window increments its counter.
 */
export function addMetricPoint(db: Db, metricId: number, value: number, windowStart: number, at: number): number {
  const row = sql(
    db,
    `INSERT INTO metric_points (metric_id, value, counter, created_at, updated_at) VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (metric_id, created_at, value) DO UPDATE SET counter = counter + 1, updated_at = excluded.updated_at
     RETURNING id`,
  ).get(metricId, value, windowStart, at) as { id: number };
  return row.id;
}

export function updateMetricPointRow(db: Db, pointId: number, value: number, createdAt: number, at: number): void {
  sql(db, 'UPDATE metric_points SET value = ?, created_at = ?, updated_at = ? WHERE id = ?').run(value, createdAt, at, pointId);
}

export function deleteMetricPointRow(db: Db, pointId: number): void {
  sql(db, 'DELETE FROM metric_points WHERE id = ?').run(pointId);
}
