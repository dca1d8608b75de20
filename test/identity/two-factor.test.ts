import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { beginTwoFactor, confirmTwoFactor, disableTwoFactor, getAccount, regenerateRecoveryCodes } from '../../src-main/core/identity/account.js';
import { reauthenticate, signIn, verifySecondFactor } from '../../src-main/core/identity/auth.js';
import { createUser } from '../../src-main/core/identity/users.js';
import { totpAt } from '../helpers/identity.js';
import { createAccount, identityCore, setPolicy, signInAs, type IdentityWorld } from '../helpers/accounts.js';
import { auditRows } from '../helpers/store.js';

const console_ = { kind: 'console' } as const;
const anon = { kind: 'anonymous', client: console_ } as const;

/** Signs in with the password only and returns the half-signed-in actor awaiting its code. */
async function challenge(w: IdentityWorld, email: string, password: string) {
  const { token, stage } = await w.core.executeAsync(signIn, anon, { email, password });
  expect(stage).toBe('mfa');
  return w.core.actorForSession(token, console_);
}

describe('TOTP sign-in', () => {
  it('asks for the code after the password; the half-signed-in session can do nothing else', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const pending = await challenge(w, admin.email, admin.password);
    await expect(w.core.executeAsync(getAccount, pending, {})).rejects.toMatchObject({ code: 'unauthenticated', message: 'Enter your two-factor code to finish signing in' });
    const principal = w.core.authorizer.resolve(pending);
    expect(principal.kind === 'user' && principal.permissions.size).toBe(0);
  });

  it('re-issues the session token once the code is accepted: the pre-2FA token stops working', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { token: first } = await w.core.executeAsync(signIn, anon, { email: admin.email, password: admin.password });
    const { token: second, stage } = await w.core.executeAsync(verifySecondFactor, w.core.actorForSession(first, console_), { code: w.nextCode(admin.secret!) });
    expect(stage).toBe('full');
    expect(second).not.toBe(first);
    expect(w.core.actorForSession(first, console_).kind).toBe('anonymous');
    expect(w.core.actorForSession(second, console_).kind).toBe('user');
  });

  it('accepts one step of clock drift either way and no more', async () => {
    for (const [offsetSteps, accepted] of [[-2, false], [-1, true], [0, true], [1, true], [2, false]] as const) {
      const w = identityCore();
      const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
      w.clock.advance(5 * 30_000);
      const pending = await challenge(w, admin.email, admin.password);
      const code = totpAt(admin.secret!, w.clock.now() + offsetSteps * 30_000);
      const result = await w.core.executeAsync(verifySecondFactor, pending, { code }).then(() => 'accepted', (e: { message: string }) => e.message);
      expect(`${offsetSteps}: ${result}`).toBe(`${offsetSteps}: ${accepted ? 'accepted' : 'The code is not correct'}`);
    }
  });

  it('never accepts a code (a time step) twice, nor an older one after a newer was used', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    w.clock.advance(60_000);
    const code = totpAt(admin.secret!, w.clock.now());
    const older = totpAt(admin.secret!, w.clock.now() - 30_000);
    await w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code });
    // The same code within its own 30 s, and the previous step's (still inside the drift window).
    await expect(w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code })).rejects.toMatchObject({ message: 'The code is not correct' });
    await expect(w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code: older })).rejects.toMatchObject({
      message: 'The code is not correct',
    });
  });

  it('allows 5 wrong codes per challenge, then ends the half-signed-in session', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const pending = await challenge(w, admin.email, admin.password);
    const right = w.nextCode(admin.secret!);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) await expect(w.core.executeAsync(verifySecondFactor, pending, { code: wrong })).rejects.toMatchObject({ message: 'The code is not correct' });
    await expect(w.core.executeAsync(verifySecondFactor, pending, { code: wrong })).rejects.toMatchObject({ message: 'Too many wrong codes; sign in again' });
    await expect(w.core.executeAsync(verifySecondFactor, pending, { code: right })).rejects.toMatchObject({ code: 'unauthenticated', message: 'Your session has ended; sign in again' });
    expect(auditRows(w.db).filter((a) => a.action === 'auth.verifySecondFactor' && a.outcome === 'failed')).toHaveLength(5);
  });
});

describe('recovery codes', () => {
  it('are 10 codes of at least 80 bits, each usable once, and their use is audited', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    expect(admin.recoveryCodes).toHaveLength(10);
    expect(new Set(admin.recoveryCodes).size).toBe(10);
    for (const code of admin.recoveryCodes!) expect(code.replace(/-/g, '')).toMatch(/^[a-z2-7]{20}$/); // 20 × 5 bits = 100 bits
    const code = admin.recoveryCodes![3]!;
    const { stage } = await w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code: code.toUpperCase() });
    expect(stage).toBe('full');
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'auth.recoveryCodeUsed', details: JSON.stringify({ remaining: 9 }) });
    await expect(w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code })).rejects.toMatchObject({ message: 'The code is not correct' });
  });

  it('can be regenerated after re-authentication; the old ones stop working', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { actor } = await signInAs(w, admin);
    w.clock.advance(6 * 60_000);
    await expect(w.core.executeAsync(regenerateRecoveryCodes, actor, {})).rejects.toMatchObject({ code: 'reauth_required' });
    await w.core.executeAsync(reauthenticate, actor, { password: admin.password, code: w.nextCode(admin.secret!) });
    const { recoveryCodes } = await w.core.executeAsync(regenerateRecoveryCodes, actor, {});
    expect(recoveryCodes).toHaveLength(10);
    await expect(w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code: admin.recoveryCodes![0]! })).rejects.toMatchObject({
      message: 'The code is not correct',
    });
    await expect(w.core.executeAsync(verifySecondFactor, await challenge(w, admin.email, admin.password), { code: recoveryCodes[0]! })).resolves.toMatchObject({ stage: 'full' });
  });
});

describe('enrolment and the require2fa policy', () => {
  it('under "all" (the default) a user without 2FA can sign in only to enrol; enrolment activates after one valid code', async () => {
    const w = identityCore();
    await createAccount(w, 'admin@example.com', ['Administrator']);
    const created = await w.core.executeAsync(createUser, localOperator, { email: 'new@example.com', name: 'New', roles: ['Metrics Viewer'], password: 'velvet harbour 77 tides' });
    expect(created.totpUri).toBeUndefined();
    const { actor, stage } = await signInAs(w, { id: created.id, email: 'new@example.com', password: 'velvet harbour 77 tides' });
    expect(stage).toBe('setup');
    expect(await w.core.executeAsync(getAccount, actor, {})).toMatchObject({ stage: 'setup', setup: { enrolTwoFactor: true, changePassword: false } });
    const metrics = (await import('../../src-main/core/metrics.js')).listMetricsOp;
    await expect(w.core.executeAsync(metrics, actor, {})).rejects.toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('Finish setting up') });

    const { secret, uri } = await w.core.executeAsync(beginTwoFactor, actor, {});
    expect(uri).toMatch(/^otpauth:\/\/totp\/Cairn:new%40example\.com\?secret=[A-Z2-7]{32}&issuer=Cairn$/);
    expect(secret).toHaveLength(32); // 160 bits in base32
    // Not active yet: a wrong code leaves it pending and the account still in set-up.
    await expect(w.core.executeAsync(confirmTwoFactor, actor, { code: '12345' })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(w.core.authorizer.resolve(actor)).toMatchObject({ stage: 'setup' });
    const { recoveryCodes } = await w.core.executeAsync(confirmTwoFactor, actor, { code: w.nextCode(secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(w.core.authorizer.resolve(actor)).toMatchObject({ stage: 'full' });
    await expect(w.core.executeAsync(metrics, actor, {})).resolves.toBeDefined();
  });

  it('under "admins" only accounts with administrative permissions must enrol; "off" requires nobody', async () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'admins' });
    const viewer = await createAccount(w, 'viewer@example.com', ['Metrics Viewer'], { twoFactor: false });
    const admin = await createAccount(w, 'admin@example.com', ['Administrator'], { twoFactor: false });
    expect((await signInAs(w, viewer)).stage).toBe('full');
    const adminSession = await signInAs(w, admin);
    expect(adminSession.stage).toBe('setup');
    setPolicy(w, { require2fa: 'off' });
    // Policy is read at every call: the same session is now complete.
    expect(w.core.authorizer.resolve(adminSession.actor)).toMatchObject({ stage: 'full' });
    setPolicy(w, { require2fa: 'all' });
    expect(w.core.authorizer.resolve(adminSession.actor)).toMatchObject({ stage: 'setup' });
  });

  it('2FA cannot be turned off while the policy requires it, and only after re-authentication when it does not', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { actor } = await signInAs(w, admin);
    await expect(w.core.executeAsync(disableTwoFactor, actor, {})).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('policy requires') });
    setPolicy(w, { require2fa: 'off' });
    w.clock.advance(5 * 60_000 + 1);
    await expect(w.core.executeAsync(disableTwoFactor, actor, {})).rejects.toMatchObject({ code: 'reauth_required' });
    await w.core.executeAsync(reauthenticate, actor, { password: admin.password, code: w.nextCode(admin.secret!) });
    await expect(w.core.executeAsync(disableTwoFactor, actor, {})).resolves.toEqual({ enabled: false });
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'account.twoFactor.disable', outcome: 'ok' });
  });
});
