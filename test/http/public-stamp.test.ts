import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { serverLink } from '../../src-main/http/public/layout.js';
import { PublicSite } from '../../src-main/http/public/site.js';
import { testCore } from '../helpers/store.js';
import { aWorld, validInputs, type World } from '../helpers/world.js';

/**
 * The page cache follows the store's public stamp, which moves only with changes to what public
 * pages show. The invariant that makes that safe: no operation changes a public output without
 * moving the stamp. Checked for every write operation of the registry, against the outputs
 * rendered afresh (not from any cache) before and after it.
 */

function publicOutputs(site: PublicSite, w: World): string[] {
  const frame = site.frame(serverLink);
  const render = (f: () => string) => {
    try {
      return f();
    } catch (err) {
      return `error: ${(err as { code?: string }).code ?? String(err)}`;
    }
  };
  return [
    render(() => site.home(frame)),
    render(() => site.incident(frame, w.incident.id)),
    render(() => site.incident(frame, w.draft.id)),
    render(() => site.schedule(frame, w.schedule.id)),
    render(() => site.history(frame, 1)),
    render(() => site.feed('atom', (p) => `https://status.example.com${p}`, '/feed.atom')),
    render(() => site.badge()),
    render(() => site.componentBadge(w.component.id)),
    render(() => JSON.stringify(site.info())),
  ];
}

const writes = [...OPERATIONS.values()].filter((op) => op.readOnly !== true);

describe('the public stamp', () => {
  it('moves with every operation that changes a public output (checked for each write operation)', async () => {
    let changedOutputs = 0;
    for (const op of writes) {
      const t = testCore();
      const w = aWorld(t.core);
      const input = validInputs(w)[op.name];
      if (input === undefined) continue;
      const site = new PublicSite(t.core, anonymous({ kind: 'web', ip: '127.0.0.1' }));
      const before = publicOutputs(site, w);
      const stamp = t.core.publicChangeStamp();
      try {
        await t.core.executeAsync(op, localOperator, input);
      } catch {
        continue; // an operation the local operator cannot run here (keychain, re-authentication) changed nothing
      }
      const after = publicOutputs(site, w);
      const changed = after.some((out, i) => out !== before[i]);
      if (changed) changedOutputs++;
      if (changed) expect(t.core.publicChangeStamp(), `${op.name} changed a public page but not the stamp`).not.toBe(stamp);
    }
    // The check has teeth: plenty of operations do change what the public sees.
    expect(changedOutputs).toBeGreaterThan(15);
  });

  it('stays put for a metric point (the page does not show points), while the store’s full stamp moves', () => {
    const t = testCore();
    const w = aWorld(t.core);
    const [publicBefore, anyBefore] = [t.core.publicChangeStamp(), t.core.changeStamp()];
    t.core.execute(addMetricPointOp, localOperator, { metricId: w.metric.id, value: 42 });
    expect(t.core.publicChangeStamp()).toBe(publicBefore);
    expect(t.core.changeStamp()).not.toBe(anyBefore);
  });
});
