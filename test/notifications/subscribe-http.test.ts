import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createSubscriber } from '../../src-main/core/subscribers.js';
import { signLink } from '../../src-main/core/notifications/links.js';
import { TEST_KEYS } from '../helpers/identity.js';
import { enableEmail, startSmtp } from '../helpers/notify.js';
import { startServer } from '../helpers/server.js';
import { contentHash, testCore } from '../helpers/store.js';
import { aComponent } from '../helpers/world.js';

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
};
const subscribers = (db: ReturnType<typeof testCore>['db']) => db.prepare('SELECT id, email, verified_at IS NOT NULL AS confirmed FROM subscribers ORDER BY id').all() as { id: number; email: string; confirmed: number }[];

async function site() {
  const t = testCore();
  await enableEmail(t.core, await startSmtp());
  const url = await startServer(t.core);
  return { ...t, url };
}

describe('subscription pages over HTTP', () => {
  it('offers no form while e-mail is off, and no subscribe link on the status page', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    expect((await fetch(`${url}/subscribe`)).status).toBe(404);
    expect(await (await fetch(url)).text()).not.toContain('/subscribe');
    expect((await fetch(`${url}/subscribe`, form({ email: 'a@example.com' }))).status).toBe(503);
  });

  it('serves a form that works without JavaScript, linked from every page, never cached', async () => {
    const { core, url } = await site();
    aComponent(core, { name: 'API' });
    expect(await (await fetch(url)).text()).toContain('<a href="/subscribe">Subscribe</a>');
    const page = await fetch(`${url}/subscribe`);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="\/subscribe"/);
    expect(html).toContain('name="components"');
    expect(html).not.toContain('<script');
  });

  it('answers a subscription with the same page whether the address is new or known', async () => {
    const { core, url, db } = await site();
    core.execute(createSubscriber, localOperator, { email: 'known@example.com', verify: true });
    const known = await fetch(`${url}/subscribe`, form({ email: 'known@example.com' }));
    const fresh = await fetch(`${url}/subscribe`, form({ email: 'fresh@example.com' }));
    expect([known.status, fresh.status]).toEqual([200, 200]);
    expect(await known.text()).toBe(await fresh.text());
    expect(subscribers(db).map((s) => [s.email, s.confirmed])).toEqual([
      ['known@example.com', 1],
      ['fresh@example.com', 0],
    ]);
  });

  it.each([
    ['a mistyped address', { email: 'not-an-address' }, 400, /must be an e-mail address/],
    ['a component id that is not a number', { email: 'a@example.com', components: 'abc' }, 400, /components\.0/],
    ['a component that does not exist', { email: 'a@example.com', components: '999' }, 400, /there is no component 999/],
  ])('shows the form again for %s, storing nothing', async (_name, fields, status, message) => {
    const { url, db } = await site();
    const before = contentHash(db, ['audit_log']);
    const response = await fetch(`${url}/subscribe`, form(fields));
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toMatch(message);
    expect(html).toContain('role="alert"');
    expect(contentHash(db, ['audit_log'])).toBe(before);
  });

  it('takes forms only (a JSON body is refused) and bounds their size', async () => {
    const { url, db } = await site();
    const json = await fetch(`${url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com' }) });
    expect(json.status).toBe(400);
    const huge = await fetch(`${url}/subscribe`, form({ email: `${'a'.repeat(20_000)}@example.com` }));
    expect(huge.status).toBe(413);
    expect(subscribers(db)).toEqual([]);
  });

  it('never confirms or unsubscribes on a GET (mail scanners follow links); the POST from the page does', async () => {
    const { core, url, db, clock } = await site();
    core.execute(createSubscriber, localOperator, { email: 'reader@example.com' });
    const { id } = subscribers(db)[0]!;
    const confirm = signLink(TEST_KEYS.subscriberLinks, id, 'reader@example.com', 'confirm', clock.now());
    const page = await fetch(`${url}/subscribe/confirm?token=${confirm}`);
    expect(await page.text()).toContain(`<input type="hidden" name="token" value="${confirm}">`);
    expect(subscribers(db)[0]!.confirmed).toBe(0);
    expect((await fetch(`${url}/subscribe/confirm`, form({ token: confirm }))).status).toBe(200);
    expect(subscribers(db)[0]!.confirmed).toBe(1);

    const manage = signLink(TEST_KEYS.subscriberLinks, id, 'reader@example.com', 'manage', clock.now());
    for (const path of ['/subscription', '/subscription/unsubscribe']) expect((await fetch(`${url}${path}?token=${manage}`)).status).toBe(200);
    expect(subscribers(db)).toHaveLength(1);
  });

  it('unsubscribes with RFC 8058 one-click: a POST to the List-Unsubscribe URL', async () => {
    const { core, url, db, clock } = await site();
    core.execute(createSubscriber, localOperator, { email: 'reader@example.com', verify: true });
    const { id } = subscribers(db)[0]!;
    const manage = signLink(TEST_KEYS.subscriberLinks, id, 'reader@example.com', 'manage', clock.now());
    const response = await fetch(`${url}/subscription/unsubscribe?token=${manage}`, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');
    expect(subscribers(db)).toEqual([]);
  });

  it('answers a forged or expired link with a clear page and changes nothing', async () => {
    const { core, url, db, clock } = await site();
    core.execute(createSubscriber, localOperator, { email: 'reader@example.com', verify: true });
    const { id } = subscribers(db)[0]!;
    const expired = signLink(TEST_KEYS.subscriberLinks, id, 'reader@example.com', 'manage', clock.now() - 181 * 86_400_000);
    const before = contentHash(db, ['audit_log']);
    for (const token of [expired, 'forged', `${expired.slice(0, -3)}AAA`]) {
      const response = await fetch(`${url}/subscription/unsubscribe`, form({ token }));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('This link is not valid or has expired');
    }
    expect(contentHash(db, ['audit_log'])).toBe(before);
  });
});
