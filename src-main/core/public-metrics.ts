import { z } from 'zod';
import { metricBuckets, publicMetrics, type PublicMetricRow } from '../db/public.js';
import { isPublic } from '../db/visibility.js';
import { notFound } from './errors.js';
import { defineOperation } from './operation.js';
import { PUBLIC } from './permissions.js';
import { id } from './schemas.js';

/**
 * Public metric charts: a metric's points aggregated in SQL into a fixed number of buckets per
 * view, so the cost of a chart does not grow with the number of points (Cachet's page took seconds
 * with ~10k points because it loaded them all).
 */

export const METRIC_VIEWS = {
  hour: { buckets: 60, bucketMs: 60_000, label: 'Last hour' },
  day: { buckets: 24, bucketMs: 3_600_000, label: 'Last 24 hours' },
  week: { buckets: 56, bucketMs: 3 * 3_600_000, label: 'Last 7 days' },
  month: { buckets: 30, bucketMs: 86_400_000, label: 'Last 30 days' },
} as const;
export type MetricViewName = keyof typeof METRIC_VIEWS;
export const metricViewName = z.enum(Object.keys(METRIC_VIEWS) as [MetricViewName, ...MetricViewName[]]);

/** Cachet's default_view codes (0 last hour, 1 last 12 hours, 2 week, 3 month) to our views. */
export const DEFAULT_VIEW: Readonly<Record<number, MetricViewName>> = { 0: 'hour', 1: 'day', 2: 'week', 3: 'month' };

export interface MetricSeries {
  readonly metric: { readonly id: number; readonly name: string; readonly suffix: string; readonly places: number; readonly calcType: number };
  readonly view: MetricViewName;
  readonly bucketSeconds: number;
  /** [bucket start in seconds (UTC), value] per bucket, oldest first; an empty bucket holds the metric's default value. */
  readonly points: [number, number][];
}

/** The metric as the public sees it, with its default chart view. */
export interface PublicMetric extends PublicMetricRow {
  readonly view: MetricViewName;
}

export const listPublicMetrics = (rows: readonly PublicMetricRow[]): PublicMetric[] => rows.map((m) => ({ ...m, view: DEFAULT_VIEW[m.defaultView] ?? 'hour' }));

export function seriesOf(metric: PublicMetricRow, view: MetricViewName, buckets: readonly { bucket: number; total: number; count: number }[], from: number): MetricSeries {
  const { buckets: n, bucketMs } = METRIC_VIEWS[view];
  const byIndex = new Map(buckets.map((b) => [b.bucket, b]));
  const round = (v: number) => Number(v.toFixed(metric.places));
  const points: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const b = byIndex.get(i);
    const value = !b || b.count === 0 ? metric.defaultValue : metric.calcType === 1 ? b.total / b.count : b.total;
    points.push([(from + i * bucketMs) / 1000, round(value)]);
  }
  return { metric: { id: metric.id, name: metric.name, suffix: metric.suffix, places: metric.places, calcType: metric.calcType }, view, bucketSeconds: bucketMs / 1000, points };
}

/** The window of `view` that ends with the bucket holding `now`, aligned to whole buckets. */
export function viewWindow(view: MetricViewName, now: number): { from: number; to: number } {
  const { buckets, bucketMs } = METRIC_VIEWS[view];
  const to = now - (now % bucketMs) + bucketMs;
  return { from: to - buckets * bucketMs, to };
}

export const getPublicMetricSeries = defineOperation({
  name: 'public.metricSeries',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({ id, view: metricViewName }),
  run(ctx, input): MetricSeries {
    const metric = isPublic(ctx.db, 'metrics', input.id) ? publicMetrics(ctx.db).find((m) => m.id === input.id) : undefined;
    if (!metric) throw notFound('Metric', input.id);
    const { from, to } = viewWindow(input.view, ctx.now);
    return seriesOf(metric, input.view, metricBuckets(ctx.db, metric.id, from, to, METRIC_VIEWS[input.view].bucketMs), from);
  },
});
