import { existsSync, statSync } from 'node:fs';
import { localOperator } from './core/actor.js';
import { verifyAuditLog } from './core/audit-log.js';
import { Core } from './core/core.js';
import { toPublicError } from './core/errors.js';
import type { RuntimeFacts } from './core/posture.js';
import { storeId, type Db } from './db/connection.js';
import { keychainAnchor, keychainKeys, keychainProviderSecrets } from './secrets/core-keys.js';

/**
 * The core over an opened store, as every composition root (desktop app, `cairn serve`, the CLI
 * commands) runs it: keys and the audit anchor in the OS keychain, filed under the store's id, and
 * the audit seal key loaded before the first write so entries are sealed from the start. Without a
 * reachable keychain the core still works; entries are then unsealed and `cairn audit verify` says so.
 */
export async function coreForStore(db: Db, mode: RuntimeFacts['mode'] = 'production'): Promise<Core> {
  const id = storeId(db);
  const file = db.name;
  const databaseFileMode = file && existsSync(file) ? statSync(file).mode : undefined;
  const core = new Core({ db, keys: keychainKeys(id), anchor: keychainAnchor(id), providerSecrets: keychainProviderSecrets(id), runtime: { mode, ...(databaseFileMode === undefined ? {} : { databaseFileMode }) } });
  await core.loadAuditKey();
  return core;
}

/**
 * The start-up check of the audit chain: a broken chain or an unreadable seal key is said at once
 * (one line on `warn`), not discovered at the next review. The check is itself an audit entry.
 */
export async function warnUnlessAuditIntact(core: Core, warn: (line: string) => void): Promise<boolean> {
  try {
    const report = await core.executeAsync(verifyAuditLog, localOperator, {});
    if (report.problem) warn(`WARNING: the audit log is not intact: entry ${report.problem.id} ${report.problem.reason}. Run \`cairn audit verify\`.`);
    return report.intact;
  } catch (err) {
    warn(`WARNING: the audit log could not be verified: ${toPublicError(err).message}`);
    return false;
  }
}
