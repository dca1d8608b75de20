import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { updateComponent } from '../../src-main/core/components.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { getPublicStatus } from '../../src-main/core/public-view.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup, anIncident, aSchedule } from '../helpers/world.js';

const guest = anonymous({ kind: 'web', ip: '203.0.113.9' });
const DAY = 86_400_000;

describe('the public projection', () => {
  it('shows only public groups, enabled components, and published visible incidents', () => {
    const { core, clock } = testCore();
    const pub = aGroup(core, { name: 'Public group' });
    const members = aGroup(core, { name: 'Members group', visible: 0 });
    aComponent(core, { name: 'Shown', groupId: pub.id });
    aComponent(core, { name: 'Ungrouped', status: 3 });
    aComponent(core, { name: 'In members-only group', groupId: members.id, status: 4 });
    aComponent(core, { name: 'Disabled', enabled: false, status: 4 });
    anIncident(core, { name: 'Visible incident' });
    anIncident(core, { name: 'Hidden incident', visible: false });
    anIncident(core, { name: 'Draft incident', draft: true });
    anIncident(core, { name: 'Old resolved', status: 4, occurredAt: Math.floor((clock.now() - 30 * DAY) / 1000) });
    anIncident(core, { name: 'Old stickied', status: 4, stickied: true, occurredAt: Math.floor((clock.now() - 30 * DAY) / 1000) });
    aSchedule(core, { name: 'Upcoming work', scheduledAt: Math.floor((clock.now() + DAY) / 1000) });
    aSchedule(core, { name: 'Finished work', status: 2, scheduledAt: Math.floor((clock.now() - DAY) / 1000) });

    const view = core.execute(getPublicStatus, guest, {});
    const text = JSON.stringify(view);
    for (const hidden of ['Members group', 'In members-only group', 'Disabled', 'Hidden incident', 'Draft incident', 'Old resolved', 'Finished work']) {
      expect(text, hidden).not.toContain(hidden);
    }
    expect(view.groups.map((g) => g.name)).toEqual(['Public group']);
    expect(view.ungrouped.map((c) => c.name)).toEqual(['Ungrouped']);
    expect(view.incidents.map((i) => i.name).sort()).toEqual(['Old stickied', 'Visible incident']);
    expect(view.schedules.map((s) => s.name)).toEqual(['Upcoming work']);
    // Only the shown components count: the major outages hidden above do not.
    expect(view.overall).toEqual({ level: 'info', message: 'The system is experiencing issues' });
  });

  it('reports a major outage and shows the incident timeline newest first', () => {
    const { core, clock } = testCore();
    const c = aComponent(core);
    core.execute(updateComponent, localOperator, { id: c.id, status: 4 });
    const i = anIncident(core);
    clock.advance(1000);
    core.execute(createIncidentUpdate, localOperator, { incidentId: i.id, status: 2, message: 'one' });
    clock.advance(1000);
    core.execute(createIncidentUpdate, localOperator, { incidentId: i.id, status: 3, message: 'two' });
    const view = core.execute(getPublicStatus, guest, {});
    expect(view.overall.level).toBe('error');
    expect(view.incidents[0]!.updates.map((u) => u.statusName)).toEqual(['Watching', 'Identified']);
  });
});
