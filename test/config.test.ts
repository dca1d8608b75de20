import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../src-main/config.js';

describe('data dir', () => {
  it('defaults to the per-user app-data folder of each OS', () => {
    expect(defaultDataDir({}, 'linux')).toBe(`${homedir()}/.local/share/cairn`);
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/cairn');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux')).toBe(`${homedir()}/.local/share/cairn`); // XDG spec: ignore relative paths
    expect(defaultDataDir({}, 'darwin')).toBe(`${homedir()}/Library/Application Support/Cairn`);
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.Cairn$/);
  });

  it('prefers --data-dir, then CAIRN_DATA_DIR', () => {
    expect(resolveDataDir('/flag', { CAIRN_DATA_DIR: '/env' })).toBe('/flag');
    expect(resolveDataDir(undefined, { CAIRN_DATA_DIR: '/env' })).toBe('/env');
    expect(resolveDataDir(undefined, { CAIRN_DATA_DIR: '', XDG_DATA_HOME: '/xdg' })).toBe(process.platform === 'linux' ? '/xdg/cairn' : resolveDataDir(undefined, {}));
  });
});
