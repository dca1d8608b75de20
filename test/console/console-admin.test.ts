import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createComponent } from '../../src-main/core/components.js';
import { addMetricPointOp, createMetric } from '../../src-main/core/metrics.js';
import { configureProvider } from '../../src-main/core/notifications/providers.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';
import { axeViolations } from '../helpers/browser.js';
import { signInConsole, startConsole } from '../helpers/console.js';
import { createAccount, identityCore } from '../helpers/accounts.js';
import { totpAt } from '../helpers/identity.js';
import { startServer } from '../helpers/server.js';

/** The console's administration screens end to end in Chromium (see console-browser.test.ts for the set-up). */


const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name, exact: true }).click();

describe('console administration in Chromium', () => {
  it('access review: an Auditor confirms every account, an Administrator reviews and disables a leaver; each review is recorded with who reviewed', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const auditor = await createAccount(w, 'auditor@example.com', ['Auditor']);
    await createAccount(w, 'leaver@example.com', ['Metrics Viewer']);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, auditor);
    expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('button').allTextContents()).toEqual(['Users', 'Audit log']);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect(await page.getByRole('combobox', { name: /^Role of / }).count()).toBe(0); // users.read: no role changes
    expect(await page.getByRole('combobox', { name: /^Decision for / }).count()).toBe(0); // confirming only
    await expect(page.getByRole('table', { name: 'Permission matrix' }).getByRole('row', { name: /^audit\.review/ }).textContent()).resolves.toContain('✓');
    await page.getByText('A review is due now.').waitFor();
    await page.getByLabel('Note').fill('Quarterly confirmation');
    await page.getByRole('button', { name: 'Record review' }).click();
    await page.getByText('Review recorded: 3 confirmed, 0 disabled.').waitFor();
    await page.getByText(/^Last reviewed .* by user /).waitFor();

    const adminPage = await harness.newWindow();
    await signInConsole(adminPage, w, admin);
    await nav(adminPage, 'Users');
    await adminPage.getByLabel('Decision for leaver@example.com').selectOption('disable');
    await adminPage.getByLabel('Note').fill('Q4 review: leaver left in November');
    await adminPage.getByRole('button', { name: 'Record review' }).click();
    await adminPage.getByText('Review recorded: 2 confirmed, 1 disabled.').waitFor();
    expect(w.db.prepare("SELECT status FROM users WHERE email = 'leaver@example.com'").get()).toEqual({ status: 'disabled' });
    expect(w.db.prepare('SELECT reviewer_kind AS kind, reviewer_id AS reviewer, note FROM access_reviews ORDER BY rowid').all()).toEqual([
      { kind: 'user', reviewer: String(auditor.id), note: 'Quarterly confirmation' },
      { kind: 'user', reviewer: String(admin.id), note: 'Q4 review: leaver left in November' },
    ]);

    await nav(page, 'Audit log');
    await page.getByLabel('Filter').selectOption('role-changes');
    await page.getByRole('cell', { name: 'review.record', exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('link', { name: 'save cairn-audit.csv' }).waitFor();
  });

  it('asks for password and code again before a sensitive act once the sign-in is older than five minutes, then does it', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);
    w.clock.advance(6 * 60_000);
    await nav(page, 'API keys');
    await page.getByLabel('Integration name').fill('Deploy hook');
    await page.getByLabel('incidents.write').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await dialog.getByLabel('Password').fill('not my password');
    w.clock.advance(30_000);
    await dialog.getByLabel('Code from your authenticator app').fill(totpAt(admin.secret!, w.clock.now()));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(w.db.prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
    await dialog.getByLabel('Password').fill(admin.password);
    w.clock.advance(30_000);
    await dialog.getByLabel('Code from your authenticator app').fill(totpAt(admin.secret!, w.clock.now()));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('code.secret').waitFor();
    expect(w.db.prepare('SELECT name FROM api_keys').all()).toEqual([{ name: 'Deploy hook' }]);

    // Rotate (a successor shown once, the old key working on for a day) and revoke.
    await page.getByRole('button', { name: /^Rotate Deploy hook/ }).click();
    await expect.poll(() => (w.db.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n).toBe(2);
    await page.getByRole('button', { name: /^Revoke Deploy hook/ }).first().click();
    await expect.poll(() => (w.db.prepare('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NOT NULL').get() as { n: number }).n).toBe(1);
  });

  it('components, site settings and notification providers change what the public sees and what is sent', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    w.core.execute(updateNotificationSettings, localOperator, { publicUrl: 'https://status.example.com' });
    await w.core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: 'https://hooks.example.com/in' }, secret: 'a long enough webhook secret' });
    const site = await startServer(w.core);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);

    await nav(page, 'Components');
    await page.getByText('No components yet.').waitFor();
    for (const name of ['API', 'Website']) {
      await page.getByRole('textbox', { name: 'New component' }).fill(name);
      await page.getByRole('button', { name: 'Add component' }).click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    await page.getByLabel('Status of API').selectOption({ label: 'Major Outage' });
    await page.getByRole('button', { name: 'Move Website up' }).click();
    await expect.poll(async () => (await page.getByRole('table', { name: 'Components' }).getByRole('cell').first().textContent())).toBe('Website');
    const home = await (await fetch(site)).text();
    expect(home.indexOf('Website')).toBeLessThan(home.indexOf('>API<'));
    expect(home).toContain('Major Outage');

    await nav(page, 'Settings');
    await page.getByLabel('Site name').fill('Example Status');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await (await fetch(site)).text()).toContain('<title>Example Status status</title>');

    await page.getByRole('cell', { name: 'https://hooks.example.com/in' }).waitFor();
    await page.getByRole('button', { name: 'Turn off webhook' }).click();
    await page.getByRole('button', { name: 'Turn on webhook' }).waitFor();
    expect(w.db.prepare("SELECT enabled FROM notification_providers WHERE kind = 'webhook'").get()).toEqual({ enabled: 0 });
    expect(await axeViolations(page)).toEqual([]);
    for (const screen of ['Components', 'Users', 'Audit log']) {
      await nav(page, screen);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await axeViolations(page), screen).toEqual([]);
    }
  });

  it('maintenance, metrics, subscribers, groups, the security policy and provider configuration, each through its screen', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const metric = w.core.execute(createMetric, localOperator, { name: 'Latency', suffix: 'ms', description: 'p50', defaultValue: 0 });
    for (let i = 0; i < 30; i++) w.core.execute(addMetricPointOp, localOperator, { metricId: metric.id, value: 40 + (i % 7), timestamp: Math.floor(w.clock.now() / 1000) - (30 - i) * 60 });
    w.core.execute(createComponent, localOperator, { name: 'API', status: 1 });
    const site = await startServer(w.core);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);

    await nav(page, 'Maintenance');
    await page.getByText('No maintenance scheduled.').waitFor();
    await page.getByLabel('Title').fill('Database upgrade');
    await page.getByLabel('Starts at (site timezone)').fill('2026-12-10T10:00');
    await page.getByLabel('What happens (Markdown)').fill('Writes pause for **five minutes**.');
    await page.getByRole('button', { name: 'Schedule maintenance' }).click();
    await page.getByRole('button', { name: 'Start Database upgrade' }).click();
    await page.getByRole('button', { name: 'Complete Database upgrade' }).click();
    await page.getByRole('cell', { name: 'Complete', exact: true }).waitFor();
    expect(await (await fetch(`${site}/schedules/1`)).text()).toContain('Maintenance is complete.');
    expect(await axeViolations(page)).toEqual([]);

    await nav(page, 'Metrics');
    await page.locator('.chart canvas').waitFor();
    await page.getByText(/^30 of 30 points shown; latest \d+\.\d{2} ms at /).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await nav(page, 'Subscribers');
    await page.getByLabel('Add an address (it is asked to confirm)').fill('reader@example.com');
    await page.getByRole('button', { name: 'Add subscriber' }).click();
    await page.getByRole('cell', { name: 'reader@example.com', exact: true }).waitFor();
    await expect(page.getByRole('cell', { name: 'not yet' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('link', { name: 'save cairn-subscribers.csv' }).waitFor();
    expect(w.db.prepare("SELECT details FROM audit_log WHERE action = 'subscriber.export'").get()).toEqual({ details: JSON.stringify({ format: 'csv', count: 1 }) });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Remove reader@example.com' }).click();
    await page.getByText('No subscribers yet.').waitFor();

    await nav(page, 'Components');
    await page.getByRole('textbox', { name: 'New group' }).fill('Platform');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('option', { name: 'Platform' }).waitFor({ state: 'attached' });
    await page.getByLabel('Group of API').selectOption({ label: 'Platform' });
    await expect.poll(() => w.db.prepare('SELECT group_id AS g FROM components').get()).toEqual({ g: 1 });

    await nav(page, 'Settings');
    await page.getByLabel('Sign out (and lock the console) after this many idle minutes').fill('20');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved.').waitFor();
    expect(w.db.prepare("SELECT value FROM settings WHERE key = 'security.sessionIdleMinutes'").get()).toEqual({ value: '20' });
    await page.getByLabel('Webhook URL (https)').fill('http://hooks.example.com/in');
    await page.getByRole('button', { name: 'Save and turn on' }).click();
    await page.getByText(/must be an https URL/).waitFor();
    await page.getByLabel('Webhook URL (https)').fill('https://hooks.example.com/in');
    await page.getByRole('button', { name: 'Save and turn on' }).click();
    const shown = (await page.getByRole('status').filter({ hasText: 'Signing secret' }).locator('code').textContent())!;
    expect(shown).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.getByRole('cell', { name: 'https://hooks.example.com/in' }).waitFor();
    expect(w.db.prepare("SELECT enabled FROM notification_providers WHERE kind = 'webhook'").get()).toEqual({ enabled: 1 });
    expect(JSON.stringify(w.db.prepare('SELECT * FROM notification_providers').all())).not.toContain(shown);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('two-person rule: a responder’s incident waits as a draft until someone else approves it, then is published', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const responder = await createAccount(w, 'responder@example.com', ['Incident Responder']);
    w.core.execute(updateSecurityPolicy, localOperator, { twoPersonRule: true });
    const site = await startServer(w.core);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, responder);
    await nav(page, 'Incidents');
    const composer = page.getByRole('form', { name: 'New incident' });
    await composer.getByLabel('Title').fill('Checkout failing');
    await composer.getByLabel('Message (Markdown)').fill('Payments time out.');
    await composer.getByRole('button', { name: 'Publish incident' }).click();
    await page.getByRole('cell', { name: 'Checkout failing (draft, needs a second person’s approval)', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /^(Approve|Publish) Checkout failing/ }).count()).toBe(0); // a responder cannot approve
    expect(await (await fetch(site)).text()).not.toContain('Checkout failing');

    const second = await harness.newWindow();
    await signInConsole(second, w, admin);
    await nav(second, 'Incidents');
    await second.getByRole('button', { name: 'Approve Checkout failing' }).click();
    await second.getByRole('button', { name: 'Publish Checkout failing' }).click();
    await second.getByRole('cell', { name: 'Checkout failing', exact: true }).waitFor();
    expect(await (await fetch(site)).text()).toContain('Checkout failing');
  });

  it('creates a custom role from named permissions, shows it in the matrix, and assigns it', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    await createAccount(w, 'editor@example.com', ['Metrics Viewer']);
    const harness = await startConsole(w.core);
    const page = await harness.newWindow();
    await signInConsole(page, w, admin);
    await nav(page, 'Users');
    const form = page.getByRole('form', { name: 'New role' });
    await form.getByLabel('Name').fill('Status editors');
    await form.getByLabel('incidents.read').check();
    await form.getByLabel('incidents.write').check();
    await form.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('columnheader', { name: 'Status editors' }).waitFor();
    await page.getByLabel('Role of editor').selectOption('Status editors');
    await expect.poll(() => w.db.prepare("SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id WHERE u.email = 'editor@example.com'").all()).toEqual([{ name: 'Status editors' }]);
    expect(w.db.prepare("SELECT permission FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.name = 'Status editors' ORDER BY permission").all()).toEqual([{ permission: 'incidents.read' }, { permission: 'incidents.write' }]);
  });
});
