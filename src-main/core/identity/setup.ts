import { z } from 'zod';
import { setUserRoles } from '../../db/roles.js';
import { anyUserExists, getUser, insertUser } from '../../db/users.js';
import { CairnError } from '../errors.js';
import { defineOperation } from '../operation.js';
import { PUBLIC } from '../permissions.js';
import { emailAddress, line } from '../schemas.js';
import { loadSettings } from '../settings.js';
import { acceptNewPassword } from './account.js';
import { effectiveStage } from './auth.js';
import { checkPassword, PASSWORD_INPUT_LIMIT, type PasswordStrength } from './passwords.js';
import { loadSecurityPolicy } from './policy.js';
import { ADMINISTRATOR_ROLE_ID } from './roles.js';
import { startSession } from './sessions.js';

/**
 * First run: while the store has no account at all, the console may create the first
 * Administrator (there are no default accounts). Once one exists this is refused for good — no
 * setting, flag or deletion reopens it (accounts are disabled, never deleted, and the last
 * Administrator cannot be disabled). The new account then enrols 2FA before anything else.
 */

const password = z.string().min(1, 'must not be empty').max(PASSWORD_INPUT_LIMIT, `must be at most ${PASSWORD_INPUT_LIMIT} characters`);

export const setupStatus = defineOperation({
  name: 'setup.status',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx): { needed: boolean } => ({ needed: !anyUserExists(ctx.db) }),
});

export interface PasswordAssessment {
  readonly acceptable: boolean;
  /** Why the policy refuses it, if it does. */
  readonly problem: string | null;
  readonly strength: PasswordStrength | null;
  readonly minLength: number;
}

/** The policy's verdict on a password being chosen, for the live meter (nothing is stored or logged). */
export const assessPassword = defineOperation({
  name: 'password.assess',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({ password, email: z.string().max(254).default(''), name: z.string().max(120).default('') }),
  run(ctx, input): PasswordAssessment {
    const policy = loadSecurityPolicy(ctx.db);
    try {
      const strength = checkPassword(input.password, { minLength: policy.passwordMinLength, maxLength: policy.passwordMaxLength }, { email: input.email, name: input.name, siteName: loadSettings(ctx.db).siteName });
      return { acceptable: true, problem: null, strength, minLength: policy.passwordMinLength };
    } catch (err) {
      if (!(err instanceof CairnError)) throw err;
      return { acceptable: false, problem: err.message.replace(/^password: /, ''), strength: null, minLength: policy.passwordMinLength };
    }
  },
});

const alreadySetUp = () => new CairnError('conflict', 'Cairn is already set up: sign in, or ask an Administrator for an account');

export const createFirstAdministrator = defineOperation({
  name: 'setup.firstAdministrator',
  requires: PUBLIC,
  input: z.strictObject({ email: emailAddress, name: line(120), password }),
  async prepare(ctx, input): Promise<{ hash: string; strength: PasswordStrength }> {
    if (anyUserExists(ctx.db)) throw alreadySetUp();
    return acceptNewPassword(ctx.db, input.password, input, 'password');
  },
  run(ctx, input, { hash, strength }): { token: string; stage: string; strength: PasswordStrength } {
    // Again inside the transaction: two windows racing through setup make one Administrator.
    if (anyUserExists(ctx.db)) throw alreadySetUp();
    const userId = insertUser(ctx.db, { email: input.email, name: input.name, passwordHash: hash, mustChangePassword: false }, ctx.now);
    setUserRoles(ctx.db, userId, [ADMINISTRATOR_ROLE_ID]);
    const { token, sessionId } = startSession(ctx.db, userId, 'full', ctx.actor.client, ctx.now);
    ctx.audit({ action: 'setup.firstAdministrator', targetType: 'user', targetId: userId, details: { email: input.email, name: input.name, session: sessionId } });
    return { token, stage: effectiveStage(ctx.db, getUser(ctx.db, userId)!.id, 'full'), strength };
  },
});

export const SETUP_OPERATIONS = [setupStatus, assessPassword, createFirstAdministrator];
