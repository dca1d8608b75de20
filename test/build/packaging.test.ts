import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app's Electron fuses and targets (electron-builder reads package.json "build").
 * Packaging itself downloads Electron and cannot run on these machines; this pins what it would do.
 */
const build = (JSON.parse(readFileSync('package.json', 'utf8')) as { build: Record<string, unknown> }).build;

describe('packaging configuration', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; cookies encrypted; asar only, integrity-checked', () => {
    expect(build.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(build.asar).toBe(true);
  });

  it('builds AppImage and deb, dmg and nsis, shipping only the built output (no sources, tests or maps)', () => {
    expect([(build.linux as { target: string[] }).target, (build.mac as { target: string[] }).target, (build.win as { target: string[] }).target]).toEqual([['AppImage', 'deb'], ['dmg'], ['nsis']]);
    expect(build.files).toEqual(['out/**', 'resources/**', 'package.json', '!**/*.map']);
  });
});
