import type { AnyOperation } from '../operation.js';
import { claimDeliveries, listDeliveriesOp, outboxStatus, retryDelivery, settleDeliveries } from './outbox.js';
import { configureProvider, getNotifications, setProviderEnabled } from './providers.js';
import { updateNotificationSettings } from './settings.js';
import { confirmSubscription, getSubscription, subscribe, subscriptionOptions, unsubscribe, updateSubscription } from './subscriptions.js';

/** What the doors may call: configuration and delivery status for operators, subscriptions for the public. */
export const NOTIFICATION_OPERATIONS: readonly AnyOperation[] = [
  getNotifications,
  updateNotificationSettings,
  configureProvider,
  setProviderEnabled,
  listDeliveriesOp,
  retryDelivery,
  subscriptionOptions,
  subscribe,
  confirmSubscription,
  getSubscription,
  updateSubscription,
  unsubscribe,
];

/**
 * The delivery worker's own operations. They are not in the door registry: no door (IPC, HTTP,
 * CLI command) can claim deliveries, whose rendered messages carry subscribers' addresses and
 * signed links; only the worker in the main process, as the system actor, calls them.
 */
export const WORKER_OPERATIONS = { outboxStatus, claimDeliveries, settleDeliveries } as const;
