import { describe, expect, it } from 'vitest';
import { localOperator, type Actor } from '../../src-main/core/actor.js';
import { acknowledgeAlertOp, FAILED_SIGN_IN_THRESHOLD, listAlertsOp } from '../../src-main/core/alerts.js';
import { createApiKey } from '../../src-main/core/identity/api-keys.js';
import { signIn } from '../../src-main/core/identity/auth.js';
import { resetTwoFactorOp, setUserRolesOp } from '../../src-main/core/identity/users.js';
import { createAccount, identityCore, setPolicy } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';

/** Selected audit events raise alerts for Administrators, in the same transaction, until acknowledged. */

const kinds = (w: ReturnType<typeof identityCore>) => w.core.execute(listAlertsOp, localOperator, {}).map((a) => a.kind).reverse();

describe('security alerts', () => {
  it('are raised for a new Administrator, 2FA turned off, a key with write scopes and a weaker 2FA policy — not for ordinary changes', async () => {
    const w = identityCore();
    await createAccount(w, 'first@example.com', ['Administrator']);
    const other = await createAccount(w, 'other@example.com', ['Metrics Viewer']);
    expect(kinds(w)).toEqual(['new-administrator']);
    w.core.execute(setUserRolesOp, localOperator, { id: other.id, roles: ['Metrics Viewer', 'Auditor'] });
    expect(kinds(w)).toEqual(['new-administrator']);
    w.core.execute(setUserRolesOp, localOperator, { id: other.id, roles: ['Administrator'] });
    await w.core.executeAsync(createApiKey, localOperator, { name: 'Reader', scopes: ['metrics.read'] });
    await w.core.executeAsync(createApiKey, localOperator, { name: 'Writer', scopes: ['metrics.write'] });
    w.core.execute(resetTwoFactorOp, localOperator, { id: other.id });
    setPolicy(w, { require2fa: 'admins' });
    expect(kinds(w)).toEqual(['new-administrator', 'new-administrator', 'write-key-created', 'two-factor-disabled', 'two-factor-disabled']);
    expect(w.core.execute(listAlertsOp, localOperator, {})[0]!.message).toBe('2FA policy changed from all to admins by local');
  });

  it(`are raised once per 15 minutes for ${FAILED_SIGN_IN_THRESHOLD} failed sign-ins`, async () => {
    const w = identityCore();
    const anonymous: Actor = { kind: 'anonymous', client: { kind: 'web', ip: '127.0.0.1' } };
    for (let i = 0; i < FAILED_SIGN_IN_THRESHOLD + 3; i++) {
      await w.core.executeAsync(signIn, anonymous, { email: `nobody${i}@example.com`, password: 'wrong password here' }).catch(() => undefined);
    }
    expect(kinds(w)).toEqual(['failed-sign-ins']);
  });

  it('stay open until acknowledged, once, by whom is recorded', async () => {
    const w = identityCore();
    await createAccount(w, 'first@example.com', ['Administrator']);
    const [alert] = w.core.execute(listAlertsOp, localOperator, {});
    expect(w.core.execute(acknowledgeAlertOp, localOperator, { id: alert!.id })).toMatchObject({ acknowledgedBy: 'local', acknowledgedAt: w.clock.now() });
    expect(w.core.execute(listAlertsOp, localOperator, {})).toEqual([]);
    expect(w.core.execute(listAlertsOp, localOperator, { open: false })).toHaveLength(1);
    const before = contentHash(w.db);
    expect(() => w.core.execute(acknowledgeAlertOp, localOperator, { id: alert!.id })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => w.core.execute(acknowledgeAlertOp, localOperator, { id: 999 })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(contentHash(w.db)).toBe(before);
  });
});
