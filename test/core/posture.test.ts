import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { markAuditReviewed } from '../../src-main/core/audit-log.js';
import { createApiKey } from '../../src-main/core/identity/api-keys.js';
import { recordReview } from '../../src-main/core/identity/review.js';
import { getPosture, recordServerStart, type CheckStatus, type RuntimeFacts } from '../../src-main/core/posture.js';
import { createAccount, identityCore, setPolicy, type IdentityWorld } from '../helpers/accounts.js';

/** Every posture check, made to pass and made to fail (or warn), on a real store and keychain. */

const DAY = 86_400_000;

async function statuses(w: IdentityWorld): Promise<Record<string, CheckStatus>> {
  const posture = await w.core.executeAsync(getPosture, localOperator, {});
  return Object.fromEntries(posture.checks.map((c) => [c.id, c.status]));
}

/** A store where every check passes. */
async function healthy(runtime: RuntimeFacts = { mode: 'production', databaseFileMode: 0o100600 }) {
  const w = identityCore({ runtime });
  await w.core.loadAuditKey();
  const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
  await createAccount(w, 'responder@example.com', ['Incident Responder']);
  await createAccount(w, 'auditor@example.com', ['Auditor']);
  w.core.execute(recordReview, localOperator, { decisions: [1, 2, 3].map((userId) => ({ userId, decision: 'confirm' })) });
  await w.core.executeAsync(createApiKey, localOperator, { name: 'Monitor', scopes: ['metrics.write'], expiresInDays: 30 });
  setPolicy(w, { twoPersonRule: true });
  w.core.execute(markAuditReviewed, localOperator, {});
  return { w, admin };
}

describe('the security posture', () => {
  it('is evaluated on a brand-new store whose audit log is still empty (nothing to review yet)', async () => {
    const w = identityCore();
    await w.core.loadAuditKey();
    const posture = await w.core.executeAsync(getPosture, localOperator, {});
    expect(posture.checks.find((c) => c.id === 'audit-review')).toMatchObject({ status: 'pass', detail: 'Nothing to review yet' });
  });

  it('passes every check on a well-kept store', async () => {
    const { w } = await healthy();
    const posture = await w.core.executeAsync(getPosture, localOperator, {});
    expect(posture.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(posture.checks.map((c) => c.id)).toEqual([
      'two-factor', 'password-policy', 'administrators', 'two-person-rule', 'access-review', 'api-key-expiry', 'api-key-age', 'api-key-idle-writers',
      'audit-chain', 'audit-review', 'production-mode', 'database-permissions', 'keychain', 'notification-providers', 'public-server',
    ]);
    expect(posture.summary).toEqual({ pass: 15, warn: 0, fail: 0 });
    expect(posture.checks.every((c) => c.fix === undefined)).toBe(true);
  });

  it('flags 2FA not enforced or not enrolled, a weak password minimum, too many Administrators', async () => {
    const { w } = await healthy();
    await createAccount(w, 'new@example.com', ['Auditor'], { twoFactor: false });
    expect((await statuses(w))['two-factor']).toBe('warn');
    setPolicy(w, { require2fa: 'off', passwordMinLength: 8, twoPersonRule: false });
    const s = await statuses(w);
    expect(s).toMatchObject({ 'two-factor': 'fail', 'password-policy': 'warn', 'two-person-rule': 'warn' });
    for (const email of ['b@example.com', 'c@example.com', 'd@example.com']) await createAccount(w, email, ['Administrator']);
    const posture = await w.core.executeAsync(getPosture, localOperator, {});
    expect(posture.checks.find((c) => c.id === 'administrators')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^4 of 7 active accounts are Administrators/), fix: expect.any(String) });
  });

  it('flags an overdue access review and audit review, and keys without expiry, old or idle with write scopes', async () => {
    const { w } = await healthy();
    setPolicy(w, { apiKeyRequireExpiry: false });
    await w.core.executeAsync(createApiKey, localOperator, { name: 'Forever', scopes: ['metrics.write'], expiresInDays: null });
    w.clock.advance(91 * DAY);
    expect(await statuses(w)).toMatchObject({ 'access-review': 'fail', 'audit-review': 'warn', 'api-key-expiry': 'warn', 'api-key-age': 'warn', 'api-key-idle-writers': 'warn' });
  });

  it('fails a tampered audit chain, development mode, a readable database file, and a public bind without a Host allowlist', async () => {
    const { w } = await healthy({ mode: 'development', databaseFileMode: 0o100644 });
    w.core.execute(recordServerStart, localOperator, { host: '0.0.0.0', port: 8080 });
    w.db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'nothing' WHERE id = 2;");
    expect(await statuses(w)).toMatchObject({ 'audit-chain': 'fail', 'production-mode': 'fail', 'database-permissions': 'fail', 'public-server': 'fail' });
    w.core.execute(recordServerStart, localOperator, { host: '0.0.0.0', port: 8080, allowedHosts: ['status.example.com'] });
    expect((await statuses(w))['public-server']).toBe('pass');
  });

  it('fails the keychain and the audit chain checks when the keychain cannot be reached', async () => {
    const { w } = await healthy();
    const { Core } = await import('../../src-main/core/core.js');
    const blind = new Core({ db: w.db, clock: w.clock, runtime: { mode: 'production', databaseFileMode: 0o100600 } });
    const posture = await blind.executeAsync(getPosture, localOperator, {});
    expect(Object.fromEntries(posture.checks.map((c) => [c.id, c.status]))).toMatchObject({ keychain: 'fail', 'audit-chain': 'fail' });
  });

  it('is open to Administrators and Auditors, closed to everyone else', async () => {
    const { w } = await healthy();
    expect(getPosture.requires).toEqual({ anyOf: ['settings.manage', 'audit.read'] });
    await expect(w.core.executeAsync(getPosture, { kind: 'anonymous', client: { kind: 'cli' } }, {})).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
