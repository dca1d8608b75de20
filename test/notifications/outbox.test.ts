import { describe, expect, it } from 'vitest';
import { localOperator, systemActor } from '../../src-main/core/actor.js';
import { updateComponent } from '../../src-main/core/components.js';
import type { Core } from '../../src-main/core/core.js';
import { createIncidentUpdate, publishIncident } from '../../src-main/core/incidents.js';
import { WORKER_OPERATIONS } from '../../src-main/core/notifications/registry.js';
import { setProviderEnabled } from '../../src-main/core/notifications/providers.js';
import { retryDelivery } from '../../src-main/core/notifications/outbox.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';
import { createScheduleUpdate } from '../../src-main/core/schedules.js';
import { createSubscriber } from '../../src-main/core/subscribers.js';
import { contentHash, testCore } from '../helpers/store.js';
import { aComponent, aGroup, anIncident, aSchedule } from '../helpers/world.js';
import { enableEmail, enableWebhook, startReceiver, startSmtp } from '../helpers/notify.js';

const { outboxStatus, claimDeliveries, settleDeliveries } = WORKER_OPERATIONS;

const events = (core: Core) => core.db.prepare('SELECT kind, component_ids AS components, payload FROM outbox_events ORDER BY id').all() as { kind: string; components: string; payload: string }[];
const claim = (core: Core) => core.executeAsync(claimDeliveries, systemActor, {});
const verified = (core: Core, email: string, components: number[] = []) => core.execute(createSubscriber, localOperator, { email, verify: true, components });

async function withEmail() {
  const t = testCore();
  await enableEmail(t.core, await startSmtp());
  return t;
}

describe('events are written with the change that causes them', () => {
  it('writes nothing while every provider is off (the default)', () => {
    const { core } = testCore();
    anIncident(core);
    expect(events(core)).toEqual([]);
    expect(core.execute(outboxStatus, systemActor, {})).toEqual({ due: 0, unexpanded: 0, purgeable: 0 });
  });

  it('announces publication, updates and resolution of public incidents, and nothing of drafts or hidden ones', async () => {
    const { core } = await withEmail();
    const api = aComponent(core);
    const incident = anIncident(core, { componentId: api.id, componentStatus: 3 });
    const draft = anIncident(core, { name: 'Draft', draft: true });
    anIncident(core, { name: 'Hidden', visible: false });
    core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'Found it' });
    core.execute(createIncidentUpdate, localOperator, { incidentId: draft.id, status: 2, message: 'Draft note' });
    core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 4, message: 'Fixed' });
    expect(events(core).map((e) => e.kind)).toEqual(['incident.published', 'incident.updated', 'incident.resolved']);
    core.execute(publishIncident, localOperator, { id: draft.id });
    expect(events(core).map((e) => e.kind).at(-1)).toBe('incident.published');
    const [published] = events(core);
    expect(JSON.parse(published!.components)).toEqual([api.id]);
    expect(JSON.parse(published!.payload)).toMatchObject({ title: 'Outage', status: 'Investigating', path: `/incidents/${incident.id}`, components: [{ id: api.id, name: 'API' }] });
  });

  it('announces maintenance scheduled, started and completed', async () => {
    const { core } = await withEmail();
    const schedule = aSchedule(core);
    core.execute(createScheduleUpdate, localOperator, { scheduleId: schedule.id, status: 1, message: 'Started' });
    core.execute(createScheduleUpdate, localOperator, { scheduleId: schedule.id, status: 1, message: 'Still going' });
    core.execute(createScheduleUpdate, localOperator, { scheduleId: schedule.id, status: 2, message: 'Done' });
    expect(events(core).map((e) => e.kind)).toEqual(['maintenance.scheduled', 'maintenance.started', 'maintenance.completed']);
  });

  it('announces component status changes only when that event is turned on, and holds them back during its maintenance if asked', async () => {
    const { core } = await withEmail();
    const api = aComponent(core);
    core.execute(updateComponent, localOperator, { id: api.id, status: 2 });
    expect(events(core)).toEqual([]); // off by default: Cachet users asked not to hear of flaps
    core.execute(updateNotificationSettings, localOperator, { events: { 'component.status': true }, suppressDuringMaintenance: true });
    core.execute(updateComponent, localOperator, { id: api.id, status: 3 });
    expect(events(core).map((e) => e.kind)).toEqual(['component.status']);
    const schedule = aSchedule(core, { components: { [api.id]: 6 } });
    core.execute(createScheduleUpdate, localOperator, { scheduleId: schedule.id, status: 1, message: 'Working' });
    core.execute(updateComponent, localOperator, { id: api.id, status: 4 });
    expect(events(core).map((e) => e.kind)).toEqual(['component.status', 'maintenance.scheduled', 'maintenance.started']);
  });

  it('does not announce a component nobody may see', async () => {
    const { core } = await withEmail();
    core.execute(updateNotificationSettings, localOperator, { events: { 'component.status': true } });
    const privateGroup = aGroup(core, { visible: 0 });
    const internal = aComponent(core, { name: 'Internal', groupId: privateGroup.id });
    core.execute(updateComponent, localOperator, { id: internal.id, status: 4 });
    expect(events(core)).toEqual([]);
  });

  it('writes no event when the change itself fails (same transaction)', async () => {
    const { core, db } = await withEmail();
    const incident = anIncident(core);
    const before = contentHash(db);
    expect(() => core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'x', componentId: 999, componentStatus: 4 })).toThrow(/does not exist/);
    expect(contentHash(db)).toBe(before);
  });
});

describe('fan-out and routing', () => {
  it('sends each confirmed subscriber the events of their components (all of them if they chose none), and unconfirmed ones nothing', async () => {
    const { core } = await withEmail();
    const api = aComponent(core);
    const web = aComponent(core, { name: 'Website' });
    verified(core, 'everything@example.com');
    verified(core, 'api@example.com', [api.id]);
    verified(core, 'web@example.com', [web.id]);
    core.execute(createSubscriber, localOperator, { email: 'unconfirmed@example.com' });
    await claim(core); // the confirmation mail of the unconfirmed one
    anIncident(core, { componentId: api.id });
    anIncident(core, { name: 'Site-wide' });
    const { deliveries } = await claim(core);
    const to = deliveries.map((d) => (d.message.channel === 'smtp' ? `${d.message.email.to}: ${d.message.email.subject}` : ''));
    expect(to.sort()).toEqual(
      [
        'api@example.com: [Cairn] Outage: Investigating',
        'api@example.com: [Cairn] Site-wide: Investigating',
        'everything@example.com: [Cairn] Outage: Investigating',
        'everything@example.com: [Cairn] Site-wide: Investigating',
        'web@example.com: [Cairn] Site-wide: Investigating',
      ].sort(),
    );
  });

  it('sends component status changes only to those who opted in', async () => {
    const { core } = await withEmail();
    core.execute(updateNotificationSettings, localOperator, { events: { 'component.status': true } });
    const api = aComponent(core);
    verified(core, 'incidents-only@example.com');
    verified(core, 'flaps@example.com');
    core.db.prepare("UPDATE subscribers SET component_changes = 1 WHERE email = 'flaps@example.com'").run();
    core.execute(updateComponent, localOperator, { id: api.id, status: 4 });
    const { deliveries } = await claim(core);
    expect(deliveries.map((d) => d.message.channel === 'smtp' && d.message.email.to)).toEqual(['flaps@example.com']);
  });

  it('gives each webhook one delivery per event, whoever subscribed', async () => {
    const { core } = testCore();
    await enableWebhook(core, await startReceiver());
    anIncident(core);
    const { deliveries } = await claim(core);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.message).toMatchObject({ channel: 'webhook', event: 'incident.published' });
    expect(JSON.parse((deliveries[0]!.message as { http: { body: string } }).http.body)).toMatchObject({ id: deliveries[0]!.idempotencyKey, event: 'incident.published', title: 'Outage', url: expect.stringMatching(/^https:\/\/status\.example\.com\/incidents\/\d+$/) });
  });

  it('holds a queued delivery while its provider is off (being fixed, say) and sends it once it is on again', async () => {
    const { core, clock } = await withEmail();
    verified(core, 'a@example.com');
    anIncident(core);
    const { deliveries } = await claim(core);
    core.execute(settleDeliveries, systemActor, { results: [{ id: deliveries[0]!.id, ok: false, error: 'authentication failed' }] });
    core.execute(setProviderEnabled, localOperator, { kind: 'smtp', enabled: false });
    clock.advance(3_600_000);
    expect(core.execute(outboxStatus, systemActor, {}).due).toBe(0); // so an idle worker does not claim (nor audit) in vain
    expect((await claim(core)).deliveries).toEqual([]);
    core.execute(setProviderEnabled, localOperator, { kind: 'smtp', enabled: true });
    expect(core.execute(outboxStatus, systemActor, {}).due).toBe(1);
    expect((await claim(core)).deliveries.map((d) => d.id)).toEqual([deliveries[0]!.id]);
  });

  it('sends nothing through a provider for events that happened while it was off', async () => {
    const { core } = await withEmail();
    verified(core, 'a@example.com');
    core.execute(setProviderEnabled, localOperator, { kind: 'smtp', enabled: false });
    anIncident(core);
    core.execute(setProviderEnabled, localOperator, { kind: 'smtp', enabled: true });
    expect(events(core)).toEqual([]);
    expect((await claim(core)).deliveries).toEqual([]);
  });
});

describe('leases, retries and settling', () => {
  it('leases what it hands out: no second worker gets it until the lease runs out, then it comes back with the same idempotency key', async () => {
    const { core, clock } = await withEmail();
    verified(core, 'a@example.com');
    anIncident(core);
    const first = await claim(core);
    expect(first.deliveries).toHaveLength(1);
    expect((await claim(core)).deliveries).toEqual([]);
    clock.advance(121_000); // default lease: 120 s
    const again = await claim(core);
    expect(again.deliveries.map((d) => d.idempotencyKey)).toEqual(first.deliveries.map((d) => d.idempotencyKey));
  });

  it('retries a failure after a doubling backoff and gives up after maxAttempts', async () => {
    const { core, clock } = await withEmail();
    core.execute(updateNotificationSettings, localOperator, { retryBaseSeconds: 10, maxAttempts: 3 });
    verified(core, 'a@example.com');
    anIncident(core);
    const fail = async () => {
      const { deliveries } = await claim(core);
      expect(deliveries).toHaveLength(1);
      return core.execute(settleDeliveries, systemActor, { results: [{ id: deliveries[0]!.id, ok: false, error: 'connection refused' }] });
    };
    expect(await fail()).toMatchObject({ retrying: [expect.any(Number)] });
    clock.advance(9_000);
    expect((await claim(core)).deliveries).toEqual([]); // not before 10 s
    clock.advance(1_000);
    expect(await fail()).toMatchObject({ retrying: [expect.any(Number)] });
    clock.advance(19_000);
    expect((await claim(core)).deliveries).toEqual([]); // then 20 s
    clock.advance(1_000);
    const last = await fail();
    expect(last.failed).toHaveLength(1);
    const row = core.db.prepare('SELECT state, attempts, last_error AS error FROM outbox_deliveries').get();
    expect(row).toEqual({ state: 'failed', attempts: 3, error: 'connection refused' });
    core.execute(retryDelivery, localOperator, { id: last.failed[0] });
    expect((await claim(core)).deliveries).toHaveLength(1);
  });

  it('gives up at once on a permanent failure, and ignores a report on a delivery it no longer holds', async () => {
    const { core, clock } = await withEmail();
    verified(core, 'a@example.com');
    anIncident(core);
    const { deliveries } = await claim(core);
    const id = deliveries[0]!.id;
    clock.advance(121_000);
    await claim(core); // taken over: leased again
    core.execute(settleDeliveries, systemActor, { results: [{ id, ok: false, permanent: true, error: 'mailbox unknown' }] });
    expect(core.db.prepare('SELECT state FROM outbox_deliveries WHERE id = ?').get(id)).toEqual({ state: 'failed' });
    expect(core.execute(settleDeliveries, systemActor, { results: [{ id, ok: true }] })).toEqual({ sent: [], retrying: [], failed: [] });
  });

  it('records every claim and settlement in the audit log, without addresses', async () => {
    const { core, db } = await withEmail();
    verified(core, 'private@example.com');
    anIncident(core);
    const { deliveries } = await claim(core);
    core.execute(settleDeliveries, systemActor, { results: [{ id: deliveries[0]!.id, ok: true }] });
    const audit = db.prepare("SELECT action, details FROM audit_log WHERE action LIKE 'outbox.%' ORDER BY id").all() as { action: string; details: string }[];
    expect(audit.map((a) => a.action)).toEqual(['outbox.claim', 'outbox.settle']);
    expect(audit.map((a) => a.details).join()).not.toContain('private@example.com');
  });
});

describe('unconfirmed subscribers', () => {
  it('are purged once the confirmation window has passed, and get nothing before', async () => {
    const { core, clock, db } = await withEmail();
    core.execute(createSubscriber, localOperator, { email: 'maybe@example.com' });
    const first = await claim(core);
    expect(first.deliveries.map((d) => d.message.channel === 'smtp' && d.message.email.subject)).toEqual(['Confirm your subscription to Cairn status updates']);
    anIncident(core);
    expect((await claim(core)).deliveries).toEqual([]);
    clock.advance(47 * 3_600_000);
    expect(core.execute(outboxStatus, systemActor, {}).purgeable).toBe(0);
    clock.advance(2 * 3_600_000);
    expect(core.execute(outboxStatus, systemActor, {}).purgeable).toBe(1);
    await claim(core);
    expect(db.prepare('SELECT count(*) AS n FROM subscribers').get()).toEqual({ n: 0 });
  });
});
