import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { deleteGroup, getComponentOp, listComponentsOp, updateComponent } from '../../src-main/core/components.js';
import { auditRows, testCore } from '../helpers/store.js';
import { aComponent, aGroup } from '../helpers/world.js';

describe('components', () => {
  it('stores Cachet fields, tags as slug → name, meta, and sanitized description HTML', () => {
    const { core } = testCore();
    const group = aGroup(core);
    const c = aComponent(core, {
      name: 'Login',
      status: '2',
      groupId: group.id,
      link: 'https://login.example.com',
      enabled: '1',
      tags: 'Auth, Front End',
      meta: { owner: 'team-a', tier: 1 },
      description: 'Handles **sign-in**',
    });
    expect(c).toMatchObject({
      name: 'Login',
      status: 2,
      groupId: group.id,
      link: 'https://login.example.com',
      enabled: true,
      tags: { auth: 'Auth', 'front-end': 'Front End' },
      meta: { owner: 'team-a', tier: 1 },
      descriptionHtml: '<p>Handles <strong>sign-in</strong></p>\n',
    });
  });

  it('records each status change in the status history, and audits before → after', () => {
    const { core, db, clock } = testCore();
    const c = aComponent(core, { status: 1 });
    clock.advance(60_000);
    core.execute(updateComponent, localOperator, { id: c.id, status: 4 });
    clock.advance(60_000);
    core.execute(updateComponent, localOperator, { id: c.id, name: 'Renamed' }); // no status change
    const history = db.prepare('SELECT status, changed_at FROM component_status_history WHERE component_id = ? ORDER BY id').all(c.id);
    expect(history).toEqual([
      { status: 1, changed_at: clock.now() - 120_000 },
      { status: 4, changed_at: clock.now() - 60_000 },
    ]);
    const updates = auditRows(db).filter((a) => a.action === 'component.update');
    expect(updates.map((a) => JSON.parse(a.details!))).toEqual([{ status: [1, 4] }, { name: ['API', 'Renamed'] }]);
  });

  it('keeps components, ungrouped, when their group is deleted', () => {
    const { core } = testCore();
    const g = aGroup(core);
    const c = aComponent(core, { groupId: g.id });
    core.execute(deleteGroup, localOperator, { id: g.id });
    expect(core.execute(getComponentOp, localOperator, { id: c.id }).groupId).toBeNull();
  });

  it('lists with allowlisted filters, sort and paging', () => {
    const { core } = testCore();
    for (const [i, status] of [1, 4, 1, 2, 1].entries()) aComponent(core, { name: `C${i}`, status, order: 10 - i });
    const page = core.execute(listComponentsOp, localOperator, { status: 1, sort: 'order', order: 'asc', perPage: 2, page: 1 });
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.name)).toEqual(['C4', 'C2']);
    const second = core.execute(listComponentsOp, localOperator, { status: '1', sort: 'order', perPage: '2', page: '2' });
    expect(second.items.map((c) => c.name)).toEqual(['C0']);
  });
});
