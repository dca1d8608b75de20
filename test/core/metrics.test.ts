import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { addMetricPointOp, deleteMetric, listMetricPointsOp, updateMetricPoint } from '../../src-main/core/metrics.js';
import { testCore } from '../helpers/store.js';
import { aMetric } from '../helpers/world.js';

describe('metric points (Cachet counter semantics)', () => {
  it('counts a repeated value inside one threshold window, and starts over in the next window', () => {
    const { core, clock } = testCore();
    clock.set(Date.UTC(2026, 11, 3, 12, 0, 10));
    const m = aMetric(core, { threshold: 5 });
    const add = (value: number) => core.execute(addMetricPointOp, localOperator, { metricId: m.id, value });
    const first = add(10);
    clock.advance(60_000);
    const second = add(10); // same value, same 5-minute window
    expect(second).toMatchObject({ id: first.id, value: 10, counter: 2, calculatedValue: 20, createdAt: Date.UTC(2026, 11, 3, 12, 0, 0) });
    const other = add(11); // another value in the window: its own point
    expect(other.id).not.toBe(first.id);
    clock.advance(5 * 60_000); // next window
    const next = add(10);
    expect(next).toMatchObject({ counter: 1, createdAt: Date.UTC(2026, 11, 3, 12, 5, 0) });
  });

  it('places a point with a timestamp in its window, as unix seconds or a site-local time', () => {
    const { core } = testCore();
    const m = aMetric(core, { threshold: 15 });
    const p = core.execute(addMetricPointOp, localOperator, { metricId: m.id, value: '2.5', timestamp: String(Date.UTC(2026, 0, 1, 8, 14, 59) / 1000) });
    expect(p).toMatchObject({ value: 2.5, createdAt: Date.UTC(2026, 0, 1, 8, 0) });
    const q = core.execute(addMetricPointOp, localOperator, { metricId: m.id, value: 3, timestamp: '2026-01-01 08:20' });
    expect(q.createdAt).toBe(Date.UTC(2026, 0, 1, 8, 15));
  });

  it('updates and lists points newest first, and deleting the metric removes its points', () => {
    const { core, db, clock } = testCore();
    const m = aMetric(core, { threshold: 1 });
    const a = core.execute(addMetricPointOp, localOperator, { metricId: m.id, value: 1 });
    clock.advance(60_000);
    core.execute(addMetricPointOp, localOperator, { metricId: m.id, value: 2 });
    core.execute(updateMetricPoint, localOperator, { metricId: m.id, id: a.id, value: 5 });
    const page = core.execute(listMetricPointsOp, localOperator, { metricId: m.id });
    expect(page.items.map((p) => p.value)).toEqual([2, 5]);
    core.execute(deleteMetric, localOperator, { id: m.id });
    expect(db.prepare('SELECT count(*) AS n FROM metric_points').get()).toEqual({ n: 0 });
  });
});
