import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const out = (p: string) => new URL(`../../out/${p}`, import.meta.url);

// npm test runs `electron-vite build` before the suites; these check what it produced without
// the Electron binary being present on this machine.
describe('electron-vite build', () => {
  it('produces out/main (app and CLI), out/preload and out/renderer', () => {
    for (const p of ['main/index.js', 'main/cli.js', 'preload/index.cjs', 'renderer/index.html']) expect(existsSync(out(p)), p).toBe(true);
  });

  it('emits the preload as CommonJS (a sandboxed preload cannot be an ES module)', () => {
    const preload = readFileSync(out('preload/index.cjs'), 'utf8');
    expect(preload).toMatch(/require\(["']electron["']\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
  });

  it('keeps Electron out of the CLI bundle', () => {
    const files = ['main/cli.js', ...readdirSync(out('main/chunks')).map((f) => `main/chunks/${f}`)];
    for (const f of files) expect(readFileSync(out(f), 'utf8'), f).not.toMatch(/from ["']electron["']|require\(["']electron["']\)/);
  });

  it('ships a renderer page with a strict CSP and no inline script', () => {
    const html = readFileSync(out('renderer/index.html'), 'utf8');
    expect(html).toContain("script-src 'self'");
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
