/**
 * Composition root of the desktop app: lifecycle, the window, and wiring of the same core the CLI
 * uses. Nothing clever happens here.
 */
import { join } from 'node:path';
import { app, BrowserWindow, protocol, shell } from 'electron';
import { resolveDataDir } from './config.js';
import { openDatabase } from './db/connection.js';
import { coreForStore, warnUnlessAuditIntact } from './store-core.js';
import { registerIpc } from './ipc/register.js';
import { ConsoleSessions } from './ipc/sessions.js';
import { watchStore } from './ipc/events.js';
import { DeliveryWorker } from './notify/worker.js';
import { guardWebContents, isSafeExternalUrl } from './window/guards.js';
import { serveRendererFile } from './window/protocol.js';
import { APP_ORIGIN, APP_SCHEME, createMainWindow } from './window/main-window.js';

// Development mode only when launched as such; it is shown in the window title.
const mode: 'production' | 'development' = process.env.CAIRN_DEV === '1' && !app.isPackaged ? 'development' : 'production';

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, APP_ORIGIN, (url) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
  });
});

async function start(): Promise<void> {
  const db = openDatabase(resolveDataDir(undefined));
  const core = await coreForStore(db, mode);
  await warnUnlessAuditIntact(core, (line) => console.warn(line));
  // Each window starts anonymous; signing in over IPC records its session here, in main.
  const sessions = new ConsoleSessions(core);
  registerIpc({ core, trustedOrigin: APP_ORIGIN, sessions, mode });
  // Notifications go out while the console is open too (leases keep it and `cairn serve` from sending twice).
  const deliveries = new DeliveryWorker(core, { log: (line) => console.warn(line) });
  deliveries.start();
  // Open screens reload when the store changes, whoever changed it.
  const stopWatching = watchStore(core, (event, payload) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(event, payload)));

  const rendererRoot = join(import.meta.dirname, '../renderer');
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererRoot, request.url));

  const window = createMainWindow(BrowserWindow, join(import.meta.dirname, '../preload/index.cjs'), mode);
  window.once('ready-to-show', () => window.show());
  const contentsId = window.webContents.id;
  window.on('closed', () => sessions.forget(contentsId));
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  app.on('window-all-closed', () => {
    stopWatching();
    void deliveries.stop().finally(() => {
      db.close();
      app.quit();
    });
  });
}

app.whenReady().then(start, (err: unknown) => {
  console.error('Cairn failed to start:', err instanceof Error ? err.message : err);
  app.exit(1);
});
