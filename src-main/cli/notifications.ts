import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { definedFields } from '../core/patch.js';
import { configureProvider, getNotifications, setProviderEnabled, PROVIDER_KINDS } from '../core/notifications/providers.js';
import { listDeliveriesOp, retryDelivery } from '../core/notifications/outbox.js';
import { EVENT_KINDS, updateNotificationSettings } from '../core/notifications/settings.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/**
 * `cairn notifications …`: providers (off until configured here or in the console), which events
 * notify, and the delivery outbox. Credentials are read from standard input, never from an option
 * (options end up in shell history and process lists), and go to the OS keychain.
 */

const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');
const stdinLine = async (readStdin: () => Promise<string>) => (await readStdin()).replace(/\r?\n$/, '');

export const notificationsShow = defineCommand({
  name: 'notifications show',
  summary: 'show the notification providers (on/off, non-secret settings) and which events notify',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const state = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(getNotifications, localOperator, {}));
    const providers = state.providers.map((p) => `${p.kind.padEnd(8)} ${p.enabled ? 'on ' : 'off'} ${p.hasSecret ? 'credential in keychain' : 'no credential'} ${JSON.stringify(p.config)}`);
    const events = Object.entries(state.settings.events).map(([k, on]) => `${k.padEnd(22)} ${on ? 'on' : 'off'}`);
    return { json: state, text: ['Providers:', ...providers, '', 'Events:', ...events, '', `publicUrl ${state.settings.publicUrl ?? '(not set)'}`].join('\n') };
  },
});

export const notificationsSettings = defineCommand({
  name: 'notifications settings',
  summary: 'change which events notify, the public URL used in messages, retries and webhook network rules',
  usage: [
    '--public-url U        the status page address used in links (needed before e-mail is enabled)',
    `--event E=on|off      one of ${EVENT_KINDS.join(', ')} (repeatable)`,
    '--suppress-during-maintenance on|off  no component status notices during its maintenance',
    '--allow-insecure-http on|off  let webhook URLs be plain http',
    '--internal-network CIDR       a private network webhooks may reach (repeatable; replaces the list)',
    '--no-internal-networks        empty that list',
    '--retry-base-seconds N  --max-attempts N  --lease-seconds N  --unconfirmed-ttl-hours N',
    dataDirUsage,
  ],
  options: {
    ...dataDirFlag,
    'public-url': { type: 'string' },
    event: { type: 'string', multiple: true },
    'suppress-during-maintenance': { type: 'string' },
    'allow-insecure-http': { type: 'string' },
    'internal-network': { type: 'string', multiple: true },
    'no-internal-networks': { type: 'boolean' },
    'retry-base-seconds': { type: 'string' },
    'max-attempts': { type: 'string' },
    'lease-seconds': { type: 'string' },
    'unconfirmed-ttl-hours': { type: 'string' },
  },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    'public-url': z.string().optional(),
    event: z
      .array(z.string().regex(/^[a-z.]+=(on|off)$/, 'must be EVENT=on or EVENT=off'))
      .max(20)
      .optional()
      .transform((list) => (list ? Object.fromEntries(list.map((e) => [e.split('=')[0], e.endsWith('=on')])) : undefined)),
    'suppress-during-maintenance': onOff.optional(),
    'allow-insecure-http': onOff.optional(),
    'internal-network': z.array(z.string()).max(50).optional(),
    'no-internal-networks': z.boolean().optional(),
    'retry-base-seconds': z.string().optional(),
    'max-attempts': z.string().optional(),
    'lease-seconds': z.string().optional(),
    'unconfirmed-ttl-hours': z.string().optional(),
  }),
  async run(args, io) {
    const patch = definedFields({
      publicUrl: args['public-url'],
      events: args.event,
      suppressDuringMaintenance: args['suppress-during-maintenance'],
      allowInsecureHttp: args['allow-insecure-http'],
      internalAllowlist: args['no-internal-networks'] ? [] : args['internal-network'],
      retryBaseSeconds: args['retry-base-seconds'],
      maxAttempts: args['max-attempts'],
      leaseSeconds: args['lease-seconds'],
      unconfirmedTtlHours: args['unconfirmed-ttl-hours'],
    });
    const settings = await withCore(args['data-dir'], io.env, async (core) => core.execute(updateNotificationSettings, localOperator, patch));
    return { json: settings, text: 'Notification settings saved.' };
  },
});

export const notificationsSmtp = defineCommand({
  name: 'notifications smtp',
  summary: 'configure and enable e-mail (SMTP); the password is read from standard input',
  usage: [
    '--host H  --port P    the mail server (port default 587)',
    '--security S          starttls (default), tls, or none (a relay on this machine only)',
    '--username U          sign in as U; with --password-stdin',
    '--from-address A  --from-name N   the sender',
    '--password-stdin      read the SMTP password from standard input (kept in the OS keychain)',
    '--disabled            save it without turning it on',
    dataDirUsage,
  ],
  options: {
    ...dataDirFlag,
    host: { type: 'string' },
    port: { type: 'string' },
    security: { type: 'string' },
    username: { type: 'string' },
    'from-address': { type: 'string' },
    'from-name': { type: 'string' },
    'password-stdin': { type: 'boolean' },
    disabled: { type: 'boolean' },
  },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    host: z.string(),
    port: z.string().optional(),
    security: z.string().optional(),
    username: z.string().optional(),
    'from-address': z.string(),
    'from-name': z.string(),
    'password-stdin': z.boolean().default(false),
    disabled: z.boolean().default(false),
  }),
  async run(args, io) {
    const password = args['password-stdin'] ? await stdinLine(io.readStdin) : undefined;
    const config = definedFields({ host: args.host, port: args.port, security: args.security, username: args.username, fromAddress: args['from-address'], fromName: args['from-name'] });
    const result = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(configureProvider, localOperator, { kind: 'smtp', enabled: !args.disabled, config, ...(password === undefined ? {} : { password }) }),
    );
    return { json: result, text: `E-mail is ${result.enabled ? 'on' : 'configured but off'}.` };
  },
});

export const notificationsWebhook = defineCommand({
  name: 'notifications webhook',
  summary: 'configure and enable the signed JSON webhook; prints a new signing secret once unless one is given',
  usage: ['--url U             where to POST events (https unless allowed otherwise)', '--secret-stdin      read the signing secret from standard input', '--disabled          save it without turning it on', dataDirUsage],
  options: { ...dataDirFlag, url: { type: 'string' }, 'secret-stdin': { type: 'boolean' }, disabled: { type: 'boolean' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, url: z.string(), 'secret-stdin': z.boolean().default(false), disabled: z.boolean().default(false) }),
  async run(args, io) {
    const secret = args['secret-stdin'] ? await stdinLine(io.readStdin) : undefined;
    const result = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(configureProvider, localOperator, { kind: 'webhook', enabled: !args.disabled, config: { url: args.url }, ...(secret === undefined ? {} : { secret }) }),
    );
    const shown = result.generatedSecret ? `\nSigning secret (shown once; give it to the receiver): ${result.generatedSecret}` : '';
    return { json: result, text: `The webhook is ${result.enabled ? 'on' : 'configured but off'}.${shown}` };
  },
});

export const notificationsSlack = defineCommand({
  name: 'notifications slack',
  summary: 'configure and enable a Slack incoming webhook; its URL (a credential) is read from standard input',
  usage: ['--disabled          save it without turning it on', dataDirUsage],
  options: { ...dataDirFlag, disabled: { type: 'boolean' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, disabled: z.boolean().default(false) }),
  async run(args, io) {
    const url = await stdinLine(io.readStdin);
    const result = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(configureProvider, localOperator, { kind: 'slack', enabled: !args.disabled, url }));
    return { json: result, text: `Slack is ${result.enabled ? 'on' : 'configured but off'}.` };
  },
});

const providerSwitch = (enabled: boolean) =>
  defineCommand({
    name: `notifications ${enabled ? 'enable' : 'disable'}`,
    summary: `turn a configured provider ${enabled ? 'on' : 'off'}`,
    usage: [`--provider P        ${PROVIDER_KINDS.join(', ')}`, dataDirUsage],
    options: { ...dataDirFlag, provider: { type: 'string' } },
    schema: z.strictObject({ 'data-dir': dataDirOption, provider: z.string() }),
    async run(args, io) {
      const result = await withCore(args['data-dir'], io.env, async (core) => core.execute(setProviderEnabled, localOperator, { kind: args.provider, enabled }));
      return { json: result, text: `${result.kind} is ${result.enabled ? 'on' : 'off'}.` };
    },
  });

export const notificationsOutbox = defineCommand({
  name: 'notifications outbox',
  summary: 'list deliveries: sent, waiting for a retry, or failed (and why)',
  usage: ['--state S           pending, sent or failed', '--page N', dataDirUsage],
  options: { ...dataDirFlag, state: { type: 'string' }, page: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, state: z.string().optional(), page: z.string().optional() }),
  async run(args, io) {
    const input = definedFields({ state: args.state, page: args.page });
    const page = await withCore(args['data-dir'], io.env, async (core) => core.execute(listDeliveriesOp, localOperator, input));
    const lines = page.items.map((d) => `${String(d.id).padStart(6)} ${d.channel.padEnd(7)} ${(d.eventKind ?? d.message).padEnd(22)} ${d.state.padEnd(7)} attempts ${d.attempts}${d.lastError ? `  ${d.lastError}` : ''}`);
    return { json: page, text: lines.length > 0 ? [...lines, `(${page.total} in all)`].join('\n') : 'No deliveries.' };
  },
});

export const notificationsRetry = defineCommand({
  name: 'notifications retry',
  summary: 'send a failed delivery again',
  usage: ['--id N', dataDirUsage],
  options: { ...dataDirFlag, id: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, id: z.string() }),
  async run(args, io) {
    const delivery = await withCore(args['data-dir'], io.env, async (core) => core.execute(retryDelivery, localOperator, { id: args.id }));
    return { json: delivery, text: `Delivery ${delivery.id} will be sent again.` };
  },
});

export const NOTIFICATION_COMMANDS = [
  notificationsShow,
  notificationsSettings,
  notificationsSmtp,
  notificationsWebhook,
  notificationsSlack,
  providerSwitch(true),
  providerSwitch(false),
  notificationsOutbox,
  notificationsRetry,
];
