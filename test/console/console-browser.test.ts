import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createComponent } from '../../src-main/core/components.js';
import { createIncident } from '../../src-main/core/incidents.js';
import { insertDelivery, insertOutboxEvent, settleDelivery } from '../../src-main/db/notifications.js';
import type { CairnBridge } from '../../src-preload/api.js';
import { axeViolations } from '../helpers/browser.js';
import { signInConsole, startConsole } from '../helpers/console.js';
import { createAccount, identityCore } from '../helpers/accounts.js';
import { startServer } from '../helpers/server.js';
import { totpAt } from '../helpers/identity.js';

/**
 * The console end to end in Debian's Chromium: the built renderer, the real preload bridge, the
 * real IPC handlers and core (SQLite and the OS keychain), and the public page and API served by
 * the real HTTP server — only Electron's transport is replaced (see test/helpers/console.ts).
 */


/** Script and CSP problems a page reported: none expected anywhere in the console. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // The browser's own favicon request is not the console's.
  page.on('console', (m) => m.type() === 'error' && !/favicon/.test(m.location().url) && problems.push(`console: ${m.text()} (${m.location().url})`));
  return problems;
}

describe('the console in Chromium', () => {
  it('first run: creates the first Administrator with the password policy shown live, enrols TOTP from the QR secret, and then never offers setup again', async () => {
    const w = identityCore();
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    const problems = watch(page);
    await page.getByRole('heading', { name: 'Set up Cairn' }).waitFor();
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('E-mail address').fill('ada@example.com');
    await page.getByLabel('Password').fill('password1234');
    await page.getByText(/^Not accepted: /).waitFor();
    await page.getByLabel('Password').fill('lantern orchid marble tide 42');
    await page.getByText(/: accepted\.$/).waitFor();
    await page.getByRole('button', { name: 'Create Administrator' }).click();

    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.locator('code.secret').textContent())!;
    w.clock.advance(30_000);
    await page.getByLabel('Code from the app').fill(totpAt(secret, w.clock.now()));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('heading', { name: 'Keep your recovery codes' }).waitFor();
    expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
    await page.getByRole('button', { name: 'I have stored them' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(w.db.prepare("SELECT email, totp_enabled_at IS NOT NULL AS twoFactor FROM users").all()).toEqual([{ email: 'ada@example.com', twoFactor: 1 }]);

    const other = await harness.newWindow();
    await other.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    const again = await other.evaluate(() => (window as unknown as { cairn: CairnBridge }).cairn.invoke('setup.createAdministrator', { email: 'mallory@example.com', name: 'M', password: 'lantern orchid marble tide 43' }));
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(problems).toEqual([]);
  });

  it('an Administrator signs in with password and TOTP, publishes and resolves an incident seen on the public page, and issues an API key that works against the API', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const component = w.core.execute(createComponent, localOperator, { name: 'API', status: 1 });
    const site = await startServer(w.core);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    const problems = watch(page);

    await page.getByLabel('E-mail address').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The e-mail address or password is not correct');
    await page.reload();
    await signInConsole(page, w, admin);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('No open incidents.').waitFor();
    await page.getByRole('heading', { name: 'Security posture' }).waitFor();
    await page.getByText(/^\d+ passing, \d+ warnings, \d+ failing\.$/).waitFor();

    // Compose: the preview is the sanitized public rendering (raw HTML shown as text, never run).
    await page.getByRole('button', { name: 'Incidents' }).click();
    const composer = page.getByRole('form', { name: 'New incident' });
    await composer.getByLabel('Title').fill('Elevated API errors');
    await composer.getByLabel('Message (Markdown)').fill('We are **on it**. <img src=x onerror=alert(1)>');
    await composer.getByLabel('Preview').locator('strong').waitFor();
    expect(await composer.getByLabel('Preview').innerHTML()).toBe('<p>We are <strong>on it</strong>. &lt;img src=x onerror=alert(1)&gt;</p>\n');
    await composer.getByLabel('Affected component').selectOption({ label: 'API' });
    await composer.getByLabel('Its status').selectOption({ label: 'Major Outage' });
    await composer.getByRole('button', { name: 'Publish incident' }).click();
    await page.getByRole('cell', { name: 'Elevated API errors', exact: true }).waitFor();
    const published = await (await fetch(site)).text();
    expect(published).toContain('Elevated API errors');
    expect(published).toMatch(/API[\s\S]*Major Outage/); // incident and component status in one step

    await page.getByRole('button', { name: 'Post update to Elevated API errors' }).click();
    const update = page.getByRole('form', { name: 'Update' });
    await update.getByLabel('Status', { exact: true }).selectOption({ label: 'Fixed' });
    await update.getByLabel('Message (Markdown)').fill('Resolved: a bad deploy was rolled back.');
    await update.getByRole('button', { name: 'Post update' }).click();
    await page.getByRole('cell', { name: 'Fixed', exact: true }).waitFor();
    const incidentPage = await (await fetch(`${site}/incidents/1`)).text();
    expect(incidentPage).toContain('Resolved: a bad deploy was rolled back.');

    // An API key, created with only the scope it needs, shown once, then used over HTTP.
    await page.getByRole('button', { name: 'API keys' }).click();
    await page.getByLabel('Integration name').fill('Uptime monitor');
    await page.getByLabel('components.write').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('code.secret').textContent())!;
    const put = await fetch(`${site}/api/v1/components/${component.id}`, { method: 'PUT', headers: { 'x-cachet-token': key, 'content-type': 'application/json' }, body: JSON.stringify({ status: 3 }) });
    expect(put.status).toBe(200);
    const denied = await fetch(`${site}/api/v1/incidents`, { method: 'POST', headers: { 'x-cachet-token': key, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', message: 'y', status: 1 }) });
    expect(denied.status).toBe(403);
    await page.reload();
    await page.getByRole('button', { name: 'API keys' }).click();
    await page.getByRole('cell', { name: 'Uptime monitor', exact: true }).waitFor();
    expect(await page.content()).not.toContain(key); // shown once only
    // Both requests authenticated (the second was then refused for its scope): two uses recorded.
    await page.getByRole('cell', { name: '2×', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByText('API — Partial Outage').waitFor();
    await page.getByText('No open incidents.').waitFor();
    expect(problems).toEqual([]);
  });

  it('a role-limited user sees and can do only what the role allows: an Incident Author writes drafts and has no keys or deliveries', async () => {
    const w = identityCore();
    const author = await createAccount(w, 'author@example.com', ['Incident Author']);
    const site = await startServer(w.core);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, author);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('button').allTextContents()).toEqual(['Dashboard', 'Incidents']);
    await nav.getByRole('button', { name: 'Incidents' }).click();
    const composer = page.getByRole('form', { name: 'New incident' });
    await composer.getByLabel('Title').fill('Draft by an author');
    await composer.getByLabel('Message (Markdown)').fill('Needs a publisher.');
    await composer.getByRole('button', { name: 'Publish incident' }).click();
    await page.getByRole('cell', { name: 'Draft by an author (draft)', exact: true }).waitFor();
    expect(await (await fetch(site)).text()).not.toContain('Draft by an author');
    // The bridge refuses what the role lacks, whatever the page asks.
    const refused = await page.evaluate(() => (window as unknown as { cairn: CairnBridge }).cairn.invoke('apikeys.create', { name: 'x', scopes: ['metrics.read'], expiresInDays: 1 }));
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the apikeys.manage permission' } });
  });

  it('shows notification deliveries with their errors and retries a failed one', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const at = w.clock.now();
    const failed = insertDelivery(w.db, { eventId: insertOutboxEvent(w.db, 'incident.published', {}, [], at), channel: 'webhook', subscriberId: null, message: 'event' }, at);
    settleDelivery(w.db, failed, { state: 'failed', nextAttemptAt: at, error: 'the receiver refused it (410)' }, at);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    await page.getByRole('cell', { name: 'the receiver refused it (410)' }).waitFor();
    await page.getByRole('button', { name: `Retry delivery ${failed}` }).click();
    await page.getByRole('cell', { name: 'pending' }).waitFor();
    expect(w.db.prepare('SELECT state FROM outbox_deliveries WHERE id = ?').get(failed)).toEqual({ state: 'pending' });
  });

  it('keeps the session in main: a second window is signed out, and signing out ends the session', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const harness = await startConsole(w.core);
    const first = await harness.newWindow();
    await signInConsole(first, w, admin);
    const second = await harness.newWindow();
    await second.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    expect(await second.evaluate(() => Object.keys((window as unknown as { cairn: CairnBridge }).cairn).sort())).toEqual(['invoke', 'on']);
    expect(await second.evaluate(() => typeof (window as unknown as Record<string, unknown>).__cairnTransport)).toBe('undefined');
    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    expect(w.db.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL').get()).toEqual({ n: 0 });
  });

  it('shows changes made elsewhere (the CLI, the API) without a reload, and does not poll while nothing changes', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);
    await page.getByText('No open incidents.').waitFor();
    w.core.execute(createIncident, localOperator, { name: 'Reported from the CLI', message: 'm', status: 2 });
    await page.getByText('Reported from the CLI — Identified').waitFor();
    const before = harness.calls.get('dashboard.get') ?? 0;
    await page.waitForTimeout(1500);
    expect(harness.calls.get('dashboard.get') ?? 0).toBe(before);
  });

  it('locks an idle window: no input for the policy’s idle time signs it out and says why', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const harness = await startConsole(w.core);
    await harness.context.clock.install();
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);
    await page.clock.fastForward('25:00'); // the default policy: 30 minutes
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await page.clock.fastForward('06:00');
    await page.getByText('Locked after 30 minutes without activity. Sign in again.').waitFor();
    expect(w.db.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL').get()).toEqual({ n: 0 });
  });

  it.each(['light', 'dark'] as const)('has no WCAG 2.1 A/AA violation under axe-core (%s theme): sign-in, dashboard, incidents, deliveries, keys', async (colorScheme) => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const harness = await startConsole(w.core, { colorScheme });
    const page = await harness.newWindow();
    expect(await axeViolations(page)).toEqual([]);
    await signInConsole(page, w, admin);
    for (const screen of ['Dashboard', 'Incidents', 'Deliveries', 'API keys']) {
      await page.getByRole('button', { name: screen, exact: true }).click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await axeViolations(page), screen).toEqual([]);
    }
  });
});
