import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { reauthenticate } from '../../src-main/core/identity/auth.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { createRole, updateRoleOp } from '../../src-main/core/identity/roles.js';
import { createUser, disableUserOp, enableUserOp, resetTwoFactorOp, setUserRolesOp } from '../../src-main/core/identity/users.js';
import { listMetricsOp } from '../../src-main/core/metrics.js';
import { createAccount, identityCore, setPolicy, signInAs } from '../helpers/accounts.js';
import { auditRows, contentHash } from '../helpers/store.js';

describe('no default accounts', () => {
  it('a new store has no users, only the built-in roles', () => {
    const w = identityCore();
    expect(w.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    expect(w.db.prepare('SELECT count(*) AS n FROM roles').get()).toEqual({ n: 8 });
  });
});

describe('the last active Administrator', () => {
  it('cannot be demoted or disabled, by themselves or the local operator; with a second one they can', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { actor } = await signInAs(w, admin);
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    const message = 'This is the last active Administrator; make someone else Administrator first';
    await expect(w.core.executeAsync(setUserRolesOp, actor, { id: admin.id, roles: ['Auditor'] })).rejects.toMatchObject({ code: 'conflict', message });
    await expect(w.core.executeAsync(disableUserOp, actor, { id: admin.id })).rejects.toMatchObject({ code: 'conflict', message });
    expect(() => w.core.execute(setUserRolesOp, localOperator, { id: admin.id, roles: [] })).toThrow(message);
    expect(() => w.core.execute(disableUserOp, localOperator, { id: admin.id })).toThrow(message);
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);

    await createAccount(w, 'second@example.com', ['Administrator']);
    await expect(w.core.executeAsync(setUserRolesOp, actor, { id: admin.id, roles: ['Auditor'] })).resolves.toMatchObject({ roles: ['Auditor'] });
  });

  it('a disabled Administrator does not count', async () => {
    const w = identityCore();
    const a = await createAccount(w, 'a@example.com', ['Administrator'], { twoFactor: false });
    const b = await createAccount(w, 'b@example.com', ['Administrator'], { twoFactor: false });
    w.core.execute(disableUserOp, localOperator, { id: b.id });
    expect(() => w.core.execute(disableUserOp, localOperator, { id: a.id })).toThrow(/last active Administrator/);
  });
});

describe('nobody grants what they do not hold', () => {
  async function manager() {
    const w = identityCore();
    await createAccount(w, 'admin@example.com', ['Administrator']);
    w.core.execute(createRole, localOperator, { name: 'People', permissions: ['users.read', 'users.manage', 'metrics.read'] });
    const m = await createAccount(w, 'manager@example.com', ['People']);
    const target = await createAccount(w, 'target@example.com', ['Metrics Viewer']);
    return { w, actor: (await signInAs(w, m)).actor, target };
  }

  it('refuses to give a role with permissions the granter lacks, naming them, and changes nothing', async () => {
    const { w, actor, target } = await manager();
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    await expect(w.core.executeAsync(setUserRolesOp, actor, { id: target.id, roles: ['Administrator'] })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/^You cannot grant permissions you do not hold: apikeys\.manage, audit\.read/),
    });
    await expect(w.core.executeAsync(createRole, actor, { name: 'Sneaky', permissions: ['settings.manage'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      w.core.executeAsync(createUser, actor, { email: 'x@example.com', name: 'X', roles: ['Incident Author'], password: 'velvet harbour 77 tides' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);
  });

  it('allows granting within what they hold, including widening a custom role only that far', async () => {
    const { w, actor, target } = await manager();
    await expect(w.core.executeAsync(setUserRolesOp, actor, { id: target.id, roles: ['Metrics Viewer', 'People'] })).resolves.toMatchObject({ roles: ['Metrics Viewer', 'People'] });
    const role = w.core.execute(createRole, localOperator, { name: 'Readers', permissions: ['metrics.read'] });
    await expect(w.core.executeAsync(updateRoleOp, actor, { id: role.id, permissions: ['metrics.read', 'users.read'] })).resolves.toBeDefined();
    await expect(w.core.executeAsync(updateRoleOp, actor, { id: role.id, permissions: ['metrics.read', 'metrics.write'] })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the only way to enrol 2FA for someone else is at the machine (local operator)', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { actor } = await signInAs(w, admin);
    await expect(
      w.core.executeAsync(createUser, actor, { email: 'x@example.com', name: 'X', roles: ['Auditor'], password: 'velvet harbour 77 tides', enrolTwoFactor: true }),
    ).rejects.toMatchObject({ code: 'forbidden', field: 'enrolTwoFactor' });
  });
});

describe('grant changes take effect on the next call', () => {
  it('a role removed, a permission taken from a role, or an account disabled stops the very next call', async () => {
    const w = identityCore();
    await createAccount(w, 'admin@example.com', ['Administrator']);
    const role = w.core.execute(createRole, localOperator, { name: 'Readers', permissions: ['metrics.read'] });
    const user = await createAccount(w, 'reader@example.com', ['Readers']);
    const { actor } = await signInAs(w, user);
    await expect(w.core.executeAsync(listMetricsOp, actor, {})).resolves.toBeDefined();
    w.core.execute(updateRoleOp, localOperator, { id: role.id, permissions: ['users.read'] });
    await expect(w.core.executeAsync(listMetricsOp, actor, {})).rejects.toMatchObject({ code: 'forbidden' });
    w.core.execute(setUserRolesOp, localOperator, { id: user.id, roles: ['Metrics Viewer'] });
    await expect(w.core.executeAsync(listMetricsOp, actor, {})).resolves.toBeDefined();
    w.core.execute(disableUserOp, localOperator, { id: user.id });
    await expect(w.core.executeAsync(listMetricsOp, actor, {})).rejects.toMatchObject({ code: 'unauthenticated', message: 'Your session has ended; sign in again' });
    // Enabling again does not revive the ended session.
    w.core.execute(enableUserOp, localOperator, { id: user.id });
    await expect(w.core.executeAsync(listMetricsOp, actor, {})).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});

describe('re-authentication for sensitive acts', () => {
  it('is needed for role changes, account creation, 2FA resets and security settings more than 5 minutes after sign-in', async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const other = await createAccount(w, 'other@example.com', ['Auditor']);
    const { actor } = await signInAs(w, admin);
    w.clock.advance(5 * 60_000 + 1);
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    const sensitive = [
      () => w.core.executeAsync(setUserRolesOp, actor, { id: other.id, roles: ['Metrics Viewer'] }),
      () => w.core.executeAsync(createRole, actor, { name: 'R', permissions: ['metrics.read'] }),
      () => w.core.executeAsync(createUser, actor, { email: 'n@example.com', name: 'N', roles: ['Auditor'], password: 'velvet harbour 77 tides' }),
      () => w.core.executeAsync(resetTwoFactorOp, actor, { id: other.id }),
      () => w.core.executeAsync(updateSecurityPolicy, actor, { require2fa: 'off' }),
    ];
    for (const act of sensitive) await expect(act()).rejects.toMatchObject({ code: 'reauth_required', message: 'Confirm your password and two-factor code to do this' });
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);

    // Password alone is not enough when 2FA is on; a wrong password is counted and audited.
    await expect(w.core.executeAsync(reauthenticate, actor, { password: admin.password })).rejects.toMatchObject({ code: 'invalid_input', field: 'code' });
    await expect(w.core.executeAsync(reauthenticate, actor, { password: 'nope', code: '000000' })).rejects.toMatchObject({ code: 'unauthenticated', field: 'password' });
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'auth.reauthenticate', outcome: 'failed' });
    await w.core.executeAsync(reauthenticate, actor, { password: admin.password, code: w.nextCode(admin.secret!) });
    for (const act of sensitive) await expect(act()).resolves.toBeDefined();
  });

  it('does not apply to the local operator at the machine', () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'admins' });
    expect(w.core.execute(updateSecurityPolicy, localOperator, { require2fa: 'all' })).toMatchObject({ require2fa: 'all' });
  });
});
