import { afterEach } from 'vitest';
import type { Core } from '../../src-main/core/core.js';
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
