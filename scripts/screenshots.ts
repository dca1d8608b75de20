/**
 * Takes the README's console screenshots (docs/screenshots/*.png): a demo store, an Administrator
 * signed in with password and TOTP, each main screen — in Debian's Chromium through the same harness
 * as the console's end-to-end tests. Run with `npm run screenshots` (inside a keyring session).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { chromium } from 'playwright-core';
import { localOperator } from '../src-main/core/actor.js';
import { createIncident } from '../src-main/core/incidents.js';
import { confirmUserTwoFactorOp, createUser } from '../src-main/core/identity/users.js';
import { seedDemo } from '../src-main/cli/seed-demo.js';
import { openDatabase, storeId } from '../src-main/db/connection.js';
import { KEYCHAIN_ENTRIES, keychainService } from '../src-main/secrets/core-keys.js';
import { keychainStore } from '../src-main/secrets/keychain.js';
import { coreForStore } from '../src-main/store-core.js';
import { startConsoleHarness } from '../test/helpers/console-harness.js';

const OUT = 'docs/screenshots';
const PASSWORD = 'lantern orchid marble tide 42';
const dir = mkdtempSync(join(tmpdir(), 'cairn-shots-'));
const db = openDatabase(dir);
const core = await coreForStore(db);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  seedDemo(core, core.clock.now());
  core.execute(createIncident, localOperator, { name: 'Elevated error rate on the API', message: 'We are **investigating** elevated 5xx responses.', status: 1 });
  const created = await core.executeAsync(createUser, localOperator, { email: 'ada@example.com', name: 'Ada Admin', roles: ['Administrator'], password: PASSWORD, enrolTwoFactor: true });
  const secret = new URL(created.totpUri!).searchParams.get('secret')!;
  const code = () => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });
  await core.executeAsync(confirmUserTwoFactorOp, localOperator, { id: created.id, code: code() });
  await core.executeAsync(createUser, localOperator, { email: 'sam@example.com', name: 'Sam Responder', roles: ['Incident Responder'], password: 'quiet harbour violet 77' });

  const harness = await startConsoleHarness(browser, core, { viewport: { width: 1280, height: 800 } });
  const page = await harness.newWindow();
  await page.getByLabel('E-mail address').fill('ada@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  // The code just used for enrolment cannot be used again: wait for the next one.
  await new Promise((r) => setTimeout(r, 31_000 - (Date.now() % 30_000)));
  await page.getByLabel(/Code from your authenticator app/).fill(code());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  const shots: [string, string][] = [['Dashboard', 'dashboard'], ['Incidents', 'incidents'], ['Users', 'users'], ['Audit log', 'audit']];
  for (const [screen, file] of shots) {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: screen, exact: true }).click();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    if (file === 'incidents') await page.getByLabel('Message (Markdown)').first().fill('We are **investigating** elevated 5xx responses on the API.\n\n- EU region only\n- next update in 30 minutes');
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${OUT}/${file}.png`, fullPage: false });
    console.log(`${OUT}/${file}.png`);
  }
  await harness.close();
} finally {
  await browser.close();
  const service = keychainService(storeId(db));
  db.close();
  for (const name of KEYCHAIN_ENTRIES) await keychainStore(service).delete(name);
  rmSync(dir, { recursive: true, force: true });
}
