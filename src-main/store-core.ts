import { Core } from './core/core.js';
import { storeId, type Db } from './db/connection.js';
import { keychainAnchor, keychainKeys } from './secrets/core-keys.js';

/**
 * The core over an opened store, as every composition root (desktop app, `cairn serve`, the CLI
 * commands) runs it: keys and the audit anchor in the OS keychain, filed under the store's id, and
 * the audit seal key loaded before the first write so entries are sealed from the start. Without a
 * reachable keychain the core still works; entries are then unsealed and `cairn audit verify` says so.
 */
export async function coreForStore(db: Db): Promise<Core> {
  const id = storeId(db);
  const core = new Core({ db, keys: keychainKeys(id), anchor: keychainAnchor(id) });
  await core.loadAuditKey();
  return core;
}
