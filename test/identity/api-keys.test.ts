import { describe, expect, it } from 'vitest';
import { localOperator, type Client } from '../../src-main/core/actor.js';
import { API_KEY_PATTERN, formatApiKey, newApiKey, parseApiKey } from '../../src-main/core/identity/api-key-format.js';
import { createApiKey, listApiKeysOp, revokeApiKey, rotateApiKey } from '../../src-main/core/identity/api-keys.js';
import { reauthenticate } from '../../src-main/core/identity/auth.js';
import { createRole } from '../../src-main/core/identity/roles.js';
import { disableUserOp, setUserRolesOp } from '../../src-main/core/identity/users.js';
import { addMetricPointOp, listMetricsOp } from '../../src-main/core/metrics.js';
import { createAccount, identityCore, setPolicy, signInAs, type IdentityWorld } from '../helpers/accounts.js';
import { aMetric } from '../helpers/world.js';
import { auditRows, contentHash } from '../helpers/store.js';

const DAY = 86_400_000;
const monitor: Client = { kind: 'api', ip: '192.0.2.7' };

async function issue(w: IdentityWorld, input: Record<string, unknown> = {}) {
  return w.core.executeAsync(createApiKey, localOperator, { name: 'Uptime monitor', scopes: ['metrics.write', 'metrics.read'], ...input });
}

describe('the key format', () => {
  it('is cairn_ + 12-character id + 33-character secret + a 6-character CRC32, all base62', () => {
    const keys = Array.from({ length: 200 }, () => newApiKey());
    for (const { key, publicId } of keys) {
      expect(key).toMatch(API_KEY_PATTERN);
      expect(parseApiKey(key)).toEqual({ publicId });
    }
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.publicId)).size).toBe(200);
  });

  it('refuses any single mistyped character, a truncated key and a foreign token before any lookup', () => {
    const { key } = newApiKey();
    for (let i = 'cairn_'.length; i < key.length; i++) {
      if (key[i] === '_') continue;
      const typo = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
      expect(parseApiKey(typo), `typo at ${i}`).toBeUndefined();
    }
    expect(parseApiKey(key.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`${key} `)).toBeUndefined();
    expect(parseApiKey('ghp_16C7e42F292c6912E7710c838347Ae178B4a')).toBeUndefined();
    expect(parseApiKey(key.replace('cairn_', 'CAIRN_'))).toBeUndefined();
  });
});

describe('issuing a key', () => {
  it('shows the key once; the store keeps only its HMAC, and the key authenticates as its id', async () => {
    const w = identityCore();
    const issued = await issue(w);
    expect(issued).toMatchObject({ name: 'Uptime monitor', owner: null, scopes: ['metrics.read', 'metrics.write'], expiresAt: w.clock.now() + 365 * DAY });
    expect(issued.key).toMatch(API_KEY_PATTERN);
    expect(parseApiKey(issued.key)?.publicId).toBe(issued.id);
    const listed = w.core.execute(listApiKeysOp, localOperator, {});
    expect(listed).toEqual([expect.objectContaining({ id: issued.id, state: 'active', effectiveScopes: ['metrics.read', 'metrics.write'], useCount: 0, lastUsedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(issued.key.split('_')[2]);

    const actor = await w.core.authenticateApiKey(issued.key, monitor);
    expect(actor).toEqual({ kind: 'apikey', keyId: issued.id, client: monitor });
    w.clock.advance(1000);
    await w.core.authenticateApiKey(issued.key, monitor);
    expect(w.core.execute(listApiKeysOp, localOperator, {})[0]).toMatchObject({ useCount: 2, lastUsedAt: w.clock.now(), lastUsedIp: '192.0.2.7' });
    expect(auditRows(w.db).filter((a) => a.action === 'apikey.create')).toEqual([expect.objectContaining({ outcome: 'ok', actor_kind: 'local', target_id: issued.id })]);
  });

  it('holds exactly its scopes: allowed within them, forbidden (and audited under its id) outside', async () => {
    const w = identityCore();
    const metric = aMetric(w.core);
    const issued = await issue(w, { scopes: ['metrics.read'] });
    const actor = await w.core.authenticateApiKey(issued.key, monitor);
    expect(w.core.execute(listMetricsOp, actor, {})).toMatchObject({ total: 1 });
    const before = contentHash(w.db, ['audit_log', 'api_keys']);
    expect(() => w.core.execute(addMetricPointOp, actor, { metricId: metric.id, value: 1 })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(contentHash(w.db, ['audit_log', 'api_keys'])).toBe(before);
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'metricPoint.add', outcome: 'denied', actor_kind: 'apikey', actor_id: issued.id });
  });

  it('never holds more than its owner, at creation and at every use', async () => {
    const w = identityCore();
    await createAccount(w, 'admin@example.com', ['Administrator']);
    const writer = await createAccount(w, 'writer@example.com', ['Metrics Writer']);
    const metric = aMetric(w.core);
    await expect(issue(w, { owner: writer.email, scopes: ['components.write'] })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'A key cannot hold more than its owner: writer@example.com lacks components.write',
    });
    const issued = await issue(w, { owner: writer.email });
    const actor = await w.core.authenticateApiKey(issued.key, monitor);
    expect(() => w.core.execute(addMetricPointOp, actor, { metricId: metric.id, value: 1 })).not.toThrow();
    // The owner is moved to a read-only role: the key loses the write scope on its next call.
    w.core.execute(setUserRolesOp, localOperator, { id: writer.id, roles: ['Metrics Viewer'] });
    expect(() => w.core.execute(addMetricPointOp, actor, { metricId: metric.id, value: 2 })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => w.core.execute(listMetricsOp, actor, {})).not.toThrow();
    expect(w.core.execute(listApiKeysOp, localOperator, {})[0]).toMatchObject({ scopes: ['metrics.read', 'metrics.write'], effectiveScopes: ['metrics.read'] });
    // The owner is disabled: the key stops at once, and is refused at authentication from then on.
    w.core.execute(disableUserOp, localOperator, { id: writer.id });
    expect(() => w.core.execute(listMetricsOp, actor, {})).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
    await expect(w.core.authenticateApiKey(issued.key, monitor)).rejects.toMatchObject({ code: 'unauthenticated', message: 'The API key belongs to a disabled account' });
    expect(w.core.execute(listApiKeysOp, localOperator, {})[0]).toMatchObject({ state: 'owner disabled', effectiveScopes: [] });
  });

  it('is issued by a signed-in user only after re-authentication, only with permissions they hold, owned by them', async () => {
    const w = identityCore();
    const lead = await createAccount(w, 'lead@example.com', ['Incident Responder']);
    w.core.execute(createRole, localOperator, { name: 'Key keepers', permissions: ['apikeys.manage'] });
    w.core.execute(setUserRolesOp, localOperator, { id: lead.id, roles: ['Incident Responder', 'Key keepers'] });
    const { actor } = await signInAs(w, lead);
    w.clock.advance(6 * 60_000);
    await expect(w.core.executeAsync(createApiKey, actor, { name: 'Bot', scopes: ['incidents.write'] })).rejects.toMatchObject({ code: 'reauth_required' });
    await w.core.executeAsync(reauthenticate, actor, { password: lead.password, code: w.nextCode(lead.secret!) });
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    await expect(w.core.executeAsync(createApiKey, actor, { name: 'Bot', scopes: ['metrics.write'] })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'You cannot grant permissions you do not hold: metrics.write',
    });
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);
    const issued = await w.core.executeAsync(createApiKey, actor, { name: 'Bot', scopes: ['incidents.write'] });
    expect(issued.owner).toBe('lead@example.com');
  });

  it('follows the expiry policy: at most the maximum lifetime, never-expiring only when the policy allows', async () => {
    const w = identityCore();
    expect((await issue(w, { expiresInDays: 30 })).expiresAt).toBe(w.clock.now() + 30 * DAY);
    await expect(issue(w, { expiresInDays: null })).rejects.toMatchObject({ code: 'invalid_input', field: 'expiresInDays' });
    setPolicy(w, { apiKeyRequireExpiry: false, apiKeyMaxLifetimeDays: 60 });
    expect((await issue(w, { expiresInDays: null })).expiresAt).toBeNull();
    expect((await issue(w)).expiresAt).toBe(w.clock.now() + 60 * DAY);
    await expect(issue(w, { expiresInDays: 61 })).rejects.toMatchObject({ code: 'invalid_input', message: "expiresInDays: must be at most 60 (the security policy's maximum)" });
  });
});

describe('refused keys', () => {
  it('expired, revoked, wrong secret, unknown and malformed keys are refused; all but malformed ones are audited by id, never by key', async () => {
    const w = identityCore();
    const expiring = await issue(w, { expiresInDays: 1 });
    const revoked = await issue(w);
    const good = await issue(w);
    w.core.execute(revokeApiKey, localOperator, { id: revoked.id });
    w.clock.advance(DAY);
    const wrongSecret = formatApiKey(good.id, 'x'.repeat(33));
    const unknown = newApiKey().key;
    const cases: [string, string, string][] = [
      [expiring.key, 'The API key has been expired; create or rotate a key', 'expired'],
      [revoked.key, 'The API key has been revoked; create or rotate a key', 'revoked'],
      [wrongSecret, 'The API key is not valid', 'unknown key or wrong secret'],
      [unknown, 'The API key is not valid', 'unknown key or wrong secret'],
    ];
    for (const [key, message, reason] of cases) {
      const auditBefore = auditRows(w.db).length;
      await expect(w.core.authenticateApiKey(key, monitor)).rejects.toMatchObject({ code: 'unauthenticated', message });
      expect(auditRows(w.db).slice(auditBefore)).toEqual([
        expect.objectContaining({ action: 'apikey.authenticate', outcome: 'denied', actor_kind: 'apikey', actor_id: parseApiKey(key)!.publicId, details: JSON.stringify({ reason }) }),
      ]);
    }
    const auditBefore = auditRows(w.db).length;
    for (const junk of [good.key.slice(0, -1) + (good.key.endsWith('a') ? 'b' : 'a'), 'secret', '', 'x'.repeat(10_000)]) {
      await expect(w.core.authenticateApiKey(junk, monitor)).rejects.toMatchObject({ code: 'unauthenticated', message: 'The API key is not valid (it is not a Cairn key, or it was not copied whole)' });
    }
    expect(auditRows(w.db).length).toBe(auditBefore);
    const log = JSON.stringify(w.db.prepare('SELECT * FROM audit_log').all());
    for (const k of [expiring, revoked, good]) expect(log).not.toContain(k.key.split('_')[2]);
    expect(w.core.execute(listApiKeysOp, localOperator, {}).map((k) => k.state)).toEqual(['expired', 'revoked', 'active']);
    await expect(w.core.authenticateApiKey(good.key, monitor)).resolves.toMatchObject({ keyId: good.id });
  });

  it('a key revoked while a caller holds its actor stops on the next call; revoking twice is a conflict', async () => {
    const w = identityCore();
    const issued = await issue(w);
    const actor = await w.core.authenticateApiKey(issued.key, monitor);
    expect(() => w.core.execute(listMetricsOp, actor, {})).not.toThrow();
    w.core.execute(revokeApiKey, localOperator, { id: issued.id });
    expect(() => w.core.execute(listMetricsOp, actor, {})).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
    const before = contentHash(w.db);
    expect(() => w.core.execute(revokeApiKey, localOperator, { id: issued.id })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => w.core.execute(revokeApiKey, localOperator, { id: 'NoSuchKey000' })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(contentHash(w.db)).toBe(before);
  });
});

describe('rotation', () => {
  it('issues a successor with the same scopes; both work during the overlap, then only the successor', async () => {
    const w = identityCore();
    const old = await issue(w, { expiresInDays: 90 });
    w.clock.advance(10 * DAY);
    const next = await w.core.executeAsync(rotateApiKey, localOperator, { id: old.id, overlapDays: 2 });
    expect(next).toMatchObject({ name: old.name, scopes: old.scopes, expiresAt: w.clock.now() + 90 * DAY, previous: { id: old.id, expiresAt: w.clock.now() + 2 * DAY } });
    expect(next.key).not.toBe(old.key);
    w.clock.advance(2 * DAY - 1);
    await expect(w.core.authenticateApiKey(old.key, monitor)).resolves.toMatchObject({ keyId: old.id });
    await expect(w.core.authenticateApiKey(next.key, monitor)).resolves.toMatchObject({ keyId: next.id });
    w.clock.advance(1);
    await expect(w.core.authenticateApiKey(old.key, monitor)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(w.core.authenticateApiKey(next.key, monitor)).resolves.toMatchObject({ keyId: next.id });
    expect(w.core.execute(listApiKeysOp, localOperator, {}).find((k) => k.id === next.id)).toMatchObject({ rotatedFrom: old.id });
    // An expired key cannot be rotated (issue a new one instead).
    await expect(w.core.executeAsync(rotateApiKey, localOperator, { id: old.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('with no overlap the old key stops at once; keys past the rotation age are flagged', async () => {
    const w = identityCore();
    const old = await issue(w);
    w.clock.advance(91 * DAY);
    expect(w.core.execute(listApiKeysOp, localOperator, {})[0]).toMatchObject({ dueForRotation: true });
    const next = await w.core.executeAsync(rotateApiKey, localOperator, { id: old.id, overlapDays: 0 });
    await expect(w.core.authenticateApiKey(old.key, monitor)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(w.core.execute(listApiKeysOp, localOperator, {}).map((k) => [k.id, k.state, k.dueForRotation])).toEqual([
      [old.id, 'expired', false],
      [next.id, 'active', false],
    ]);
  });
});
