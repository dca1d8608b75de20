import { describe, expect, it } from 'vitest';
import { anonymous, localOperator, systemActor } from '../../src-main/core/actor.js';
import { Core } from '../../src-main/core/core.js';
import { signLink } from '../../src-main/core/notifications/links.js';
import { WORKER_OPERATIONS } from '../../src-main/core/notifications/registry.js';
import { confirmSubscription, getSubscription, subscribe, unsubscribe, updateSubscription } from '../../src-main/core/notifications/subscriptions.js';
import { createSubscriber } from '../../src-main/core/subscribers.js';
import { TEST_KEYS } from '../helpers/identity.js';
import { enableEmail, startSmtp } from '../helpers/notify.js';
import { auditRows, contentHash, testCore, testProviderSecrets } from '../helpers/store.js';
import { aComponent, aGroup } from '../helpers/world.js';

const visitor = (ip = '203.0.113.7') => anonymous({ kind: 'web', ip });
const subscribers = (t: { db: Core['db'] }) => t.db.prepare('SELECT email, verified_at IS NOT NULL AS confirmed, global, component_changes AS changes FROM subscribers ORDER BY id').all();
const queuedMails = (t: { db: Core['db'] }) => t.db.prepare('SELECT message, subscriber_id AS subscriberId FROM outbox_deliveries ORDER BY id').all() as { message: string; subscriberId: number }[];
const link = (subscriberId: number, email: string, purpose: 'confirm' | 'manage', now: number, lifetimeMs?: number) => signLink(TEST_KEYS.subscriberLinks, subscriberId, email, purpose, now, lifetimeMs);

async function withEmail() {
  const t = testCore();
  await enableEmail(t.core, await startSmtp());
  return t;
}

describe('subscribing (double opt-in)', () => {
  it('stores a new address unconfirmed with its choices and queues one confirmation mail', async () => {
    const t = await withEmail();
    const api = aComponent(t.core);
    const answer = await t.core.executeAsync(subscribe, visitor(), { email: 'Reader@Example.com', components: [api.id], componentChanges: true });
    expect(answer.message).toMatch(/If that address can receive mail/);
    expect(subscribers(t)).toEqual([{ email: 'reader@example.com', confirmed: 0, global: 0, changes: 1 }]);
    expect(queuedMails(t)).toMatchObject([{ message: 'confirm' }]);
  });

  it('answers the same whether the address is new, unconfirmed or confirmed, and a stranger cannot change a confirmed subscription', async () => {
    const t = await withEmail();
    const api = aComponent(t.core);
    t.core.execute(createSubscriber, localOperator, { email: 'known@example.com', verify: true, components: [api.id] });
    const before = subscribers(t);
    const answers = await Promise.all(['new@example.com', 'known@example.com'].map((email, i) => t.core.executeAsync(subscribe, visitor(`198.51.100.${i + 1}`), { email })));
    expect(answers[0]).toEqual(answers[1]);
    expect(subscribers(t)[0]).toEqual(before[0]); // still subscribed to the API only
    // The confirmed address is told it is subscribed already (with its manage link), not asked to confirm.
    expect(queuedMails(t).map((m) => m.message)).toEqual(['confirm', 'manage']);
  });

  it('limits requests per client address (429) and mails per e-mail address (silently: same answer, no mail)', async () => {
    const t = testCore();
    const core = new Core({ db: t.db, clock: t.clock, keys: () => Promise.resolve(TEST_KEYS), providerSecrets: testProviderSecrets(), throttles: { 'subscribe.client': { burst: 3, perSecond: 0.001 }, 'subscribe.address': { burst: 1, perSecond: 0.001 } } });
    await enableEmail(core, await startSmtp());
    for (let i = 0; i < 3; i++) await core.executeAsync(subscribe, visitor('203.0.113.9'), { email: 'same@example.com' });
    expect(queuedMails(t)).toHaveLength(1);
    const before = contentHash(t.db);
    await expect(core.executeAsync(subscribe, visitor('203.0.113.9'), { email: 'other@example.com' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(contentHash(t.db)).toBe(before);
    await core.executeAsync(subscribe, visitor('203.0.113.10'), { email: 'other@example.com' });
    expect(queuedMails(t)).toHaveLength(2);
  });

  it('is refused while e-mail is off, and for components the public cannot see; nothing is stored', async () => {
    const off = testCore();
    await expect(off.core.executeAsync(subscribe, visitor(), { email: 'a@example.com' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(subscribers(off)).toEqual([]);
    const t = await withEmail();
    const hidden = aComponent(t.core, { groupId: aGroup(t.core, { visible: 0 }).id });
    const before = contentHash(t.db);
    await expect(t.core.executeAsync(subscribe, visitor(), { email: 'a@example.com', components: [hidden.id] })).rejects.toMatchObject({ code: 'invalid_input', field: 'components.0' });
    await expect(t.core.executeAsync(subscribe, visitor(), { email: 'not an address' })).rejects.toMatchObject({ code: 'invalid_input', field: 'email' });
    await expect(t.core.executeAsync(subscribe, visitor(), { email: 'a@example.com\r\nBcc: victim@example.com' })).rejects.toMatchObject({ code: 'invalid_input', field: 'email' });
    expect(contentHash(t.db)).toBe(before);
  });
});

describe('signed links', () => {
  async function pending() {
    const t = await withEmail();
    await t.core.executeAsync(subscribe, visitor(), { email: 'reader@example.com' });
    const { id } = t.db.prepare('SELECT id FROM subscribers').get() as { id: number };
    return { ...t, id };
  }

  it('confirms with a genuine confirm link; the address then receives events', async () => {
    const t = await pending();
    await t.core.executeAsync(confirmSubscription, visitor(), { token: link(t.id, 'reader@example.com', 'confirm', t.clock.now()) });
    expect(subscribers(t)).toMatchObject([{ confirmed: 1 }]);
    expect(auditRows(t.db).at(-1)).toMatchObject({ action: 'public.confirmSubscription', actor_kind: 'anonymous', target_id: String(t.id) });
  });

  it.each([
    ['a manage link used to confirm', (id: number, now: number) => link(id, 'reader@example.com', 'manage', now)],
    ['an expired link', (id: number, now: number) => link(id, 'reader@example.com', 'confirm', now - 49 * 3_600_000)],
    ['a link for another address (the row id re-used)', (id: number, now: number) => link(id, 'someone@example.com', 'confirm', now)],
    ['a link signed with another key', (id: number, now: number) => signLink(Buffer.alloc(32, 7), id, 'reader@example.com', 'confirm', now)],
    ['a tampered subscriber id', (id: number, now: number) => link(id, 'reader@example.com', 'confirm', now).replace(/^c[0-9a-z]+/, `c${(id + 1).toString(36)}`)],
    ['garbage', () => "' OR 1=1 --"],
    ['an empty token', () => ''],
  ])('refuses %s and changes nothing', async (_name, make) => {
    const t = await pending();
    const before = contentHash(t.db);
    await expect(t.core.executeAsync(confirmSubscription, visitor(), { token: make(t.id, t.clock.now()) })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not valid or has expired/) });
    expect(contentHash(t.db)).toBe(before);
  });

  it('shows and changes choices through the manage link, and unsubscribes with it (deleting what was queued)', async () => {
    const t = await pending();
    const api = aComponent(t.core);
    const token = link(t.id, 'reader@example.com', 'manage', t.clock.now());
    expect(await t.core.executeAsync(getSubscription, visitor(), { token })).toMatchObject({ email: 'reader@example.com', allComponents: true, components: [{ id: api.id, name: 'API', chosen: false }] });
    const view = await t.core.executeAsync(updateSubscription, visitor(), { token, components: [api.id], componentChanges: true });
    expect(view).toMatchObject({ allComponents: false, componentChanges: true, components: [{ id: api.id, chosen: true }] });
    await t.core.executeAsync(unsubscribe, visitor(), { token });
    expect(subscribers(t)).toEqual([]);
    expect(queuedMails(t)).toEqual([]);
    await expect(t.core.executeAsync(unsubscribe, visitor(), { token })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('puts working links into the mails it sends', async () => {
    const t = await pending();
    const { deliveries } = await t.core.executeAsync(WORKER_OPERATIONS.claimDeliveries, systemActor, {});
    const mail = deliveries[0]!.message;
    if (mail.channel !== 'smtp') throw new Error('expected a mail');
    const token = new URL(/https:\/\/\S+/.exec(mail.email.text)![0]).searchParams.get('token')!;
    await t.core.executeAsync(confirmSubscription, visitor(), { token });
    expect(subscribers(t)).toMatchObject([{ confirmed: 1 }]);
  });
});
