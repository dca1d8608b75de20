import { describe, expect, it } from 'vitest';
import { getComponentOp } from '../../src-main/core/components.js';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncident, createIncidentUpdate, getIncidentOp, publishIncident, updateIncident, deleteIncident } from '../../src-main/core/incidents.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { contentHash, testCore, user } from '../helpers/store.js';
import { aComponent, anIncident } from '../helpers/world.js';

const AUTHOR = 1; // incidents.write only
const RESPONDER = 2; // incidents.write + incidents.publish
const grants = { [AUTHOR]: ['incidents.write', 'incidents.read'], [RESPONDER]: ['incidents.write', 'incidents.read', 'incidents.publish'] } as const;

describe('incidents', () => {
  it('an author without incidents.publish creates a draft, and its component change waits for publication', () => {
    const { core } = testCore(grants);
    const c = aComponent(core, { status: 1 });
    const draft = core.execute(createIncident, user(AUTHOR), { name: 'DB down', message: 'Investigating', status: 1, componentId: c.id, componentStatus: 4 });
    expect(draft).toMatchObject({ draft: true, publishedAt: null });
    expect(core.execute(getComponentOp, localOperator, { id: c.id }).status).toBe(1);

    const published = core.execute(publishIncident, user(RESPONDER), { id: draft.id });
    expect(published.draft).toBe(false);
    expect(core.execute(getComponentOp, localOperator, { id: c.id }).status).toBe(4);
  });

  it('a responder publishes directly and the component status changes in the same transaction', () => {
    const { core, db } = testCore(grants);
    const c = aComponent(core, { status: 1 });
    const i = core.execute(createIncident, user(RESPONDER), { name: 'DB down', message: 'x', status: 1, componentId: c.id, componentStatus: 3 });
    expect(i.draft).toBe(false);
    expect(core.execute(getComponentOp, localOperator, { id: c.id }).status).toBe(3);
    const actions = (db.prepare("SELECT action FROM audit_log WHERE outcome = 'ok' ORDER BY id").all() as { action: string }[]).map((r) => r.action);
    expect(actions.slice(-2)).toEqual(['incident.create', 'component.status']);
  });

  it('an author cannot change, update or delete what is already public', () => {
    const { core, db } = testCore(grants);
    const i = core.execute(createIncident, user(RESPONDER), { name: 'Public', message: 'x', status: 1 });
    const before = contentHash(db, ['audit_log']);
    expect(() => core.execute(updateIncident, user(AUTHOR), { id: i.id, name: 'Quietly renamed' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => core.execute(createIncidentUpdate, user(AUTHOR), { incidentId: i.id, status: 4, message: 'Fixed' })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => core.execute(deleteIncident, user(AUTHOR), { id: i.id })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(contentHash(db, ['audit_log'])).toBe(before);
  });

  it('a publisher may still ask for a draft', () => {
    const { core } = testCore(grants);
    expect(core.execute(createIncident, user(RESPONDER), { name: 'Later', message: 'x', status: 1, draft: true }).draft).toBe(true);
  });

  it('publishing twice is a conflict', () => {
    const { core } = testCore(grants);
    const i = anIncident(core);
    expect(() => core.execute(publishIncident, user(RESPONDER), { id: i.id })).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('an update moves the incident to its status and joins the timeline in order', () => {
    const { core, clock } = testCore();
    const i = anIncident(core, { status: 1 });
    clock.advance(1000);
    core.execute(createIncidentUpdate, localOperator, { incidentId: i.id, status: 2, message: 'Identified' });
    clock.advance(1000);
    core.execute(createIncidentUpdate, localOperator, { incidentId: i.id, status: 4, message: 'Fixed' });
    const got = core.execute(getIncidentOp, localOperator, { id: i.id });
    expect(got.status).toBe(4);
    expect(got.updates.map((u) => [u.status, u.message])).toEqual([
      [2, 'Identified'],
      [4, 'Fixed'],
    ]);
  });

  it('reads "Y-m-d H:i" in the site timezone and ISO 8601 / unix seconds as instants', () => {
    const { core } = testCore();
    core.execute(updateSettings, localOperator, { timezone: 'Europe/Berlin' });
    const local = anIncident(core, { occurredAt: '2026-07-01 12:00' }); // CEST, UTC+2
    const iso = anIncident(core, { occurredAt: '2026-07-01T12:00:00Z' });
    const unix = anIncident(core, { occurredAt: 1_782_907_200 });
    const winter = anIncident(core, { occurredAt: '2026-01-15 12:00' }); // CET, UTC+1
    expect(local.occurredAt).toBe(Date.UTC(2026, 6, 1, 10, 0));
    expect(iso.occurredAt).toBe(Date.UTC(2026, 6, 1, 12, 0));
    expect(unix.occurredAt).toBe(1_782_907_200_000);
    expect(winter.occurredAt).toBe(Date.UTC(2026, 0, 15, 11, 0));
  });
});
