import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { verifyAuditLog } from '../../src-main/core/audit-log.js';
import { createIncident } from '../../src-main/core/incidents.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import type { PreparedCall, Settled } from '../../src-main/core/core.js';
import { WriteLane } from '../../src-main/http/api/write-lane.js';
import { aMetric } from '../helpers/world.js';
import { auditRows, contentHash, testCore, user } from '../helpers/store.js';

/**
 * The API's write lane and the core's group commit behind it: writes that arrive together are
 * committed together, each with exactly the result or error it would have alone.
 */

/** A commit function that runs each call on its own and records the groups it was given. */
function recordingCommit(groups: number[]) {
  return (calls: readonly PreparedCall<unknown>[]): Settled<unknown>[] => {
    groups.push(calls.length);
    return calls.map((call) => {
      try {
        return { ok: true, value: call() };
      } catch (error) {
        return { ok: false, error };
      }
    });
  };
}

describe('the write lane', () => {
  it('commits writes in arrival order, in groups of at most perTurn, and passes each one’s result or error through', async () => {
    const groups: number[] = [];
    const lane = new WriteLane(recordingCommit(groups), 2);
    const order: number[] = [];
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        lane.run(() => {
          order.push(n);
          if (n === 3) throw new Error('three failed');
          return n * 10;
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(groups).toEqual([2, 2, 1]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three failed', 40, 50]);
    expect(lane.waiting).toBe(0);
  });

  it('yields to other work between turns, so a page request waiting on the event loop is answered mid-flood', async () => {
    const lane = new WriteLane(recordingCommit([]), 4);
    const log: string[] = [];
    const writes = Array.from({ length: 12 }, (_, i) => lane.run(() => void log.push(`w${i}`)));
    // Something that arrives "now", like a page request's I/O callback: it must not wait for all 12.
    setImmediate(() => log.push('page'));
    await Promise.all(writes);
    const page = log.indexOf('page');
    expect(page).toBeGreaterThan(0);
    expect(page).toBeLessThan(12);
    expect(log.filter((e) => e !== 'page')).toEqual(Array.from({ length: 12 }, (_, i) => `w${i}`));
  });
});

describe('group commit (Core.commitTogether)', () => {
  it('keeps the calls that succeed and nothing of the one that fails; every kept call has its audit entry and the chain verifies', async () => {
    const t = testCore({ 1: ['metrics.write'] });
    const metric = aMetric(t.core);
    const calls = await Promise.all([
      t.core.prepareCall(addMetricPointOp, user(1), { metricId: metric.id, value: 1 }),
      t.core.prepareCall(addMetricPointOp, user(1), { metricId: 999, value: 2 }), // no such metric: fails when it runs
      t.core.prepareCall(addMetricPointOp, user(1), { metricId: metric.id, value: 3 }),
    ]);
    const before = auditRows(t.db).length;
    const settled = t.core.commitTogether(calls);
    expect(settled.map((s) => s.ok)).toEqual([true, false, true]);
    expect(settled[1]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((t.db.prepare('SELECT value FROM metric_points ORDER BY id').all() as { value: number }[]).map((p) => p.value)).toEqual([1, 3]);
    expect(auditRows(t.db).slice(before).map((a) => [a.action, a.outcome])).toEqual([
      ['metricPoint.add', 'ok'],
      ['metricPoint.add', 'ok'],
    ]);
    const report = await t.core.executeAsync(verifyAuditLog, localOperator, {});
    expect(report).toMatchObject({ intact: true });
  });

  it('checks the permission again when the write runs: a grant that ended after the call was prepared refuses it, audited', async () => {
    const grants: Record<number, string[]> = { 1: ['metrics.write'] };
    const t = testCore(grants as never);
    const metric = aMetric(t.core);
    const call = await t.core.prepareCall(addMetricPointOp, user(1), { metricId: metric.id, value: 1 });
    grants[1] = [];
    const before = contentHash(t.db, ['audit_log']);
    const [settled] = t.core.commitTogether([call]);
    expect(settled).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(contentHash(t.db, ['audit_log'])).toBe(before);
    expect(auditRows(t.db).at(-1)).toMatchObject({ action: 'metricPoint.add', outcome: 'denied' });
  });

  it('on a full store, reports exactly what was kept: a call reported ok is stored, a failed one left nothing', async () => {
    const t = testCore({ 1: ['metrics.write', 'incidents.write', 'incidents.publish'] });
    const metric = aMetric(t.core);
    t.db.pragma(`max_page_count = ${(t.db.pragma('page_count', { simple: true }) as number) + 1}`);
    const big = `Details: ${'x'.repeat(19_000)}`;
    const calls: PreparedCall<unknown>[] = await Promise.all([
      t.core.prepareCall(addMetricPointOp, user(1), { metricId: metric.id, value: 1 }),
      t.core.prepareCall(createIncident, user(1), { name: 'Big', message: big, status: 1 }),
      t.core.prepareCall(createIncident, user(1), { name: 'Big again', message: big, status: 1 }),
      t.core.prepareCall(createIncident, user(1), { name: 'Big thrice', message: big, status: 1 }),
    ]);
    const before = contentHash(t.db);
    const settled = t.core.commitTogether(calls);
    // The full disk refuses the incidents; whatever SQLite then does to the transaction, what is
    // reported is what was kept: a call reported ok is in the store, a failed one is not.
    expect(settled.some((s) => !s.ok && (s.error as { code?: string }).code === 'unavailable')).toBe(true);
    const points = (t.db.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number }).n;
    const incidents = (t.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
    expect(points).toBe(settled[0]!.ok ? 1 : 0);
    expect(incidents).toBe(settled.slice(1).filter((s) => s.ok).length);
    if (settled.every((s) => !s.ok)) expect(contentHash(t.db)).toBe(before);
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(t.db.inTransaction).toBe(false);
  });
});
