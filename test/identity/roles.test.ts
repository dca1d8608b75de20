import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { CairnError } from '../../src-main/core/errors.js';
import { BUILT_IN_ROLES } from '../../src-main/core/identity/roles.js';
import { createRole, deleteRoleOp, listRolesOp, updateRoleOp } from '../../src-main/core/identity/roles.js';
import { setUserRolesOp } from '../../src-main/core/identity/users.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { PERMISSIONS, type Permission } from '../../src-main/core/permissions.js';
import { createAccount, identityCore, setPolicy, signInAs } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';
import { aWorld, validInputs } from '../helpers/world.js';

/**
 * For each permission, one operation that needs exactly it (a read-only one where there is one).
 */
const probe = new Map(
  PERMISSIONS.flatMap((p) => {
    const candidates = [...OPERATIONS.values()].filter((op) => op.requires === p);
    const op = candidates.find((c) => c.readOnly) ?? candidates[0];
    return op ? [[p, op] as const] : [];
  }),
);

describe('built-in roles', () => {
  it('are seeded by the migration exactly as the code declares them', () => {
    const w = identityCore();
    const seeded = w.core.execute(listRolesOp, localOperator, {});
    expect(Object.fromEntries(seeded.filter((r) => r.builtIn).map((r) => [r.name, r.permissions]))).toEqual(
      Object.fromEntries(Object.entries(BUILT_IN_ROLES).map(([name, ps]) => [name, [...ps].sort()])),
    );
  });

  it('has a probe operation for every permission that has operations of its own', () => {
    expect(PERMISSIONS.filter((p) => !probe.has(p))).toEqual([]);
  });

  describe.each(Object.entries(BUILT_IN_ROLES))('%s', (role, granted) => {
    it('is allowed exactly the permissions of the role and denied every other, signed in for real', async () => {
      const w = identityCore();
      setPolicy(w, { require2fa: 'off' });
      const account = await createAccount(w, 'member@example.com', [role], { twoFactor: false });
      // Keep one Administrator around so guard rails never get in the way of the table.
      if (role !== 'Administrator') await createAccount(w, 'admin@example.com', ['Administrator'], { twoFactor: false });
      const { actor } = await signInAs(w, account);
      const inputs = validInputs(aWorld(w.core));
      const principal = w.core.authorizer.resolve(actor);
      expect(principal.kind === 'user' && [...principal.permissions].sort()).toEqual([...granted].sort());
      for (const [permission, op] of probe) {
        const outcome = await w.core.executeAsync(op, actor, inputs[op.name]).then(
          () => 'allowed',
          (err: CairnError) => (err.code === 'forbidden' ? 'denied' : `failed: ${err.code} ${err.message}`),
        );
        expect(`${permission}: ${outcome}`).toBe(`${permission}: ${granted.includes(permission as Permission) ? 'allowed' : 'denied'}`);
      }
    });
  });
});

describe('custom roles', () => {
  it('are built from permission names; a user holding several roles gets the union', async () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'off' });
    await createAccount(w, 'admin@example.com', ['Administrator'], { twoFactor: false });
    w.core.execute(createRole, localOperator, { name: 'Status Writer', permissions: ['components.write', 'components.read'] });
    const account = await createAccount(w, 'ops@example.com', ['Status Writer', 'Metrics Viewer'], { twoFactor: false });
    const { actor } = await signInAs(w, account);
    const principal = w.core.authorizer.resolve(actor);
    expect(principal.kind === 'user' && [...principal.permissions].sort()).toEqual(['components.read', 'components.write', 'metrics.read']);
  });

  it('refuses unknown permissions, empty roles, duplicate names, and changes to built-in roles, changing nothing', () => {
    const w = identityCore();
    const before = contentHash(w.db);
    const attempts: [unknown, string][] = [
      [() => w.core.execute(createRole, localOperator, { name: 'X', permissions: ['incidents.read', 'root'] }), 'invalid_input'],
      [() => w.core.execute(createRole, localOperator, { name: 'X', permissions: [] }), 'invalid_input'],
      [() => w.core.execute(createRole, localOperator, { name: 'auditor', permissions: ['audit.read'] }), 'conflict'],
      [() => w.core.execute(updateRoleOp, localOperator, { id: 1, permissions: ['audit.read'] }), 'conflict'],
      [() => w.core.execute(deleteRoleOp, localOperator, { id: 8 }), 'conflict'],
    ];
    for (const [attempt, code] of attempts) expect(attempt).toThrow(expect.objectContaining({ code }));
    expect(contentHash(w.db)).toBe(before);
  });

  it('cannot be deleted while someone holds it', async () => {
    const w = identityCore();
    const role = w.core.execute(createRole, localOperator, { name: 'Viewers', permissions: ['metrics.read'] });
    await createAccount(w, 'viewer@example.com', ['Viewers'], { twoFactor: false });
    expect(() => w.core.execute(deleteRoleOp, localOperator, { id: role.id })).toThrow(/held by 1 user/);
    w.core.execute(setUserRolesOp, localOperator, { email: 'viewer@example.com', roles: ['Metrics Viewer'] });
    expect(w.core.execute(deleteRoleOp, localOperator, { id: role.id })).toEqual({ deleted: true });
  });
});
