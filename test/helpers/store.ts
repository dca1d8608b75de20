import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Actor } from '../../src-main/core/actor.js';
import { createAuthorizer } from '../../src-main/core/authorizer.js';
import type { Clock } from '../../src-main/core/clock.js';
import { Core } from '../../src-main/core/core.js';
import type { Permission } from '../../src-main/core/permissions.js';
import { openDatabase, type Db } from '../../src-main/db/connection.js';
import { TEST_KEYS } from './identity.js';
import type { ProviderSecrets } from '../../src-main/core/keys.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { keychainProviderSecrets } from '../../src-main/secrets/core-keys.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh data dir under the OS temp folder, removed after the test. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 11, 3, 12, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms), set: (ms) => void (now = ms) };
}

/** A user actor; what it may do comes from the grants given to testCore. */
export const user = (userId: number): Actor => ({ kind: 'user', userId, sessionId: userId, client: { kind: 'console' } });

export interface TestCore {
  core: Core;
  db: Db;
  dataDir: string;
  clock: ReturnType<typeof manualClock>;
}

/**
 * A core over a real SQLite file in a temp dir. `grants` gives user N the listed permissions, as a
 * freshly signed-in session would — a stand-in for the identity module's session and role lookup
 * (tested on its own); the permission check itself is the real one.
 */
export function testCore(grants: Record<number, readonly Permission[]> = {}): TestCore {
  const dataDir = tempDataDir();
  const db = openDatabase(dataDir);
  cleanups.push(() => db.close());
  const clock = manualClock();
  const authorizer = createAuthorizer((actor) =>
    actor.kind === 'user'
      ? { kind: 'user', userId: actor.userId, sessionId: actor.sessionId, stage: 'full', permissions: new Set(grants[actor.userId] ?? []), authenticatedAt: clock.now() }
      : { kind: 'nobody' },
  );
  const providerSecrets = testProviderSecrets();
  return { core: new Core({ db, clock, authorizer, keys: () => Promise.resolve(TEST_KEYS), auditKey: TEST_KEYS.auditChain, providerSecrets }), db, dataDir, clock };
}

/** Provider credentials in the real OS keychain, under a service of this test's own (removed after it). */
export function testProviderSecrets(): ProviderSecrets & { service: string } {
  const service = `cairn-test-${randomBytes(6).toString('hex')}`;
  const store = keychainStore(service);
  cleanups.push(() => void Promise.all(['smtp', 'webhook', 'slack'].map((kind) => store.delete(`provider-${kind}`).catch(() => false))));
  return { ...keychainProviderSecrets(service, store), service };
}

/**
 * A digest of every row of every table, to prove that a refused call changed nothing. With
 * `except: ['audit_log']` the audit log (and SQLite's AUTOINCREMENT counter of it) is left out.
 */
export function contentHash(db: Db, except: readonly string[] = []): string {
  if (except.includes('audit_log')) except = [...except, 'sqlite_sequence'];
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    hash.update(`\n#${name}\n`);
    const rows = db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row));
    for (const row of rows.sort()) hash.update(row);
  }
  return hash.digest('hex');
}

export function auditRows(db: Db): { action: string; outcome: string; actor_kind: string; actor_id: string | null; target_id: string | null; details: string | null }[] {
  return db.prepare('SELECT action, outcome, actor_kind, actor_id, target_id, details FROM audit_log ORDER BY id').all() as never;
}
