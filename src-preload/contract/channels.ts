/**
 * The IPC channel names, with no schema attached, so the preload can build its allowlist without
 * bundling zod. `index.ts` declares the schemas and a type check keeps the two lists equal.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'session.state',
  'session.signIn',
  'session.verify',
  'session.signOut',
  'setup.createAdministrator',
  'password.assess',
  'twoFactor.begin',
  'twoFactor.confirm',
  'dashboard.get',
  'incidents.list',
  'incidents.create',
  'incidents.addUpdate',
  'markdown.preview',
  'deliveries.list',
  'deliveries.retry',
  'apikeys.list',
  'apikeys.create',
  'apikeys.rotate',
  'apikeys.revoke',
  'session.reauth',
  'users.list',
  'users.setRoles',
  'users.disable',
  'review.status',
  'review.record',
  'audit.list',
  'audit.export',
  'components.list',
  'components.create',
  'components.update',
  'settings.get',
  'settings.update',
  'notifications.get',
  'notifications.setProvider',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Events main may push to the renderer. */
export const EVENT_NAMES = ['status.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
