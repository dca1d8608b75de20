import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Electronegativity (Doyensec's Electron misconfiguration scanner) over the app's sources, its
 * SARIF parsed: every finding must be one of the few below, each a reviewed false positive with
 * the reason written next to it. (The tool exits 0 whatever it finds, so only the SARIF tells.)
 * It tries to fetch Electron's release list first; offline it says so and scans anyway.
 */

const ELECTRON_VERSION = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
const CLI = 'node_modules/@doyensec/electronegativity/dist/index.js';

const REVIEWED: Record<string, string> = {
  // csp-evaluator flags 'self' in script-src as "possibly" unsafe (JSONP, uploads on the same origin).
  // Our 'self' is app://cairn, which serves only the built renderer bundle: no uploads, no JSONP.
  'CSP_GLOBAL_CHECK src-renderer/index.html': "script-src 'self' is app://cairn, the built bundle only",
  // The one openExternal call is behind isSafeExternalUrl (https only), unit-tested in window.test.ts.
  'OPEN_EXTERNAL_JS_CHECK src-main/index.ts': 'guarded by isSafeExternalUrl',
};

const work = mkdtempSync(join(tmpdir(), 'cairn-eneg-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function scan(dir: string): Promise<string[]> {
  const sarif = join(dir, 'report.sarif');
  await promisify(execFile)(process.execPath, [CLI, '-i', dir, '-e', ELECTRON_VERSION, '-r', '-o', sarif], { timeout: 120_000 });
  const report = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results?: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  return report.runs.flatMap((run) => (run.results ?? []).map((r) => `${r.ruleId} ${r.locations[0]?.physicalLocation.artifactLocation.uri ?? '?'}`)).sort();
}

describe('Electronegativity', () => {
  it('finds nothing in the app but the reviewed false positives', async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    for (const part of ['src-main', 'src-preload', 'src-renderer', 'package.json']) cpSync(part, join(app, part), { recursive: true });
    expect(await scan(app)).toEqual(Object.keys(REVIEWED).sort());
  }, 150_000);

  it('does find a planted misconfiguration (the scan is not a no-op)', async () => {
    const planted = join(work, 'planted');
    mkdirSync(planted);
    writeFileSync(join(planted, 'package.json'), JSON.stringify({ name: 'planted', devDependencies: { electron: ELECTRON_VERSION } }));
    writeFileSync(join(planted, 'main.js'), "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n");
    const findings = await scan(planted);
    // The window's own options, and the app-wide guards the app above has and this one lacks.
    expect(findings).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK main.js', 'SANDBOX_JS_CHECK main.js', 'LIMIT_NAVIGATION_GLOBAL_CHECK file:///', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK file:///']),
    );
  }, 150_000);
});
