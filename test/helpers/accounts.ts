import { afterEach } from 'vitest';
import { localOperator, type Actor } from '../../src-main/core/actor.js';
import { Core, type CoreOptions } from '../../src-main/core/core.js';
import { signIn, verifySecondFactor } from '../../src-main/core/identity/auth.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { confirmUserTwoFactorOp, createUser } from '../../src-main/core/identity/users.js';
import { openDatabase, storeId, type Db } from '../../src-main/db/connection.js';
import { KEYCHAIN_ENTRIES, keychainAnchor, keychainKeys, keychainProviderSecrets, keychainService } from '../../src-main/secrets/core-keys.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { TEST_PASSWORD, totpAt } from './identity.js';
import { manualClock, tempDataDir } from './store.js';

const keychainCleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (keychainCleanups.length > 0) await keychainCleanups.pop()!();
});

export interface IdentityWorld {
  readonly core: Core;
  readonly db: Db;
  readonly dataDir: string;
  readonly clock: ReturnType<typeof manualClock>;
  /** A fresh TOTP code for a secret: the clock first moves on one step, as a person waiting would. */
  nextCode(secret: string): string;
}

/**
 * A core as the product runs it: real SQLite, real sessions and role lookup, and its keys in the
 * real OS keychain (npm test runs inside a D-Bus session with gnome-keyring), removed afterwards.
 */
export function identityCore(options: Pick<CoreOptions, 'runtime'> = {}): IdentityWorld {
  const dataDir = tempDataDir();
  const db = openDatabase(dataDir);
  const secrets = keychainStore(keychainService(storeId(db)));
  keychainCleanups.push(async () => {
    db.close();
    for (const name of KEYCHAIN_ENTRIES) await secrets.delete(name);
  });
  const clock = manualClock();
  const core = new Core({ db, clock, keys: keychainKeys(storeId(db), secrets), anchor: keychainAnchor(storeId(db), secrets), providerSecrets: keychainProviderSecrets(storeId(db), secrets), ...options });
  return {
    core,
    db,
    dataDir,
    clock,
    nextCode(secret) {
      clock.advance(30_000);
      return totpAt(secret, clock.now());
    },
  };
}

export interface Account {
  readonly id: number;
  readonly email: string;
  readonly password: string;
  /** The TOTP secret (base32) when 2FA was enrolled. */
  readonly secret?: string;
  readonly recoveryCodes?: readonly string[];
}

/** Creates an account through the core as the local operator, 2FA enrolled and confirmed unless `twoFactor: false`. */
export async function createAccount(w: IdentityWorld, email: string, roles: string[], options: { twoFactor?: boolean; password?: string } = {}): Promise<Account> {
  const password = options.password ?? TEST_PASSWORD;
  const twoFactor = options.twoFactor ?? true;
  const created = await w.core.executeAsync(createUser, localOperator, { email, name: email.split('@')[0]!, roles, password, enrolTwoFactor: twoFactor });
  if (!twoFactor) return { id: created.id, email, password };
  const secret = new URL(created.totpUri!).searchParams.get('secret')!;
  await w.core.executeAsync(confirmUserTwoFactorOp, localOperator, { id: created.id, code: w.nextCode(secret) });
  return { id: created.id, email, password, secret, recoveryCodes: created.recoveryCodes! };
}

/** Signs in through the core (password, then TOTP if enrolled) and returns the session's token and actor. */
export async function signInAs(w: IdentityWorld, account: Account): Promise<{ token: string; actor: Actor; stage: string }> {
  const client = { kind: 'console' } as const;
  let { token, stage } = await w.core.executeAsync(signIn, { kind: 'anonymous', client }, { email: account.email, password: account.password });
  if (stage === 'mfa') {
    ({ token, stage } = await w.core.executeAsync(verifySecondFactor, w.core.actorForSession(token, client), { code: w.nextCode(account.secret!) }));
  }
  return { token, actor: w.core.actorForSession(token, client), stage };
}

export function setPolicy(w: IdentityWorld, patch: Record<string, unknown>): void {
  w.core.execute(updateSecurityPolicy, localOperator, patch);
}
