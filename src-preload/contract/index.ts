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
      user: z.strictObject({ email: z.string(), name: z.string(), permissions: z.array(z.string()), twoFactorEnabled: z.boolean() }).nullable(),
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
      attention: z.array(z.strictObject({ id: z.number(), name: z.string(), status: z.string() })),
      openIncidents: z.array(z.strictObject({ id: z.number(), name: z.string(), status: z.string(), draft: z.boolean() })),
    }),
    requires: 'incidents.read',
  },
  'incidents.list': {
    input: page,
    output: paged(z.strictObject({ id: z.number(), name: z.string(), status: z.string(), draft: z.boolean(), occurredAt: z.number(), updates: z.number() })),
    requires: 'incidents.read',
  },
  'incidents.create': {
    input: z.strictObject({ name: text(255), message: text(20_000), status: incidentStatus }),
    output: z.strictObject({ id: z.number(), draft: z.boolean() }),
    requires: 'incidents.write',
  },
  /** An update on the timeline; status Fixed resolves the incident. */
  'incidents.addUpdate': {
    input: z.strictObject({ incidentId: z.number().int().min(1), message: text(20_000), status: incidentStatus }),
    output: z.strictObject({ id: z.number(), pendingApproval: z.boolean() }),
    requires: 'incidents.write',
  },
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
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Contract = typeof CONTRACT;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
/** A channel's input after its schema parsed it (defaults filled in), as main's handlers get it. */
export type ParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

/** What every invoke resolves to: never a thrown error, never a stack trace. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
