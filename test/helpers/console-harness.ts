import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSync } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Core } from '../../src-main/core/core.js';
import { HANDLERS } from '../../src-main/ipc/handlers.js';
import { dispatch, type IpcContext } from '../../src-main/ipc/router.js';
import { watchStore } from '../../src-main/ipc/events.js';
import { ConsoleSessions } from '../../src-main/ipc/sessions.js';
import { serveRendererFile } from '../../src-main/window/protocol.js';

/**
 * The console as the desktop app runs it, minus the Electron binary: the built renderer
 * (out/renderer, from `npm run build`) served with the same file handler and CSP as the app://
 * protocol, the real preload bridge (src-preload/bridge.ts) bundled into the page, and — in place
 * of Electron's ipcRenderer — a transport that calls the real dispatch() and handlers against a
 * real core. The sender each call reports is read off the calling frame, as Electron's senderFrame.
 */

const RENDERER_ROOT = 'out/renderer';

/** The preload as the page gets it: createBridge over a transport that forwards to the test binding, which it then hides. */
const PRELOAD = buildSync({
  stdin: {
    contents: `import { createBridge } from './src-preload/bridge.ts';
const send = window.__cairnTransport;
delete window.__cairnTransport;
const listeners = new Map();
// main's pushes (webContents.send in the app) arrive through this hidden function in the tests.
Object.defineProperty(window, '__cairnPush', { value: (event, payload) => (listeners.get(event) ?? []).forEach((l) => l(payload)) });
const subscribe = (event, listener) => {
  listeners.set(event, [...(listeners.get(event) ?? []), listener]);
  return () => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
};
Object.defineProperty(window, 'cairn', { value: createBridge({ invoke: (channel, input) => send(channel, input), subscribe }), enumerable: true });`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
}).outputFiles[0]!.text;

export interface ConsoleHarness {
  readonly url: string;
  /** How many times each channel was called (to see that screens do not poll or loop). */
  readonly calls: Map<string, number>;
  /** Closes the browser context and the file server. */
  close(): Promise<void>;
  readonly ipc: IpcContext;
  readonly context: BrowserContext;
  /** A new window (its own webContents id, so its own session). */
  newWindow(): Promise<Page>;
}

export async function startConsoleHarness(browser: Browser, core: Core, options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<ConsoleHarness> {
  if (!existsSync(`${RENDERER_ROOT}/index.html`)) throw new Error('out/renderer is missing: run `npm run build` first (npm test does)');
  const server = createServer((req, res) => {
    void serveRendererFile(RENDERER_ROOT, `http://console${req.url ?? '/'}`).then(async (answer) => {
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ipc: IpcContext = { core, trustedOrigin: url, sessions: new ConsoleSessions(core), mode: 'production' };

  const context = await browser.newContext({ ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}), ...(options.viewport ? { viewport: options.viewport } : {}) });
  const ids = new WeakMap<Page, number>();
  let next = 1;
  const calls = new Map<string, number>();
  await context.exposeBinding('__cairnTransport', async ({ frame, page }, channel: string, input: unknown) => {
    calls.set(channel, (calls.get(channel) ?? 0) + 1);
    if (!ids.has(page)) ids.set(page, next++);
    const sender = { webContentsId: ids.get(page)!, origin: new URL(frame.url()).origin, isMainFrame: frame === page.mainFrame() };
    return dispatch(ipc, HANDLERS, channel as never, sender, input);
  });
  await context.addInitScript({ content: PRELOAD });
  // Main's pushes: the same store watcher as the app, delivered to every open page.
  const stopWatching = watchStore(core, (event, payload) => {
    for (const page of context.pages()) void page.evaluate(([e, p]) => (window as unknown as { __cairnPush(e: string, p: unknown): void }).__cairnPush(e, p), [event, payload] as const).catch(() => undefined);
  }, 200);
  return {
    url,
    calls,
    async close() {
      stopWatching();
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    ipc,
    context,
    async newWindow() {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000); // a missing element fails with its locator, well before the test's own timeout
      await page.goto(`${url}/index.html`);
      return page;
    },
  };
}
