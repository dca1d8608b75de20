import { describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/core.js';
import { HANDLERS } from '../../src-main/ipc/handlers.js';
import { dispatch, type IpcContext } from '../../src-main/ipc/router.js';
import { ConsoleSessions } from '../../src-main/ipc/sessions.js';
import { describeRequirement } from '../../src-main/core/permissions.js';
import { CHANNEL_NAMES, type ChannelName } from '../../src-preload/contract/channels.js';
import { CONTRACT } from '../../src-preload/contract/index.js';
import { createAccount, identityCore, signInAs, type IdentityWorld } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';

const ORIGIN = 'app://cairn';
const fromConsole = { webContentsId: 1, origin: ORIGIN, isMainFrame: true };
const PUBLIC_CHANNELS = CHANNEL_NAMES.filter((c) => CONTRACT[c].requires === 'public');
const GUARDED = CHANNEL_NAMES.filter((c) => CONTRACT[c].requires !== 'public' && CONTRACT[c].requires !== 'self');
const SELF_CHANNELS = CHANNEL_NAMES.filter((c) => CONTRACT[c].requires === 'self');

/** A valid input for every channel (against a store with incident 1 and delivery 1). */
const VALID: Record<ChannelName, unknown> = {
  'app.info': {},
  'session.state': {},
  'session.signIn': { email: 'nobody@example.com', password: 'not it' },
  'session.verify': { code: '123456' },
  'session.signOut': {},
  'setup.createAdministrator': { email: 'first@example.com', name: 'First', password: 'a much longer pass phrase 42' },
  'password.assess': { password: 'correct horse battery staple' },
  'twoFactor.begin': {},
  'twoFactor.confirm': { code: '123456' },
  'dashboard.get': {},
  'posture.get': {},
  'incidents.list': { page: 1 },
  'incidents.create': { name: 'Outage', message: 'Looking', status: 1 },
  'incidents.addUpdate': { incidentId: 1, message: 'Found it', status: 2 },
  'incidents.approve': { id: 1 },
  'incidents.publish': { id: 1 },
  'markdown.preview': { markdown: '**bold**' },
  'deliveries.list': { page: 1 },
  'deliveries.retry': { id: 1 },
  'apikeys.list': {},
  'apikeys.create': { name: 'Monitor', scopes: ['metrics.write'], expiresInDays: 30 },
  'apikeys.rotate': { id: 'AbCdEf123456', overlapDays: 1 },
  'apikeys.revoke': { id: 'AbCdEf123456' },
  'session.reauth': { password: 'a password', code: '123456' },
  'users.list': {},
  'users.setRoles': { id: 1, roles: ['Auditor'] },
  'users.disable': { id: 1 },
  'roles.create': { name: 'Status editors', description: '', permissions: ['incidents.write'] },
  'review.status': {},
  'review.record': { note: 'Quarterly', decisions: [{ userId: 1, decision: 'confirm' }] },
  'audit.list': { page: 1, preset: 'role-changes' },
  'audit.export': { format: 'csv' },
  'components.list': { page: 1 },
  'components.create': { name: 'CDN', status: 1 },
  'components.update': { id: 1, status: 2 },
  'settings.get': {},
  'settings.update': { siteName: 'Status' },
  'notifications.get': {},
  'notifications.setProvider': { kind: 'smtp', enabled: false },
  'notifications.configure': { kind: 'webhook', url: 'https://hooks.example.com/in' },
  'groups.list': {},
  'groups.create': { name: 'Website' },
  'maintenance.list': { page: 1 },
  'maintenance.create': { name: 'Upgrade', message: 'Database upgrade', scheduledAt: '2026-12-10T10:00' },
  'maintenance.update': { scheduleId: 1, status: 1, message: 'Started' },
  'metrics.list': {},
  'metrics.points': { metricId: 1 },
  'subscribers.list': { page: 1 },
  'subscribers.add': { email: 'reader@example.com' },
  'subscribers.remove': { id: 1 },
  'subscribers.export': {},
  'security.get': {},
  'security.update': { sessionIdleMinutes: 20 },
};

function context(core: Core): IpcContext {
  return { core, trustedOrigin: ORIGIN, sessions: new ConsoleSessions(core), mode: 'production' };
}

/** A window of `w` signed in as a user holding only `roles`. */
async function signedIn(w: IdentityWorld, roles: string[]): Promise<IpcContext> {
  const ctx = context(w.core);
  const account = await createAccount(w, `${roles.join('-').toLowerCase().replace(/\W/g, '')}@example.com`, roles);
  const { token } = await signInAs(w, account);
  ctx.sessions.set(fromConsole.webContentsId, token, 'full');
  return ctx;
}

describe('the IPC contract', () => {
  it('has exactly one handler per channel, and the name list matches the schemas', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(CONTRACT).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(VALID).sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});

describe('dispatch', () => {
  it('answers a call from our own main frame', async () => {
    const w = identityCore();
    expect(await dispatch(context(w.core), HANDLERS, 'app.info', fromConsole, {})).toEqual({ ok: true, value: { name: 'Cairn', version: '0.1.0', mode: 'production' } });
  });

  it.each([
    ['another origin', { ...fromConsole, origin: 'https://evil.example' }],
    ['an opaque origin', { ...fromConsole, origin: 'null' }],
    ['a subframe of our origin', { ...fromConsole, isMainFrame: false }],
  ])('refuses every channel to a sender from %s, even a signed-in window, changing nothing', async (_label, sender) => {
    const w = identityCore();
    const ctx = await signedIn(w, ['Administrator']);
    const before = contentHash(w.db);
    for (const channel of CHANNEL_NAMES) {
      expect(await dispatch(ctx, HANDLERS, channel, sender, VALID[channel])).toEqual({ ok: false, error: { code: 'forbidden', message: 'This request did not come from the Cairn console' } });
    }
    expect(contentHash(w.db)).toBe(before);
  });

  it('refuses every guarded and own-account channel to a window with no session (unauthenticated), changing nothing', async () => {
    const w = identityCore();
    const before = contentHash(w.db);
    expect(SELF_CHANNELS).toEqual(['twoFactor.begin', 'twoFactor.confirm', 'session.reauth']);
    for (const channel of [...GUARDED, ...SELF_CHANNELS]) {
      expect(await dispatch(context(w.core), HANDLERS, channel, fromConsole, VALID[channel]), channel).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect(contentHash(w.db)).toBe(before);
  });

  it('refuses every guarded channel to a user without its permission (forbidden, audited as denied)', async () => {
    const w = identityCore();
    const ctx = await signedIn(w, ['Metrics Viewer']);
    // Everything but what a Metrics Viewer holds (metrics.read).
    const refused = GUARDED.filter((c) => CONTRACT[c].requires !== 'metrics.read');
    expect(refused.length).toBe(GUARDED.length - 2);
    for (const channel of refused) {
      const result = await dispatch(ctx, HANDLERS, channel, fromConsole, VALID[channel]);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(describeRequirement(CONTRACT[channel].requires)) } });
    }
    const denied = w.db.prepare("SELECT action FROM audit_log WHERE outcome = 'denied' AND action LIKE 'ipc:%' ORDER BY id").all() as { action: string }[];
    expect(denied.map((d) => d.action)).toEqual(refused.map((c) => `ipc:${c}`));
  });

  it('takes the actor from main’s session table, never from the payload', async () => {
    const w = identityCore();
    const ctx = context(w.core);
    const result = await dispatch(ctx, HANDLERS, 'dashboard.get', fromConsole, { actor: { kind: 'local' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses malformed input on every channel with a clear message, changing nothing', async () => {
    const w = identityCore();
    const ctx = await signedIn(w, ['Administrator']);
    const before = contentHash(w.db, ['audit_log', 'sessions']);
    for (const channel of CHANNEL_NAMES) {
      const result = await dispatch(ctx, HANDLERS, channel, fromConsole, { ...(VALID[channel] as object), unexpected: true });
      expect(result, channel).toEqual({ ok: false, error: { code: 'invalid_input', message: 'unexpected: is not a known field', field: 'unexpected' } });
    }
    for (const [channel, input] of [
      ['incidents.create', { name: '', message: 'x', status: 1 }],
      ['incidents.create', { name: 'A', message: 'x', status: 9 }],
      ['apikeys.create', { name: 'K', scopes: [], expiresInDays: 30 }],
      ['deliveries.retry', { id: '1 OR 1=1' }],
    ] as const) {
      expect(await dispatch(ctx, HANDLERS, channel, fromConsole, input), channel).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(contentHash(w.db, ['audit_log', 'sessions'])).toBe(before);
  });

  it('lets public channels answer anonymous windows', async () => {
    const w = identityCore();
    expect(PUBLIC_CHANNELS).toEqual(['app.info', 'session.state', 'session.signIn', 'session.verify', 'session.signOut', 'setup.createAdministrator', 'password.assess']);
    expect(await dispatch(context(w.core), HANDLERS, 'session.state', fromConsole, {})).toEqual({ ok: true, value: { stage: 'anonymous', firstRun: true, user: null } });
  });

  it('hides handler failures behind an internal error', async () => {
    const w = identityCore();
    const broken = { ...HANDLERS, 'app.info': () => ({ name: 'Cairn', secret: 'leak' }) };
    const result = await dispatch(context(w.core), broken, 'app.info', fromConsole, {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error; the operator can find details in the log' } });
  });
});
