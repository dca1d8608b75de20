import { afterEach } from 'vitest';
import { runCli } from '../../src-main/cli/run.js';
import { openDatabase, storeId } from '../../src-main/db/connection.js';
import { KEYCHAIN_ENTRIES, keychainService } from '../../src-main/secrets/core-keys.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { tempDataDir } from './store.js';

/** Runs `cairn …` in-process and collects what it printed. */
export async function cli(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env, signal: new AbortController().signal, readStdin: () => Promise.resolve(stdin) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// The CLI files each store's keys in the real keychain; remove what the tests made.
const stores: string[] = [];
afterEach(async () => {
  for (const dir of stores.splice(0)) {
    const db = openDatabase(dir);
    const service = keychainService(storeId(db));
    db.close();
    for (const name of KEYCHAIN_ENTRIES) await keychainStore(service).delete(name);
  }
});

/** A data dir whose keychain entries are removed after the test. */
export function cliStore(): string {
  const dir = tempDataDir();
  stores.push(dir);
  return dir;
}
