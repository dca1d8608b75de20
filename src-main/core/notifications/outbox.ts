import { z } from 'zod';
import { storeId, type Db } from '../../db/connection.js';
import {
  countDue,
  dueDeliveries,
  enabledProviderKinds,
  getDelivery,
  getOutboxEvent,
  insertDelivery,
  leaseDelivery,
  listDeliveries,
  markEventExpanded,
  recipientsOf,
  requeueDelivery,
  settleDelivery,
  staleUnconfirmed,
  unexpandedEvents,
  type DeliveryRow,
  type ProviderKind,
} from '../../db/notifications.js';
import { deleteSubscriberRow, getSubscriber } from '../../db/subscribers.js';
import { CairnError, notFound } from '../errors.js';
import { defineOperation } from '../operation.js';
import { flag, id, int, listQuery, type Page } from '../schemas.js';
import { loadSettings } from '../settings.js';
import type { EventPayload } from './events.js';
import { signLink } from './links.js';
import { confirmEmail, eventEmail, manageEmail, slackMessage, webhookMessage, type EmailMessage, type HttpMessage, type SiteContext } from './messages.js';
import { PROVIDER_KINDS, providerRows, type SmtpConfig } from './providers.js';
import { loadNotificationSettings, type NotificationSettings } from './settings.js';

/**
 * The durable outbox. Events are written by the operations that cause them, in their own
 * transaction (events.ts). The delivery worker (an adapter, src-main/notify) calls `claim`, which
 * fans new events out to one delivery per recipient, purges unconfirmed subscribers past their
 * time, and leases the due deliveries rendered as messages; it sends them and calls `settle`.
 * A worker that dies loses only its leases: they run out and the deliveries are claimed again
 * with the same idempotency key (at least once, never lost).
 */

const CLAIM_BATCH = 25;
const EXPAND_BATCH = 20;
const MAX_BACKOFF_MS = 3_600_000;

export type ClaimedMessage = { readonly channel: 'smtp'; readonly email: EmailMessage } | { readonly channel: 'webhook' | 'slack'; readonly http: HttpMessage; readonly event: string };

export interface ClaimedDelivery {
  readonly id: number;
  /** Stable across retries: receivers de-duplicate on it (Idempotency-Key, Message-ID). */
  readonly idempotencyKey: string;
  readonly message: ClaimedMessage;
}

export interface Transports {
  readonly smtp?: SmtpConfig & { readonly password: string | null };
  readonly webhook?: { readonly url: string; readonly secret: string };
  readonly slack?: { readonly url: string };
}

export interface Claim {
  readonly deliveries: ClaimedDelivery[];
  /** Deliveries that could not be rendered (settled as failed in the same transaction). */
  readonly unrenderable: number[];
  readonly transports: Transports;
  readonly policy: Pick<NotificationSettings, 'allowInsecureHttp' | 'internalAllowlist'>;
}

interface Prepared {
  readonly linkKey: Buffer;
  readonly secrets: Partial<Record<ProviderKind, string | null>>;
}

/** What a worker looks at before it claims: work only when there is some (an idle outbox writes no audit entries). */
export const outboxStatus = defineOperation({
  name: 'outbox.status',
  requires: 'notifications.manage',
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): { due: number; unexpanded: number; purgeable: number } {
    const ttl = loadNotificationSettings(ctx.db).unconfirmedTtlHours * 3_600_000;
    return { ...countDue(ctx.db, ctx.now), purgeable: staleUnconfirmed(ctx.db, ctx.now - ttl).length };
  },
});

export const claimDeliveries = defineOperation({
  name: 'outbox.claim',
  requires: 'notifications.manage',
  input: z.strictObject({ limit: int(1, 200).default(CLAIM_BATCH) }),
  async prepare(ctx): Promise<Prepared> {
    const enabled = enabledProviderKinds(ctx.db);
    const secrets = Object.fromEntries(await Promise.all(enabled.map(async (kind) => [kind, await ctx.providerSecrets.get(kind)] as const)));
    return { linkKey: (await ctx.keys()).subscriberLinks, secrets };
  },
  run(ctx, { limit }, prepared): Claim {
    const settings = loadNotificationSettings(ctx.db);
    const purged = staleUnconfirmed(ctx.db, ctx.now - settings.unconfirmedTtlHours * 3_600_000);
    for (const subscriberId of purged) deleteSubscriberRow(ctx.db, subscriberId);

    const enabled = enabledProviderKinds(ctx.db);
    let created = 0;
    const events = unexpandedEvents(ctx.db, EXPAND_BATCH);
    for (const event of events) {
      for (const channel of enabled) {
        const recipients = channel === 'smtp' ? recipientsOf(ctx.db, event.componentIds, event.kind === 'component.status') : [null];
        for (const subscriberId of recipients) insertDelivery(ctx.db, { eventId: event.id, channel, subscriberId, message: 'event' }, ctx.now);
        created += recipients.length;
      }
      markEventExpanded(ctx.db, event.id, ctx.now);
    }

    const transports = transportsOf(ctx.db, prepared);
    const site = siteContext(ctx.db, settings);
    const keyPrefix = storeId(ctx.db);
    const deliveries: ClaimedDelivery[] = [];
    const unrenderable: number[] = [];
    for (const delivery of dueDeliveries(ctx.db, ctx.now, limit)) {
      const idempotencyKey = `${keyPrefix}.${delivery.id}`;
      const message = site && transports[delivery.channel] && render(ctx.db, site, delivery, idempotencyKey, prepared.linkKey, ctx.now);
      if (!message) {
        // Shown as failed in the console (and retryable there), not claimed again and again.
        const why = !site ? 'the public URL is not set' : !transports[delivery.channel] ? `the ${delivery.channel} credential is missing from the keychain` : 'its event or subscriber is gone';
        unrenderable.push(delivery.id);
        settleDelivery(ctx.db, delivery.id, { state: 'failed', nextAttemptAt: ctx.now, error: why }, ctx.now);
        continue;
      }
      leaseDelivery(ctx.db, delivery.id, ctx.now + settings.leaseSeconds * 1000);
      deliveries.push({ id: delivery.id, idempotencyKey, message });
    }
    ctx.audit({
      action: 'outbox.claim',
      targetType: 'outbox',
      details: { purgedUnconfirmed: purged.length, events: events.map((e) => e.id), deliveriesCreated: created, claimed: deliveries.map((d) => d.id), unrenderable },
    });
    return { deliveries, unrenderable, transports, policy: { allowInsecureHttp: settings.allowInsecureHttp, internalAllowlist: settings.internalAllowlist } };
  },
});

function siteContext(db: Db, settings: NotificationSettings): SiteContext | undefined {
  return settings.publicUrl === null ? undefined : { siteName: loadSettings(db).siteName, publicUrl: settings.publicUrl };
}

function transportsOf(db: Db, prepared: Prepared): Transports {
  const rows = providerRows(db);
  const out: { -readonly [K in keyof Transports]: Transports[K] } = {};
  for (const kind of PROVIDER_KINDS) {
    const row = rows.get(kind);
    if (!row?.enabled) continue;
    const secret = prepared.secrets[kind] ?? null;
    if (kind === 'smtp') out.smtp = { ...(row.config as SmtpConfig), password: secret };
    else if (kind === 'webhook' && secret !== null) out.webhook = { url: String(row.config.url), secret };
    else if (kind === 'slack' && secret !== null) out.slack = { url: secret };
  }
  return out;
}

function render(db: Db, site: SiteContext, delivery: DeliveryRow, idempotencyKey: string, linkKey: Buffer, now: number): ClaimedMessage | undefined {
  const event = delivery.eventId === null ? undefined : getOutboxEvent(db, delivery.eventId);
  if (delivery.channel !== 'smtp') {
    if (!event) return undefined;
    const payload = event.payload as unknown as EventPayload;
    const http = delivery.channel === 'webhook' ? webhookMessage(site, event.kind, payload, idempotencyKey) : slackMessage(site, payload);
    return { channel: delivery.channel, http, event: event.kind };
  }
  const subscriber = delivery.subscriberId === null ? undefined : getSubscriber(db, delivery.subscriberId);
  if (!subscriber) return undefined;
  const manageToken = signLink(linkKey, subscriber.id, subscriber.email, 'manage', now);
  const links = { manage: `${site.publicUrl}/subscription?token=${manageToken}`, unsubscribe: `${site.publicUrl}/subscription/unsubscribe?token=${manageToken}` };
  try {
    if (delivery.message === 'confirm') {
      if (subscriber.verifiedAt !== null) return undefined;
      return { channel: 'smtp', email: confirmEmail(site, subscriber.email, `${site.publicUrl}/subscribe/confirm?token=${signLink(linkKey, subscriber.id, subscriber.email, 'confirm', now)}`) };
    }
    if (delivery.message === 'manage') return { channel: 'smtp', email: manageEmail(site, subscriber.email, links) };
    if (!event || subscriber.verifiedAt === null) return undefined;
    return { channel: 'smtp', email: eventEmail(site, event.payload as unknown as EventPayload, subscriber.email, links) };
  } catch (err) {
    if (err instanceof CairnError) return undefined;
    throw err;
  }
}

/**
 * The worker's report on what it sent. A failure is retried after a backoff that doubles from
 * retryBaseSeconds (capped at an hour) until maxAttempts, or at once given up if `permanent`
 * (e.g. a refused address). Only deliveries still leased are settled: a report that comes after
 * the lease ran out and someone else took over changes nothing.
 */
export const settleDeliveries = defineOperation({
  name: 'outbox.settle',
  requires: 'notifications.manage',
  input: z.strictObject({
    results: z
      .array(z.strictObject({ id, ok: flag, error: z.string().max(500).optional(), permanent: flag.default(false) }))
      .min(1)
      .max(200),
  }),
  run(ctx, { results }): { sent: number[]; retrying: number[]; failed: number[] } {
    const settings = loadNotificationSettings(ctx.db);
    const outcome = { sent: [] as number[], retrying: [] as number[], failed: [] as number[] };
    for (const result of results) {
      const delivery = getDelivery(ctx.db, result.id);
      if (!delivery || delivery.state !== 'pending' || delivery.leaseUntil === null) continue;
      const error = result.ok ? null : (result.error ?? 'failed').replace(/[\p{Cc}]/gu, ' ');
      if (result.ok) {
        settleDelivery(ctx.db, delivery.id, { state: 'sent', nextAttemptAt: delivery.nextAttemptAt, error: null }, ctx.now);
        outcome.sent.push(delivery.id);
      } else if (result.permanent || delivery.attempts >= settings.maxAttempts) {
        settleDelivery(ctx.db, delivery.id, { state: 'failed', nextAttemptAt: delivery.nextAttemptAt, error }, ctx.now);
        outcome.failed.push(delivery.id);
      } else {
        const backoff = Math.min(settings.retryBaseSeconds * 1000 * 2 ** (delivery.attempts - 1), MAX_BACKOFF_MS);
        settleDelivery(ctx.db, delivery.id, { state: 'pending', nextAttemptAt: ctx.now + backoff, error }, ctx.now);
        outcome.retrying.push(delivery.id);
      }
    }
    ctx.audit({ action: 'outbox.settle', targetType: 'outbox', details: outcome });
    return outcome;
  },
});

export type Delivery = DeliveryRow;

/** Delivery status for the console: what was sent, what waits for a retry, what failed and why. */
export const listDeliveriesOp = defineOperation({
  name: 'outbox.list',
  requires: 'notifications.manage',
  readOnly: true,
  input: listQuery(['id'], 'id', { state: z.enum(['pending', 'sent', 'failed']).optional(), channel: z.enum(PROVIDER_KINDS).optional() }),
  run(ctx, q): Page<DeliveryRow> {
    const { rows, total } = listDeliveries(ctx.db, q, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

/** Sends a failed delivery again (after fixing the receiver, say). */
export const retryDelivery = defineOperation({
  name: 'outbox.retry',
  requires: 'notifications.manage',
  input: z.strictObject({ id }),
  run(ctx, { id: deliveryId }): DeliveryRow {
    const delivery = getDelivery(ctx.db, deliveryId);
    if (!delivery) throw notFound('Delivery', deliveryId);
    if (delivery.state !== 'failed') throw new CairnError('conflict', `Delivery ${deliveryId} has not failed (it is ${delivery.state})`);
    requeueDelivery(ctx.db, deliveryId, ctx.now);
    ctx.audit({ action: 'outbox.retry', targetType: 'outbox', targetId: deliveryId, details: { channel: delivery.channel, attempts: delivery.attempts } });
    return getDelivery(ctx.db, deliveryId)!;
  },
});
