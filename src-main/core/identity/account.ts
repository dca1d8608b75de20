import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { permissionsOfUser, rolesOfUser } from '../../db/roles.js';
import { countLiveSessions, endUserSessions } from '../../db/sessions.js';
import {
  activatePendingTotp,
  clearTotp,
  countRecoveryCodes,
  getPasswordHash,
  getTotpSecrets,
  getUser,
  replaceRecoveryCodes,
  setPasswordHash,
  setPendingTotp,
  type UserRow,
} from '../../db/users.js';
import type { SessionStage } from '../authorizer.js';
import { CairnError, FailAfterCommit } from '../errors.js';
import type { CoreKeys } from '../keys.js';
import { defineOperation } from '../operation.js';
import { SELF } from '../permissions.js';
import { loadSettings } from '../settings.js';
import { failCode, sessionUser } from './auth.js';
import { checkPassword, hashPassword, PASSWORD_INPUT_LIMIT, verifyPassword, type PasswordStrength } from './passwords.js';
import { loadSecurityPolicy, requires2fa } from './policy.js';
import { hashRecoveryCode, newRecoveryCode, seal, unseal } from './secrets.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;

/** Ten new single-use recovery codes replace any old ones; returned once, stored as hashes. */
export function issueRecoveryCodes(db: Db, userId: number): string[] {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  replaceRecoveryCodes(db, userId, codes.map(hashRecoveryCode));
  return codes;
}

/** Starts a TOTP enrolment: a fresh secret, sealed as pending until a first code confirms it. */
export function beginTotpEnrolment(db: Db, user: UserRow, keys: CoreKeys, now: number): { secret: string; uri: string } {
  const secret = newTotpSecret();
  setPendingTotp(db, user.id, seal(keys.totpEncryption, secret, `totp:${user.id}`), now);
  return { secret, uri: totpUri(loadSettings(db).siteName, user.email, secret) };
}

/** Confirms a pending enrolment with a code; returns new recovery codes (if any were issued), or undefined if the code is wrong. */
export function confirmTotpEnrolment(db: Db, user: UserRow, keys: CoreKeys, code: string, now: number): string[] | undefined {
  const pending = getTotpSecrets(db, user.id).pending;
  if (!pending) throw new CairnError('conflict', 'There is no two-factor enrolment to confirm; start one first');
  const step = checkTotp(unseal(keys.totpEncryption, pending, `totp:${user.id}`), code, user.totpLastStep, now);
  if (step === undefined) return undefined;
  activatePendingTotp(db, user.id, step, now);
  // Codes handed out with the account (CLI creation) stay valid; otherwise a first set is issued.
  return countRecoveryCodes(db, user.id) > 0 ? [] : issueRecoveryCodes(db, user.id);
}

export interface Account {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly roles: string[];
  readonly permissions: string[];
  readonly stage: SessionStage;
  readonly twoFactor: { readonly enabled: boolean; readonly required: boolean; readonly pending: boolean; readonly recoveryCodesLeft: number };
  /** What must be done before the console opens fully. */
  readonly setup: { readonly changePassword: boolean; readonly enrolTwoFactor: boolean };
  readonly sessions: number;
  /** The policy's idle limit: the console locks itself after this long without input. */
  readonly idleLockMinutes: number;
}

export const getAccount = defineOperation({
  name: 'account.get',
  requires: SELF,
  stages: ['setup', 'full'],
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): Account {
    const principal = sessionUser(ctx.principal);
    const user = getUser(ctx.db, principal.userId)!;
    const granted = permissionsOfUser(ctx.db, user.id).sort();
    const policy = loadSecurityPolicy(ctx.db);
    const required = requires2fa(policy, granted);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      roles: rolesOfUser(ctx.db, user.id),
      permissions: granted,
      stage: principal.stage,
      twoFactor: { enabled: user.totpEnabled, required, pending: user.totpPending, recoveryCodesLeft: countRecoveryCodes(ctx.db, user.id) },
      setup: { changePassword: user.mustChangePassword, enrolTwoFactor: required && !user.totpEnabled },
      sessions: countLiveSessions(ctx.db, user.id),
      idleLockMinutes: policy.sessionIdleMinutes,
    };
  },
});

const newPasswordInput = z.string().min(1, 'must not be empty').max(PASSWORD_INPUT_LIMIT, `must be at most ${PASSWORD_INPUT_LIMIT} characters`);

/** Checks a new password against the policy and the user's context; returns its hash and strength. */
export async function acceptNewPassword(db: Db, password: string, who: { email: string; name: string }, field: string): Promise<{ hash: string; strength: PasswordStrength }> {
  const policy = loadSecurityPolicy(db);
  const strength = checkPassword(password, { minLength: policy.passwordMinLength, maxLength: policy.passwordMaxLength }, { ...who, siteName: loadSettings(db).siteName }, field);
  return { hash: await hashPassword(password), strength };
}

export const changePassword = defineOperation({
  name: 'account.changePassword',
  requires: SELF,
  stages: ['setup', 'full'],
  reauth: true,
  input: z.strictObject({ currentPassword: newPasswordInput, newPassword: newPasswordInput }),
  async prepare(ctx, input): Promise<{ currentOk: boolean; hash: string; strength: PasswordStrength }> {
    const user = getUser(ctx.db, sessionUser(ctx.principal).userId)!;
    const currentOk = await verifyPassword(getPasswordHash(ctx.db, user.id), input.currentPassword);
    if (currentOk && input.newPassword.normalize('NFKC') === input.currentPassword.normalize('NFKC')) {
      throw new CairnError('invalid_input', 'newPassword: must differ from the current password', 'newPassword');
    }
    return { currentOk, ...(await acceptNewPassword(ctx.db, input.newPassword, user, 'newPassword')) };
  },
  run(ctx, _input, { currentOk, hash, strength }): { changed: true; strength: PasswordStrength; otherSessionsEnded: number } {
    const principal = sessionUser(ctx.principal);
    if (!currentOk) {
      ctx.audit({ action: 'account.changePassword', outcome: 'failed', targetType: 'user', targetId: principal.userId, details: { reason: 'wrong current password' } });
      throw new FailAfterCommit(new CairnError('invalid_input', 'currentPassword: is not correct', 'currentPassword'));
    }
    setPasswordHash(ctx.db, principal.userId, hash, false, ctx.now);
    const ended = endUserSessions(ctx.db, principal.userId, 'password changed', ctx.now, principal.sessionId);
    ctx.audit({ action: 'account.changePassword', targetType: 'user', targetId: principal.userId, details: { otherSessionsEnded: ended } });
    return { changed: true, strength, otherSessionsEnded: ended };
  },
});

export const beginTwoFactor = defineOperation({
  name: 'account.twoFactor.begin',
  requires: SELF,
  stages: ['setup', 'full'],
  input: z.strictObject({}),
  prepare: (ctx) => ctx.keys(),
  run(ctx, _input, keys): { secret: string; uri: string } {
    const user = getUser(ctx.db, sessionUser(ctx.principal).userId)!;
    // Replacing a working second factor is as sensitive as removing it.
    if (user.totpEnabled) ctx.requireRecentAuth();
    const enrolment = beginTotpEnrolment(ctx.db, user, keys, ctx.now);
    ctx.audit({ action: 'account.twoFactor.begin', targetType: 'user', targetId: user.id, details: { replacing: user.totpEnabled } });
    return enrolment;
  },
});

export const confirmTwoFactor = defineOperation({
  name: 'account.twoFactor.confirm',
  requires: SELF,
  stages: ['setup', 'full'],
  input: z.strictObject({ code: z.string().trim().max(40, 'is not a code') }),
  prepare: (ctx) => ctx.keys(),
  run(ctx, { code }, keys): { enabled: true; recoveryCodes: string[] } {
    const principal = sessionUser(ctx.principal);
    const user = getUser(ctx.db, principal.userId)!;
    const recoveryCodes = confirmTotpEnrolment(ctx.db, user, keys, code, ctx.now);
    if (!recoveryCodes) failCode(ctx, user, principal.sessionId, 'account.twoFactor.confirm');
    ctx.audit({ action: 'account.twoFactor.enable', targetType: 'user', targetId: user.id, details: { recoveryCodes: RECOVERY_CODE_COUNT } });
    return { enabled: true, recoveryCodes };
  },
});

export const disableTwoFactor = defineOperation({
  name: 'account.twoFactor.disable',
  requires: SELF,
  reauth: true,
  input: z.strictObject({}),
  run(ctx): { enabled: false } {
    const user = getUser(ctx.db, sessionUser(ctx.principal).userId)!;
    if (!user.totpEnabled) throw new CairnError('conflict', 'Two-factor authentication is not on');
    if (requires2fa(loadSecurityPolicy(ctx.db), permissionsOfUser(ctx.db, user.id))) {
      throw new CairnError('forbidden', 'The security policy requires two-factor authentication for your account');
    }
    clearTotp(ctx.db, user.id, ctx.now);
    ctx.audit({ action: 'account.twoFactor.disable', targetType: 'user', targetId: user.id });
    return { enabled: false };
  },
});

export const regenerateRecoveryCodes = defineOperation({
  name: 'account.recoveryCodes.regenerate',
  requires: SELF,
  reauth: true,
  input: z.strictObject({}),
  run(ctx): { recoveryCodes: string[] } {
    const user = getUser(ctx.db, sessionUser(ctx.principal).userId)!;
    if (!user.totpEnabled) throw new CairnError('conflict', 'Turn on two-factor authentication first');
    const recoveryCodes = issueRecoveryCodes(ctx.db, user.id);
    ctx.audit({ action: 'account.recoveryCodes.regenerate', targetType: 'user', targetId: user.id, details: { count: RECOVERY_CODE_COUNT } });
    return { recoveryCodes };
  },
});

