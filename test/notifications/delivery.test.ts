import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import type { Core } from '../../src-main/core/core.js';
import { configureProvider } from '../../src-main/core/notifications/providers.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';
import { createSubscriber } from '../../src-main/core/subscribers.js';
import { storeId } from '../../src-main/db/connection.js';
import { isInternal } from '../../src-main/notify/http-target.js';
import { verifyWebhook } from '../../src-main/notify/signature.js';
import { DeliveryWorker, type WorkerOptions } from '../../src-main/notify/worker.js';
import { enableEmail, enableWebhook, PUBLIC_URL, startReceiver, startSmtp } from '../helpers/notify.js';
import { testCore } from '../helpers/store.js';
import { anIncident } from '../helpers/world.js';

const SECRET = 'test webhook signing secret';
const states = (core: Core) => core.db.prepare('SELECT state, attempts, last_error AS error FROM outbox_deliveries ORDER BY id').all() as { state: string; attempts: number; error: string | null }[];
const worker = (core: Core, options: WorkerOptions = {}) => new DeliveryWorker(core, { timeoutMs: 3000, ...options });

async function emailWorld() {
  const t = testCore();
  const mailbox = await startSmtp();
  await enableEmail(t.core, mailbox);
  t.core.execute(createSubscriber, localOperator, { email: 'reader@example.com', verify: true });
  return { ...t, mailbox };
}

describe('e-mail over SMTP (a real server on 127.0.0.1)', () => {
  it('delivers text and HTML made from the same sanitized content, with one-click unsubscribe headers and a stable Message-ID', async () => {
    const { core, mailbox } = await emailWorld();
    anIncident(core, { name: 'Database slow', message: 'We are **on it**. <img src=x onerror=alert(1)> <script>alert(2)</script>' });
    expect(await worker(core).tick()).toBe(1);
    const [mail] = await mailbox.waitFor(1);
    expect(mailbox.recipients).toEqual(['reader@example.com']);
    expect(mail!.subject).toBe('[Cairn] Database slow: Investigating');
    expect(mail!.from?.text).toBe('"Example Status" <status@example.com>');
    expect(mail!.text).toContain('We are **on it**.');
    expect(mail!.html).toContain('<strong>on it</strong>');
    expect(mail!.html).not.toMatch(/<img|<script/i); // raw HTML in Markdown is shown as text, never markup
    expect(mail!.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail!.messageId).toBe(`<${storeId(core.db)}.1@cairn.invalid>`);
    expect(mail!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r\n\s+/g, ' ')).toMatch(new RegExp(`^List-Unsubscribe: <${PUBLIC_URL}/subscription/unsubscribe\\?token=m[0-9a-z]+\\.[0-9a-z]+\\.[A-Za-z0-9_-]{43}>$`));
    expect(states(core)).toEqual([{ state: 'sent', attempts: 1, error: null }]);
  });

  it('retries after a temporary refusal (451) with the same Message-ID, and gives up on a permanent one (550)', async () => {
    const { core, mailbox, clock } = await emailWorld();
    mailbox.failNext(1, 451);
    anIncident(core);
    await worker(core).tick();
    expect(states(core)).toEqual([{ state: 'pending', attempts: 1, error: expect.stringMatching(/could not be sent/) }]);
    clock.advance(30_000);
    await worker(core).tick();
    expect(states(core)[0]).toMatchObject({ state: 'sent', attempts: 2 });
    mailbox.failNext(1, 550);
    anIncident(core, { name: 'Second' });
    await worker(core).tick();
    expect(states(core)[1]).toMatchObject({ state: 'failed', attempts: 1, error: expect.stringMatching(/refused/) });
    expect(mailbox.mails).toHaveLength(1);
  });

  it('keeps retrying while the mail server is down, and delivers once it is back', async () => {
    const t = testCore();
    t.core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL });
    // A port nobody listens on (the mailbox is started after, on another port; config is changed then).
    await t.core.executeAsync(configureProvider, localOperator, { kind: 'smtp', config: { host: '127.0.0.1', port: 9, security: 'none', fromAddress: 'status@example.com', fromName: 'Status' } });
    t.core.execute(createSubscriber, localOperator, { email: 'reader@example.com', verify: true });
    anIncident(t.core);
    await worker(t.core).tick();
    expect(states(t.core)).toEqual([{ state: 'pending', attempts: 1, error: expect.stringMatching(/ECONNREFUSED|could not be sent/) }]);
    const mailbox = await startSmtp();
    await enableEmail(t.core, mailbox);
    t.clock.advance(30_000);
    await worker(t.core).tick();
    await mailbox.waitFor(1);
    expect(states(t.core)).toEqual([{ state: 'sent', attempts: 2, error: null }]);
  });
});

describe('the signed webhook (a real receiver on 127.0.0.2)', () => {
  it('POSTs the event as JSON with an HMAC-SHA256 signature over timestamp and body, and an idempotency key', async () => {
    const { core } = testCore();
    const receiver = await startReceiver();
    await enableWebhook(core, receiver, SECRET);
    anIncident(core);
    await worker(core).tick();
    const [request] = await receiver.waitFor(1);
    const body = JSON.parse(request!.body) as { id: string; event: string; title: string };
    expect(body).toMatchObject({ event: 'incident.published', title: 'Outage' });
    expect(request!.headers['idempotency-key']).toBe(body.id);
    expect(request!.headers['cairn-event']).toBe('incident.published');
    const signature = String(request!.headers['cairn-signature']);
    expect(verifyWebhook(SECRET, signature, request!.body, Date.now())).toBe(true);
    expect(verifyWebhook('another secret entirely', signature, request!.body, Date.now())).toBe(false);
    expect(verifyWebhook(SECRET, signature, request!.body.replace('Outage', 'Fine'), Date.now())).toBe(false);
    expect(verifyWebhook(SECRET, signature, request!.body, Date.now() + 6 * 60_000)).toBe(false); // a replay later
    expect(states(core)).toEqual([{ state: 'sent', attempts: 1, error: null }]);
  });

  it('retries after the receiver fails (500), sending the same idempotency key again', async () => {
    const { core, clock } = testCore();
    const receiver = await startReceiver();
    await enableWebhook(core, receiver);
    receiver.respond(500);
    anIncident(core);
    await worker(core).tick();
    expect(states(core)).toEqual([{ state: 'pending', attempts: 1, error: 'the receiver answered 500' }]);
    clock.advance(30_000);
    await worker(core).tick();
    const [first, second] = await receiver.waitFor(2);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(states(core)).toEqual([{ state: 'sent', attempts: 2, error: null }]);
  });

  it('sends Slack its own JSON, escaped for mrkdwn', async () => {
    const { core } = testCore();
    const receiver = await startReceiver();
    core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL, allowInsecureHttp: true, internalAllowlist: ['127.0.0.2/32'] });
    await core.executeAsync(configureProvider, localOperator, { kind: 'slack', url: receiver.url });
    anIncident(core, { name: 'API <down> & out' });
    await worker(core).tick();
    const [request] = await receiver.waitFor(1);
    expect(JSON.parse(request!.body).text).toMatch(/^\*API &lt;down&gt; &amp; out\*: Investigating/);
  });
});

describe('SSRF: webhook targets are checked when sent', () => {
  async function hookTo(url: string, settings: Record<string, unknown> = {}, options: WorkerOptions = {}) {
    const { core } = testCore();
    core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL, allowInsecureHttp: true, ...settings });
    await core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url }, secret: SECRET });
    anIncident(core);
    await worker(core, options).tick();
    return states(core);
  }

  it('refuses a host name that resolves to 127.0.0.1 (localhost), sending nothing', async () => {
    const local = await startReceiver('127.0.0.1');
    const port = new URL(local.url).port;
    expect(await hookTo(`http://localhost:${port}/hook`)).toEqual([{ state: 'failed', attempts: 1, error: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), an internal address/) }]);
    expect(local.received).toEqual([]);
  });

  it('does not follow a redirect from an allowed target to loopback', async () => {
    const local = await startReceiver('127.0.0.1');
    const allowed = await startReceiver('127.0.0.2');
    allowed.respond(`redirect:${local.url}`);
    expect(await hookTo(allowed.url, { internalAllowlist: ['127.0.0.2/32'] })).toEqual([{ state: 'failed', attempts: 1, error: expect.stringMatching(/302.*redirects are not followed/) }]);
    expect(allowed.received).toHaveLength(1);
    expect(local.received).toEqual([]);
  });

  it('connects to the address it checked (no second lookup for DNS rebinding to answer)', async () => {
    const allowed = await startReceiver('127.0.0.2');
    const port = new URL(allowed.url).port;
    let lookups = 0;
    const resolve = async () => (lookups++ === 0 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    expect(await hookTo(`http://hooks.rebind.test:${port}/hook`, { internalAllowlist: ['127.0.0.2/32'] }, { resolve })).toEqual([{ state: 'sent', attempts: 1, error: null }]);
    expect(lookups).toBe(1);
    expect(allowed.received[0]!.headers.host).toBe(`hooks.rebind.test:${port}`);
  });

  it.each([
    ['a name with one public and one private address', [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }], /10\.0\.0\.5, an internal address/],
    ['cloud metadata', [{ address: '169.254.169.254', family: 4 }], /169\.254\.169\.254, an internal address/],
    ['IPv4-mapped IPv6 loopback', [{ address: '::ffff:127.0.0.1', family: 6 }], /::ffff:127\.0\.0\.1, an internal address/],
    ['IPv6 unique-local', [{ address: 'fd00::1', family: 6 }], /fd00::1, an internal address/],
  ])('refuses %s', async (_name, addresses, error) => {
    expect(await hookTo('http://hooks.example.test/hook', {}, { resolve: async () => addresses })).toEqual([{ state: 'failed', attempts: 1, error: expect.stringMatching(error) }]);
  });

  it('refuses plain http once it is no longer allowed', async () => {
    const { core } = testCore();
    const receiver = await startReceiver();
    await enableWebhook(core, receiver);
    core.execute(updateNotificationSettings, localOperator, { allowInsecureHttp: false });
    anIncident(core);
    await worker(core).tick();
    expect(states(core)).toEqual([{ state: 'failed', attempts: 1, error: expect.stringMatching(/http: is refused/) }]);
    expect(receiver.received).toEqual([]);
  });

  it('judges addresses by range', () => {
    expect(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1'].filter((a) => !isInternal(a))).toEqual([]);
    expect(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111'].filter((a) => isInternal(a))).toEqual([]);
    expect(isInternal('10.0.0.5', ['10.0.0.0/8'])).toBe(false);
  });
});
