import { COMPONENT_STATUS, listComponentsOp } from '../core/components.js';
import { CairnError } from '../core/errors.js';
import QRCode from 'qrcode';
import { beginTwoFactor, confirmTwoFactor, getAccount } from '../core/identity/account.js';
import { assessPassword, createFirstAdministrator, setupStatus } from '../core/identity/setup.js';
import { createApiKey, listApiKeysOp } from '../core/identity/api-keys.js';
import { signIn, signOut, verifySecondFactor } from '../core/identity/auth.js';
import { createIncident, createIncidentUpdate, INCIDENT_STATUS, listIncidentsOp, previewMessage } from '../core/incidents.js';
import { listDeliveriesOp, retryDelivery } from '../core/notifications/outbox.js';
import { getPublicStatus } from '../core/public-view.js';
import type { ChannelName } from '../../src-preload/contract/channels.js';
import type { ParsedInput } from '../../src-preload/contract/index.js';
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
      const user = { email: account.email, name: account.name, permissions: account.permissions, twoFactorEnabled: account.twoFactor.enabled };
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

  'dashboard.get': async ({ ctx, actor }) => {
    const { overall } = ctx.core.execute(getPublicStatus, actor, {});
    const incidents = ctx.core.execute(listIncidentsOp, actor, { perPage: 100, sort: 'id', order: 'desc' });
    // Components are shown to those who may read them; the rest of the dashboard does not need them.
    const components = await Promise.resolve()
      .then(() => ctx.core.execute(listComponentsOp, actor, { perPage: 100 }).items)
      .catch(() => []);
    return {
      overall: { level: overall.level, message: overall.message },
      attention: components.filter((c) => c.status > 1).map((c) => ({ id: c.id, name: c.name, status: componentStatus(c.status) })),
      openIncidents: incidents.items.filter((i) => i.status !== 4).map((i) => ({ id: i.id, name: i.name, status: incidentStatus(i.status), draft: i.draft })),
    };
  },
  'incidents.list': (call) => {
    const page = call.ctx.core.execute(listIncidentsOp, call.actor, { page: inputOf('incidents.list', call).page, sort: 'id', order: 'desc' });
    return { ...page, items: page.items.map((i) => ({ id: i.id, name: i.name, status: incidentStatus(i.status), draft: i.draft, occurredAt: i.occurredAt, updates: i.updates.length })) };
  },
  'incidents.create': (call) => {
    const incident = call.ctx.core.execute(createIncident, call.actor, inputOf('incidents.create', call));
    return { id: incident.id, draft: incident.draft };
  },
  'incidents.addUpdate': (call) => {
    const update = call.ctx.core.execute(createIncidentUpdate, call.actor, inputOf('incidents.addUpdate', call));
    return { id: update.id, pendingApproval: update.publishedAt === null };
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
};
