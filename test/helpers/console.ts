import { afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import type { Core } from '../../src-main/core/core.js';
import type { Account, IdentityWorld } from './accounts.js';
import { totpAt } from './identity.js';
import { sharedBrowser } from './browser.js';
import { startConsoleHarness, type ConsoleHarness } from './console-harness.js';

export type { ConsoleHarness };

const running: ConsoleHarness[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

/** The console in the test file's Chromium (see console-harness.ts), closed after the test. */
export async function startConsole(core: Core, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<ConsoleHarness> {
  const harness = await startConsoleHarness(await sharedBrowser(), core, options);
  running.push(harness);
  return harness;
}

/** Signs a console window in as `account`: password, then the TOTP code the test computes from the enrolled secret. */
export async function signInConsole(page: Page, w: IdentityWorld, account: Account): Promise<void> {
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  w.clock.advance(30_000);
  await page.getByLabel(/Code from your authenticator app/).fill(totpAt(account.secret!, w.clock.now()));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
