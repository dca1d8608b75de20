import { resolveDataDir } from '../config.js';
import type { Core } from '../core/core.js';
import { openDatabase } from '../db/connection.js';
import { coreForStore } from '../store-core.js';

/**
 * Opens the store of `--data-dir` (or the default) and a core over it, with the store's keys in
 * the OS keychain (read only when an operation needs them). Runs `use`, then closes the store.
 */
export async function withCore<T>(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv, use: (core: Core, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(dataDirFlag, env);
  const db = openDatabase(dataDir);
  try {
    return await use(await coreForStore(db), dataDir);
  } finally {
    db.close();
  }
}
