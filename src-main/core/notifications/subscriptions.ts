import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { insertDelivery, providerEnabled, setComponentChanges } from '../../db/notifications.js';
import { publicComponents } from '../../db/public.js';
import { deleteSubscriberRow, findSubscriberByEmail, getSubscriber, insertSubscriber, markSubscriberVerified, replaceSubscriptions, type SubscriberRow } from '../../db/subscribers.js';
import { isPublic } from '../../db/visibility.js';
import { CairnError } from '../errors.js';
import { defineOperation, type PrepareContext } from '../operation.js';
import { PUBLIC } from '../permissions.js';
import { emailAddress, flag, id } from '../schemas.js';
import { parseLink, verifyLink, type LinkPurpose } from './links.js';

/**
 * The public side of subscriptions: subscribe (double opt-in), confirm, and manage or leave through
 * a signed link. No answer tells whether an address was subscribed already, and no GET changes
 * anything (the HTTP door serves forms; mail scanners that follow links confirm or cancel nothing).
 */

const SENT = 'If that address can receive mail, a message is on its way to it. Follow the link in it to confirm.';

const publicComponentIds = z
  .array(id)
  .max(200, 'at most 200 components')
  .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

function checkPublicComponents(db: Db, ids: readonly number[]): void {
  ids.forEach((componentId, i) => {
    if (!isPublic(db, 'components', componentId)) throw new CairnError('invalid_input', `components.${i}: there is no component ${componentId}`, `components.${i}`);
  });
}

function requireEmail(db: Db): void {
  if (!providerEnabled(db, 'smtp')) throw new CairnError('unavailable', 'Subscriptions by e-mail are not offered here');
}

/** What the public subscribe form offers. */
export const subscriptionOptions = defineOperation({
  name: 'public.subscriptionOptions',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): { enabled: boolean; components: { id: number; name: string }[] } {
    return { enabled: providerEnabled(ctx.db, 'smtp'), components: publicComponents(ctx.db).map((c) => ({ id: c.id, name: c.name })) };
  },
});

/**
 * Asks for a subscription. A new address is stored unconfirmed and sent a confirmation link; an
 * unconfirmed one gets its choices replaced and the link again; a confirmed one is left as it is
 * (a stranger cannot change it) and sent its manage link. The answer is the same in every case;
 * only the per-client limit answers differently (it says nothing about the address).
 */
export const subscribe = defineOperation({
  name: 'public.subscribe',
  requires: PUBLIC,
  input: z.strictObject({ email: emailAddress, components: publicComponentIds.default([]), componentChanges: flag.default(false) }),
  async prepare(ctx, input): Promise<{ mail: boolean }> {
    requireEmail(ctx.db);
    if (!ctx.throttle('subscribe.client', clientKey(ctx))) throw new CairnError('rate_limited', 'Too many subscription requests from here; try again later');
    return { mail: ctx.throttle('subscribe.address', input.email) };
  },
  run(ctx, input, { mail }): { message: string } {
    requireEmail(ctx.db);
    checkPublicComponents(ctx.db, input.components);
    const existing = findSubscriberByEmail(ctx.db, input.email);
    const confirmed = existing?.verifiedAt !== null && existing !== undefined;
    const subscriberId = existing?.id ?? insertSubscriber(ctx.db, input.email, null, ctx.now);
    if (!confirmed) {
      replaceSubscriptions(ctx.db, subscriberId, input.components, ctx.now);
      setComponentChanges(ctx.db, subscriberId, input.componentChanges, ctx.now);
    }
    if (mail) insertDelivery(ctx.db, { eventId: null, channel: 'smtp', subscriberId, message: confirmed ? 'manage' : 'confirm' }, ctx.now);
    ctx.audit({ action: 'public.subscribe', targetType: 'subscriber', targetId: subscriberId, details: { new: existing === undefined, confirmed, mailed: mail } });
    return { message: SENT };
  },
});

const clientKey = (ctx: PrepareContext): string => ('ip' in ctx.actor.client ? ctx.actor.client.ip : ctx.actor.client.kind);

const token = z.string().max(200);

/** The subscriber a signed link names, if the link is genuine, unexpired and for this purpose. */
async function subscriberFor(ctx: PrepareContext, raw: string, purpose: LinkPurpose): Promise<SubscriberRow> {
  const parsed = parseLink(raw, purpose, ctx.now);
  const subscriber = parsed && getSubscriber(ctx.db, parsed.subscriberId);
  if (!parsed || !subscriber || !verifyLink((await ctx.keys()).subscriberLinks, parsed, subscriber.email)) {
    throw new CairnError('invalid_input', 'This link is not valid or has expired. Subscribe again to get a new one.', 'token');
  }
  return subscriber;
}

/** The same subscriber, still there when the transaction runs (it may have left meanwhile). */
function stillThere(db: Db, subscriber: SubscriberRow): SubscriberRow {
  const now = getSubscriber(db, subscriber.id);
  if (!now || now.email !== subscriber.email) throw new CairnError('invalid_input', 'This link is not valid or has expired. Subscribe again to get a new one.', 'token');
  return now;
}

export const confirmSubscription = defineOperation({
  name: 'public.confirmSubscription',
  requires: PUBLIC,
  input: z.strictObject({ token }),
  prepare: (ctx, input) => subscriberFor(ctx, input.token, 'confirm'),
  run(ctx, _input, found): { confirmed: true } {
    const subscriber = stillThere(ctx.db, found);
    markSubscriberVerified(ctx.db, subscriber.id, ctx.now);
    ctx.audit({ action: 'public.confirmSubscription', targetType: 'subscriber', targetId: subscriber.id, details: { already: subscriber.verifiedAt !== null } });
    return { confirmed: true };
  },
});

export interface SubscriptionView {
  readonly email: string;
  readonly confirmed: boolean;
  /** Every component: none chosen means all of them. */
  readonly allComponents: boolean;
  readonly components: { id: number; name: string; chosen: boolean }[];
  readonly componentChanges: boolean;
}

function viewOf(db: Db, s: SubscriberRow): SubscriptionView {
  return {
    email: s.email,
    confirmed: s.verifiedAt !== null,
    allComponents: s.global,
    components: publicComponents(db).map((c) => ({ id: c.id, name: c.name, chosen: s.componentIds.includes(c.id) })),
    componentChanges: s.componentChanges,
  };
}

/** What the manage page shows to whoever holds the address's manage link. */
export const getSubscription = defineOperation({
  name: 'public.subscription',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({ token }),
  prepare: (ctx, input) => subscriberFor(ctx, input.token, 'manage'),
  run: (ctx, _input, found) => viewOf(ctx.db, stillThere(ctx.db, found)),
});

export const updateSubscription = defineOperation({
  name: 'public.updateSubscription',
  requires: PUBLIC,
  input: z.strictObject({ token, components: publicComponentIds.default([]), componentChanges: flag.default(false) }),
  prepare: (ctx, input) => subscriberFor(ctx, input.token, 'manage'),
  run(ctx, input, found): SubscriptionView {
    const subscriber = stillThere(ctx.db, found);
    checkPublicComponents(ctx.db, input.components);
    replaceSubscriptions(ctx.db, subscriber.id, input.components, ctx.now);
    setComponentChanges(ctx.db, subscriber.id, input.componentChanges, ctx.now);
    ctx.audit({ action: 'public.updateSubscription', targetType: 'subscriber', targetId: subscriber.id, details: { components: [subscriber.componentIds, input.components], componentChanges: input.componentChanges } });
    return viewOf(ctx.db, getSubscriber(ctx.db, subscriber.id)!);
  },
});

/** Leaves: the subscriber and everything queued for it are deleted. */
export const unsubscribe = defineOperation({
  name: 'public.unsubscribe',
  requires: PUBLIC,
  input: z.strictObject({ token }),
  prepare: (ctx, input) => subscriberFor(ctx, input.token, 'manage'),
  run(ctx, _input, found): { unsubscribed: true } {
    const subscriber = stillThere(ctx.db, found);
    deleteSubscriberRow(ctx.db, subscriber.id);
    ctx.audit({ action: 'public.unsubscribe', targetType: 'subscriber', targetId: subscriber.id });
    return { unsubscribed: true };
  },
});
