import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import { getPublicMetricSeries, METRIC_VIEWS, viewWindow } from '../../src-main/core/public-metrics.js';
import { getPublicStatus } from '../../src-main/core/public-view.js';
import { testCore } from '../helpers/store.js';
import { aMetric } from '../helpers/world.js';

/** Public metric charts: aggregated in SQL into fixed buckets per view, only for public metrics. */

const visitor = anonymous({ kind: 'web', ip: '127.0.0.1' });
const MINUTE = 60_000;

function world() {
  const t = testCore();
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const post = (metricId: number, value: number, ms: number) => t.core.execute(addMetricPointOp, localOperator, { metricId, value, timestamp: at(ms) });
  return { ...t, post };
}

describe('public metric series', () => {
  it('sums or averages the points of each bucket (value × counter), with the default value where there are none', () => {
    const { core, clock, post } = world();
    const sum = aMetric(core, { name: 'Requests', calcType: 0, defaultValue: 0, displayChart: true, visible: 1, threshold: 1 });
    const avg = aMetric(core, { name: 'Latency', calcType: 1, defaultValue: 7, places: 1, displayChart: true, visible: 1, threshold: 1 });
    const now = clock.now();
    const { from } = viewWindow('hour', now);
    // Two buckets: minute 10 gets 3 + 3 (a repeat raises the counter) + 4; minute 20 gets 5.
    for (const [metric, values] of [[sum, [3, 3, 4]], [avg, [3, 3, 4]]] as const) for (const v of values) post(metric.id, v, from + 10 * MINUTE + 5_000);
    post(sum.id, 5, from + 20 * MINUTE);
    post(avg.id, 5, from + 20 * MINUTE);
    post(sum.id, 1000, from - MINUTE); // before the window: not counted

    const s = core.execute(getPublicMetricSeries, visitor, { id: sum.id, view: 'hour' });
    expect(s.points).toHaveLength(METRIC_VIEWS.hour.buckets);
    expect(s.bucketSeconds).toBe(60);
    expect(s.points[10]).toEqual([(from + 10 * MINUTE) / 1000, 10]);
    expect(s.points[20]![1]).toBe(5);
    expect(s.points.filter((p) => p[1] !== 0)).toHaveLength(2);

    const a = core.execute(getPublicMetricSeries, visitor, { id: avg.id, view: 'hour' });
    expect(a.points[10]![1]).toBe(3.3); // (3·2 + 4) / 3, to one place
    expect(a.points[0]![1]).toBe(7);
    const day = core.execute(getPublicMetricSeries, visitor, { id: sum.id, view: 'day' });
    expect(day.points).toHaveLength(24);
    expect(day.points.reduce((n, p) => n + p[1], 0)).toBe(1015);
  });

  it('answers not found for a metric that is not public or not charted, exactly like a missing one', () => {
    const { core } = world();
    const members = aMetric(core, { visible: 0, displayChart: true });
    const hidden = aMetric(core, { visible: 2, displayChart: true });
    const noChart = aMetric(core, { visible: 1, displayChart: false });
    for (const id of [members.id, hidden.id, noChart.id, 999]) {
      expect(() => core.execute(getPublicMetricSeries, visitor, { id, view: 'hour' }), String(id)).toThrow(/not found|No Metric|not exist/i);
    }
    expect(core.execute(getPublicStatus, visitor, {}).metrics).toEqual([]);
  });

  it('refuses a view that is not one of hour, day, week, month', () => {
    const { core } = world();
    const m = aMetric(core, { visible: 1, displayChart: true });
    expect(() => core.execute(getPublicMetricSeries, visitor, { id: m.id, view: 'year' })).toThrow(/view/);
  });
});
