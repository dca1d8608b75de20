import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { activeMembers, deleteRole, findRoleByName, getRole, insertRole, listRoles, updateRole, type RoleRow } from '../../db/roles.js';
import { permissionsOf } from '../authorizer.js';
import { changedFields } from '../audit.js';
import { CairnError, notFound } from '../errors.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { PERMISSIONS, type Permission } from '../permissions.js';
import { id, line, optionalLine } from '../schemas.js';

export type { RoleRow as Role };

/** The built-in roles (seeded by migration 0002; a test keeps the two in step). */
export const BUILT_IN_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  Administrator: PERMISSIONS,
  'Incident Responder': ['incidents.read', 'incidents.write', 'incidents.publish', 'components.read', 'components.write', 'maintenance.read', 'maintenance.write'],
  'Incident Author': ['incidents.read', 'incidents.write'],
  'Component Manager': ['components.read', 'components.write'],
  'Metrics Writer': ['metrics.read', 'metrics.write'],
  'Metrics Viewer': ['metrics.read'],
  'Subscriber Manager': ['subscribers.read', 'subscribers.write'],
  Auditor: ['audit.read', 'audit.review', 'users.read'],
};

export const ADMINISTRATOR_ROLE_ID = 1;

export const permissionList = z
  .array(z.enum(PERMISSIONS, 'must be a permission name such as incidents.write'))
  .max(PERMISSIONS.length)
  .transform((ps) => [...new Set(ps)].sort());

export const roleNames = z
  .array(line(60))
  .min(1, 'give at least one role')
  .max(20)
  .transform((names) => [...new Set(names)]);

/** Role rows for names, refusing unknown ones with the field path of the first. */
export function resolveRoles(db: Db, names: readonly string[], field = 'roles'): RoleRow[] {
  return names.map((name, i) => {
    const role = findRoleByName(db, name);
    if (!role) throw new CairnError('invalid_input', `${field}.${i}: there is no role named "${name}"`, `${field}.${i}`);
    return role;
  });
}

/** Nobody hands out more than they hold: every permission granted must be one the actor has. */
export function assertCanGrant(ctx: OperationContext, permissions: Iterable<string>): void {
  const held = permissionsOf(ctx.principal);
  const missing = [...permissions].filter((p) => !held.has(p as Permission));
  if (missing.length > 0) {
    throw new CairnError('forbidden', `You cannot grant permissions you do not hold: ${[...new Set(missing)].sort().join(', ')}`);
  }
}

/** The last active Administrator must stay one. */
export function assertAdministratorsRemain(db: Db, losing: number): void {
  const admins = activeMembers(db, ADMINISTRATOR_ROLE_ID);
  if (admins.length > 0 && admins.every((a) => a === losing)) {
    throw new CairnError('conflict', 'This is the last active Administrator; make someone else Administrator first');
  }
}

function requireCustomRole(db: Db, roleId: number): RoleRow {
  const role = getRole(db, roleId);
  if (!role) throw notFound('Role', roleId);
  if (role.builtIn) throw new CairnError('conflict', `${role.name} is a built-in role and cannot be changed; create a custom role instead`);
  return role;
}

function assertNameFree(db: Db, name: string, except?: number): void {
  const existing = findRoleByName(db, name);
  if (existing && existing.id !== except) throw new CairnError('conflict', `A role named "${existing.name}" already exists`, 'name');
}

export const listRolesOp = defineOperation({
  name: 'role.list',
  requires: 'users.read',
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx) => listRoles(ctx.db),
});

export const createRole = defineOperation({
  name: 'role.create',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject({ name: line(60), description: optionalLine(255).default(''), permissions: permissionList.refine((ps) => ps.length > 0, 'give at least one permission') }),
  run(ctx, input): RoleRow {
    assertNameFree(ctx.db, input.name);
    assertCanGrant(ctx, input.permissions);
    const roleId = insertRole(ctx.db, input, ctx.now);
    ctx.audit({ action: 'role.create', targetType: 'role', targetId: roleId, details: { name: input.name, permissions: input.permissions } });
    return getRole(ctx.db, roleId)!;
  },
});

export const updateRoleOp = defineOperation({
  name: 'role.update',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject({ id, name: line(60).optional(), description: optionalLine(255).optional(), permissions: permissionList.optional() }),
  run(ctx, input): RoleRow {
    const before = requireCustomRole(ctx.db, input.id);
    const after = { name: input.name ?? before.name, description: input.description ?? before.description, permissions: input.permissions ?? before.permissions };
    if (input.name !== undefined) assertNameFree(ctx.db, input.name, before.id);
    assertCanGrant(ctx, after.permissions.filter((p) => !before.permissions.includes(p)));
    updateRole(ctx.db, before.id, after, ctx.now);
    ctx.audit({ action: 'role.update', targetType: 'role', targetId: before.id, details: changedFields(before, { ...before, ...after }, ['name', 'description', 'permissions']) });
    return getRole(ctx.db, before.id)!;
  },
});

export const deleteRoleOp = defineOperation({
  name: 'role.delete',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject({ id }),
  run(ctx, { id: roleId }): { deleted: true } {
    const role = requireCustomRole(ctx.db, roleId);
    if (role.members > 0) throw new CairnError('conflict', `${role.name} is held by ${role.members} user(s); take it from them first`);
    deleteRole(ctx.db, roleId);
    ctx.audit({ action: 'role.delete', targetType: 'role', targetId: roleId, details: { name: role.name, permissions: role.permissions } });
    return { deleted: true };
  },
});
