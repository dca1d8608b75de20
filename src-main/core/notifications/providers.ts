import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { listProviderRows, writeProviderRow, type ProviderKind } from '../../db/notifications.js';
import { CairnError } from '../errors.js';
import { defineOperation } from '../operation.js';
import { emailAddress, flag, httpUrl, int, line, optionalLine } from '../schemas.js';
import { loadNotificationSettings, type NotificationSettings } from './settings.js';

export const PROVIDER_KINDS = ['smtp', 'webhook', 'slack'] as const satisfies readonly ProviderKind[];
export type { ProviderKind };

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'must be a host name or IP address');

/** A secret as typed: one line, no control characters, bounded. */
const secret = z.string().min(1, 'must not be empty').max(512).regex(/^[^\p{Cc}]+$/u, 'must be one line without control characters');

export const SmtpConfig = z.strictObject({
  host: hostName,
  port: int(1, 65535).default(587),
  /** `tls`: TLS from the first byte (465); `starttls`: upgrade required (587); `none`: plain, for a relay on this machine only. */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  username: optionalLine(254).default(''),
  fromAddress: emailAddress,
  fromName: line(100),
});
export type SmtpConfig = z.output<typeof SmtpConfig>;

export const WebhookConfig = z.strictObject({ url: httpUrl });
export type WebhookConfig = z.output<typeof WebhookConfig>;

/** A Slack incoming-webhook URL is itself the credential: it is kept in the keychain, only its host here. */
const SlackConfig = z.strictObject({});

const configure = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('smtp'), enabled: flag.default(true), config: SmtpConfig, password: secret.optional() }),
  z.strictObject({ kind: z.literal('webhook'), enabled: flag.default(true), config: WebhookConfig, secret: secret.min(16, 'must be at least 16 characters').optional() }),
  z.strictObject({ kind: z.literal('slack'), enabled: flag.default(true), config: SlackConfig.default({}), url: httpUrl }),
]);

export interface ProviderView {
  readonly kind: ProviderKind;
  readonly enabled: boolean;
  /** Non-secret settings (never a password, secret or Slack URL). */
  readonly config: Record<string, unknown>;
  /** Whether its credential is in the keychain. */
  readonly hasSecret: boolean;
  readonly updatedAt: number | null;
}

export function providerRows(db: Db): Map<ProviderKind, { enabled: boolean; config: Record<string, unknown>; updatedAt: number }> {
  return new Map(listProviderRows(db).map((r) => [r.kind, r]));
}

function checkTargetUrl(url: string, settings: NotificationSettings, field: string): void {
  if (new URL(url).protocol !== 'https:' && !settings.allowInsecureHttp) {
    throw new CairnError('invalid_input', `${field}: must be an https URL (plain http needs the allowInsecureHttp setting)`, field);
  }
}

/**
 * Configures (and by default enables) one provider. Its credential goes to the OS keychain in the
 * prepare step; only non-secret settings reach SQLite. A webhook without a given secret gets a
 * random one, shown once in the answer so the receiver can be set up to verify signatures.
 */
export const configureProvider = defineOperation({
  name: 'notifications.configureProvider',
  requires: 'notifications.manage',
  reauth: true,
  input: configure,
  async prepare(ctx, input): Promise<{ generatedSecret: string | null }> {
    const settings = loadNotificationSettings(ctx.db);
    if (input.kind === 'webhook') checkTargetUrl(input.config.url, settings, 'config.url');
    if (input.kind === 'slack') checkTargetUrl(input.url, settings, 'url');
    if (input.kind === 'smtp' && input.enabled && settings.publicUrl === null) {
      throw new CairnError('conflict', 'Set the status page’s public URL (notifications settings) first: confirmation mails link to it');
    }
    const secrets = ctx.providerSecrets;
    if (input.kind === 'smtp') {
      if (input.password !== undefined) await secrets.set('smtp', input.password);
      else if (input.config.username === '') await secrets.delete('smtp');
      return { generatedSecret: null };
    }
    if (input.kind === 'webhook') {
      const generated = input.secret === undefined && (await secrets.get('webhook')) === null ? randomBytes(32).toString('base64url') : null;
      const value = input.secret ?? generated;
      if (value !== null) await secrets.set('webhook', value);
      return { generatedSecret: generated };
    }
    await secrets.set('slack', input.url);
    return { generatedSecret: null };
  },
  run(ctx, input, prepared): { kind: ProviderKind; enabled: boolean; config: Record<string, unknown>; generatedSecret: string | null } {
    const config = input.kind === 'slack' ? { host: new URL(input.url).host } : input.config;
    const before = providerRows(ctx.db).get(input.kind);
    writeProviderRow(ctx.db, input.kind, input.enabled, config, ctx.now);
    ctx.audit({
      action: 'notifications.configureProvider',
      targetType: 'provider',
      targetId: input.kind,
      // Which settings changed, never a credential (only that one was set).
      details: { enabled: [before?.enabled ?? false, input.enabled], config, credentialSet: input.kind !== 'smtp' || input.password !== undefined },
    });
    return { kind: input.kind, enabled: input.enabled, config, generatedSecret: prepared.generatedSecret };
  },
});

export const setProviderEnabled = defineOperation({
  name: 'notifications.setProviderEnabled',
  requires: 'notifications.manage',
  reauth: true,
  input: z.strictObject({ kind: z.enum(PROVIDER_KINDS), enabled: flag }),
  run(ctx, { kind, enabled }): { kind: ProviderKind; enabled: boolean } {
    const row = providerRows(ctx.db).get(kind);
    if (!row) throw new CairnError('conflict', `The ${kind} provider is not configured yet (and so is off); configure it first`);
    if (enabled && kind === 'smtp' && loadNotificationSettings(ctx.db).publicUrl === null) {
      throw new CairnError('conflict', 'Set the status page’s public URL (notifications settings) first: confirmation mails link to it');
    }
    writeProviderRow(ctx.db, kind, enabled, row.config, ctx.now);
    ctx.audit({ action: 'notifications.setProviderEnabled', targetType: 'provider', targetId: kind, details: { enabled: [row.enabled, enabled] } });
    return { kind, enabled };
  },
});

/** The providers (all three, configured or not), whether their credential is present, and the settings. */
export const getNotifications = defineOperation({
  name: 'notifications.get',
  requires: 'notifications.manage',
  readOnly: true,
  input: z.strictObject({}),
  async prepare(ctx): Promise<Record<ProviderKind, boolean>> {
    const has = await Promise.all(PROVIDER_KINDS.map(async (kind) => (await ctx.providerSecrets.get(kind).catch(() => null)) !== null));
    return { smtp: has[0]!, webhook: has[1]!, slack: has[2]! };
  },
  run(ctx, _input, hasSecret): { providers: ProviderView[]; settings: NotificationSettings } {
    const rows = providerRows(ctx.db);
    const providers = PROVIDER_KINDS.map((kind) => {
      const row = rows.get(kind);
      return { kind, enabled: row?.enabled ?? false, config: row?.config ?? {}, hasSecret: hasSecret[kind], updatedAt: row?.updatedAt ?? null };
    });
    return { providers, settings: loadNotificationSettings(ctx.db) };
  },
});
