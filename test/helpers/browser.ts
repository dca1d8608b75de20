import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

/**
 * Debian's Chromium driven by Playwright (never a downloaded browser). One browser per test file,
 * closed after it. The flags keep Chromium off the network it cannot reach and let it run as root.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Promise<Browser> | undefined;

/** The file's browser (Playwright gives it a fresh, temporary profile). */
export function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return browser;
}

afterAll(async () => {
  if (browser) await (await browser).close();
  browser = undefined;
});

/**
 * What a page did that a test must see: script dialogs and the functions XSS payloads call, CSP
 * violations, uncaught errors, console errors. Installed before any of the page's own script runs.
 */
export interface PageWatch {
  readonly dialogs: string[];
  readonly errors: string[];
  /** alert/confirm/prompt/print/document.write calls and CSP violation events, from inside the page. */
  trapped(): Promise<string[]>;
}

const TRAP = `(() => {
  const hits = [];
  Object.defineProperty(window, '__cairnTrapped', { value: hits });
  for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = (...args) => { hits.push(name + ':' + String(args[0])); };
  document.write = document.writeln = (...args) => { hits.push('document.write:' + args.join('')); };
  document.addEventListener('securitypolicyviolation', (e) => hits.push('csp:' + e.violatedDirective + ':' + e.blockedURI), true);
})();`;

export async function watchedPage(context: BrowserContext): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  await page.addInitScript(TRAP);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}:${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A missing favicon is the browser's own request, not the page's.
    if (m.type() === 'error' && !/favicon/.test(m.location().url)) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return {
    page,
    watch: { dialogs, errors, trapped: () => page.evaluate(() => [...((window as unknown as { __cairnTrapped?: string[] }).__cairnTrapped ?? [])]) },
  };
}

const requireFrom = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(requireFrom.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) in the page. It is evaluated through the DevTools
 * protocol, which the page's CSP does not govern, so the page keeps its real CSP while tested.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
