import { localOperator } from '../../src-main/core/actor.js';
import { createComponent, createGroup } from '../../src-main/core/components.js';
import type { Core } from '../../src-main/core/core.js';
import { createIncident, createIncidentUpdate } from '../../src-main/core/incidents.js';
import { addMetricPointOp, createMetric } from '../../src-main/core/metrics.js';
import { createSchedule } from '../../src-main/core/schedules.js';
import { createSubscriber } from '../../src-main/core/subscribers.js';
import { createTemplate } from '../../src-main/core/templates.js';
import { writeAudit } from '../../src-main/core/audit.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { insertAlert } from '../../src-main/db/alerts.js';
import { insertApiKey } from '../../src-main/db/api-keys.js';
import { insertIncidentUpdate } from '../../src-main/db/incidents.js';
import { insertRole, setUserRoles } from '../../src-main/db/roles.js';
import { insertUser, setPendingTotp, setUserStatus } from '../../src-main/db/users.js';
import { seal } from '../../src-main/core/identity/secrets.js';
import { TEST_KEYS, TEST_PASSWORD_HASH, TEST_TOTP_SECRET, totpAt } from './identity.js';
import { manualClock } from './store.js';
import { insertDelivery, insertOutboxEvent, settleDelivery, writeProviderRow } from '../../src-main/db/notifications.js';
import { signLink } from '../../src-main/core/notifications/links.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';

/** A 1×1 transparent PNG. */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Small builders: one of each kind of record, made through the core as the local operator. */
export const aGroup = (core: Core, input: Record<string, unknown> = {}) => core.execute(createGroup, localOperator, { name: 'Website', ...input });
export const aComponent = (core: Core, input: Record<string, unknown> = {}) =>
  core.execute(createComponent, localOperator, { name: 'API', status: 1, ...input });
export const anIncident = (core: Core, input: Record<string, unknown> = {}) =>
  core.execute(createIncident, localOperator, { name: 'Outage', message: 'Looking into it', status: 1, ...input });
export const aSchedule = (core: Core, input: Record<string, unknown> = {}) =>
  core.execute(createSchedule, localOperator, { name: 'Upgrade', scheduledAt: '2026-12-10 10:00', ...input });
export const aMetric = (core: Core, input: Record<string, unknown> = {}) =>
  core.execute(createMetric, localOperator, { name: 'Latency', suffix: 'ms', description: 'p50', defaultValue: 0, ...input });
export const aSubscriber = (core: Core, input: Record<string, unknown> = {}) =>
  core.execute(createSubscriber, localOperator, { email: 'ops@example.com', ...input });

/** One record of every kind, with the ids an operation's input may refer to. */
export function aWorld(core: Core) {
  // An entry past a 30-day retention, so that pruning has something to prune.
  writeAudit(core.db, core.clock.now() - 40 * 86_400_000, localOperator, 'ok', { action: 'world.begin' }, TEST_KEYS.auditChain);
  core.execute(updateSecurityPolicy, localOperator, { auditRetentionDays: 30 });
  const group = aGroup(core);
  const component = aComponent(core, { groupId: group.id });
  const incident = anIncident(core, { componentId: component.id });
  const draft = anIncident(core, { name: 'Draft', draft: true });
  const draftUpdate = core.execute(createIncidentUpdate, localOperator, { incidentId: draft.id, status: 1, message: 'Draft note' });
  const update = core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'Found it' });
  const schedule = aSchedule(core, { components: { [component.id]: 6 } });
  const metric = aMetric(core);
  const point = core.execute(addMetricPointOp, localOperator, { metricId: metric.id, value: 5 });
  const subscriber = aSubscriber(core, { components: [component.id] });
  const subscriptionId = (core.db.prepare('SELECT id FROM subscriptions LIMIT 1').get() as { id: number }).id;
  // Accounts are written straight to the store with a precomputed hash: the identity tests create
  // them through the core; here they are only targets for the permission and bad-input tables.
  const at = core.clock.now();
  const target = insertUser(core.db, { email: 'target@example.com', name: 'Target User', passwordHash: TEST_PASSWORD_HASH, mustChangePassword: false }, at);
  setUserRoles(core.db, target, [6]); // Metrics Viewer
  setPendingTotp(core.db, target, seal(TEST_KEYS.totpEncryption, TEST_TOTP_SECRET, `totp:${target}`), at);
  const disabled = insertUser(core.db, { email: 'gone@example.com', name: 'Former Colleague', passwordHash: TEST_PASSWORD_HASH, mustChangePassword: false }, at);
  setUserStatus(core.db, disabled, 'disabled', at);
  const role = insertRole(core.db, { name: 'Observers', description: '', permissions: ['metrics.read'] }, at);
  const spareRole = insertRole(core.db, { name: 'Spare', description: '', permissions: ['metrics.read'] }, at);
  // An ownerless key (issued by the local operator); its secret does not matter here.
  const apiKeyId = 'WorldKey0001';
  insertApiKey(core.db, { publicId: apiKeyId, secretHmac: Buffer.alloc(32), name: 'Monitor', ownerId: null, scopes: ['metrics.write'], expiresAt: null, rotatedFrom: null }, at);
  // An update to the public incident waiting for a second person (as under the two-person rule).
  const pendingId = insertIncidentUpdate(core.db, { incidentId: incident.id, status: 3, message: 'Watching', messageHtml: '<p>Watching</p>', componentId: null, componentStatus: null, publishedAt: null, createdBy: 'user:99' }, at);
  const pendingUpdate = { incidentId: incident.id, id: pendingId };
  anIncident(core, { name: 'Scheduled', publishAt: Math.floor(at / 1000) - 60 });
  const alertId = insertAlert(core.db, { auditId: 1, kind: 'new-administrator', message: 'New Administrator' }, at);
  // Notifications: e-mail and a webhook on (written straight to the store: configuring goes through
  // the keychain, tested in test/notifications), and one delivery that failed.
  core.execute(updateNotificationSettings, localOperator, { publicUrl: 'https://status.example.com' });
  writeProviderRow(core.db, 'smtp', true, { host: '127.0.0.1', port: 2525, security: 'none', username: '', fromAddress: 'status@example.com', fromName: 'Status' }, at);
  writeProviderRow(core.db, 'webhook', true, { url: 'https://hooks.example.com/cairn' }, at);
  const failedDelivery = insertDelivery(core.db, { eventId: insertOutboxEvent(core.db, 'incident.published', {}, [], at), channel: 'webhook', subscriberId: null, message: 'event' }, at);
  settleDelivery(core.db, failedDelivery, { state: 'failed', nextAttemptAt: at, error: 'the receiver refused it (410)' }, at);
  const template = core.execute(createTemplate, localOperator, { name: 'Database degraded', slug: 'database-degraded', template: 'The {{ service }} database is slow.' });
  return { group, component, incident, draft, draftUpdate, update, schedule, metric, point, subscriber, subscriptionId, target, disabled, role, spareRole, apiKeyId, template, pendingUpdate, alertId, failedDelivery };
}
export type World = ReturnType<typeof aWorld>;

/** A signed link for the world's subscriber, as its mails carry. */
export const subscriberLink = (w: World, purpose: 'confirm' | 'manage'): string => signLink(TEST_KEYS.subscriberLinks, w.subscriber.id, w.subscriber.email, purpose, manualClock().now());

/** A valid input for every operation, against a world. */
export function validInputs(w: World, currentTotp: () => string = () => totpAt(TEST_TOTP_SECRET, manualClock().now())): Record<string, unknown> {
  return {
    'component.list': {},
    'component.get': { id: w.component.id },
    'component.create': { name: 'CDN', status: 1 },
    'component.update': { id: w.component.id, status: 3 },
    'component.delete': { id: w.component.id },
    'componentGroup.list': {},
    'componentGroup.get': { id: w.group.id },
    'componentGroup.create': { name: 'Backend' },
    'componentGroup.update': { id: w.group.id, collapsed: 1 },
    'componentGroup.delete': { id: w.group.id },
    'incident.list': {},
    'incident.get': { id: w.incident.id },
    'incident.create': { name: 'Slow', message: 'Investigating', status: 1 },
    // Changes go to the draft: with incidents.write alone a published incident is off limits.
    'incident.update': { id: w.draft.id, stickied: true },
    'incident.publish': { id: w.draft.id },
    'incident.delete': { id: w.draft.id },
    'incidentUpdate.list': { incidentId: w.incident.id },
    'incidentUpdate.get': { incidentId: w.incident.id, id: w.update.id },
    'incidentUpdate.create': { incidentId: w.draft.id, status: 4, message: 'Fixed' },
    'incidentUpdate.update': { incidentId: w.draft.id, id: w.draftUpdate.id, message: 'Found the cause' },
    'incidentUpdate.delete': { incidentId: w.draft.id, id: w.draftUpdate.id },
    'schedule.list': {},
    'schedule.get': { id: w.schedule.id },
    'schedule.create': { name: 'Patch', scheduledAt: 1_800_000_000 },
    'schedule.update': { id: w.schedule.id, status: 1 },
    'schedule.delete': { id: w.schedule.id },
    'scheduleUpdate.create': { scheduleId: w.schedule.id, status: 1, message: 'Started' },
    'metric.list': {},
    'metric.get': { id: w.metric.id },
    'metric.create': { name: 'Errors', suffix: '', description: '', defaultValue: 0 },
    'metric.update': { id: w.metric.id, places: 3 },
    'metric.delete': { id: w.metric.id },
    'metricPoint.list': { metricId: w.metric.id },
    'metricPoint.add': { metricId: w.metric.id, value: 7 },
    'metricPoint.addMany': { metricId: w.metric.id, points: [{ value: 7 }, { value: 8, timestamp: 1_700_000_000 }] },
    'metricPoint.update': { metricId: w.metric.id, id: w.point.id, value: 9 },
    'metricPoint.delete': { metricId: w.metric.id, id: w.point.id },
    'incident.previewMessage': { markdown: 'We are **on it**' },
    'subscriber.list': {},
    'subscriber.get': { id: w.subscriber.id },
    'subscriber.create': { email: 'new@example.com' },
    'subscriber.setComponents': { id: w.subscriber.id, components: [] },
    'subscriber.delete': { id: w.subscriber.id },
    'subscriber.export': { format: 'csv' },
    'subscription.delete': { id: w.subscriptionId },
    'site.info': {},
    'settings.get': {},
    'settings.update': { siteName: 'Status' },
    'settings.setLogo': { type: 'image/png', dataBase64: TINY_PNG_BASE64 },
    'settings.removeLogo': {},
    'public.logo': {},
    'public.metricSeries': { id: w.metric.id, view: 'day' },
    'audit.list': {},
    'public.status': {},
    'auth.signIn': { email: 'target@example.com', password: 'wrong password' },
    'user.list': {},
    'user.get': { id: w.target },
    'user.create': { email: 'new.colleague@example.com', name: 'New Colleague', roles: ['Metrics Viewer'], password: 'marble orchid lantern 42' },
    'user.update': { id: w.target, name: 'Renamed User' },
    'user.setRoles': { id: w.target, roles: ['Metrics Viewer'] },
    'user.disable': { id: w.target },
    'user.enable': { id: w.disabled },
    'user.endSessions': { id: w.target },
    'user.resetTwoFactor': { id: w.target },
    'user.resetPassword': { id: w.target },
    'user.confirmTwoFactor': { id: w.target, code: currentTotp() },
    'role.list': {},
    'role.create': { name: 'Delegates', permissions: ['users.manage'] },
    'role.update': { id: w.role, description: 'Read-only metrics' },
    'role.delete': { id: w.spareRole },
    'security.get': {},
    'security.update': { sessionIdleMinutes: 20 },
    'review.status': {},
    'review.record': { decisions: [{ userId: w.target, decision: 'confirm' }] },
    'apikey.create': { name: 'Uptime monitor', scopes: ['components.write'] },
    'apikey.list': {},
    'apikey.rotate': { id: w.apiKeyId },
    'apikey.revoke': { id: w.apiKeyId },
    'component.listVisible': {},
    'component.getVisible': { id: w.component.id },
    'componentGroup.listVisible': {},
    'componentGroup.getVisible': { id: w.group.id },
    'incident.listVisible': {},
    'incident.getVisible': { id: w.incident.id },
    'incidentUpdate.listVisible': { incidentId: w.incident.id },
    'incidentUpdate.getVisible': { incidentId: w.incident.id, id: w.update.id },
    'schedule.listVisible': {},
    'schedule.getVisible': { id: w.schedule.id },
    'metric.listVisible': {},
    'metric.getVisible': { id: w.metric.id },
    'metricPoint.listVisible': { metricId: w.metric.id },
    'template.list': {},
    'template.get': { id: w.template.id },
    'template.create': { name: 'Network', slug: 'network', template: 'Packet loss in {{ region }}.' },
    'template.update': { id: w.template.id, name: 'DB degraded' },
    'template.delete': { id: w.template.id },
    'audit.verify': {},
    'audit.export': { format: 'csv' },
    'audit.verifyExport': { content: '' },
    'audit.reviewState': {},
    'audit.markReviewed': { note: 'Weekly review' },
    'audit.prune': {},
    'posture.get': {},
    'server.started': { host: '127.0.0.1', port: 8080 },
    'incident.review': { id: w.draft.id },
    'incident.approve': { id: w.draft.id },
    'incidentUpdate.approve': { incidentId: w.pendingUpdate.incidentId, id: w.pendingUpdate.id },
    'incident.listDue': {},
    'incident.publishDue': {},
    'alert.list': {},
    'alert.acknowledge': { id: w.alertId },
    'setup.status': {},
    'password.assess': { password: 'correct horse battery staple' },
    'setup.firstAdministrator': { email: 'first@example.com', name: 'First', password: 'a much longer pass phrase 42' },
    'notifications.get': {},
    'notifications.updateSettings': { events: { 'component.status': true } },
    'notifications.configureProvider': { kind: 'webhook', config: { url: 'https://hooks.example.com/new' }, secret: 'a long enough signing secret' },
    'notifications.setProviderEnabled': { kind: 'webhook', enabled: false },
    'outbox.list': {},
    'outbox.retry': { id: w.failedDelivery },
    'public.subscriptionOptions': {},
    'public.subscribe': { email: 'reader@example.com', components: [w.component.id] },
    'public.confirmSubscription': { token: subscriberLink(w, 'confirm') },
    'public.subscription': { token: subscriberLink(w, 'manage') },
    'public.updateSubscription': { token: subscriberLink(w, 'manage'), components: [] },
    'public.unsubscribe': { token: subscriberLink(w, 'manage') },
  };
}

