import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardWebContents, isSafeExternalUrl } from '../../src-main/window/guards.js';
import { RENDERER_CSP, serveRendererFile } from '../../src-main/window/protocol.js';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow } from '../../src-main/window/main-window.js';

/** A stand-in for Electron's BrowserWindow that records what it was made with. */
function stubWindow() {
  const made: { options?: BrowserWindowConstructorOptions; menuRemoved: boolean } = { menuRemoved: false };
  class FakeWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      made.options = options;
    }
    removeMenu() {
      made.menuRemoved = true;
    }
  }
  return { Window: FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow, made };
}

describe('the console window', () => {
  it('sets every hardening option explicitly, devtools off and no menu in production', () => {
    const { Window, made } = stubWindow();
    createMainWindow(Window, '/p/index.cjs', 'production');
    expect(made.options?.webPreferences).toEqual({
      preload: '/p/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(made.options?.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(made.options?.title).toBe('Cairn');
    expect(made.menuRemoved).toBe(true);
  });

  it('is visibly marked, with devtools, only when launched in development mode', () => {
    const { Window, made } = stubWindow();
    createMainWindow(Window, '/p/index.cjs', 'development');
    expect(made.options?.title).toBe('Cairn — DEVELOPMENT MODE');
    expect(made.options?.webPreferences?.devTools).toBe(true);
    expect(made.menuRemoved).toBe(false);
  });
});

describe('app:// protocol', () => {
  const base = mkdtempSync(join(tmpdir(), 'cairn-renderer-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(base, 'outside-secret.txt'), 'secret');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves files of the renderer with the CSP', async () => {
    const res = await serveRendererFile(root, 'app://cairn/assets/a.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect((await serveRendererFile(root, 'app://cairn/')).status).toBe(200);
  });

  it.each(['app://cairn/../outside-secret.txt', 'app://cairn/%2e%2e/outside-secret.txt', 'app://cairn/assets/..%2f..%2foutside-secret.txt', 'app://cairn/%00', 'app://cairn/%E0%A4%A'])(
    'refuses %s',
    async (url) => {
      const res = await serveRendererFile(root, url);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('secret');
    },
  );
});

/** A stand-in for Electron's WebContents: records handlers so the test can fire events. */
class FakeContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string };
  permissionRequest?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
  permissionCheck?: () => boolean;
  session = {
    setPermissionRequestHandler: (h: FakeContents['permissionRequest']) => (this.permissionRequest = h),
    setPermissionCheckHandler: (h: FakeContents['permissionCheck']) => (this.permissionCheck = h),
  };
  setWindowOpenHandler(h: FakeContents['openHandler']) {
    this.openHandler = h;
  }
}

describe('navigation guards', () => {
  const opened: string[] = [];
  const contents = new FakeContents();
  guardWebContents(contents as never, 'app://cairn', (url) => opened.push(url));
  const fire = (event: string, url?: string) => {
    let prevented = false;
    contents.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('keeps navigation and redirects on our origin', () => {
    expect(fire('will-navigate', 'app://cairn/settings')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://cairn.evil.example/')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'not a url')).toBe(true);
  });

  it('refuses webviews, new windows and permission requests; https links go to the OS browser', () => {
    expect(fire('will-attach-webview')).toBe(true);
    expect(contents.openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example/']);
    let granted: boolean | undefined;
    contents.permissionRequest!(contents, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(contents.permissionCheck!()).toBe(false);
  });

  it('accepts only https for external links', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    for (const url of ['http://example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', '']) expect(isSafeExternalUrl(url)).toBe(false);
  });
});
