import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { permissionsOfUser } from '../../db/roles.js';
import { advanceSession, countMfaFailure, endSession, markAuthenticated, type Stage } from '../../db/sessions.js';
import {
  advanceTotpStep,
  clearThrottle,
  consumeRecoveryCode,
  findUserByEmail,
  getPasswordHash,
  getThrottle,
  getTotpSecrets,
  getUser,
  putThrottle,
  recordSignIn,
  type UserRow,
} from '../../db/users.js';
import type { Principal } from '../authorizer.js';
import { CairnError, FailAfterCommit } from '../errors.js';
import type { CoreKeys } from '../keys.js';
import { defineOperation, type OperationContext, type PrepareContext } from '../operation.js';
import { SELF } from '../permissions.js';
import { PASSWORD_INPUT_LIMIT, verifyPassword } from './passwords.js';
import { loadSecurityPolicy } from './policy.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newSessionToken, sha256, unseal } from './secrets.js';
import { needsSetup, startSession } from './sessions.js';
import { checkTotp } from './totp.js';

/** After this many failed sign-ins an account waits, doubling from 30 s up to 15 minutes. */
export const FREE_ATTEMPTS = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
/** Wrong codes allowed per 2FA challenge before the half-signed-in session is ended. */
export const CODE_ATTEMPTS = 5;

export const lockoutDelay = (failures: number): number =>
  failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));

/** The same message whatever was wrong, so it never tells whether the account exists. */
const BAD_CREDENTIALS = 'The e-mail address or password is not correct';

const emailKey = (email: string): Buffer => sha256(`sign-in:${email.trim().toLowerCase()}`);

/** A failed proof: counted against the address (existing or not) and locking it out when due. */
function countFailure(db: Db, email: string, now: number): void {
  const key = emailKey(email);
  const failures = (getThrottle(db, key)?.failures ?? 0) + 1;
  putThrottle(db, key, { failures, lockedUntil: now + lockoutDelay(failures) }, now);
}

function assertNotLockedOut(db: Db, email: string, now: number): void {
  const lockedUntil = getThrottle(db, emailKey(email))?.lockedUntil ?? 0;
  if (lockedUntil > now) {
    throw new CairnError('rate_limited', `Too many failed attempts; try again in ${Math.ceil((lockedUntil - now) / 1000)} s`);
  }
}

const password = z.string().min(1, 'must not be empty').max(PASSWORD_INPUT_LIMIT, `must be at most ${PASSWORD_INPUT_LIMIT} characters`);
/** A 6-digit TOTP code or a recovery code. */
const secondFactor = z.string().trim().min(1, 'must not be empty').max(40, 'is not a code');

export const signIn = defineOperation({
  name: 'auth.signIn',
  requires: 'public',
  input: z.strictObject({ email: z.string().trim().min(1, 'must not be empty').max(254, 'must be at most 254 characters'), password }),
  async prepare(ctx, input): Promise<{ user: UserRow | undefined; passwordOk: boolean }> {
    const global = ctx.signInLimiter.take(ctx.now);
    if (!global.ok) throw new CairnError('rate_limited', `Too many sign-in attempts right now; try again in ${Math.ceil(global.retryAfterMs / 1000)} s`);
    assertNotLockedOut(ctx.db, input.email, ctx.now);
    const user = findUserByEmail(ctx.db, input.email.toLowerCase());
    const passwordOk = await verifyPassword(user && getPasswordHash(ctx.db, user.id), input.password);
    return { user, passwordOk };
  },
  run(ctx, input, { user, passwordOk }): { token: string; stage: Stage } {
    if (!user || !passwordOk || user.status !== 'active') {
      countFailure(ctx.db, input.email, ctx.now);
      ctx.audit({
        action: 'auth.signIn',
        outcome: 'failed',
        ...(user ? { targetType: 'user', targetId: user.id } : {}),
        details: { reason: !user ? 'unknown account' : !passwordOk ? 'wrong password' : 'account disabled' },
      });
      throw new FailAfterCommit(new CairnError('unauthenticated', BAD_CREDENTIALS));
    }
    clearThrottle(ctx.db, emailKey(input.email));
    const stage: Stage = user.totpEnabled ? 'mfa' : 'full';
    const { token, sessionId } = startSession(ctx.db, user.id, stage, ctx.actor.client, ctx.now);
    if (stage === 'full') recordSignIn(ctx.db, user.id, ctx.now);
    ctx.audit({ action: 'auth.signIn', targetType: 'user', targetId: user.id, details: { session: sessionId, stage: stage === 'mfa' ? 'awaiting 2FA' : 'signed in' } });
    return { token, stage: effectiveStage(ctx.db, user.id, stage) };
  },
});

export function effectiveStage(db: Db, userId: number, stored: Stage): Stage {
  if (stored !== 'full') return stored;
  return needsSetup(getUser(db, userId)!, loadSecurityPolicy(db), permissionsOfUser(db, userId)) ? 'setup' : 'full';
}

export function sessionUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new CairnError('forbidden', 'Only a signed-in user can do this, for their own account');
  return principal;
}

/**
 * Checks a TOTP code against the user's active secret (consuming its time step) or a recovery
 * code (consuming it). Returns how it was proved, or undefined if it was not.
 */
export function proveSecondFactor(ctx: OperationContext, user: UserRow, keys: CoreKeys, code: string): { method: 'totp' } | { method: 'recovery code'; remaining: number } | undefined {
  if (/^\d{6}$/.test(code)) {
    const sealed = getTotpSecrets(ctx.db, user.id).active;
    if (!sealed) return undefined;
    const step = checkTotp(unseal(keys.totpEncryption, sealed, `totp:${user.id}`), code, user.totpLastStep, ctx.now);
    return step !== undefined && advanceTotpStep(ctx.db, user.id, step) ? { method: 'totp' } : undefined;
  }
  if (!looksLikeRecoveryCode(code)) return undefined;
  const remaining = consumeRecoveryCode(ctx.db, user.id, hashRecoveryCode(code), ctx.now);
  return remaining === undefined ? undefined : { method: 'recovery code', remaining };
}

/** A wrong code: counted on the session (ending it after CODE_ATTEMPTS) and against the address. */
export function failCode(ctx: OperationContext, user: UserRow, sessionId: number, action: string): never {
  const failures = countMfaFailure(ctx.db, sessionId);
  countFailure(ctx.db, user.email, ctx.now);
  const exhausted = failures >= CODE_ATTEMPTS;
  if (exhausted) endSession(ctx.db, sessionId, 'too many wrong codes', ctx.now);
  ctx.audit({ action, outcome: 'failed', targetType: 'user', targetId: user.id, details: { reason: 'wrong code', attempt: failures, ...(exhausted ? { sessionEnded: true } : {}) } });
  throw new FailAfterCommit(
    new CairnError('unauthenticated', exhausted ? 'Too many wrong codes; sign in again' : 'The code is not correct', exhausted ? undefined : 'code'),
  );
}

const keysFor = (ctx: PrepareContext): Promise<CoreKeys> => ctx.keys();

export const verifySecondFactor = defineOperation({
  name: 'auth.verifySecondFactor',
  requires: SELF,
  stages: ['mfa'],
  input: z.strictObject({ code: secondFactor }),
  prepare: keysFor,
  run(ctx, { code }, keys): { token: string; stage: Stage } {
    const principal = sessionUser(ctx.principal);
    const user = getUser(ctx.db, principal.userId)!;
    const proof = proveSecondFactor(ctx, user, keys, code);
    if (!proof) failCode(ctx, user, principal.sessionId, 'auth.verifySecondFactor');
    const token = newSessionToken();
    advanceSession(ctx.db, principal.sessionId, 'full', sha256(token), ctx.now);
    recordSignIn(ctx.db, user.id, ctx.now);
    ctx.audit({ action: 'auth.verifySecondFactor', targetType: 'user', targetId: user.id, details: { session: principal.sessionId, method: proof.method } });
    if (proof.method === 'recovery code') {
      ctx.audit({ action: 'auth.recoveryCodeUsed', targetType: 'user', targetId: user.id, details: { remaining: proof.remaining } });
    }
    return { token, stage: effectiveStage(ctx.db, user.id, 'full') };
  },
});

/** Proves password (and 2FA, if enrolled) again, opening the five-minute window for sensitive acts. */
export const reauthenticate = defineOperation({
  name: 'auth.reauthenticate',
  requires: SELF,
  stages: ['setup', 'full'],
  input: z.strictObject({ password, code: secondFactor.optional() }),
  async prepare(ctx, input): Promise<{ passwordOk: boolean; keys: CoreKeys | undefined }> {
    const principal = sessionUser(ctx.principal);
    const user = getUser(ctx.db, principal.userId)!;
    assertNotLockedOut(ctx.db, user.email, ctx.now);
    const passwordOk = await verifyPassword(getPasswordHash(ctx.db, user.id), input.password);
    return { passwordOk, keys: user.totpEnabled ? await ctx.keys() : undefined };
  },
  run(ctx, input, { passwordOk, keys }): { authenticatedAt: number } {
    const principal = sessionUser(ctx.principal);
    const user = getUser(ctx.db, principal.userId)!;
    if (!passwordOk) {
      countFailure(ctx.db, user.email, ctx.now);
      ctx.audit({ action: 'auth.reauthenticate', outcome: 'failed', targetType: 'user', targetId: user.id, details: { reason: 'wrong password' } });
      throw new FailAfterCommit(new CairnError('unauthenticated', 'The password is not correct', 'password'));
    }
    let method = 'password';
    if (user.totpEnabled) {
      if (input.code === undefined) throw new CairnError('invalid_input', 'code: enter the code from your authenticator app', 'code');
      const proof = proveSecondFactor(ctx, user, keys!, input.code);
      if (!proof) failCode(ctx, user, principal.sessionId, 'auth.reauthenticate');
      method = `password and ${proof.method}`;
      if (proof.method === 'recovery code') ctx.audit({ action: 'auth.recoveryCodeUsed', targetType: 'user', targetId: user.id, details: { remaining: proof.remaining } });
    }
    markAuthenticated(ctx.db, principal.sessionId, ctx.now);
    ctx.audit({ action: 'auth.reauthenticate', targetType: 'user', targetId: user.id, details: { method } });
    return { authenticatedAt: ctx.now };
  },
});

export const signOut = defineOperation({
  name: 'auth.signOut',
  requires: SELF,
  stages: ['mfa', 'setup', 'full'],
  input: z.strictObject({}),
  run(ctx): { signedOut: true } {
    const principal = sessionUser(ctx.principal);
    endSession(ctx.db, principal.sessionId, 'signed out', ctx.now);
    ctx.audit({ action: 'auth.signOut', targetType: 'user', targetId: principal.userId, details: { session: principal.sessionId } });
    return { signedOut: true };
  },
});

