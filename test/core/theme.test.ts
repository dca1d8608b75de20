import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { getSiteInfo, removeLogo, setLogo, updateSettings } from '../../src-main/core/settings.js';
import { contrast, DARK_BACKGROUND, DEFAULT_ACCENT, DEFAULT_ACCENT_DARK, LIGHT_BACKGROUND } from '../../src-main/core/theme.js';
import { cli, cliStore } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';
import { auditRows, contentHash, tempDataDir, testCore } from '../helpers/store.js';
import { TINY_PNG_BASE64 } from '../helpers/world.js';

/** The status page's theme: validated colours only, and a raster logo checked by its bytes. */

const visitor = anonymous({ kind: 'web', ip: '127.0.0.1' });
const TINY_GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');

describe('theme colours', () => {
  it('measure WCAG contrast, and the defaults pass it on their backgrounds', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast(DEFAULT_ACCENT, LIGHT_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(DEFAULT_ACCENT_DARK, DARK_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
  });

  it('are stored lower-cased and audited, and reach the page only through the generated stylesheet', async () => {
    const { core, db } = testCore();
    core.execute(updateSettings, localOperator, { accentColor: '#8250DF', accentColorDark: '#D2A8FF' });
    expect(auditRows(db).at(-1)).toMatchObject({ action: 'settings.update', details: JSON.stringify({ accentColor: ['#0969da', '#8250df'], accentColorDark: ['#4493f8', '#d2a8ff'] }) });
    const url = await startServer(core);
    const css = await fetch(`${url}/assets/theme.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe(':root { --accent: #8250df; }\n@media (prefers-color-scheme: dark) { :root { --accent: #d2a8ff; } }\n');
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('<link rel="stylesheet" href="/assets/theme.css">');
    expect(page).not.toContain('8250df');
  });
});

describe('the logo', () => {
  it('is served at a path naming its type, shown in the header, replaced and removed', async () => {
    const { core, db } = testCore();
    const url = await startServer(core);
    expect(core.execute(getSiteInfo, visitor, {}).logoPath).toBeNull();
    expect((await fetch(`${url}/assets/logo.png`)).status).toBe(404);

    expect(core.execute(setLogo, localOperator, { type: 'image/png', dataBase64: TINY_PNG_BASE64 })).toEqual({ type: 'image/png', bytes: 70, path: '/assets/logo.png' });
    const png = await fetch(`${url}/assets/logo.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await png.arrayBuffer()).equals(Buffer.from(TINY_PNG_BASE64, 'base64'))).toBe(true);
    const doc = new JSDOM(await (await fetch(`${url}/`)).text()).window.document;
    expect(doc.querySelector('header img.site-logo')!.getAttribute('src')).toBe('/assets/logo.png');
    expect(doc.querySelector('header img.site-logo')!.getAttribute('alt')).toBe('');

    core.execute(setLogo, localOperator, { type: 'image/gif', dataBase64: TINY_GIF.toString('base64') });
    expect((await fetch(`${url}/assets/logo.png`)).status).toBe(404);
    expect((await fetch(`${url}/assets/logo.gif`)).headers.get('content-type')).toBe('image/gif');
    for (const path of ['/assets/logo.svg', '/assets/logo.html', '/assets/../cairn.sqlite', '/assets/logo.gif.png']) expect((await fetch(`${url}${path}`)).status, path).toBe(404);

    expect(core.execute(removeLogo, localOperator, {})).toEqual({ removed: true });
    expect((await fetch(`${url}/assets/logo.gif`)).status).toBe(404);
    expect(auditRows(db).map((r) => r.action).filter((a) => a.includes('Logo'))).toEqual(['settings.setLogo', 'settings.setLogo', 'settings.removeLogo']);
  });

  it('stores nothing when the bytes are not the type claimed', () => {
    const { core, db } = testCore();
    const before = contentHash(db);
    expect(() => core.execute(setLogo, localOperator, { type: 'image/gif', dataBase64: TINY_PNG_BASE64 })).toThrow(/dataBase64: is not a image\/gif image \(it is image\/png\)/);
    expect(contentHash(db)).toBe(before);
  });
});

describe('cairn site', () => {
  it('sets name, colours and logo from the command line and shows them; a bad value changes nothing', async () => {
    const dataDir = cliStore();
    const dir = tempDataDir();
    const logo = join(dir, 'logo.png');
    writeFileSync(logo, Buffer.from(TINY_PNG_BASE64, 'base64'));
    const svg = join(dir, 'logo.png.svg');
    writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

    const ok = await cli(['site', 'set', '--data-dir', dataDir, '--name', 'Acme', '--accent-color', '#8250df', '--logo', logo, '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ siteName: 'Acme', accentColor: '#8250df' });

    for (const [args, message] of [
      [['--accent-color', '#ffff00'], /accentColor: must have a contrast of at least 4\.5:1/],
      [['--logo', svg], /logo: is not a PNG, JPEG, GIF or WebP image/],
      [['--name', 'Acme\nAPP_KEY=x'], /siteName: must be one line/],
      [['--logo', logo, '--no-logo'], /--logo: give --logo or --no-logo, not both/],
      [[], /say what to change/],
    ] as const) {
      const bad = await cli(['site', 'set', '--data-dir', dataDir, ...args]);
      expect(bad.code, args.join(' ')).not.toBe(0);
      expect(bad.err).toMatch(message);
    }
    const shown = await cli(['site', 'show', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ siteName: 'Acme', accentColor: '#8250df', accentColorDark: '#4493f8' });
    expect((await cli(['site', 'set', '--data-dir', dataDir, '--no-logo'])).code).toBe(0);
  });
});
