import { describe, expect, it } from 'vitest';
import { WriteLane } from '../../src-main/http/api/write-lane.js';

/** The API's write lane: same results and errors, in order, a few per event-loop turn. */

describe('the write lane', () => {
  it('runs writes in arrival order and passes each one’s result or error through', async () => {
    const lane = new WriteLane(2);
    const order: number[] = [];
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        lane.run(async () => {
          order.push(n);
          if (n === 3) throw new Error('three failed');
          return n * 10;
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three failed', 40, 50]);
    expect(lane.waiting).toBe(0);
  });

  it('yields to other work between turns, so a page request waiting on the event loop is answered mid-flood', async () => {
    const lane = new WriteLane(4);
    const log: string[] = [];
    const writes = Array.from({ length: 12 }, (_, i) => lane.run(async () => void log.push(`w${i}`)));
    // Something that arrives "now", like a page request's I/O callback: it must not wait for all 12.
    setImmediate(() => log.push('page'));
    await Promise.all(writes);
    const page = log.indexOf('page');
    expect(page).toBeGreaterThan(0);
    expect(page).toBeLessThan(12);
    expect(log.filter((e) => e !== 'page')).toEqual(Array.from({ length: 12 }, (_, i) => `w${i}`));
  });

  it('does not let a write that waits on something slow hold up the writes behind it', async () => {
    const lane = new WriteLane(1);
    let release: () => void = () => {};
    const slow = lane.run(() => new Promise<string>((resolve) => (release = () => resolve('slow'))));
    const quick = await Promise.all([lane.run(async () => 'a'), lane.run(async () => 'b')]);
    expect(quick).toEqual(['a', 'b']);
    release();
    expect(await slow).toBe('slow');
  });
});
