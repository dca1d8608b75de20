import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { configureProvider, getNotifications, setProviderEnabled } from '../../src-main/core/notifications/providers.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { PUBLIC_URL } from '../helpers/notify.js';
import { auditRows, contentHash, testCore, testProviderSecrets, user } from '../helpers/store.js';
import { Core } from '../../src-main/core/core.js';
import { createAuthorizer } from '../../src-main/core/authorizer.js';
import { TEST_KEYS } from '../helpers/identity.js';

const SMTP = { host: 'smtp.example.com', port: 587, fromAddress: 'status@example.com', fromName: 'Example Status' };

describe('notification providers', () => {
  it('are all off on a new store, and nothing is queued for anyone', async () => {
    const { core } = testCore();
    const state = await core.executeAsync(getNotifications, localOperator, {});
    expect(state.providers.map((p) => [p.kind, p.enabled, p.hasSecret])).toEqual([
      ['smtp', false, false],
      ['webhook', false, false],
      ['slack', false, false],
    ]);
    expect(state.settings.events['component.status']).toBe(false);
  });

  it('keep credentials in the OS keychain only: not in the database file, its WAL, or the audit log', async () => {
    const secrets = testProviderSecrets();
    const t = testCore();
    const core = new Core({ db: t.db, clock: t.clock, keys: () => Promise.resolve(TEST_KEYS), providerSecrets: secrets });
    core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL });
    const password = 'smtp-password-7d1f0c';
    const webhookSecret = 'webhook-secret-4b9e2a77';
    const slackUrl = 'https://hooks.slack.com/services/T000/B000/slack-token-93c1';
    await core.executeAsync(configureProvider, localOperator, { kind: 'smtp', config: { ...SMTP, username: 'status' }, password });
    await core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: 'https://hooks.example.com/in' }, secret: webhookSecret });
    await core.executeAsync(configureProvider, localOperator, { kind: 'slack', url: slackUrl });
    const keychain = keychainStore(secrets.service);
    expect([await keychain.get('provider-smtp'), await keychain.get('provider-webhook'), await keychain.get('provider-slack')]).toEqual([password, webhookSecret, slackUrl]);
    t.db.pragma('wal_checkpoint(PASSIVE)');
    const files = readdirSync(t.dataDir).map((f) => readFileSync(join(t.dataDir, f)).toString('latin1'));
    for (const secret of [password, webhookSecret, 'slack-token-93c1']) {
      expect(files.some((bytes) => bytes.includes(secret))).toBe(false);
      expect(JSON.stringify(auditRows(t.db))).not.toContain(secret);
    }
    expect((await core.executeAsync(getNotifications, localOperator, {})).providers.map((p) => [p.kind, p.enabled, p.hasSecret, p.config])).toEqual([
      ['smtp', true, true, { ...SMTP, security: 'starttls', username: 'status' }],
      ['webhook', true, true, { url: 'https://hooks.example.com/in' }],
      ['slack', true, true, { host: 'hooks.slack.com' }],
    ]);
  });

  it('gives a webhook without a secret a random one, shown once', async () => {
    const { core } = testCore();
    const first = await core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: 'https://hooks.example.com/in' } });
    expect(first.generatedSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: 'https://hooks.example.com/other' } });
    expect(again.generatedSecret).toBeNull(); // the existing secret is kept
  });

  it.each([
    ['e-mail before the public URL is set', { kind: 'smtp', config: SMTP }, 'conflict', undefined],
    ['a plain-http webhook', { kind: 'webhook', config: { url: 'http://hooks.example.com/in' } }, 'invalid_input', 'config.url'],
    ['a javascript: webhook URL', { kind: 'webhook', config: { url: 'javascript:alert(1)' } }, 'invalid_input', 'config.url'],
    ['a webhook URL with credentials', { kind: 'webhook', config: { url: 'https://user:pw@hooks.example.com/' } }, 'invalid_input', 'config.url'],
    ['a short webhook secret', { kind: 'webhook', config: { url: 'https://hooks.example.com/in' }, secret: 'short' }, 'invalid_input', 'secret'],
    ['a sender name with a line break (header injection)', { kind: 'smtp', config: { ...SMTP, fromName: 'Status\r\nBcc: victim@example.com' } }, 'invalid_input', 'config.fromName'],
    ['a sender address with a line break', { kind: 'smtp', config: { ...SMTP, fromAddress: 'a@example.com\nBcc: b@example.com' } }, 'invalid_input', 'config.fromAddress'],
    ['an unknown security mode', { kind: 'smtp', config: { ...SMTP, security: 'maybe' } }, 'invalid_input', 'config.security'],
    ['an unknown provider', { kind: 'pager', config: {} }, 'invalid_input', 'kind'],
    ['an SMTP password with a newline', { kind: 'smtp', config: SMTP, password: 'a\nb' }, 'invalid_input', 'password'],
  ])('refuses %s and changes nothing (database or keychain)', async (_name, input, code, field) => {
    const secrets = testProviderSecrets();
    const t = testCore();
    const core = new Core({ db: t.db, clock: t.clock, keys: () => Promise.resolve(TEST_KEYS), providerSecrets: secrets });
    const before = contentHash(t.db, ['audit_log']);
    await expect(core.executeAsync(configureProvider, localOperator, input)).rejects.toMatchObject({ code, ...(field ? { field } : {}) });
    expect(contentHash(t.db, ['audit_log'])).toBe(before);
    expect(await Promise.all(['smtp', 'webhook', 'slack'].map((k) => keychainStore(secrets.service).get(`provider-${k}`)))).toEqual([null, null, null]);
  });

  it('cannot be turned on before they are configured', () => {
    const { core } = testCore();
    expect(() => core.execute(setProviderEnabled, localOperator, { kind: 'slack', enabled: true })).toThrow(/not configured/);
  });

  it('need a fresh proof of password and 2FA to configure (a sensitive act)', async () => {
    const t = testCore();
    const stale = new Core({
      db: t.db,
      clock: t.clock,
      providerSecrets: testProviderSecrets(),
      authorizer: createAuthorizer(() => ({ kind: 'user', userId: 1, sessionId: 1, stage: 'full', permissions: new Set(['notifications.manage']), authenticatedAt: t.clock.now() - 10 * 60_000 })),
    });
    await expect(stale.executeAsync(configureProvider, user(1), { kind: 'webhook', config: { url: 'https://hooks.example.com/in' } })).rejects.toMatchObject({ code: 'reauth_required' });
  });
});
