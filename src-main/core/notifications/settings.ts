import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { readSettings, writeSetting } from '../../db/settings.js';
import { changedFields } from '../audit.js';
import { defineOperation } from '../operation.js';
import { applyPatch, definedFields } from '../patch.js';
import { flag, httpUrl, int } from '../schemas.js';

/** What can notify: Cachet users asked to hear of incidents but not of component flaps. */
export const EVENT_KINDS = [
  'incident.published',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'maintenance.started',
  'maintenance.completed',
  'component.status',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface NotificationSettings {
  /** Which events notify anyone at all. */
  readonly events: Readonly<Record<EventKind, boolean>>;
  /** No component status notifications for components under maintenance in progress. */
  readonly suppressDuringMaintenance: boolean;
  /** The status page's public address, for the links in messages (needed before e-mail is enabled). */
  readonly publicUrl: string | null;
  /** Unconfirmed subscribers are removed after this long. */
  readonly unconfirmedTtlHours: number;
  /** First retry after this long, doubling at each failed attempt (capped at an hour). */
  readonly retryBaseSeconds: number;
  /** A delivery that failed this many times is given up (and shown as failed). */
  readonly maxAttempts: number;
  /** How long a worker holds a delivery it is sending before another may take it over. */
  readonly leaseSeconds: number;
  /** Webhook and Slack URLs may be plain http (off: https only). */
  readonly allowInsecureHttp: boolean;
  /** Internal networks (CIDR) webhooks may reach; loopback, private and metadata ranges are refused otherwise. */
  readonly internalAllowlist: readonly string[];
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  events: {
    'incident.published': true,
    'incident.updated': true,
    'incident.resolved': true,
    'maintenance.scheduled': true,
    'maintenance.started': true,
    'maintenance.completed': true,
    'component.status': false,
  },
  suppressDuringMaintenance: false,
  publicUrl: null,
  unconfirmedTtlHours: 48,
  retryBaseSeconds: 30,
  maxAttempts: 8,
  leaseSeconds: 120,
  allowInsecureHttp: false,
  internalAllowlist: [],
};

const SETTINGS_KEY = 'notifications';

/** An IPv4 or IPv6 network in CIDR notation. */
export const cidr = z
  .string()
  .trim()
  .max(64)
  .refine((s) => {
    const [address, bits, ...rest] = s.split('/');
    if (rest.length > 0 || address === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    const version = isIP(address);
    return version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
  }, 'must be a network in CIDR notation, such as 10.0.0.0/8 or fd00::/8');

function isIP(address: string): 0 | 4 | 6 {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(address)) return address.split('.').every((o) => Number(o) <= 255) ? 4 : 0;
  return /^[0-9a-fA-F:.]+$/.test(address) && address.includes(':') && URL.canParse(`http://[${address}]/`) ? 6 : 0;
}

const SettingsPatch = z.strictObject({
  events: z.strictObject(Object.fromEntries(EVENT_KINDS.map((k) => [k, flag.optional()])) as Record<EventKind, z.ZodOptional<typeof flag>>).optional(),
  suppressDuringMaintenance: flag.optional(),
  publicUrl: httpUrl
    .refine((u) => new URL(u).search === '' && new URL(u).hash === '', 'must not have a query or fragment')
    .transform((u) => u.replace(/\/+$/, ''))
    .nullable()
    .optional(),
  unconfirmedTtlHours: int(1, 24 * 30).optional(),
  retryBaseSeconds: int(1, 3600).optional(),
  maxAttempts: int(1, 30).optional(),
  leaseSeconds: int(5, 3600).optional(),
  allowInsecureHttp: flag.optional(),
  internalAllowlist: z.array(cidr).max(50, 'at most 50 networks').optional(),
});

export function loadNotificationSettings(db: Db): NotificationSettings {
  const stored = readSettings(db).get(SETTINGS_KEY);
  const parsed = SettingsPatch.safeParse(stored ?? {});
  const saved = parsed.success ? parsed.data : {};
  return {
    ...applyPatch(DEFAULT_NOTIFICATION_SETTINGS, { ...saved, events: undefined }),
    events: { ...DEFAULT_NOTIFICATION_SETTINGS.events, ...definedFields(saved.events ?? {}) },
  };
}

export const updateNotificationSettings = defineOperation({
  name: 'notifications.updateSettings',
  requires: 'notifications.manage',
  // Opens or closes the way out of the network (http, internal targets, who is mailed): sensitive.
  reauth: true,
  input: SettingsPatch,
  run(ctx, patch): NotificationSettings {
    const before = loadNotificationSettings(ctx.db);
    const after: NotificationSettings = {
      ...applyPatch(before, { ...patch, events: undefined }),
      events: { ...before.events, ...definedFields(patch.events ?? {}) },
    };
    writeSetting(ctx.db, SETTINGS_KEY, after, ctx.now);
    const details = changedFields(before, after, [
      'events', 'suppressDuringMaintenance', 'publicUrl', 'unconfirmedTtlHours', 'retryBaseSeconds', 'maxAttempts', 'leaseSeconds', 'allowInsecureHttp', 'internalAllowlist']);
    ctx.audit({ action: 'notifications.updateSettings', targetType: 'settings', details });
    return after;
  },
});
