import { z } from 'zod';
import type { Db } from '../db/connection.js';
import {
  addMetricPoint,
  deleteMetricPointRow,
  deleteMetricRow,
  getMetric,
  getMetricPoint,
  insertMetric,
  listMetricPoints,
  listMetrics,
  updateMetricPointRow,
  updateMetricRow,
  type MetricFields,
  type MetricPointRow,
  type MetricRow,
} from '../db/metrics.js';
import { changedFields } from './audit.js';
import { notFound } from './errors.js';
import { defineOperation } from './operation.js';
import { applyPatch } from './patch.js';
import { code, decimal, flag, id, int, line, listQuery, optionalLine, resolveTime, time, type Page } from './schemas.js';
import { loadSettings, timezone } from './settings.js';

export type { MetricRow as Metric, MetricPointRow as MetricPoint };

/** 0: sum of points in a period, 1: their average. */
export const metricCalcType = code([0, 1] as const);
/** 0 last hour, 1 last 12 hours, 2 last week, 3 last month. */
export const metricView = code([0, 1, 2, 3] as const);
/** 0: signed-in operators only, 1: public, 2: hidden everywhere. */
export const metricVisibility = code([0, 1, 2] as const);
/** Minutes per point window; must divide an hour so windows line up on the clock. */
export const metricThreshold = code([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const);

const metricShape = {
  name: line(255),
  suffix: optionalLine(40),
  description: optionalLine(1000),
  defaultValue: decimal,
  calcType: metricCalcType,
  displayChart: flag,
  places: int(0, 4),
  defaultView: metricView,
  threshold: metricThreshold,
  order: int(0, 1_000_000),
  visible: metricVisibility,
};

export function requireMetric(db: Db, metricId: number): MetricRow {
  const metric = getMetric(db, metricId);
  if (!metric) throw notFound('Metric', metricId);
  return metric;
}

/** Start of the threshold window that holds `at`. */
export const windowStart = (at: number, thresholdMinutes: number): number => at - (at % (thresholdMinutes * 60_000));

export const listMetricsOp = defineOperation({
  name: 'metric.list',
  requires: 'metrics.read',
  readOnly: true,
  input: listQuery(['id', 'name', 'order'], 'order', { visible: metricVisibility.optional() }),
  run(ctx, q): Page<MetricRow> {
    const { rows, total } = listMetrics(ctx.db, q, q.sort, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

export const getMetricOp = defineOperation({
  name: 'metric.get',
  requires: 'metrics.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: metricId }) => requireMetric(ctx.db, metricId),
});

export const createMetric = defineOperation({
  name: 'metric.create',
  requires: 'metrics.write',
  input: z.strictObject({
    ...metricShape,
    calcType: metricShape.calcType.default(0),
    displayChart: metricShape.displayChart.default(true),
    places: metricShape.places.default(2),
    defaultView: metricShape.defaultView.default(1),
    threshold: metricShape.threshold.default(5),
    order: metricShape.order.default(0),
    visible: metricShape.visible.default(1),
  }),
  run(ctx, input): MetricRow {
    const metricId = insertMetric(ctx.db, input as MetricFields, ctx.now);
    ctx.audit({ action: 'metric.create', targetType: 'metric', targetId: metricId, details: { name: input.name, visible: input.visible } });
    return requireMetric(ctx.db, metricId);
  },
});

export const updateMetric = defineOperation({
  name: 'metric.update',
  requires: 'metrics.write',
  input: z.strictObject({
    id,
    ...Object.fromEntries(Object.entries(metricShape).map(([k, s]) => [k, s.optional()])),
  } as { id: typeof id } & { [K in keyof typeof metricShape]: z.ZodOptional<(typeof metricShape)[K]> }),
  run(ctx, { id: metricId, ...patch }): MetricRow {
    const before = requireMetric(ctx.db, metricId);
    updateMetricRow(ctx.db, metricId, applyPatch(before, patch as Partial<MetricRow>), ctx.now);
    const after = requireMetric(ctx.db, metricId);
    ctx.audit({ action: 'metric.update', targetType: 'metric', targetId: metricId, details: changedFields(before, after, Object.keys(metricShape) as (keyof MetricRow & string)[]) });
    return after;
  },
});

export const deleteMetric = defineOperation({
  name: 'metric.delete',
  requires: 'metrics.write',
  input: z.strictObject({ id }),
  run(ctx, { id: metricId }): { id: number } {
    const before = requireMetric(ctx.db, metricId);
    deleteMetricRow(ctx.db, metricId);
    ctx.audit({ action: 'metric.delete', targetType: 'metric', targetId: metricId, details: { name: before.name } });
    return { id: metricId };
  },
});

// ---- points -----------------------------------------------------------------------------------

export const listMetricPointsOp = defineOperation({
  name: 'metricPoint.list',
  requires: 'metrics.read',
  readOnly: true,
  input: z.strictObject({
    metricId: id,
    page: int(1, 1_000_000).default(1),
    perPage: int(1, 1000).default(20),
    order: z.enum(['asc', 'desc']).default('desc'),
  }),
  run(ctx, q): Page<MetricPointRow> {
    requireMetric(ctx.db, q.metricId);
    const { rows, total } = listMetricPoints(ctx.db, q.metricId, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

/**
 * Records a value. Points are stored per threshold window: the same value again inside the window
 * raises that point's counter (Cachet's semantics), so a monitor posting every few seconds does
 * not grow the table without bound.
 */
export const addMetricPointOp = defineOperation({
  name: 'metricPoint.add',
  requires: 'metrics.write',
  input: z.strictObject({
    metricId: id,
    value: decimal,
    timestamp: time.optional(),
    /** The zone a wall-clock `timestamp` is in (Cachet's Time-Zone header); default the site's. */
    timeZone: timezone.optional(),
  }),
  run(ctx, input): MetricPointRow {
    const metric = requireMetric(ctx.db, input.metricId);
    const at = input.timestamp ? resolveTime(input.timestamp, input.timeZone ?? loadSettings(ctx.db).timezone) : ctx.now;
    const pointId = addMetricPoint(ctx.db, metric.id, input.value, windowStart(at, metric.threshold), ctx.now);
    const point = getMetricPoint(ctx.db, metric.id, pointId)!;
    ctx.audit({ action: 'metricPoint.add', targetType: 'metric', targetId: metric.id, details: { pointId, value: input.value, counter: point.counter } });
    return point;
  },
});

/** The most points one `metricPoint.addMany` call takes. */
export const MAX_POINTS_PER_CALL = 1000;

/**
 * Records many values of one metric at once, with the same window semantics as `metricPoint.add`:
 * for a collector that gathers points and sends them every few seconds. All are written or none
 * (one transaction), with one audit entry for the batch (how many, which point rows, the value
 * range) instead of one per point.
 */
export const addMetricPointsOp = defineOperation({
  name: 'metricPoint.addMany',
  requires: 'metrics.write',
  input: z.strictObject({
    metricId: id,
    points: z
      .array(z.strictObject({ value: decimal, timestamp: time.optional() }))
      .min(1, 'give at least one point')
      .max(MAX_POINTS_PER_CALL, `give at most ${MAX_POINTS_PER_CALL} points per call`),
    timeZone: timezone.optional(),
  }),
  run(ctx, input): MetricPointRow[] {
    const metric = requireMetric(ctx.db, input.metricId);
    const zone = input.points.some((p) => p.timestamp !== undefined) ? (input.timeZone ?? loadSettings(ctx.db).timezone) : 'UTC';
    const ids = input.points.map((p) => {
      const at = p.timestamp ? resolveTime(p.timestamp, zone) : ctx.now;
      return addMetricPoint(ctx.db, metric.id, p.value, windowStart(at, metric.threshold), ctx.now);
    });
    const values = input.points.map((p) => p.value);
    ctx.audit({
      action: 'metricPoint.addMany',
      targetType: 'metric',
      targetId: metric.id,
      details: { count: ids.length, pointIds: [...new Set(ids)], min: Math.min(...values), max: Math.max(...values) },
    });
    return ids.map((pointId) => getMetricPoint(ctx.db, metric.id, pointId)!);
  },
});

export const updateMetricPoint = defineOperation({
  name: 'metricPoint.update',
  requires: 'metrics.write',
  input: z.strictObject({ metricId: id, id, value: decimal.optional(), timestamp: time.optional(), timeZone: timezone.optional() }),
  run(ctx, input): MetricPointRow {
    const metric = requireMetric(ctx.db, input.metricId);
    const before = getMetricPoint(ctx.db, metric.id, input.id);
    if (!before) throw notFound('Metric point', input.id);
    const zone = input.timeZone ?? loadSettings(ctx.db).timezone;
    const createdAt = input.timestamp ? windowStart(resolveTime(input.timestamp, zone), metric.threshold) : before.createdAt;
    updateMetricPointRow(ctx.db, before.id, input.value ?? before.value, createdAt, ctx.now);
    const after = getMetricPoint(ctx.db, metric.id, before.id)!;
    ctx.audit({ action: 'metricPoint.update', targetType: 'metric', targetId: metric.id, details: { pointId: before.id, ...changedFields(before, after, ['value', 'createdAt']) } });
    return after;
  },
});

export const deleteMetricPoint = defineOperation({
  name: 'metricPoint.delete',
  requires: 'metrics.write',
  input: z.strictObject({ metricId: id, id }),
  run(ctx, input): { id: number } {
    const before = getMetricPoint(ctx.db, input.metricId, input.id);
    if (!before) throw notFound('Metric point', input.id);
    deleteMetricPointRow(ctx.db, before.id);
    ctx.audit({ action: 'metricPoint.delete', targetType: 'metric', targetId: input.metricId, details: { pointId: before.id, value: before.value } });
    return { id: before.id };
  },
});
