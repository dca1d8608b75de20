import { isIP } from 'node:net';
import { z } from 'zod';
import { iterateAuditChain, latestCheckpoint } from '../db/audit.js';
import type { Db } from '../db/connection.js';
import { rolesOfUser, permissionsOfUser } from '../db/roles.js';
import { readSettings, writeSetting } from '../db/settings.js';
import { listUsers } from '../db/users.js';
import { verifyChain, type ChainReport } from './audit-chain.js';
import { reviewState } from './audit-log.js';
import { summarizeApiKeys } from './identity/api-keys.js';
import { loadSecurityPolicy, requires2fa } from './identity/policy.js';
import { accessReviewDue } from './identity/review.js';
import { defineOperation } from './operation.js';
import { int, line } from './schemas.js';

/**
 * The security posture: each mitigation a review of a status page install asks for, evaluated from
 * the live configuration and data, with what to do when it is not met. What only the running
 * process knows (its mode, the database file's permissions) comes from the composition root as
 * `RuntimeFacts`; how the public server was last started is recorded by `server.started`.
 */

export interface RuntimeFacts {
  readonly mode: 'production' | 'development';
  /** Permission bits of the database file, if the process knows its path. */
  readonly databaseFileMode?: number;
}

export type CheckStatus = 'pass' | 'warn' | 'fail';
export interface PostureCheck {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about a warn or fail. */
  readonly fix?: string;
}

export interface Posture {
  readonly checks: PostureCheck[];
  readonly summary: Record<CheckStatus, number>;
}

const DAY = 86_400_000;
const SERVER_SETTING = 'runtime.server';

interface ServerRecord {
  readonly host: string;
  readonly port: number;
  readonly allowedHosts: string[];
  readonly at: number;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Records how `cairn serve` (or the app's server) was started, for the posture's network check. */
export const recordServerStart = defineOperation({
  name: 'server.started',
  requires: 'settings.manage',
  input: z.strictObject({ host: line(253), port: int(0, 65535), allowedHosts: z.array(line(260)).max(20).default([]) }),
  run(ctx, input): ServerRecord {
    const record: ServerRecord = { ...input, at: ctx.now };
    writeSetting(ctx.db, SERVER_SETTING, record, ctx.now);
    ctx.audit({ action: 'server.started', details: { host: input.host, port: input.port, allowedHosts: input.allowedHosts } });
    return record;
  },
});

const check = (id: string, title: string, status: CheckStatus, detail: string, fix?: string): PostureCheck => ({ id, title, status, detail, ...(status !== 'pass' && fix ? { fix } : {}) });

function identityChecks(db: Db, now: number): PostureCheck[] {
  const policy = loadSecurityPolicy(db);
  const active = listUsers(db).filter((u) => u.status === 'active');
  const lacking2fa = active.filter((u) => !u.totpEnabled && requires2fa({ ...policy, require2fa: 'all' }, permissionsOfUser(db, u.id))).map((u) => u.email);
  const admins = active.filter((u) => rolesOfUser(db, u.id).includes('Administrator')).map((u) => u.email);
  const review = accessReviewDue(db, now);
  return [
    policy.require2fa === 'all' && lacking2fa.length === 0
      ? check('two-factor', 'Two-factor authentication for everyone', 'pass', 'Required for all accounts, and every active account has it')
      : check(
          'two-factor',
          'Two-factor authentication for everyone',
          policy.require2fa === 'off' ? 'fail' : 'warn',
          `Policy: ${policy.require2fa}.${lacking2fa.length > 0 ? ` Without 2FA: ${lacking2fa.join(', ')}` : ''}`,
          'Set require2fa to "all" (`cairn policy set --key require2fa --value \'"all"\'`) and have these accounts enrol',
        ),
    policy.passwordMinLength >= 12
      ? check('password-policy', 'Password policy', 'pass', `At least ${policy.passwordMinLength} characters, breached-password list and strength check on`)
      : check('password-policy', 'Password policy', 'warn', `Minimum length is ${policy.passwordMinLength}`, 'Raise it: `cairn policy set --key passwordMinLength --value 12`'),
    admins.length === 0
      ? check('administrators', 'Few Administrators, roles for the rest', 'warn', 'No active Administrator', 'Create one with `cairn user create --role Administrator`')
      : admins.length > 3 || (active.length >= 4 && admins.length * 2 > active.length)
        ? check('administrators', 'Few Administrators, roles for the rest', 'warn', `${admins.length} of ${active.length} active accounts are Administrators: ${admins.join(', ')}`, 'Give people the narrower built-in roles (Incident Responder, Auditor, …)')
        : check('administrators', 'Few Administrators, roles for the rest', 'pass', `${admins.length} of ${active.length} active accounts are Administrators`),
    policy.twoPersonRule
      ? check('two-person-rule', 'Two-person rule for incident communication', 'pass', `On; exempt component statuses: ${policy.twoPersonExemptComponentStatuses.join(', ') || 'none'}`)
      : check('two-person-rule', 'Two-person rule for incident communication', 'warn', 'Off: anyone with incidents.publish publishes alone', '`cairn policy set --key twoPersonRule --value true` (major outages stay exempt)'),
    review.overdue
      ? check('access-review', 'Periodic access review', 'fail', review.dueAt === null ? 'No access review has been recorded' : `Overdue since ${new Date(review.dueAt).toISOString()}`, 'Review every account: `cairn review status`, then record the review')
      : check('access-review', 'Periodic access review', 'pass', review.dueAt === null ? 'No accounts to review yet' : `Next due ${new Date(review.dueAt).toISOString()}`),
  ];
}

function apiKeyChecks(db: Db, now: number): PostureCheck[] {
  const policy = loadSecurityPolicy(db);
  const active = summarizeApiKeys(db, policy, now).filter((k) => k.state === 'active');
  const noExpiry = active.filter((k) => k.expiresAt === null).map((k) => k.id);
  const old = active.filter((k) => k.dueForRotation).map((k) => k.id);
  const idleWriters = active
    .filter((k) => k.scopes.some((s) => !s.endsWith('.read')) && (k.lastUsedAt ?? k.createdAt) < now - 30 * DAY)
    .map((k) => k.id);
  return [
    noExpiry.length === 0 ? check('api-key-expiry', 'API keys expire', 'pass', `${active.length} active key(s), all with an expiry`) : check('api-key-expiry', 'API keys expire', 'warn', `Without expiry: ${noExpiry.join(', ')}`, 'Rotate them (`cairn apikey rotate`) and `cairn policy set --key apiKeyRequireExpiry --value true`'),
    old.length === 0 ? check('api-key-age', 'API keys rotated', 'pass', `None older than ${policy.apiKeyRotationDays} days`) : check('api-key-age', 'API keys rotated', 'warn', `Older than ${policy.apiKeyRotationDays} days: ${old.join(', ')}`, 'Rotate them with an overlap: `cairn apikey rotate --id ID --overlap-days 1`'),
    idleWriters.length === 0 ? check('api-key-idle-writers', 'No idle keys with write scopes', 'pass', 'Every key with a write scope was used in the last 30 days') : check('api-key-idle-writers', 'No idle keys with write scopes', 'warn', `Unused for 30 days: ${idleWriters.join(', ')}`, 'Revoke keys no integration uses: `cairn apikey revoke --id ID`'),
  ];
}

function auditChecks(db: Db, now: number, chain: ChainReport | undefined): PostureCheck[] {
  const review = reviewState(db, now);
  return [
    chain === undefined
      ? check('audit-chain', 'Audit log intact', 'fail', 'The seal key could not be read from the OS keychain', 'Unlock the keychain, then run `cairn audit verify`')
      : chain.intact
        ? check('audit-chain', 'Audit log intact', 'pass', `${chain.entries} entries, chained and sealed`)
        : check('audit-chain', 'Audit log intact', 'fail', `Entry ${chain.problem!.id} ${chain.problem!.reason}`, 'Investigate: compare with an offline export (`cairn audit verify --file`)'),
    review.overdue
      ? check('audit-review', 'Audit log reviewed', 'warn', review.lastReview ? `Last reviewed ${new Date(review.lastReview.at).toISOString()}; ${review.unreviewed} entries since` : `Never reviewed; ${review.unreviewed} entries`, `Review it (policy: every ${review.policyDays} days): \`cairn audit review\``)
      : check('audit-review', 'Audit log reviewed', 'pass', review.lastReview ? `Reviewed up to entry ${review.lastReview.reviewedUpTo}; ${review.unreviewed} entries since` : 'Nothing to review yet'),
  ];
}

function runtimeChecks(db: Db, runtime: RuntimeFacts | undefined, keychain: boolean): PostureCheck[] {
  const server = readSettings(db).get(SERVER_SETTING) as ServerRecord | undefined;
  const mode = runtime?.mode ?? 'production';
  const fileMode = runtime?.databaseFileMode;
  return [
    mode === 'production' ? check('production-mode', 'Production mode', 'pass', 'No devtools, no stack traces to clients') : check('production-mode', 'Production mode', 'fail', 'Running in development mode', 'Start without the development flag'),
    fileMode === undefined
      ? check('database-permissions', 'Database file private', 'warn', 'Not known to this process', 'Check that cairn.sqlite is mode 0600')
      : (fileMode & 0o077) === 0
        ? check('database-permissions', 'Database file private', 'pass', `Mode ${(fileMode & 0o777).toString(8).padStart(4, '0')}`)
        : check('database-permissions', 'Database file private', 'fail', `Mode ${(fileMode & 0o777).toString(8).padStart(4, '0')}: others can read it`, 'chmod 600 cairn.sqlite (and its -wal, -shm files)'),
    keychain ? check('keychain', 'Secrets in the OS keychain', 'pass', 'The keychain answers; keys are not in the database') : check('keychain', 'Secrets in the OS keychain', 'fail', 'The OS keychain cannot be reached', 'Unlock the keychain (Secret Service on Linux) for this user'),
    check('notification-providers', 'Unused notification providers off', 'pass', 'No notification provider is enabled'),
    !server
      ? check('public-server', 'Public server not exposed by accident', 'pass', 'The server has not been started on this store')
      : isLoopback(server.host)
        ? check('public-server', 'Public server not exposed by accident', 'pass', `Last started on ${server.host}:${server.port} (loopback)`)
        : server.allowedHosts.length > 0
          ? check('public-server', 'Public server not exposed by accident', 'pass', `Last started on ${server.host}:${server.port}, answering only for ${server.allowedHosts.join(', ')}`)
          : check('public-server', 'Public server not exposed by accident', 'fail', `Last started on ${server.host}:${server.port} with no Host allowlist`, 'Start it with --allowed-host <your status host>'),
  ];
}

export const getPosture = defineOperation({
  name: 'posture.get',
  requires: { anyOf: ['settings.manage', 'audit.read'] },
  readOnly: true,
  input: z.strictObject({}),
  /** The keychain is asked here (it is async); its answer and the chain walk feed the checks. */
  async prepare(ctx): Promise<{ chain: ChainReport | undefined; keychain: boolean }> {
    try {
      const { auditChain } = await ctx.keys();
      const anchor = ctx.anchor ? await ctx.anchor.read() : null;
      return { chain: verifyChain(iterateAuditChain(ctx.db), auditChain, anchor, latestCheckpoint(ctx.db)), keychain: true };
    } catch {
      return { chain: undefined, keychain: false };
    }
  },
  run(ctx, _input, { chain, keychain }): Posture {
    const checks = [...identityChecks(ctx.db, ctx.now), ...apiKeyChecks(ctx.db, ctx.now), ...auditChecks(ctx.db, ctx.now, chain), ...runtimeChecks(ctx.db, ctx.runtime, keychain)];
    const summary = { pass: 0, warn: 0, fail: 0 };
    for (const c of checks) summary[c.status]++;
    return { checks, summary };
  },
});
