import { z } from 'zod';
import type { Db } from '../db/connection.js';
import {
  deleteSubscriberRow,
  deleteSubscriptionRow,
  allSubscribers,
  findSubscriberByEmail,
  getSubscriber,
  getSubscription,
  insertSubscriber,
  markSubscriberVerified,
  listSubscribers,
  replaceSubscriptions,
  type SubscriberRow,
} from '../db/subscribers.js';
import { requireComponent } from './components.js';
import { insertDelivery, providerEnabled } from '../db/notifications.js';
import { CairnError, notFound } from './errors.js';
import { csvDocument } from './csv.js';
import { defineOperation } from './operation.js';
import { emailAddress, flag, id, listQuery, type Page } from './schemas.js';

export type { SubscriberRow as Subscriber };


const componentIds = z.array(id).max(200, 'at most 200 components').transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

function requireSubscriber(db: Db, subscriberId: number): SubscriberRow {
  const s = getSubscriber(db, subscriberId);
  if (!s) throw notFound('Subscriber', subscriberId);
  return s;
}

function checkComponents(db: Db, ids: readonly number[]): void {
  ids.forEach((componentId, i) => {
    try {
      requireComponent(db, componentId);
    } catch {
      throw new CairnError('invalid_input', `components.${i}: component ${componentId} does not exist`, `components.${i}`);
    }
  });
}

export const listSubscribersOp = defineOperation({
  name: 'subscriber.list',
  requires: 'subscribers.read',
  readOnly: true,
  input: listQuery(['id', 'email', 'createdAt'], 'id', { verified: flag.optional() }),
  run(ctx, q): Page<SubscriberRow> {
    const { rows, total } = listSubscribers(ctx.db, q, q.sort, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

export const getSubscriberOp = defineOperation({
  name: 'subscriber.get',
  requires: 'subscribers.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: subscriberId }) => requireSubscriber(ctx.db, subscriberId),
});

/**
 * Adds a subscriber by an operator or integration. `verify: true` skips double opt-in (the caller
 * vouches for the address); otherwise the subscriber stays unverified and receives nothing until
 * confirmed. Adding an address that exists updates its components instead of failing, so the
 * answer never tells whether an address was already subscribed.
 */
export const createSubscriber = defineOperation({
  name: 'subscriber.create',
  requires: 'subscribers.write',
  input: z.strictObject({ email: emailAddress, verify: flag.default(false), components: componentIds.default([]) }),
  run(ctx, input): SubscriberRow {
    checkComponents(ctx.db, input.components);
    const existing = findSubscriberByEmail(ctx.db, input.email);
    const subscriberId = existing?.id ?? insertSubscriber(ctx.db, input.email, input.verify ? ctx.now : null, ctx.now);
    if (existing && input.verify) markSubscriberVerified(ctx.db, subscriberId, ctx.now);
    replaceSubscriptions(ctx.db, subscriberId, input.components, ctx.now);
    // Not vouched for: the address is asked to confirm (double opt-in), if e-mail is on.
    const unconfirmed = !input.verify && (existing?.verifiedAt ?? null) === null;
    if (unconfirmed && providerEnabled(ctx.db, 'smtp')) insertDelivery(ctx.db, { eventId: null, channel: 'smtp', subscriberId, message: 'confirm' }, ctx.now);
    // The address itself is personal data: the audit names the subscriber by id only.
    ctx.audit({ action: 'subscriber.create', targetType: 'subscriber', targetId: subscriberId, details: { existing: existing !== undefined, verified: input.verify, components: input.components } });
    return requireSubscriber(ctx.db, subscriberId);
  },
});

export const updateSubscriptions = defineOperation({
  name: 'subscriber.setComponents',
  requires: 'subscribers.write',
  input: z.strictObject({ id, components: componentIds }),
  run(ctx, { id: subscriberId, components }): SubscriberRow {
    const before = requireSubscriber(ctx.db, subscriberId);
    checkComponents(ctx.db, components);
    replaceSubscriptions(ctx.db, subscriberId, components, ctx.now);
    ctx.audit({ action: 'subscriber.setComponents', targetType: 'subscriber', targetId: subscriberId, details: { components: [before.componentIds, components] } });
    return requireSubscriber(ctx.db, subscriberId);
  },
});

export const deleteSubscriber = defineOperation({
  name: 'subscriber.delete',
  requires: 'subscribers.write',
  input: z.strictObject({ id }),
  run(ctx, { id: subscriberId }): { id: number } {
    requireSubscriber(ctx.db, subscriberId);
    deleteSubscriberRow(ctx.db, subscriberId);
    ctx.audit({ action: 'subscriber.delete', targetType: 'subscriber', targetId: subscriberId });
    return { id: subscriberId };
  },
});

export const deleteSubscription = defineOperation({
  name: 'subscription.delete',
  requires: 'subscribers.write',
  input: z.strictObject({ id }),
  run(ctx, { id: subscriptionId }): { id: number } {
    const subscription = getSubscription(ctx.db, subscriptionId);
    if (!subscription) throw notFound('Subscription', subscriptionId);
    deleteSubscriptionRow(ctx.db, subscriptionId, subscription.subscriberId, ctx.now);
    ctx.audit({ action: 'subscription.delete', targetType: 'subscriber', targetId: subscription.subscriberId, details: { componentId: subscription.componentId } });
    return { id: subscriptionId };
  },
});

/**
 * Every subscriber, for the Subscriber Manager (JSON Lines or CSV). A list of addresses is personal
 * data leaving the system, so the export itself is audited (how many, not which).
 */
export const exportSubscribers = defineOperation({
  name: 'subscriber.export',
  requires: 'subscribers.read',
  input: z.strictObject({ format: z.enum(['jsonl', 'csv']).default('csv') }),
  run(ctx, { format }): string {
    const rows = allSubscribers(ctx.db).map((s) => ({
      id: s.id,
      email: s.email,
      confirmed: s.verifiedAt === null ? 'no' : 'yes',
      confirmedAt: s.verifiedAt === null ? null : new Date(s.verifiedAt).toISOString(),
      components: s.global ? 'all' : s.componentIds.join(' '),
      componentChanges: s.componentChanges ? 'yes' : 'no',
      createdAt: new Date(s.createdAt).toISOString(),
    }));
    ctx.audit({ action: 'subscriber.export', targetType: 'subscriber', details: { format, count: rows.length } });
    if (format === 'jsonl') return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
    return csvDocument(['id', 'email', 'confirmed', 'confirmedAt', 'components', 'componentChanges', 'createdAt'], rows);
  },
});
