import QRCode from 'qrcode';
import type { ChannelName } from '../../src-preload/contract/channels.js';
import type { ParsedInput } from '../../src-preload/contract/index.js';
import { approveIncident } from '../core/approvals.js';
import { exportAuditLog } from '../core/audit-log.js';
import { listAuditEntries } from '../core/audit.js';
import { COMPONENT_STATUS, createComponent, createGroup, listComponentsOp, listGroupsOp, updateComponent } from '../core/components.js';
import { CairnError } from '../core/errors.js';
import { beginTwoFactor, confirmTwoFactor, getAccount } from '../core/identity/account.js';
import { createApiKey, listApiKeysOp, revokeApiKey, rotateApiKey } from '../core/identity/api-keys.js';
import { reauthenticate, signIn, signOut, verifySecondFactor } from '../core/identity/auth.js';
import { getSecurityPolicy, updateSecurityPolicy, type SecurityPolicy } from '../core/identity/policy.js';
import { reviewStatus, recordReview } from '../core/identity/review.js';
import { createRole, listRolesOp } from '../core/identity/roles.js';
import { assessPassword, createFirstAdministrator, setupStatus } from '../core/identity/setup.js';
import { disableUserOp, listUsersOp, setUserRolesOp, type UserSummary } from '../core/identity/users.js';
import { createIncident, createIncidentUpdate, INCIDENT_STATUS, listIncidentsOp, previewMessage, publishIncident } from '../core/incidents.js';
import { listMetricPointsOp, listMetricsOp } from '../core/metrics.js';
import { listDeliveriesOp, retryDelivery } from '../core/notifications/outbox.js';
import { configureProvider, getNotifications, setProviderEnabled } from '../core/notifications/providers.js';
import { definedFields } from '../core/patch.js';
import { PERMISSIONS } from '../core/permissions.js';
import { getPosture } from '../core/posture.js';
import { getPublicStatus } from '../core/public-view.js';
import { createSchedule, createScheduleUpdate, listSchedulesOp, SCHEDULE_STATUS } from '../core/schedules.js';
import { getSettings, updateSettings, type SiteSettings } from '../core/settings.js';
import { createSubscriber, deleteSubscriber, exportSubscribers, listSubscribersOp } from '../core/subscribers.js';
import type { Handlers, IpcCall } from './router.js';
import type { ConsoleStage } from './sessions.js';

const VERSION = '0.1.0';

const incidentStatus = (s: number): string => INCIDENT_STATUS[s as keyof typeof INCIDENT_STATUS] ?? 'Unknown';
const componentStatus = (s: number): string => COMPONENT_STATUS[s as keyof typeof COMPONENT_STATUS] ?? 'Unknown';
/** A call's input, already parsed by the channel's schema (dispatch did it). */
const inputOf = <C extends ChannelName>(_channel: C, call: IpcCall) => call.input as ParsedInput<C>;

/**
 * One handler per contract channel; each only translates to core calls (which check permission,
 * input and session again) and shapes the answer for the contract. The session token a sign-in
 * earns is kept in main's table for this window, never returned to the renderer.
 */
export const HANDLERS: Handlers = {
  'app.info': ({ ctx }) => ({ name: 'Cairn', version: VERSION, mode: ctx.mode }),

  'session.state': async ({ ctx, actor, webContentsId }) => {
    const stage = ctx.sessions.stageOf(webContentsId);
    const firstRun = ctx.core.execute(setupStatus, actor, {}).needed;
    if (stage === 'anonymous' || stage === 'mfa') return { stage, firstRun, user: null };
    try {
      const account = await ctx.core.executeAsync(getAccount, actor, {});
      ctx.sessions.set(webContentsId, ctx.sessions.tokenOf(webContentsId)!, account.stage);
      const user = { email: account.email, name: account.name, permissions: account.permissions, twoFactorEnabled: account.twoFactor.enabled, idleLockMinutes: account.idleLockMinutes };
      return { stage: account.stage, firstRun, user };
    } catch (err) {
      if (err instanceof CairnError && err.code === 'unauthenticated') {
        ctx.sessions.forget(webContentsId); // expired or ended elsewhere
        return { stage: 'anonymous', firstRun, user: null };
      }
      throw err;
    }
  },
  'session.signIn': async (call) => {
    const { ctx, actor, webContentsId } = call;
    const { token, stage } = await ctx.core.executeAsync(signIn, actor, inputOf('session.signIn', call));
    ctx.sessions.set(webContentsId, token, stage);
    return { stage };
  },
  'session.verify': async (call) => {
    const { ctx, actor, webContentsId } = call;
    const { token, stage } = await ctx.core.executeAsync(verifySecondFactor, actor, inputOf('session.verify', call));
    ctx.sessions.set(webContentsId, token, stage);
    return { stage };
  },
  'session.signOut': async ({ ctx, actor, webContentsId }) => {
    if (ctx.sessions.stageOf(webContentsId) !== 'anonymous') await ctx.core.executeAsync(signOut, actor, {}).catch(() => undefined);
    ctx.sessions.forget(webContentsId);
    return { stage: 'anonymous' };
  },

  'setup.createAdministrator': async (call) => {
    const { ctx, actor, webContentsId } = call;
    const { token, stage } = await ctx.core.executeAsync(createFirstAdministrator, actor, inputOf('setup.createAdministrator', call));
    ctx.sessions.set(webContentsId, token, stage as ConsoleStage);
    return { stage };
  },
  'password.assess': (call) => {
    const a = call.ctx.core.execute(assessPassword, call.actor, inputOf('password.assess', call));
    return { acceptable: a.acceptable, problem: a.problem, score: a.strength?.score ?? null, warning: a.strength?.warning || null, suggestions: [...(a.strength?.suggestions ?? [])], minLength: a.minLength };
  },
  'twoFactor.begin': async ({ ctx, actor }) => {
    const { secret, uri } = await ctx.core.executeAsync(beginTwoFactor, actor, {});
    return { secret, uri, qr: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 }) };
  },
  'twoFactor.confirm': async (call) => {
    const { recoveryCodes } = await call.ctx.core.executeAsync(confirmTwoFactor, call.actor, inputOf('twoFactor.confirm', call));
    return { recoveryCodes };
  },

  'dashboard.get': ({ ctx, actor }) => {
    const { overall } = ctx.core.execute(getPublicStatus, actor, {});
    const incidents = ctx.core.execute(listIncidentsOp, actor, { perPage: 100, sort: 'id', order: 'desc' });
    return {
      overall: { level: overall.level, message: overall.message },
      openIncidents: incidents.items.filter((i) => i.status !== 4).map((i) => ({ id: i.id, name: i.name, status: incidentStatus(i.status), draft: i.draft })),
    };
  },
  'posture.get': async ({ ctx, actor }) => {
    const posture = await ctx.core.executeAsync(getPosture, actor, {});
    return { ...posture.summary, problems: posture.checks.filter((c) => c.status !== 'pass').map((c) => ({ title: c.title, status: c.status, fix: c.fix ?? c.detail })) };
  },
  'incidents.list': (call) => {
    const page = call.ctx.core.execute(listIncidentsOp, call.actor, { page: inputOf('incidents.list', call).page, sort: 'id', order: 'desc' });
    return {
      ...page,
      items: page.items.map((i) => ({ id: i.id, name: i.name, status: incidentStatus(i.status), draft: i.draft, needsApproval: i.needsApproval, occurredAt: i.occurredAt, updates: i.updates.length })),
    };
  },
  'incidents.create': (call) => {
    const incident = call.ctx.core.execute(createIncident, call.actor, inputOf('incidents.create', call));
    return { id: incident.id, draft: incident.draft };
  },
  'incidents.addUpdate': (call) => {
    const update = call.ctx.core.execute(createIncidentUpdate, call.actor, inputOf('incidents.addUpdate', call));
    return { id: update.id, pendingApproval: update.publishedAt === null };
  },
  'incidents.approve': (call) => ({ id: call.ctx.core.execute(approveIncident, call.actor, inputOf('incidents.approve', call)).id }),
  'incidents.publish': (call) => {
    const incident = call.ctx.core.execute(publishIncident, call.actor, inputOf('incidents.publish', call));
    return { id: incident.id, draft: incident.draft };
  },
  'markdown.preview': (call) => call.ctx.core.execute(previewMessage, call.actor, inputOf('markdown.preview', call)),

  'deliveries.list': (call) => {
    const input = inputOf('deliveries.list', call);
    const page = call.ctx.core.execute(listDeliveriesOp, call.actor, { page: input.page, order: 'desc', ...(input.state ? { state: input.state } : {}) });
    return {
      ...page,
      items: page.items.map((d) => ({ id: d.id, channel: d.channel, what: d.eventKind ?? `${d.message} mail`, state: d.state, attempts: d.attempts, lastError: d.lastError, createdAt: d.createdAt })),
    };
  },
  'deliveries.retry': (call) => {
    const delivery = call.ctx.core.execute(retryDelivery, call.actor, inputOf('deliveries.retry', call));
    return { id: delivery.id, state: delivery.state };
  },
  'apikeys.list': ({ ctx, actor }) =>
    ctx.core
      .execute(listApiKeysOp, actor, {})
      .map((k) => ({ id: k.id, name: k.name, scopes: k.effectiveScopes, state: k.state, useCount: k.useCount, lastUsedAt: k.lastUsedAt, expiresAt: k.expiresAt })),
  'apikeys.create': async (call) => {
    const issued = await call.ctx.core.executeAsync(createApiKey, call.actor, inputOf('apikeys.create', call));
    return { id: issued.id, key: issued.key };
  },
  'apikeys.rotate': async (call) => {
    const issued = await call.ctx.core.executeAsync(rotateApiKey, call.actor, inputOf('apikeys.rotate', call));
    return { id: issued.id, key: issued.key, previousExpiresAt: issued.previous.expiresAt };
  },
  'apikeys.revoke': (call) => {
    call.ctx.core.execute(revokeApiKey, call.actor, inputOf('apikeys.revoke', call));
    return { id: inputOf('apikeys.revoke', call).id };
  },
  'session.reauth': async (call) => {
    await call.ctx.core.executeAsync(reauthenticate, call.actor, inputOf('session.reauth', call));
    return { confirmed: true };
  },

  'users.list': ({ ctx, actor }) => {
    const roles = ctx.core.execute(listRolesOp, actor, {});
    return {
      users: ctx.core.execute(listUsersOp, actor, {}).map(userView),
      roles: roles.map((r) => ({ id: r.id, name: r.name, builtIn: r.builtIn, permissions: r.permissions })),
      permissions: [...PERMISSIONS],
    };
  },
  'users.setRoles': (call) => userView(call.ctx.core.execute(setUserRolesOp, call.actor, inputOf('users.setRoles', call))),
  'users.disable': (call) => userView(call.ctx.core.execute(disableUserOp, call.actor, inputOf('users.disable', call))),
  'roles.create': (call) => {
    const role = call.ctx.core.execute(createRole, call.actor, inputOf('roles.create', call));
    return { id: role.id, name: role.name };
  },
  'review.status': ({ ctx, actor }) => {
    const status = ctx.core.execute(reviewStatus, actor, {});
    return {
      dueAt: status.dueAt,
      overdue: status.overdue,
      lastReview: status.lastReview && { completedAt: status.lastReview.completedAt, reviewer: status.lastReview.reviewer, note: status.lastReview.note },
      users: status.users.map((u) => ({ ...userView(u), inactive: u.inactive, liveApiKeys: u.liveApiKeys })),
    };
  },
  'review.record': (call) => call.ctx.core.execute(recordReview, call.actor, inputOf('review.record', call)),

  'audit.list': (call) => {
    const input = inputOf('audit.list', call);
    const page = call.ctx.core.execute(listAuditEntries, call.actor, { page: input.page, order: 'desc', ...definedFields({ action: input.action || undefined, outcome: input.outcome, preset: input.preset }) });
    return {
      ...page,
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actorId === null ? e.actorKind : `${e.actorKind} ${e.actorId}`,
        client: e.client,
        action: e.action,
        target: e.targetType === null ? '' : `${e.targetType} ${e.targetId ?? ''}`.trim(),
        outcome: e.outcome,
        details: e.details === null || e.details === undefined ? '' : JSON.stringify(e.details),
      })),
    };
  },
  'audit.export': (call) => {
    const content = call.ctx.core.execute(exportAuditLog, call.actor, inputOf('audit.export', call));
    return { content, entries: content === '' ? 0 : content.trimEnd().split('\n').length - (inputOf('audit.export', call).format === 'csv' ? 1 : 0) };
  },

  'components.list': (call) => {
    const page = call.ctx.core.execute(listComponentsOp, call.actor, { ...inputOf('components.list', call), sort: 'order' });
    return { ...page, items: page.items.map((c) => ({ id: c.id, name: c.name, status: c.status, statusName: componentStatus(c.status), order: c.order, enabled: c.enabled, groupId: c.groupId })) };
  },
  'components.create': (call) => ({ id: call.ctx.core.execute(createComponent, call.actor, inputOf('components.create', call)).id }),
  'components.update': (call) => {
    const c = call.ctx.core.execute(updateComponent, call.actor, inputOf('components.update', call));
    return { id: c.id, status: c.status, order: c.order };
  },

  'settings.get': ({ ctx, actor }) => siteView(ctx.core.execute(getSettings, actor, {})),
  'settings.update': (call) => siteView(call.ctx.core.execute(updateSettings, call.actor, definedFields(inputOf('settings.update', call)))),
  'notifications.get': async ({ ctx, actor }) => {
    const { providers, settings } = await ctx.core.executeAsync(getNotifications, actor, {});
    return {
      providers: providers.map((p) => ({ kind: p.kind, enabled: p.enabled, configured: p.updatedAt !== null, hasSecret: p.hasSecret, summary: providerSummary(p.kind, p.config) })),
      events: { ...settings.events },
      publicUrl: settings.publicUrl,
    };
  },
  'notifications.setProvider': (call) => call.ctx.core.execute(setProviderEnabled, call.actor, inputOf('notifications.setProvider', call)),
  'notifications.configure': async (call) => {
    const input = inputOf('notifications.configure', call);
    const request =
      input.kind === 'smtp'
        ? { kind: 'smtp', config: { host: input.host, port: input.port, security: input.security, username: input.username, fromAddress: input.fromAddress, fromName: input.fromName }, ...(input.password ? { password: input.password } : {}) }
        : input.kind === 'webhook'
          ? { kind: 'webhook', config: { url: input.url }, ...(input.secret ? { secret: input.secret } : {}) }
          : { kind: 'slack', url: input.url };
    const result = await call.ctx.core.executeAsync(configureProvider, call.actor, request);
    return { kind: result.kind, enabled: result.enabled, generatedSecret: result.generatedSecret };
  },
  'groups.list': ({ ctx, actor }) => ctx.core.execute(listGroupsOp, actor, { perPage: 100 }).items.map((g) => ({ id: g.id, name: g.name, visible: g.visible === 1 })),
  'groups.create': (call) => ({ id: call.ctx.core.execute(createGroup, call.actor, inputOf('groups.create', call)).id }),

  'maintenance.list': (call) => {
    const page = call.ctx.core.execute(listSchedulesOp, call.actor, { page: inputOf('maintenance.list', call).page, order: 'desc' });
    return { ...page, items: page.items.map((m) => ({ id: m.id, name: m.name, status: scheduleStatus(m.status), scheduledAt: m.scheduledAt, completedAt: m.completedAt })) };
  },
  'maintenance.create': (call) => ({ id: call.ctx.core.execute(createSchedule, call.actor, inputOf('maintenance.create', call)).id }),
  'maintenance.update': (call) => {
    const schedule = call.ctx.core.execute(createScheduleUpdate, call.actor, inputOf('maintenance.update', call));
    return { id: schedule.id, status: scheduleStatus(schedule.status) };
  },
  'metrics.list': ({ ctx, actor }) => ctx.core.execute(listMetricsOp, actor, { perPage: 100 }).items.map((m) => ({ id: m.id, name: m.name, suffix: m.suffix, places: m.places })),
  'metrics.points': (call) => {
    const page = call.ctx.core.execute(listMetricPointsOp, call.actor, { metricId: inputOf('metrics.points', call).metricId, perPage: 500, order: 'desc' });
    return { points: page.items.map((p) => ({ at: p.createdAt, value: p.calculatedValue })).reverse(), total: page.total };
  },
  'subscribers.list': (call) => {
    const page = call.ctx.core.execute(listSubscribersOp, call.actor, { page: inputOf('subscribers.list', call).page, order: 'desc' });
    return { ...page, items: page.items.map((x) => ({ id: x.id, email: x.email, confirmed: x.verifiedAt !== null, components: x.global ? 'all' : x.componentIds.join(', '), createdAt: x.createdAt })) };
  },
  'subscribers.add': (call) => ({ id: call.ctx.core.execute(createSubscriber, call.actor, inputOf('subscribers.add', call)).id }),
  'subscribers.remove': (call) => call.ctx.core.execute(deleteSubscriber, call.actor, inputOf('subscribers.remove', call)),
  'subscribers.export': ({ ctx, actor }) => ({ content: ctx.core.execute(exportSubscribers, actor, { format: 'csv' }) }),
  'security.get': ({ ctx, actor }) => policyView(ctx.core.execute(getSecurityPolicy, actor, {})),
  'security.update': (call) => policyView(call.ctx.core.execute(updateSecurityPolicy, call.actor, inputOf('security.update', call))),
};

/** A user as the console lists them. */
function userView(u: UserSummary) {
  return { id: u.id, email: u.email, name: u.name, status: u.status, roles: u.roles, twoFactor: u.twoFactor.enabled, lastSignInAt: u.lastSignInAt };
}

const policyView = (p: SecurityPolicy) => ({
  require2fa: p.require2fa,
  passwordMinLength: p.passwordMinLength,
  sessionIdleMinutes: p.sessionIdleMinutes,
  apiKeyMaxLifetimeDays: p.apiKeyMaxLifetimeDays,
  twoPersonRule: p.twoPersonRule,
});

const scheduleStatus = (s: number): string => SCHEDULE_STATUS[s as keyof typeof SCHEDULE_STATUS] ?? 'Unknown';

const siteView = (s: SiteSettings) => ({ siteName: s.siteName, about: s.about, timezone: s.timezone, accentColor: s.accentColor });

/** Where a provider sends, in one line (never a credential). */
function providerSummary(kind: string, config: Record<string, unknown>): string {
  if (kind === 'smtp' && typeof config.host === 'string') return `${String(config.host)}:${String(config.port)} as ${String(config.fromAddress)}`;
  if (kind === 'webhook' && typeof config.url === 'string') return config.url;
  if (kind === 'slack' && typeof config.host === 'string') return config.host;
  return 'not configured';
}
