import QRCode from 'qrcode';
import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { createUser, disableUserOp, confirmUserTwoFactorOp, listUsersOp, type UserSummary } from '../core/identity/users.js';
import { createRole, listRolesOp } from '../core/identity/roles.js';
import { reviewStatus } from '../core/identity/review.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/**
 * Identity on headless hosts: the local operator at the machine creates the first Administrator,
 * manages accounts and roles, and checks the access review. Every command is a core operation,
 * audited as the local operator.
 */

const list = (max: number) =>
  z
    .string()
    .max(max * 64)
    .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0));

const date = (ms: number | null): string => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

function userLine(u: UserSummary): string {
  const twoFactor = u.twoFactor.enabled ? '2FA on' : u.twoFactor.pending ? '2FA awaiting verify-2fa' : u.twoFactor.required ? '2FA REQUIRED, not set up' : '2FA off';
  return `${String(u.id).padStart(4)}  ${u.email}  ${u.name}  [${u.roles.join(', ') || 'no roles'}]  ${u.status}  ${twoFactor}  last sign-in ${date(u.lastSignInAt)}`;
}

export const userCreate = defineCommand({
  name: 'user create',
  summary: 'create an account (the first one should be an Administrator) with 2FA enrolment',
  usage: [
    '--email E        e-mail address (the sign-in name)',
    '--name N         display name',
    '--role R         role name; repeat or comma-separate for several (see `cairn role list`)',
    '--password-stdin read the password from standard input; without it a temporary one is printed',
    dataDirUsage,
  ],
  options: { ...dataDirFlag, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' } },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    email: z.string({ error: 'is required' }),
    name: z.string({ error: 'is required' }),
    role: z.array(z.string()).min(1, 'give at least one').transform((roles) => roles.flatMap((r) => r.split(',').map((p) => p.trim()))),
    'password-stdin': z.boolean().default(false),
  }),
  async run(args, io) {
    const password = args['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
    const created = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(createUser, localOperator, { email: args.email, name: args.name, roles: args.role, enrolTwoFactor: true, ...(password === undefined ? {} : { password }) }),
    );
    const qr = io.json ? '' : await QRCode.toString(created.totpUri!, { type: 'terminal', small: true });
    return {
      json: { id: created.id, email: created.email, roles: created.roles, totpUri: created.totpUri, recoveryCodes: created.recoveryCodes, ...(created.temporaryPassword ? { temporaryPassword: created.temporaryPassword } : {}) },
      text: [
        `Created user ${created.id} ${created.email} [${created.roles.join(', ')}]`,
        ...(created.temporaryPassword ? [`Temporary password (must be changed at first sign-in): ${created.temporaryPassword}`] : []),
        '',
        'Scan this in an authenticator app, then finish with:',
        `  cairn user verify-2fa --email ${created.email} --code <6-digit code>`,
        qr,
        created.totpUri!,
        '',
        'Recovery codes (each works once; store them offline, they are not shown again):',
        ...created.recoveryCodes!.map((c) => `  ${c}`),
      ].join('\n'),
    };
  },
});

export const userVerify2fa = defineCommand({
  name: 'user verify-2fa',
  summary: 'complete the 2FA enrolment of an account created with `user create`',
  usage: ['--email E        the account', '--code C         the current code from the authenticator app', dataDirUsage],
  options: { ...dataDirFlag, email: { type: 'string' }, code: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, email: z.string({ error: 'is required' }), code: z.string({ error: 'is required' }) }),
  async run(args, io) {
    await withCore(args['data-dir'], io.env, (core) => core.executeAsync(confirmUserTwoFactorOp, localOperator, { email: args.email, code: args.code }));
    return { json: { email: args.email.toLowerCase(), twoFactor: 'enabled' }, text: `Two-factor authentication is on for ${args.email.toLowerCase()}` };
  },
});

export const userList = defineCommand({
  name: 'user list',
  summary: 'list accounts with roles, 2FA state and last sign-in',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const users = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(listUsersOp, localOperator, {}));
    return { json: users, text: users.length === 0 ? 'No users yet; create the first Administrator with `cairn user create`' : users.map(userLine).join('\n') };
  },
});

export const userDisable = defineCommand({
  name: 'user disable',
  summary: 'disable an account: its sessions end and its API keys stop working',
  usage: ['--email E        the account', dataDirUsage],
  options: { ...dataDirFlag, email: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, email: z.string({ error: 'is required' }) }),
  async run(args, io) {
    const user = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(disableUserOp, localOperator, { email: args.email }));
    return { json: user, text: `Disabled ${user.email}` };
  },
});

export const roleList = defineCommand({
  name: 'role list',
  summary: 'list roles and their permissions',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const roles = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(listRolesOp, localOperator, {}));
    return {
      json: roles,
      text: roles.map((r) => `${r.name}${r.builtIn ? '' : ' (custom)'}: ${r.permissions.join(' ')}  — ${r.members} member(s)`).join('\n'),
    };
  },
});

export const roleCreate = defineCommand({
  name: 'role create',
  summary: 'create a custom role from permissions',
  usage: ['--name N         role name', '--permissions P  comma-separated permission names, e.g. incidents.read,incidents.write', '--description D  what the role is for', dataDirUsage],
  options: { ...dataDirFlag, name: { type: 'string' }, permissions: { type: 'string' }, description: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, name: z.string({ error: 'is required' }), permissions: list(32), description: z.string().optional() }),
  async run(args, io) {
    const role = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(createRole, localOperator, { name: args.name, permissions: args.permissions, ...(args.description === undefined ? {} : { description: args.description }) }),
    );
    return { json: role, text: `Created role ${role.name}: ${role.permissions.join(' ')}` };
  },
});

export const reviewStatusCommand = defineCommand({
  name: 'review status',
  summary: 'show the access review: when it is due and every account with its access',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const status = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(reviewStatus, localOperator, {}));
    const head = status.lastReview
      ? `Last access review ${date(status.lastReview.completedAt)} by ${status.lastReview.reviewer}; next due ${date(status.dueAt)}${status.overdue ? ' — OVERDUE' : ''}`
      : `No access review recorded yet${status.overdue ? ' — OVERDUE' : ''} (policy: every ${status.intervalDays} days)`;
    const lines = status.users.map((u) => `${userLine(u)}  ${u.liveApiKeys} API key(s)${u.inactive ? `  INACTIVE > ${status.inactiveAfterDays} days` : ''}`);
    return { json: status, text: [head, ...lines].join('\n') };
  },
});

export const IDENTITY_COMMANDS = [userCreate, userVerify2fa, userList, userDisable, roleList, roleCreate, reviewStatusCommand];
