import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { readSettings, writeSetting } from '../../db/settings.js';
import { changedFields } from '../audit.js';
import { CairnError } from '../errors.js';
import { defineOperation } from '../operation.js';
import { applyPatch } from '../patch.js';
import type { Permission } from '../permissions.js';
import { flag, int } from '../schemas.js';

/** Security settings, kept with the site settings in SQLite under a `security.` prefix. */
export interface SecurityPolicy {
  /** Who must use 2FA: everyone, holders of administrative permissions, or nobody. */
  readonly require2fa: 'all' | 'admins' | 'off';
  readonly passwordMinLength: number;
  readonly passwordMaxLength: number;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  /** An access review older than this is overdue. */
  readonly accessReviewDays: number;
  /** Accounts without activity for this long are flagged in the review. */
  readonly inactiveAccountDays: number;
  /** Every API key must have an expiry no further than `apiKeyMaxLifetimeDays` away. */
  readonly apiKeyRequireExpiry: boolean;
  readonly apiKeyMaxLifetimeDays: number;
  /** Keys older than this are flagged as due for rotation. */
  readonly apiKeyRotationDays: number;
  /** An audit log not reviewed for this long is overdue. */
  readonly auditReviewDays: number;
  /** Entries older than this may be pruned (`audit.prune`); 0 keeps every entry. */
  readonly auditRetentionDays: number;
  /** Incidents and updates need a second person's approval before they are public. */
  readonly twoPersonRule: boolean;
  /** Incidents with one of these component statuses skip the rule (4: major outage). */
  readonly twoPersonExemptComponentStatuses: number[];
}

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  require2fa: 'all',
  passwordMinLength: 12,
  passwordMaxLength: 256,
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  accessReviewDays: 90,
  inactiveAccountDays: 90,
  apiKeyRequireExpiry: true,
  apiKeyMaxLifetimeDays: 365,
  apiKeyRotationDays: 90,
  auditReviewDays: 7,
  auditRetentionDays: 0,
  twoPersonRule: false,
  twoPersonExemptComponentStatuses: [4],
};

const PREFIX = 'security.';

/** Permissions that make an account administrative for `require2fa: admins`. */
const ADMINISTRATIVE: readonly Permission[] = ['users.manage', 'apikeys.manage', 'settings.manage'];

export function loadSecurityPolicy(db: Db): SecurityPolicy {
  const stored = readSettings(db);
  const policy: Record<string, unknown> = { ...DEFAULT_SECURITY_POLICY };
  for (const key of Object.keys(DEFAULT_SECURITY_POLICY)) {
    const value = stored.get(PREFIX + key);
    if (value !== undefined) policy[key] = value;
  }
  return policy as unknown as SecurityPolicy;
}

export function requires2fa(policy: SecurityPolicy, permissions: ReadonlySet<string> | readonly string[]): boolean {
  if (policy.require2fa === 'all') return true;
  if (policy.require2fa === 'off') return false;
  const held = new Set(permissions);
  return ADMINISTRATIVE.some((p) => held.has(p));
}

const SecurityPatch = z
  .strictObject({
    require2fa: z.enum(['all', 'admins', 'off']).optional(),
    passwordMinLength: int(8, 64).optional(),
    passwordMaxLength: int(64, 1024).optional(),
    sessionIdleMinutes: int(5, 24 * 60).optional(),
    sessionAbsoluteHours: int(1, 7 * 24).optional(),
    accessReviewDays: int(7, 365).optional(),
    inactiveAccountDays: int(7, 3650).optional(),
    apiKeyRequireExpiry: flag.optional(),
    apiKeyMaxLifetimeDays: int(1, 3650).optional(),
    apiKeyRotationDays: int(7, 365).optional(),
    auditReviewDays: int(1, 90).optional(),
    auditRetentionDays: z.union([z.literal(0), int(30, 3650)]).optional(),
    twoPersonRule: flag.optional(),
    twoPersonExemptComponentStatuses: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6)])).max(5).transform((l) => [...new Set(l)].sort()).optional(),
  })
  .refine((p) => p.passwordMinLength === undefined || p.passwordMaxLength === undefined || p.passwordMinLength <= p.passwordMaxLength, {
    message: 'must not exceed passwordMaxLength',
    path: ['passwordMinLength'],
  });

export const getSecurityPolicy = defineOperation({
  name: 'security.get',
  requires: 'settings.manage',
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx) => loadSecurityPolicy(ctx.db),
});

/** Weakening security is itself sensitive: every change here needs a recent re-authentication. */
export const updateSecurityPolicy = defineOperation({
  name: 'security.update',
  requires: 'settings.manage',
  reauth: true,
  input: SecurityPatch,
  run(ctx, patch): SecurityPolicy {
    const before = loadSecurityPolicy(ctx.db);
    const after = applyPatch(before, patch);
    if (after.passwordMinLength > after.passwordMaxLength) {
      throw new CairnError('invalid_input', 'passwordMinLength: must not exceed passwordMaxLength', 'passwordMinLength');
    }
    for (const key of Object.keys(after) as (keyof SecurityPolicy)[]) {
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) writeSetting(ctx.db, PREFIX + key, after[key], ctx.now);
    }
    ctx.audit({ action: 'security.update', targetType: 'settings', details: changedFields(before, after, Object.keys(after) as (keyof SecurityPolicy)[]) });
    return after;
  },
});
