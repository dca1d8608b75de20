import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { permissionsOfUser, rolesOfUser, setUserRoles } from '../../db/roles.js';
import { countLiveSessions, endUserSessions } from '../../db/sessions.js';
import { clearTotp, findUserByEmail, getUser, insertUser, listUsers, setPasswordHash, setUserStatus, updateUserProfile, type UserRow } from '../../db/users.js';
import { changedFields } from '../audit.js';
import { CairnError, FailAfterCommit, notFound } from '../errors.js';
import type { CoreKeys } from '../keys.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { emailAddress, flag, id, line } from '../schemas.js';
import { acceptNewPassword, beginTotpEnrolment, confirmTotpEnrolment, issueRecoveryCodes } from './account.js';
import { hashPassword, PASSWORD_INPUT_LIMIT, type PasswordStrength } from './passwords.js';
import { loadSecurityPolicy, requires2fa } from './policy.js';
import { ADMINISTRATOR_ROLE_ID, assertAdministratorsRemain, assertCanGrant, resolveRoles, roleNames } from './roles.js';

/** A user as administrators and reviewers see it. */
export interface UserSummary {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly status: 'active' | 'disabled';
  readonly roles: string[];
  readonly twoFactor: { readonly enabled: boolean; readonly pending: boolean; readonly required: boolean };
  readonly mustChangePassword: boolean;
  readonly lastSignInAt: number | null;
  readonly lastActiveAt: number | null;
  readonly liveSessions: number;
  readonly createdAt: number;
}

export function summarizeUser(db: Db, user: UserRow): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status,
    roles: rolesOfUser(db, user.id),
    twoFactor: { enabled: user.totpEnabled, pending: user.totpPending, required: requires2fa(loadSecurityPolicy(db), permissionsOfUser(db, user.id)) },
    mustChangePassword: user.mustChangePassword,
    lastSignInAt: user.lastSignInAt,
    lastActiveAt: user.lastActiveAt,
    liveSessions: countLiveSessions(db, user.id),
    createdAt: user.createdAt,
  };
}

/** Select a user by `id` or by `email` (the CLI's way); exactly one. */
const userSelector = {
  id: id.optional(),
  email: z.string().trim().max(254, 'must be at most 254 characters').optional(),
};

export function findTarget(db: Db, input: { id?: number | undefined; email?: string | undefined }): UserRow {
  if ((input.id === undefined) === (input.email === undefined)) throw new CairnError('invalid_input', 'id: give either id or email', 'id');
  const user = input.id !== undefined ? getUser(db, input.id) : findUserByEmail(db, input.email!.toLowerCase());
  if (!user) throw notFound('User', input.id ?? input.email!);
  return user;
}

/** Gives `user` exactly `names` as roles, within the guard rails. Returns the roles before and after. */
export function assignRoles(ctx: OperationContext, user: UserRow, names: readonly string[]): { before: string[]; after: string[] } {
  const roles = resolveRoles(ctx.db, names);
  const before = rolesOfUser(ctx.db, user.id);
  const added = roles.filter((r) => !before.includes(r.name));
  assertCanGrant(ctx, added.flatMap((r) => r.permissions));
  if (!roles.some((r) => r.id === ADMINISTRATOR_ROLE_ID) && user.status === 'active') assertAdministratorsRemain(ctx.db, user.id);
  setUserRoles(ctx.db, user.id, roles.map((r) => r.id));
  const after = rolesOfUser(ctx.db, user.id);
  ctx.audit({ action: 'user.setRoles', targetType: 'user', targetId: user.id, details: { roles: [before, after] } });
  return { before, after };
}

/** Disables an account: its sessions end at once and it (and its API keys) stop working. */
export function disableAccount(ctx: OperationContext, user: UserRow): number {
  if (user.status === 'disabled') throw new CairnError('conflict', `${user.email} is already disabled`);
  assertAdministratorsRemain(ctx.db, user.id);
  setUserStatus(ctx.db, user.id, 'disabled', ctx.now);
  const ended = endUserSessions(ctx.db, user.id, 'account disabled', ctx.now);
  ctx.audit({ action: 'user.disable', targetType: 'user', targetId: user.id, details: { email: user.email, sessionsEnded: ended } });
  return ended;
}

export const listUsersOp = defineOperation({
  name: 'user.list',
  requires: 'users.read',
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx): UserSummary[] => listUsers(ctx.db).map((u) => summarizeUser(ctx.db, u)),
});

export const getUserOp = defineOperation({
  name: 'user.get',
  requires: 'users.read',
  readOnly: true,
  input: z.strictObject(userSelector),
  run: (ctx, input): UserSummary => summarizeUser(ctx.db, findTarget(ctx.db, input)),
});

export interface CreatedUser {
  readonly id: number;
  readonly email: string;
  readonly roles: string[];
  /** A one-time password to hand over, when none was given; it must be changed at first sign-in. */
  readonly temporaryPassword?: string;
  readonly strength?: PasswordStrength;
  /** With `enrolTwoFactor` (local operator only): the enrolment to scan and the recovery codes. */
  readonly totpUri?: string;
  readonly recoveryCodes?: string[];
}

/**
 * Creates an account. Without a password a temporary one is generated and must be changed at first
 * sign-in. `enrolTwoFactor` starts 2FA enrolment on the spot and reveals the secret, so only the
 * local operator (creating an account at the machine, e.g. the first Administrator) may use it;
 * console users enrol their own second factor.
 */
export const createUser = defineOperation({
  name: 'user.create',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject({
    email: emailAddress,
    name: line(120),
    roles: roleNames,
    password: z.string().min(1, 'must not be empty').max(PASSWORD_INPUT_LIMIT, `must be at most ${PASSWORD_INPUT_LIMIT} characters`).optional(),
    enrolTwoFactor: flag.default(false),
  }),
  async prepare(ctx, input): Promise<{ hash: string; strength?: PasswordStrength; temporaryPassword?: string; keys?: CoreKeys }> {
    if (input.enrolTwoFactor && ctx.principal.kind !== 'operator') {
      throw new CairnError('forbidden', 'Only the local operator can enrol two-factor for another account; the user enrols it at first sign-in', 'enrolTwoFactor');
    }
    const keys = input.enrolTwoFactor ? await ctx.keys() : undefined;
    if (input.password !== undefined) return { ...(await acceptNewPassword(ctx.db, input.password, input, 'password')), ...(keys ? { keys } : {}) };
    const temporaryPassword = randomBytes(18).toString('base64url');
    return { hash: await hashPassword(temporaryPassword), temporaryPassword, ...(keys ? { keys } : {}) };
  },
  run(ctx, input, prepared): CreatedUser {
    if (findUserByEmail(ctx.db, input.email)) throw new CairnError('conflict', 'A user with this e-mail address already exists', 'email');
    const roles = resolveRoles(ctx.db, input.roles);
    assertCanGrant(ctx, roles.flatMap((r) => r.permissions));
    const userId = insertUser(ctx.db, { email: input.email, name: input.name, passwordHash: prepared.hash, mustChangePassword: prepared.temporaryPassword !== undefined }, ctx.now);
    setUserRoles(ctx.db, userId, roles.map((r) => r.id));
    const user = getUser(ctx.db, userId)!;
    const enrolment = prepared.keys ? { totpUri: beginTotpEnrolment(ctx.db, user, prepared.keys, ctx.now).uri, recoveryCodes: issueRecoveryCodes(ctx.db, userId) } : {};
    ctx.audit({
      action: 'user.create',
      targetType: 'user',
      targetId: userId,
      details: { email: input.email, name: input.name, roles: rolesOfUser(ctx.db, userId), password: prepared.temporaryPassword ? 'temporary' : 'set', twoFactorEnrolment: prepared.keys !== undefined },
    });
    return {
      id: userId,
      email: input.email,
      roles: rolesOfUser(ctx.db, userId),
      ...(prepared.temporaryPassword ? { temporaryPassword: prepared.temporaryPassword } : {}),
      ...(prepared.strength ? { strength: prepared.strength } : {}),
      ...enrolment,
    };
  },
});

export const updateUserOp = defineOperation({
  name: 'user.update',
  requires: 'users.manage',
  input: z.strictObject({ id, email: emailAddress.optional(), name: line(120).optional() }),
  run(ctx, input): UserSummary {
    const before = findTarget(ctx.db, { id: input.id });
    const after = { email: input.email ?? before.email, name: input.name ?? before.name };
    const clash = findUserByEmail(ctx.db, after.email);
    if (clash && clash.id !== before.id) throw new CairnError('conflict', 'A user with this e-mail address already exists', 'email');
    updateUserProfile(ctx.db, before.id, after, ctx.now);
    ctx.audit({ action: 'user.update', targetType: 'user', targetId: before.id, details: changedFields(before, { ...before, ...after }, ['email', 'name']) });
    return summarizeUser(ctx.db, getUser(ctx.db, before.id)!);
  },
});

export const setUserRolesOp = defineOperation({
  name: 'user.setRoles',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject({ ...userSelector, roles: z.array(line(60)).max(20).transform((names) => [...new Set(names)]) }),
  run(ctx, input): UserSummary {
    const user = findTarget(ctx.db, input);
    assignRoles(ctx, user, input.roles);
    return summarizeUser(ctx.db, getUser(ctx.db, user.id)!);
  },
});

export const disableUserOp = defineOperation({
  name: 'user.disable',
  requires: 'users.manage',
  input: z.strictObject(userSelector),
  run(ctx, input): UserSummary {
    const user = findTarget(ctx.db, input);
    disableAccount(ctx, user);
    return summarizeUser(ctx.db, getUser(ctx.db, user.id)!);
  },
});

export const enableUserOp = defineOperation({
  name: 'user.enable',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject(userSelector),
  run(ctx, input): UserSummary {
    const user = findTarget(ctx.db, input);
    if (user.status === 'active') throw new CairnError('conflict', `${user.email} is already active`);
    assertCanGrant(ctx, permissionsOfUserIfActive(ctx.db, user.id));
    setUserStatus(ctx.db, user.id, 'active', ctx.now);
    ctx.audit({ action: 'user.enable', targetType: 'user', targetId: user.id, details: { email: user.email } });
    return summarizeUser(ctx.db, getUser(ctx.db, user.id)!);
  },
});

/** The permissions a disabled user would regain on being enabled (roles are kept while disabled). */
function permissionsOfUserIfActive(db: Db, userId: number): string[] {
  return resolveRoles(db, rolesOfUser(db, userId)).flatMap((r) => r.permissions);
}

export const endUserSessionsOp = defineOperation({
  name: 'user.endSessions',
  requires: 'users.manage',
  input: z.strictObject(userSelector),
  run(ctx, input): { ended: number } {
    const user = findTarget(ctx.db, input);
    const ended = endUserSessions(ctx.db, user.id, 'ended by an administrator', ctx.now);
    ctx.audit({ action: 'user.endSessions', targetType: 'user', targetId: user.id, details: { ended } });
    return { ended };
  },
});

/** For a user who lost their authenticator and recovery codes: they enrol again at next sign-in. */
export const resetTwoFactorOp = defineOperation({
  name: 'user.resetTwoFactor',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject(userSelector),
  run(ctx, input): UserSummary {
    const user = findTarget(ctx.db, input);
    clearTotp(ctx.db, user.id, ctx.now);
    const ended = endUserSessions(ctx.db, user.id, 'two-factor reset', ctx.now);
    ctx.audit({ action: 'user.resetTwoFactor', targetType: 'user', targetId: user.id, details: { email: user.email, sessionsEnded: ended } });
    return summarizeUser(ctx.db, getUser(ctx.db, user.id)!);
  },
});

/** Sets a new temporary password for a user who forgot theirs; all their sessions end. */
export const resetPasswordOp = defineOperation({
  name: 'user.resetPassword',
  requires: 'users.manage',
  reauth: true,
  input: z.strictObject(userSelector),
  async prepare(): Promise<{ temporaryPassword: string; hash: string }> {
    const temporaryPassword = randomBytes(18).toString('base64url');
    return { temporaryPassword, hash: await hashPassword(temporaryPassword) };
  },
  run(ctx, input, { temporaryPassword, hash }): { temporaryPassword: string } {
    const user = findTarget(ctx.db, input);
    setPasswordHash(ctx.db, user.id, hash, true, ctx.now);
    const ended = endUserSessions(ctx.db, user.id, 'password reset', ctx.now);
    ctx.audit({ action: 'user.resetPassword', targetType: 'user', targetId: user.id, details: { email: user.email, sessionsEnded: ended } });
    return { temporaryPassword };
  },
});

/** Completes an enrolment started by `user.create --enrolTwoFactor` with a code from the app. */
export const confirmUserTwoFactorOp = defineOperation({
  name: 'user.confirmTwoFactor',
  requires: 'users.manage',
  input: z.strictObject({ ...userSelector, code: z.string().trim().max(40, 'is not a code') }),
  prepare: (ctx) => ctx.keys(),
  run(ctx, input, keys): { enabled: true } {
    const user = findTarget(ctx.db, input);
    const issued = confirmTotpEnrolment(ctx.db, user, keys, input.code, ctx.now);
    if (!issued) {
      ctx.audit({ action: 'user.confirmTwoFactor', outcome: 'failed', targetType: 'user', targetId: user.id, details: { reason: 'wrong code' } });
      throw new FailAfterCommit(new CairnError('invalid_input', 'code: is not correct (check the device clock, then use the next code)', 'code'));
    }
    ctx.audit({ action: 'user.confirmTwoFactor', targetType: 'user', targetId: user.id, details: { email: user.email } });
    return { enabled: true };
  },
});
