import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * The desktop composition root (src-main/index.ts) needs the Electron binary to run, which these
 * machines cannot download; what it wires is checked here from its source, and the Electron in use
 * against the supported line (checklist item 16, "use a current version of Electron").
 */
const source = readFileSync('src-main/index.ts', 'utf8');

describe('the desktop composition root', () => {
  it('sandboxes every renderer, guards every webContents, and loads only app://', () => {
    expect(source).toMatch(/app\.enableSandbox\(\);/);
    expect(source).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => \{\s*guardWebContents\(contents, APP_ORIGIN,/);
    expect(source).toMatch(/protocol\.handle\(APP_SCHEME, \(request\) => serveRendererFile\(rendererRoot, request\.url\)\)/);
    expect(source).toMatch(/window\.loadURL\(`\$\{APP_ORIGIN\}\/index\.html`\)/);
    expect(source).not.toMatch(/loadFile|file:\/\/|nodeIntegration:\s*true|webSecurity:\s*false/);
    expect(source).toMatch(/process\.env\.CAIRN_DEV === '1' && !app\.isPackaged \? 'development' : 'production'/);
  });

  it('uses a current Electron (a supported major line: 38 or later at the end of 2026)', () => {
    const { version } = createRequire(import.meta.url)('electron/package.json') as { version: string };
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(38);
  });
});
