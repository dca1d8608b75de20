import { describe, expect, it } from 'vitest';
import { localOperator, systemActor, type Actor } from '../../src-main/core/actor.js';
import { approveIncident, approveIncidentUpdate, lineDiff, listDueIncidents, publishDueIncidents, reviewIncident } from '../../src-main/core/approvals.js';
import { listAuditEntries } from '../../src-main/core/audit.js';
import { createIncident, createIncidentUpdate, publishIncident, updateIncident, updateIncidentUpdate } from '../../src-main/core/incidents.js';
import { createRole } from '../../src-main/core/identity/roles.js';
import { getPublicStatus } from '../../src-main/core/public-view.js';
import { getVisibleIncident } from '../../src-main/core/visible-reads.js';
import { createAccount, identityCore, setPolicy, signInAs, type IdentityWorld } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';
import { aComponent } from '../helpers/world.js';

/**
 * Controlled communication with the two-person rule on: a responder writes, a second person with
 * incidents.approve approves exactly that content, and only then does anything become public.
 */

const guest: Actor = { kind: 'anonymous', client: { kind: 'web', ip: '127.0.0.1' } };

async function team(): Promise<{ w: IdentityWorld; writer: Actor; approver: Actor; bothRoles: Actor }> {
  const w = identityCore();
  w.core.execute(createRole, localOperator, { name: 'Approvers', permissions: ['incidents.approve', 'incidents.read'] });
  w.core.execute(createRole, localOperator, { name: 'Responder-approvers', permissions: ['incidents.approve', 'incidents.read', 'incidents.write', 'incidents.publish'] });
  await createAccount(w, 'admin@example.com', ['Administrator']);
  const writer = await signInAs(w, await createAccount(w, 'writer@example.com', ['Incident Responder']));
  const approver = await signInAs(w, await createAccount(w, 'approver@example.com', ['Approvers']));
  const both = await signInAs(w, await createAccount(w, 'both@example.com', ['Responder-approvers']));
  setPolicy(w, { twoPersonRule: true });
  return { w, writer: writer.actor, approver: approver.actor, bothRoles: both.actor };
}

const publicNames = (w: IdentityWorld) => w.core.execute(getPublicStatus, guest, {}).incidents.map((i) => i.name);

describe('the two-person rule', () => {
  it('keeps a responder’s incident a draft until someone else approves that exact content', async () => {
    const { w, writer, approver } = await team();
    const draft = w.core.execute(createIncident, writer, { name: 'Login errors', message: 'Investigating', status: 1 });
    expect(draft).toMatchObject({ draft: true, needsApproval: true, createdBy: expect.stringMatching(/^user:\d+$/) });
    expect(publicNames(w)).toEqual([]);
    expect(() => w.core.execute(publishIncident, writer, { id: draft.id })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/needs approval by a second person/) }));

    const review = w.core.execute(reviewIncident, approver, { id: draft.id });
    expect(review.incident).toMatchObject({ name: 'Login errors', messageHtml: '<p>Investigating</p>\n', published: false, needsApproval: true });
    expect(w.core.execute(approveIncident, approver, { id: draft.id })).toMatchObject({ needsApproval: false });

    // A change after approval needs a new approval: the approval was of the content, not the incident.
    w.core.execute(updateIncident, writer, { id: draft.id, message: 'Investigating: the login service' });
    expect(() => w.core.execute(publishIncident, writer, { id: draft.id })).toThrow(expect.objectContaining({ code: 'conflict' }));
    w.core.execute(approveIncident, approver, { id: draft.id });
    expect(w.core.execute(publishIncident, writer, { id: draft.id })).toMatchObject({ draft: false });
    expect(publicNames(w)).toEqual(['Login errors']);
  });

  it('makes self-approval impossible, even for someone holding both permissions', async () => {
    const { w, bothRoles, approver } = await team();
    const draft = w.core.execute(createIncident, bothRoles, { name: 'Mine', message: 'm', status: 1 });
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    expect(() => w.core.execute(approveIncident, bothRoles, { id: draft.id })).toThrow(expect.objectContaining({ code: 'forbidden', message: 'You wrote or changed this incident; a second person must approve it (two-person rule)' }));
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);
    // An approver who edits the draft becomes one of its writers and can no longer approve it.
    w.core.execute(createRole, localOperator, { name: 'Editors', permissions: ['incidents.write'] });
    const other = w.core.execute(createIncident, bothRoles, { name: 'Other', message: 'm', status: 1 });
    w.core.execute(updateIncident, bothRoles, { id: other.id, message: 'edited' });
    expect(() => w.core.execute(approveIncident, bothRoles, { id: other.id })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => w.core.execute(approveIncident, approver, { id: other.id })).not.toThrow();
  });

  it('holds updates to a public incident until approved, shows the approver the rendering and the diff, and refuses silent rewrites', async () => {
    const { w, writer, approver } = await team();
    const api = aComponent(w.core, { name: 'API' });
    const incident = w.core.execute(createIncident, writer, { name: 'Slow API', message: 'Investigating\nfirst look', status: 1 });
    w.core.execute(approveIncident, approver, { id: incident.id });
    w.core.execute(publishIncident, writer, { id: incident.id });

    const update = w.core.execute(createIncidentUpdate, writer, { incidentId: incident.id, status: 4, message: 'Investigating\n**Fixed**', componentId: api.id, componentStatus: 1 });
    expect(update.publishedAt).toBeNull();
    expect(w.core.execute(getPublicStatus, guest, {}).incidents[0]!.updates).toEqual([]);
    expect(w.core.execute(getVisibleIncident, guest, { id: incident.id }).updates).toEqual([]);
    expect(w.core.execute(getVisibleIncident, writer, { id: incident.id }).status).toBe(1); // not applied yet

    const review = w.core.execute(reviewIncident, approver, { id: incident.id });
    expect(review.pendingUpdates).toEqual([
      { id: update.id, status: 4, messageHtml: '<p>Investigating<br>\n<strong>Fixed</strong></p>\n', diff: [{ op: 'same', line: 'Investigating' }, { op: 'removed', line: 'first look' }, { op: 'added', line: '**Fixed**' }] },
    ]);
    expect(() => w.core.execute(approveIncidentUpdate, writer, { incidentId: incident.id, id: update.id })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    const approved = w.core.execute(approveIncidentUpdate, approver, { incidentId: incident.id, id: update.id });
    expect(approved).toMatchObject({ status: 4 });
    expect(w.core.execute(getPublicStatus, guest, {}).incidents[0]!.updates.map((u) => u.statusName)).toEqual(['Fixed']);

    // The public record is corrected by new updates, never rewritten in place.
    expect(() => w.core.execute(updateIncident, writer, { id: incident.id, message: 'Nothing happened' })).toThrow(expect.objectContaining({ code: 'forbidden', message: expect.stringMatching(/publish the correction as an update/) }));
    expect(() => w.core.execute(updateIncidentUpdate, writer, { incidentId: incident.id, id: update.id, message: 'rewritten' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => w.core.execute(updateIncident, writer, { id: incident.id, stickied: true })).not.toThrow();
    const trail = w.core.execute(listAuditEntries, localOperator, { preset: 'incident-publications', perPage: 100 }).items.map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['incident.create', 'incident.publish', 'incidentUpdate.create', 'incident.update']));
    // The approval, and the writer's refused attempt (they lack incidents.approve), are both on record.
    expect(w.core.execute(listAuditEntries, localOperator, { action: 'incidentUpdate.approve' }).items.map((e) => e.outcome)).toEqual(['ok', 'denied']);
  });

  it('exempts the configured severities: a major outage is published at once', async () => {
    const { w, writer } = await team();
    const api = aComponent(w.core, { name: 'API' });
    const outage = w.core.execute(createIncident, writer, { name: 'API down', message: 'Down', status: 1, componentId: api.id, componentStatus: 4 });
    expect(outage).toMatchObject({ draft: false, needsApproval: false });
    const partial = w.core.execute(createIncident, writer, { name: 'API slow', message: 'Slow', status: 1, componentId: api.id, componentStatus: 2 });
    expect(partial).toMatchObject({ draft: true, needsApproval: true });
    setPolicy(w, { twoPersonExemptComponentStatuses: [2, 4] });
    expect(w.core.execute(publishIncident, writer, { id: partial.id })).toMatchObject({ draft: false });
  });

  it('publishes scheduled drafts when due, and only once approved', async () => {
    const { w, writer } = await team();
    const at = Math.floor((w.clock.now() + 3_600_000) / 1000);
    const scheduled = w.core.execute(createIncident, writer, { name: 'Planned notice', message: 'm', status: 0, publishAt: at });
    expect(scheduled.publishAt).toBe(at * 1000);
    expect(w.core.execute(listDueIncidents, systemActor, {})).toEqual({ ready: [], waiting: [] });
    w.clock.advance(3_600_000);
    expect(w.core.execute(listDueIncidents, systemActor, {})).toEqual({ ready: [], waiting: [scheduled.id] });
    expect(() => w.core.execute(publishDueIncidents, systemActor, {})).toThrow(expect.objectContaining({ code: 'conflict', message: `Due drafts wait for approval: ${scheduled.id}` }));
    // An hour on, the approver's console session has timed out; the local operator (not the writer) approves.
    w.core.execute(approveIncident, localOperator, { id: scheduled.id });
    expect(w.core.execute(publishDueIncidents, systemActor, {})).toEqual({ published: [scheduled.id], waiting: [] });
    expect(publicNames(w)).toEqual(['Planned notice']);
  });

  it('is off by default: a responder publishes directly', async () => {
    const w = identityCore();
    await createAccount(w, 'admin@example.com', ['Administrator']);
    const writer = await signInAs(w, await createAccount(w, 'writer@example.com', ['Incident Responder']));
    expect(w.core.execute(createIncident, writer.actor, { name: 'Now', message: 'm', status: 1 })).toMatchObject({ draft: false, needsApproval: false });
  });
});

describe('line diff', () => {
  it('marks kept, removed and added lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([{ op: 'same', line: 'a' }, { op: 'removed', line: 'b' }, { op: 'same', line: 'c' }, { op: 'added', line: 'd' }]);
    expect(lineDiff('', 'x')).toEqual([{ op: 'added', line: 'x' }]);
  });
});
