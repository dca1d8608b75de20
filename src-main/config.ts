import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Cairn keeps its data when no --data-dir / CAIRN_DATA_DIR is given: the per-user
 * application-data folder of the OS. The desktop app and the CLI use the same folder, so they
 * see the same store.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Cairn');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cairn');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'cairn');
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env.CAIRN_DATA_DIR || undefined) ?? defaultDataDir(env);
}
