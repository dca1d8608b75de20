import { z } from 'zod';
import type { SessionStage } from '../../src-main/core/authorizer.js';
import type { Requirement } from '../../src-main/core/permissions.js';
import type { ChannelName } from './channels.js';

/**
 * THE IPC contract: for each channel its input and output schema and the permission it needs.
 * Main validates both directions with these (and the core checks permission and input again with
 * its own schemas); the renderer uses the input schemas to validate forms before sending.
 */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly requires: Requirement;
  /** For `self` channels: the sign-in stages allowed (default: fully signed in). */
  readonly stages?: readonly SessionStage[];
}

const none = z.strictObject({});
const page = z.strictObject({ page: z.number().int().min(1).max(100_000).default(1) });
const paged = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), total: z.number().int(), page: z.number().int(), perPage: z.number().int() });
const stage = z.enum(['anonymous', 'mfa', 'setup', 'full']);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const user = z.strictObject({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  status: z.string(),
  roles: z.array(z.string()),
  twoFactor: z.boolean(),
  lastSignInAt: z.number().nullable(),
});
const policy = z.strictObject({
  require2fa: z.enum(['all', 'admins', 'off']),
  passwordMinLength: z.number().int().min(8).max(128),
  sessionIdleMinutes: z.number().int().min(1).max(1440),
  apiKeyMaxLifetimeDays: z.number().int().min(1).max(3650),
  twoPersonRule: z.boolean(),
});
const site = z.strictObject({ siteName: z.string(), about: z.string(), timezone: z.string(), accentColor: z.string() });

export const COMPONENT_STATUSES = { 1: 'Operational', 2: 'Performance Issues', 3: 'Partial Outage', 4: 'Major Outage', 6: 'Under Maintenance' } as const;
const componentStatus = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6)]);

export const INCIDENT_STATUSES = { 1: 'Investigating', 2: 'Identified', 3: 'Watching', 4: 'Fixed' } as const;
const incidentStatus = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

export const CONTRACT = {
  'app.info': {
    input: none,
    output: z.strictObject({ name: z.string(), version: z.string(), mode: z.enum(['production', 'development']) }),
    requires: 'public',
  },
  /** Who is signed in on this window (the session itself stays in main). */
  'session.state': {
    input: none,
    output: z.strictObject({
      stage,
      /** No account exists yet: the window offers to create the first Administrator. */
      firstRun: z.boolean(),
      user: z.strictObject({ email: z.string(), name: z.string(), permissions: z.array(z.string()), twoFactorEnabled: z.boolean(), idleLockMinutes: z.number() }).nullable(),
    }),
    requires: 'public',
  },
  'session.signIn': {
    input: z.strictObject({ email: text(254), password: z.string().min(1, 'must not be empty').max(1024) }),
    output: z.strictObject({ stage }),
    requires: 'public',
  },
  /** The second factor: a TOTP code or a recovery code. */
  'session.verify': {
    input: z.strictObject({ code: text(40) }),
    output: z.strictObject({ stage }),
    requires: 'public',
  },
  'session.signOut': { input: none, output: z.strictObject({ stage }), requires: 'public' },
  /** First run only (no account exists): the first Administrator, signed in to enrol 2FA next. */
  'setup.createAdministrator': {
    input: z.strictObject({ email: text(254), name: text(120), password: z.string().min(1, 'must not be empty').max(1024) }),
    output: z.strictObject({ stage }),
    requires: 'public',
  },
  /** The password policy's verdict as it is typed (nothing stored). */
  'password.assess': {
    input: z.strictObject({ password: z.string().max(1024), email: z.string().max(254).optional(), name: z.string().max(120).optional() }),
    output: z.strictObject({
      acceptable: z.boolean(),
      problem: z.string().nullable(),
      score: z.number().nullable(),
      warning: z.string().nullable(),
      suggestions: z.array(z.string()),
      minLength: z.number(),
    }),
    requires: 'public',
  },
  /** Starts TOTP enrolment: the secret as a QR code (and text) for the authenticator app. */
  'twoFactor.begin': {
    input: none,
    output: z.strictObject({ secret: z.string(), uri: z.string(), qr: z.string().startsWith('data:image/png;base64,') }),
    requires: 'self',
    stages: ['setup', 'full'],
  },
  'twoFactor.confirm': {
    input: z.strictObject({ code: text(40) }),
    output: z.strictObject({ recoveryCodes: z.array(z.string()) }),
    requires: 'self',
    stages: ['setup', 'full'],
  },
  'dashboard.get': {
    input: none,
    output: z.strictObject({
      overall: z.strictObject({ level: z.string(), message: z.string() }),
      openIncidents: z.array(z.strictObject({ id: z.number(), name: z.string(), status: z.string(), draft: z.boolean() })),
    }),
    requires: 'incidents.read',
  },
  /** The security posture: counts, and what is not passing with its fix. */
  'posture.get': {
    input: none,
    output: z.strictObject({
      pass: z.number(),
      warn: z.number(),
      fail: z.number(),
      problems: z.array(z.strictObject({ title: z.string(), status: z.string(), fix: z.string() })),
    }),
    requires: { anyOf: ['settings.manage', 'audit.read'] },
  },
  'incidents.list': {
    input: page,
    output: paged(
      z.strictObject({ id: z.number(), name: z.string(), status: z.string(), draft: z.boolean(), needsApproval: z.boolean(), occurredAt: z.number(), updates: z.number() }),
    ),
    requires: 'incidents.read',
  },
  /** Status and (optionally) an affected component's status in one step. */
  'incidents.create': {
    input: z.strictObject({ name: text(255), message: text(20_000), status: incidentStatus, componentId: z.number().int().min(1).optional(), componentStatus: componentStatus.optional() }),
    output: z.strictObject({ id: z.number(), draft: z.boolean() }),
    requires: 'incidents.write',
  },
  /** An update on the timeline; status Fixed resolves the incident. */
  'incidents.addUpdate': {
    input: z.strictObject({
      incidentId: z.number().int().min(1),
      message: text(20_000),
      status: incidentStatus,
      componentId: z.number().int().min(1).optional(),
      componentStatus: componentStatus.optional(),
    }),
    output: z.strictObject({ id: z.number(), pendingApproval: z.boolean() }),
    requires: 'incidents.write',
  },
  /** Two-person rule: a second person approves a draft as it stands (not its writer). */
  'incidents.approve': { input: z.strictObject({ id: z.number().int().min(1) }), output: z.strictObject({ id: z.number() }), requires: 'incidents.approve' },
  'incidents.publish': { input: z.strictObject({ id: z.number().int().min(1) }), output: z.strictObject({ id: z.number(), draft: z.boolean() }), requires: 'incidents.publish' },
  /** The Markdown as the public page will show it: rendered and sanitized by the same code. */
  'markdown.preview': {
    input: z.strictObject({ markdown: z.string().max(20_000, 'must be at most 20000 characters') }),
    output: z.strictObject({ html: z.string() }),
    requires: 'incidents.write',
  },
  'deliveries.list': {
    input: z.strictObject({ page: page.shape.page, state: z.enum(['pending', 'sent', 'failed']).optional() }),
    output: paged(
      z.strictObject({ id: z.number(), channel: z.string(), what: z.string(), state: z.string(), attempts: z.number(), lastError: z.string().nullable(), createdAt: z.number() }),
    ),
    requires: 'notifications.manage',
  },
  'deliveries.retry': { input: z.strictObject({ id: z.number().int().min(1) }), output: z.strictObject({ id: z.number(), state: z.string() }), requires: 'notifications.manage' },
  'apikeys.list': {
    input: none,
    output: z.array(z.strictObject({ id: z.string(), name: z.string(), scopes: z.array(z.string()), state: z.string(), useCount: z.number(), lastUsedAt: z.number().nullable(), expiresAt: z.number().nullable() })),
    requires: 'apikeys.manage',
  },
  /** The key's secret is in this answer only, once. */
  'apikeys.create': {
    input: z.strictObject({ name: text(100), scopes: z.array(z.string().max(40)).min(1, 'choose at least one scope').max(20), expiresInDays: z.number().int().min(1).max(3650) }),
    output: z.strictObject({ id: z.string(), key: z.string() }),
    requires: 'apikeys.manage',
  },
  'apikeys.rotate': {
    input: z.strictObject({ id: z.string().max(40), overlapDays: z.number().int().min(0).max(7) }),
    output: z.strictObject({ id: z.string(), key: z.string(), previousExpiresAt: z.number() }),
    requires: 'apikeys.manage',
  },
  'apikeys.revoke': { input: z.strictObject({ id: z.string().max(40) }), output: z.strictObject({ id: z.string() }), requires: 'apikeys.manage' },
  /** A fresh proof of password and code, which sensitive acts ask for (5 minutes). */
  'session.reauth': {
    input: z.strictObject({ password: z.string().min(1, 'must not be empty').max(1024), code: z.string().trim().max(40).optional() }),
    output: z.strictObject({ confirmed: z.literal(true) }),
    requires: 'self',
  },
  'users.list': {
    input: none,
    output: z.strictObject({ users: z.array(user), roles: z.array(z.strictObject({ id: z.number(), name: z.string(), builtIn: z.boolean(), permissions: z.array(z.string()) })), permissions: z.array(z.string()) }),
    requires: 'users.read',
  },
  'users.setRoles': { input: z.strictObject({ id: z.number().int().min(1), roles: z.array(z.string().max(60)).max(20) }), output: user, requires: 'users.manage' },
  'users.disable': { input: z.strictObject({ id: z.number().int().min(1) }), output: user, requires: 'users.manage' },
  /** A custom role from named permissions (only what the creator holds can be granted). */
  'roles.create': {
    input: z.strictObject({ name: text(60), description: z.string().max(255), permissions: z.array(z.string().max(40)).min(1, 'choose at least one permission').max(40) }),
    output: z.strictObject({ id: z.number(), name: z.string() }),
    requires: 'users.manage',
  },
  /** The periodic access review: who has what, when the last review was, and who reviewed. */
  'review.status': {
    input: none,
    output: z.strictObject({
      dueAt: z.number().nullable(),
      overdue: z.boolean(),
      lastReview: z.strictObject({ completedAt: z.number(), reviewer: z.string(), note: z.string() }).nullable(),
      users: z.array(user.extend({ inactive: z.boolean(), liveApiKeys: z.number() })),
    }),
    requires: { anyOf: ['users.manage', 'audit.review'] },
  },
  'review.record': {
    input: z.strictObject({
      note: z.string().max(1000),
      decisions: z.array(z.strictObject({ userId: z.number().int().min(1), decision: z.enum(['confirm', 'disable']) })).max(10_000),
    }),
    output: z.strictObject({ id: z.number(), confirmed: z.number(), changed: z.number(), disabled: z.number() }),
    requires: { anyOf: ['users.manage', 'audit.review'] },
  },
  'audit.list': {
    input: z.strictObject({
      page: page.shape.page,
      action: z.string().max(100).optional(),
      outcome: z.enum(['ok', 'denied', 'failed']).optional(),
      preset: z.enum(['role-changes', 'api-key-events', 'failed-sign-ins', 'incident-publications', 'security-settings']).optional(),
    }),
    output: paged(z.strictObject({ id: z.number(), at: z.number(), actor: z.string(), client: z.string(), action: z.string(), target: z.string(), outcome: z.string(), details: z.string() })),
    requires: 'audit.read',
  },
  /** The whole log with its chain hashes, for a file the user saves. */
  'audit.export': { input: z.strictObject({ format: z.enum(['jsonl', 'csv']) }), output: z.strictObject({ content: z.string(), entries: z.number() }), requires: 'audit.read' },
  'components.list': {
    input: z.strictObject({ page: page.shape.page, perPage: z.number().int().min(1).max(100).optional() }),
    output: paged(z.strictObject({ id: z.number(), name: z.string(), status: z.number(), statusName: z.string(), order: z.number(), enabled: z.boolean(), groupId: z.number().nullable() })),
    requires: 'components.read',
  },
  'components.create': { input: z.strictObject({ name: text(255), status: componentStatus }), output: z.strictObject({ id: z.number() }), requires: 'components.write' },
  'components.update': {
    input: z.strictObject({
      id: z.number().int().min(1),
      status: componentStatus.optional(),
      order: z.number().int().min(0).max(1_000_000).optional(),
      groupId: z.number().int().min(1).nullable().optional(),
    }),
    output: z.strictObject({ id: z.number(), status: z.number(), order: z.number() }),
    requires: 'components.write',
  },
  'groups.list': { input: none, output: z.array(z.strictObject({ id: z.number(), name: z.string(), visible: z.boolean() })), requires: 'components.read' },
  'groups.create': { input: z.strictObject({ name: text(255) }), output: z.strictObject({ id: z.number() }), requires: 'components.write' },
  'maintenance.list': {
    input: page,
    output: paged(z.strictObject({ id: z.number(), name: z.string(), status: z.string(), scheduledAt: z.number(), completedAt: z.number().nullable() })),
    requires: 'maintenance.read',
  },
  /** `scheduledAt` as the datetime-local control gives it (in the site's timezone), ISO 8601, or unix seconds. */
  'maintenance.create': {
    input: z.strictObject({ name: text(255), message: z.string().max(20_000), scheduledAt: z.union([z.number().int(), z.string().max(40)]) }),
    output: z.strictObject({ id: z.number() }),
    requires: 'maintenance.write',
  },
  'maintenance.update': {
    input: z.strictObject({ scheduleId: z.number().int().min(1), status: z.union([z.literal(0), z.literal(1), z.literal(2)]), message: text(20_000) }),
    output: z.strictObject({ id: z.number(), status: z.string() }),
    requires: 'maintenance.write',
  },
  'metrics.list': { input: none, output: z.array(z.strictObject({ id: z.number(), name: z.string(), suffix: z.string(), places: z.number() })), requires: 'metrics.read' },
  /** The latest points of a metric, oldest first, for its chart. */
  'metrics.points': {
    input: z.strictObject({ metricId: z.number().int().min(1) }),
    output: z.strictObject({ points: z.array(z.strictObject({ at: z.number(), value: z.number() })), total: z.number() }),
    requires: 'metrics.read',
  },
  'subscribers.list': {
    input: page,
    output: paged(z.strictObject({ id: z.number(), email: z.string(), confirmed: z.boolean(), components: z.string(), createdAt: z.number() })),
    requires: 'subscribers.read',
  },
  /** Added unconfirmed: the address is sent a confirmation link (double opt-in) if e-mail is on. */
  'subscribers.add': { input: z.strictObject({ email: text(254) }), output: z.strictObject({ id: z.number() }), requires: 'subscribers.write' },
  'subscribers.remove': { input: z.strictObject({ id: z.number().int().min(1) }), output: z.strictObject({ id: z.number() }), requires: 'subscribers.write' },
  'subscribers.export': { input: none, output: z.strictObject({ content: z.string() }), requires: 'subscribers.read' },
  'security.get': { input: none, output: policy, requires: 'settings.manage' },
  'security.update': { input: policy.partial(), output: policy, requires: 'settings.manage' },
  'settings.get': { input: none, output: site, requires: 'settings.manage' },
  'settings.update': {
    input: z.strictObject({ siteName: text(120).optional(), about: z.string().max(5000).optional(), timezone: z.string().max(64).optional(), accentColor: z.string().max(7).optional() }),
    output: site,
    requires: 'settings.manage',
  },
  'notifications.get': {
    input: none,
    output: z.strictObject({
      providers: z.array(z.strictObject({ kind: z.enum(['smtp', 'webhook', 'slack']), enabled: z.boolean(), configured: z.boolean(), hasSecret: z.boolean(), summary: z.string() })),
      events: z.record(z.string(), z.boolean()),
      publicUrl: z.string().nullable(),
    }),
    requires: 'notifications.manage',
  },
  /** Configures (and turns on) a provider; its credential goes to the OS keychain, a new webhook secret is shown once. */
  'notifications.configure': {
    input: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('smtp'),
        host: text(253),
        port: z.number().int().min(1).max(65535),
        security: z.enum(['starttls', 'tls', 'none']),
        username: z.string().max(254),
        password: z.string().max(512).optional(),
        fromAddress: text(254),
        fromName: text(100),
      }),
      z.strictObject({ kind: z.literal('webhook'), url: text(2048), secret: z.string().max(512).optional() }),
      z.strictObject({ kind: z.literal('slack'), url: text(2048) }),
    ]),
    output: z.strictObject({ kind: z.string(), enabled: z.boolean(), generatedSecret: z.string().nullable() }),
    requires: 'notifications.manage',
  },
  'notifications.setProvider': {
    input: z.strictObject({ kind: z.enum(['smtp', 'webhook', 'slack']), enabled: z.boolean() }),
    output: z.strictObject({ kind: z.string(), enabled: z.boolean() }),
    requires: 'notifications.manage',
  },
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Contract = typeof CONTRACT;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
/** A channel's input after its schema parsed it (defaults filled in), as main's handlers get it. */
export type ParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

/** What every invoke resolves to: never a thrown error, never a stack trace. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
