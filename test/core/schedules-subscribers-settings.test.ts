import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createScheduleUpdate, updateSchedule } from '../../src-main/core/schedules.js';
import { getSettings, updateSettings } from '../../src-main/core/settings.js';
import { createSubscriber, deleteSubscription, getSubscriberOp } from '../../src-main/core/subscribers.js';
import { auditRows, testCore } from '../helpers/store.js';
import { aComponent, aSchedule, aSubscriber } from '../helpers/world.js';

describe('scheduled maintenance', () => {
  it('keeps affected components with their status, and completes on a "complete" update', () => {
    const { core, clock } = testCore();
    const c = aComponent(core);
    const s = aSchedule(core, { scheduledAt: 1_800_000_000, components: { [c.id]: 6 } });
    expect(s).toMatchObject({ status: 0, scheduledAt: 1_800_000_000_000, components: { [c.id]: 6 }, completedAt: null });
    clock.advance(1000);
    const started = core.execute(createScheduleUpdate, localOperator, { scheduleId: s.id, status: 1, message: 'Starting' });
    expect(started.status).toBe(1);
    const done = core.execute(createScheduleUpdate, localOperator, { scheduleId: s.id, status: 2, message: 'Done' });
    expect(done).toMatchObject({ status: 2, completedAt: clock.now() });
    expect(done.updates.map((u) => u.message)).toEqual(['Starting', 'Done']);
  });

  it('refuses to move the start after the end', () => {
    const { core } = testCore();
    const s = aSchedule(core, { scheduledAt: 1_800_000_000, completedAt: 1_800_003_600 });
    expect(() => core.execute(updateSchedule, localOperator, { id: s.id, scheduledAt: 1_800_007_200 })).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'completedAt' }),
    );
  });
});

describe('subscribers', () => {
  it('normalises the address, and adding it again answers the same way (no "already subscribed" oracle)', () => {
    const { core } = testCore();
    const c = aComponent(core);
    const first = aSubscriber(core, { email: 'Ops@Example.COM' });
    const again = core.execute(createSubscriber, localOperator, { email: 'ops@example.com', components: [c.id] });
    expect(first.email).toBe('ops@example.com');
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ global: false, componentIds: [c.id], verifiedAt: null });
  });

  it('verify: true skips double opt-in; an unverified address stays unverified', () => {
    const { core, clock } = testCore();
    expect(aSubscriber(core, { email: 'a@example.com', verify: true }).verifiedAt).toBe(clock.now());
    expect(aSubscriber(core, { email: 'b@example.com' }).verifiedAt).toBeNull();
  });

  it('falls back to every component when the last subscription is removed', () => {
    const { core, db } = testCore();
    const c = aComponent(core);
    const s = aSubscriber(core, { components: [c.id] });
    const { id } = db.prepare('SELECT id FROM subscriptions WHERE subscriber_id = ?').get(s.id) as { id: number };
    core.execute(deleteSubscription, localOperator, { id });
    expect(core.execute(getSubscriberOp, localOperator, { id: s.id })).toMatchObject({ global: true, componentIds: [] });
  });

  it('keeps e-mail addresses out of the audit log', () => {
    const { core, db } = testCore();
    aSubscriber(core, { email: 'private.person@example.com' });
    expect(JSON.stringify(auditRows(db))).not.toContain('private.person');
  });
});

describe('settings', () => {
  it('starts from defaults and stores values literally: ${VAR} is text, never expanded', () => {
    const { core, db } = testCore();
    expect(core.execute(getSettings, localOperator, {})).toMatchObject({ siteName: 'Cairn', timezone: 'UTC', locale: 'en' });
    const after = core.execute(updateSettings, localOperator, { siteName: '${APP_KEY} {{ 7*7 }}', timezone: 'America/New_York', locale: 'de-CH', about: 'Hi *there*' });
    expect(after).toMatchObject({ siteName: '${APP_KEY} {{ 7*7 }}', timezone: 'America/New_York', locale: 'de-CH', aboutHtml: '<p>Hi <em>there</em></p>\n' });
    expect(core.execute(getSettings, localOperator, {}).siteName).toBe('${APP_KEY} {{ 7*7 }}');
    expect(JSON.parse(auditRows(db).at(-1)!.details!)).toMatchObject({ siteName: ['Cairn', '${APP_KEY} {{ 7*7 }}'] });
  });
});
