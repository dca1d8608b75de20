import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { publishIncident } from '../../src-main/core/incidents.js';
import { getPublicStatus } from '../../src-main/core/public-view.js';
import {
  getVisibleComponent,
  getVisibleGroup,
  getVisibleIncident,
  getVisibleIncidentUpdate,
  getVisibleMetric,
  listVisibleComponents,
  listVisibleGroups,
  listVisibleIncidents,
  listVisibleMetricPoints,
  listVisibleMetrics,
  listVisibleSchedules,
} from '../../src-main/core/visible-reads.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { testCore, user } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule } from '../helpers/world.js';

/** A store with one public and several non-public records of each kind. */
function mixedWorld() {
  const t = testCore({ 1: ['components.read', 'incidents.read', 'metrics.read', 'maintenance.read'] });
  const { core } = t;
  const publicGroup = aGroup(core, { name: 'Public' });
  const membersGroup = aGroup(core, { name: 'Members only', visible: 0 });
  const shown = aComponent(core, { name: 'Shown', groupId: publicGroup.id, meta: { owner: 'team-a' } });
  const ungrouped = aComponent(core, { name: 'Ungrouped' });
  const disabled = aComponent(core, { name: 'Disabled', enabled: false, groupId: publicGroup.id });
  const inMembersGroup = aComponent(core, { name: 'Internal', groupId: membersGroup.id });
  const incident = anIncident(core, { name: 'Public outage' });
  const hidden = anIncident(core, { name: 'Hidden', visible: false });
  const draft = anIncident(core, { name: 'Draft', draft: true });
  const draftUpdate = core.execute(createIncidentUpdate, localOperator, { incidentId: draft.id, status: 2, message: 'secret cause' });
  const metric = aMetric(core, { name: 'Public latency' });
  const membersMetric = aMetric(core, { name: 'Members metric', visible: 0 });
  const hiddenMetric = aMetric(core, { name: 'Hidden metric', visible: 2 });
  const schedule = aSchedule(core, { components: { [shown.id]: 6, [inMembersGroup.id]: 6 } });
  return { ...t, publicGroup, membersGroup, shown, ungrouped, disabled, inMembersGroup, incident, hidden, draft, draftUpdate, metric, membersMetric, hiddenMetric, schedule };
}

const guest = anonymous({ kind: 'api', ip: '127.0.0.1' });
const names = (page: { items: { name: string }[] }) => page.items.map((i) => i.name).sort();

describe('reads for a caller without the read permission', () => {
  it('list exactly the public projection: no disabled, members-only, hidden or draft records', () => {
    const w = mixedWorld();
    expect(names(w.core.execute(listVisibleComponents, guest, {}))).toEqual(['Shown', 'Ungrouped']);
    expect(w.core.execute(listVisibleComponents, guest, {}).total).toBe(2);
    expect(names(w.core.execute(listVisibleGroups, guest, {}))).toEqual(['Public']);
    expect(w.core.execute(listVisibleGroups, guest, {}).items[0]!.enabledComponents.map((c) => c.name)).toEqual(['Shown']);
    expect(names(w.core.execute(listVisibleIncidents, guest, {}))).toEqual(['Public outage']);
    expect(names(w.core.execute(listVisibleMetrics, guest, {}))).toEqual(['Public latency']);
    expect(w.core.execute(listVisibleSchedules, guest, {}).items[0]!.components).toEqual({ [w.shown.id]: 6 });
  });

  it('filters cannot widen it: asking for drafts or hidden records returns none', () => {
    const w = mixedWorld();
    expect(w.core.execute(listVisibleIncidents, guest, { draft: true }).items).toEqual([]);
    expect(w.core.execute(listVisibleIncidents, guest, { visible: false }).items).toEqual([]);
    expect(w.core.execute(listVisibleComponents, guest, { enabled: false }).items).toEqual([]);
    expect(w.core.execute(listVisibleGroups, guest, { visible: 0 }).items).toEqual([]);
    expect(w.core.execute(listVisibleMetrics, guest, { visible: 2 }).items).toEqual([]);
  });

  it('answers a non-public record exactly like a missing one', () => {
    const w = mixedWorld();
    const missing = (f: () => unknown, what: string, id: number) => expect(f).toThrow(expect.objectContaining({ code: 'not_found', message: `${what} ${id} does not exist` }));
    missing(() => w.core.execute(getVisibleComponent, guest, { id: w.disabled.id }), 'Component', w.disabled.id);
    missing(() => w.core.execute(getVisibleComponent, guest, { id: w.inMembersGroup.id }), 'Component', w.inMembersGroup.id);
    missing(() => w.core.execute(getVisibleGroup, guest, { id: w.membersGroup.id }), 'Component group', w.membersGroup.id);
    missing(() => w.core.execute(getVisibleIncident, guest, { id: w.hidden.id }), 'Incident', w.hidden.id);
    missing(() => w.core.execute(getVisibleIncident, guest, { id: w.draft.id }), 'Incident', w.draft.id);
    missing(() => w.core.execute(getVisibleIncidentUpdate, guest, { incidentId: w.draft.id, id: w.draftUpdate.id }), 'Incident', w.draft.id);
    missing(() => w.core.execute(getVisibleMetric, guest, { id: w.hiddenMetric.id }), 'Metric', w.hiddenMetric.id);
    missing(() => w.core.execute(listVisibleMetricPoints, guest, { metricId: w.membersMetric.id }), 'Metric', w.membersMetric.id);
    missing(() => w.core.execute(getVisibleComponent, guest, { id: 999 }), 'Component', 999);
  });

  it('gives no component metadata to the public', () => {
    const w = mixedWorld();
    expect(w.core.execute(getVisibleComponent, guest, { id: w.shown.id }).meta).toBeNull();
    expect(w.core.execute(getVisibleComponent, user(1), { id: w.shown.id }).meta).toEqual({ owner: 'team-a' });
  });

  it('agrees with the status page, and follows a publication at once', () => {
    const w = mixedWorld();
    const page = w.core.execute(getPublicStatus, guest, {});
    const pageComponents = [...page.ungrouped, ...page.groups.flatMap((g) => g.components)].map((c) => c.id).sort();
    expect(w.core.execute(listVisibleComponents, guest, {}).items.map((c) => c.id).sort()).toEqual(pageComponents);
    expect(w.core.execute(listVisibleIncidents, guest, {}).items.map((i) => i.id)).toEqual(page.incidents.map((i) => i.id));
    w.core.execute(publishIncident, localOperator, { id: w.draft.id });
    expect(names(w.core.execute(listVisibleIncidents, guest, {}))).toEqual(['Draft', 'Public outage']);
    expect(w.core.execute(getVisibleIncidentUpdate, guest, { incidentId: w.draft.id, id: w.draftUpdate.id })).toMatchObject({ message: 'secret cause' });
  });
});

describe('reads for a caller with the read permission', () => {
  it('see everything', () => {
    const w = mixedWorld();
    expect(names(w.core.execute(listVisibleComponents, user(1), {}))).toEqual(['Disabled', 'Internal', 'Shown', 'Ungrouped']);
    expect(names(w.core.execute(listVisibleIncidents, user(1), {}))).toEqual(['Draft', 'Hidden', 'Public outage']);
    expect(names(w.core.execute(listVisibleMetrics, user(1), {}))).toEqual(['Hidden metric', 'Members metric', 'Public latency']);
    expect(names(w.core.execute(listVisibleGroups, user(1), {}))).toEqual(['Members only', 'Public']);
    expect(w.core.execute(getVisibleIncident, user(1), { id: w.draft.id })).toMatchObject({ draft: true });
  });
});
