import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { beginTwoFactor, changePassword, regenerateRecoveryCodes } from '../../src-main/core/identity/account.js';
import { reauthenticate } from '../../src-main/core/identity/auth.js';
import { createApiKey, rotateApiKey } from '../../src-main/core/identity/api-keys.js';
import { resetPasswordOp } from '../../src-main/core/identity/users.js';
import { storeId } from '../../src-main/db/connection.js';
import { keychainService } from '../../src-main/secrets/core-keys.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { exportAuditLog } from '../../src-main/core/audit-log.js';
import { createAccount, identityCore, signInAs } from '../helpers/accounts.js';
import { configureProvider } from '../../src-main/core/notifications/providers.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';
import { HANDLERS } from '../../src-main/ipc/handlers.js';
import { dispatch, type IpcContext } from '../../src-main/ipc/router.js';
import { ConsoleSessions } from '../../src-main/ipc/sessions.js';
import type { ChannelName } from '../../src-preload/contract/channels.js';
import { startServer } from '../helpers/server.js';

/** The RFC 4648 base32 decoding of a TOTP secret: the raw key bytes. */
function base32Bytes(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
}

/** Every way a secret might sit in a file: as text, base64, base64url, hex, and raw bytes. */
function encodings(secret: string | Buffer): Buffer[] {
  const raw = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const forms = [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url')), Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('hex').toUpperCase())];
  if (typeof secret === 'string') forms.push(Buffer.from(secret.toLowerCase()), Buffer.from(secret.replace(/-/g, '')));
  return forms;
}

/**
 * A scripted session that handles every kind of secret: passwords (set, changed, reset), TOTP
 * secrets (enrolled and pending), recovery codes, a session token, API keys (issued, rotated, used)
 * and the keychain's keys. Returns the world and every secret it saw, by name.
 */
async function scriptedSession() {
  const w = identityCore();
  const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
  const session = await signInAs(w, admin);
  const newPassword = 'velvet harbour 77 tides';
  await w.core.executeAsync(changePassword, session.actor, { currentPassword: admin.password, newPassword });
  await w.core.executeAsync(reauthenticate, session.actor, { password: newPassword, code: w.nextCode(admin.secret!) });
  const { recoveryCodes } = await w.core.executeAsync(regenerateRecoveryCodes, session.actor, {});
  const pending = await w.core.executeAsync(beginTwoFactor, session.actor, {});
  const other = await createAccount(w, 'other@example.com', ['Auditor']);
  const { temporaryPassword } = await w.core.executeAsync(resetPasswordOp, localOperator, { id: other.id });
  const key = Buffer.from((await keychainStore(keychainService(storeId(w.db))).get('totp-encryption'))!, 'base64');
  const issued = await w.core.executeAsync(createApiKey, localOperator, { name: 'Monitor', scopes: ['metrics.write'] });
  const rotated = await w.core.executeAsync(rotateApiKey, localOperator, { id: issued.id });
  await w.core.authenticateApiKey(rotated.key, { kind: 'api', ip: '127.0.0.1' });
  const pepper = Buffer.from((await keychainStore(keychainService(storeId(w.db))).get('apikey-pepper'))!, 'base64');
  const secretPart = (apiKey: string) => apiKey.split('_')[2]!;

  const secrets: [string, string | Buffer][] = [
    ['first password', admin.password],
    ['new password', newPassword],
    ['temporary password', temporaryPassword],
    ['TOTP secret', admin.secret!],
    ['TOTP key bytes', base32Bytes(admin.secret!)],
    ['pending TOTP secret', pending.secret],
    ['pending TOTP key bytes', base32Bytes(pending.secret)],
    ['other TOTP secret', other.secret!],
    ['session token', session.token],
    ['keychain encryption key', key],
    ['API key', issued.key],
    ['API key secret part', secretPart(issued.key)],
    ['rotated API key', rotated.key],
    ['rotated API key secret part', secretPart(rotated.key)],
    ['keychain API key pepper', pepper],
    ...[...admin.recoveryCodes!, ...recoveryCodes, ...other.recoveryCodes!].map((c, i): [string, string] => [`recovery code ${i}`, c]),
  ];
  return { w, secrets, rotated, session };
}

/** Which secrets occur, in any encoding, in which of the named blobs. */
function hits(secrets: readonly (readonly [string, string | Buffer])[], blobs: readonly (readonly [string, Buffer])[]): string[] {
  const found: string[] = [];
  for (const [label, secret] of secrets) {
    for (const form of encodings(secret)) for (const [where, bytes] of blobs) if (bytes.includes(form)) found.push(`${label} in ${where}`);
  }
  return found;
}

describe('secrets at rest and in transit', () => {
  it('no password, TOTP secret, recovery code, session token, API key or keychain key is in the data dir, in any encoding', async () => {
    const { w, secrets } = await scriptedSession();
    // Both the live files (database and write-ahead log) and the file after a full checkpoint.
    const scan = () => {
      const files = readdirSync(w.dataDir).map((f) => [f, readFileSync(join(w.dataDir, f))] as const);
      expect(files.length).toBeGreaterThan(0);
      return hits(secrets, files);
    };
    expect(scan()).toEqual([]);
    w.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(scan()).toEqual([]);
    // The audit log says what happened without any of it.
    const log = JSON.stringify(w.db.prepare('SELECT * FROM audit_log').all());
    for (const [label, secret] of secrets) expect(log.includes(typeof secret === 'string' ? secret : secret.toString('hex')), label).toBe(false);
  });

  it('none of them is in any HTTP answer (public pages, feeds, API with and without keys, errors) or in the audit log exports', async () => {
    const { w, secrets, rotated } = await scriptedSession();
    const url = await startServer(w.core);
    const readAll = await w.core.executeAsync(createApiKey, localOperator, { name: 'Reader', scopes: ['components.read', 'incidents.read', 'metrics.read', 'subscribers.read', 'maintenance.read'] });
    const answers: (readonly [string, Buffer])[] = [];
    const paths = ['/', '/history', '/feed.atom', '/feed.rss', '/badge.svg', '/api/v2/summary.json', '/api/v1/ping', '/api/v1/status', '/api/v1/openapi.json', '/api/v1/components', '/api/v1/incidents', '/api/v1/metrics', '/api/v1/subscribers', '/api/v1/schedules', '/nowhere'];
    for (const path of paths) {
      for (const key of [undefined, readAll.key, rotated.key, `${rotated.key.slice(0, -3)}abc`]) {
        const res = await fetch(`${url}${path}`, { headers: key ? { 'x-cachet-token': key } : {} });
        answers.push([`GET ${path}${key ? ' (key)' : ''}`, Buffer.from(`${JSON.stringify([...res.headers])}\n${await res.text()}`)]);
      }
    }
    const posted = await fetch(`${url}/api/v1/metrics/1/points`, { method: 'POST', headers: { authorization: `Bearer ${rotated.key}`, 'content-type': 'application/json' }, body: '{"value": 1}' });
    answers.push(['POST with a key', Buffer.from(await posted.text())]);
    for (const format of ['jsonl', 'csv'] as const) answers.push([`audit export (${format})`, Buffer.from(w.core.execute(exportAuditLog, localOperator, { format }))]);
    // The keys themselves were sent by us; what must never come back is any secret in any form.
    expect(answers.length).toBeGreaterThan(paths.length * 4);
    expect(hits(secrets, answers)).toEqual([]);
  });

  it('none of them, nor the notification providers’ credentials, is in any IPC result the console reads', async () => {
    const { w, secrets, session } = await scriptedSession();
    const smtpPassword = 'smtp-password-51c0ffee';
    const webhookSecret = 'webhook-secret-7e57ab1e99';
    const slackUrl = 'https://hooks.slack.com/services/T1/B1/slack-token-0d15ea5e';
    w.core.execute(updateNotificationSettings, localOperator, { publicUrl: 'https://status.example.com' });
    await w.core.executeAsync(configureProvider, localOperator, { kind: 'smtp', config: { host: 'smtp.example.com', username: 'status', fromAddress: 'status@example.com', fromName: 'Status' }, password: smtpPassword });
    await w.core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: 'https://hooks.example.com/in' }, secret: webhookSecret });
    await w.core.executeAsync(configureProvider, localOperator, { kind: 'slack', url: slackUrl });
    const all: [string, string | Buffer][] = [...secrets, ['SMTP password', smtpPassword], ['webhook secret', webhookSecret], ['Slack URL token', 'slack-token-0d15ea5e']];

    const ctx: IpcContext = { core: w.core, trustedOrigin: 'app://cairn', sessions: new ConsoleSessions(w.core), mode: 'production' };
    ctx.sessions.set(1, session.token, 'full');
    const reads: [ChannelName, unknown][] = [
      ['session.state', {}], ['dashboard.get', {}], ['posture.get', {}], ['incidents.list', {}], ['components.list', {}], ['groups.list', {}], ['maintenance.list', {}],
      ['metrics.list', {}], ['subscribers.list', {}], ['subscribers.export', {}], ['deliveries.list', {}], ['apikeys.list', {}], ['users.list', {}],
      ['review.status', {}], ['audit.list', {}], ['audit.export', { format: 'jsonl' }], ['audit.export', { format: 'csv' }], ['settings.get', {}],
      ['security.get', {}], ['notifications.get', {}],
    ];
    const answers: [string, Buffer][] = [];
    for (const [channel, input] of reads) {
      const result = await dispatch(ctx, HANDLERS, channel, { webContentsId: 1, origin: 'app://cairn', isMainFrame: true }, input);
      expect(result.ok, `${channel}: ${JSON.stringify(result)}`).toBe(true);
      answers.push([channel, Buffer.from(JSON.stringify(result))]);
    }
    expect(hits(all, answers)).toEqual([]);
  });
});
