import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { listApiKeysOp, revokeApiKey, rotateApiKey } from '../../src-main/core/identity/api-keys.js';
import { parseApiKey } from '../../src-main/core/identity/api-key-format.js';
import { disableUserOp, setUserRolesOp } from '../../src-main/core/identity/users.js';
import { createAccount } from '../helpers/accounts.js';
import { apiWorld } from '../helpers/api.js';
import { auditRows } from '../helpers/store.js';

const DAY = 86_400_000;
const point = { value: 1 };

async function withMetric() {
  const w = await apiWorld();
  const admin = await w.key(['metrics.write', 'metrics.read']);
  await w.call('POST', '/api/v1/metrics', { key: admin, body: { name: 'Latency', suffix: 'ms', description: '', default_value: 0 } });
  return { w, admin };
}

describe('API keys over HTTP', () => {
  it('are accepted in X-Cachet-Token and Authorization: Bearer; usage is recorded', async () => {
    const { w, admin } = await withMetric();
    expect((await w.call('POST', '/api/v1/metrics/1/points', { headers: { authorization: `Bearer ${admin}` }, body: point })).status).toBe(200);
    expect((await w.call('POST', '/api/v1/metrics/1/points', { headers: { 'x-cachet-token': admin, authorization: `bearer ${admin}` }, body: point })).status).toBe(200);
    expect(w.core.execute(listApiKeysOp, localOperator, {})[0]).toMatchObject({ useCount: 3, lastUsedIp: '127.0.0.1', lastUsedAt: w.clock.now() });
  });

  it('refuse ambiguous or malformed credentials', async () => {
    const { w, admin } = await withMetric();
    const other = await w.key(['metrics.write']);
    expect(await w.call('POST', '/api/v1/metrics/1/points', { headers: { 'x-cachet-token': admin, authorization: `Bearer ${other}` }, body: point })).toMatchObject({
      status: 400, json: { code: 'invalid_input', message: 'Send one API key, not two different ones' },
    });
    expect(await w.call('POST', '/api/v1/metrics/1/points', { headers: { authorization: `Basic ${Buffer.from(`x:${admin}`).toString('base64')}` }, body: point })).toMatchObject({
      status: 401, json: { message: 'Send the API key as "Authorization: Bearer <key>" or in X-Cachet-Token' },
    });
    expect(await w.call('GET', '/api/v1/metrics', { key: 'not-a-key' })).toMatchObject({ status: 401, json: { code: 'unauthenticated' } });
  });

  it('expire, revoke and rotate with an overlap, by the injected clock', async () => {
    const { w } = await withMetric();
    const shortLived = await w.key(['metrics.write'], { expiresInDays: 1 });
    const revoked = await w.key(['metrics.write']);
    const rotating = await w.key(['metrics.write']);
    w.core.execute(revokeApiKey, localOperator, { id: parseApiKey(revoked)!.publicId });
    expect(await w.call('POST', '/api/v1/metrics/1/points', { key: revoked, body: point })).toMatchObject({ status: 401, json: { message: 'The API key has been revoked; create or rotate a key' } });
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key: shortLived, body: point })).status).toBe(200);
    const successor = await w.core.executeAsync(rotateApiKey, localOperator, { id: parseApiKey(rotating)!.publicId, overlapDays: 3 });
    w.clock.advance(DAY);
    expect(await w.call('POST', '/api/v1/metrics/1/points', { key: shortLived, body: point })).toMatchObject({ status: 401, json: { message: 'The API key has been expired; create or rotate a key' } });
    w.clock.advance(2 * DAY - 1000);
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key: rotating, body: point })).status).toBe(200);
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key: successor.key, body: point })).status).toBe(200);
    w.clock.advance(1000);
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key: rotating, body: point })).status).toBe(401);
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key: successor.key, body: point })).status).toBe(200);
  });

  it('follow their owner: demoted, the key loses the scope (403); disabled, the key stops (401)', async () => {
    const { w } = await withMetric();
    const owner = await createAccount(w, 'monitor-owner@example.com', ['Metrics Writer']);
    await createAccount(w, 'admin@example.com', ['Administrator']);
    const key = await w.key(['metrics.write'], { owner: owner.email });
    expect((await w.call('POST', '/api/v1/metrics/1/points', { key, body: point })).status).toBe(200);
    w.core.execute(setUserRolesOp, localOperator, { id: owner.id, roles: ['Metrics Viewer'] });
    expect(await w.call('POST', '/api/v1/metrics/1/points', { key, body: point })).toMatchObject({ status: 403, json: { message: 'This needs the metrics.write permission' } });
    w.core.execute(disableUserOp, localOperator, { id: owner.id });
    expect(await w.call('GET', '/api/v1/metrics', { key })).toMatchObject({ status: 401, json: { message: 'The API key belongs to a disabled account' } });
  });
});

describe('rate limits', () => {
  it('per key: 429 with Retry-After once the key is over its rate; other keys are unaffected', async () => {
    const w = await apiWorld({ apiLimits: { perIp: { burst: 100, perSecond: 100 }, perKey: { burst: 3, perSecond: 0.5 }, failedKeysPerIp: { burst: 5, perSecond: 1 } } });
    const busy = await w.key(['metrics.read']);
    const calm = await w.key(['metrics.read']);
    for (let i = 0; i < 3; i++) expect((await w.call('GET', '/api/v1/metrics', { key: busy })).status).toBe(200);
    const limited = await w.call('GET', '/api/v1/metrics', { key: busy });
    expect(limited).toMatchObject({ status: 429, json: { code: 'rate_limited', message: 'Too many requests with this API key; try again in 2 s' } });
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await w.call('GET', '/api/v1/metrics', { key: calm })).status).toBe(200);
    w.clock.advance(2000);
    expect((await w.call('GET', '/api/v1/metrics', { key: busy })).status).toBe(200);
  });

  it('per IP, keyed or not', async () => {
    const w = await apiWorld({ apiLimits: { perIp: { burst: 2, perSecond: 1 }, perKey: { burst: 100, perSecond: 100 }, failedKeysPerIp: { burst: 5, perSecond: 1 } } });
    expect((await w.call('GET', '/api/v1/components')).status).toBe(200);
    expect((await w.call('GET', '/api/v1/components')).status).toBe(200);
    const limited = await w.call('GET', '/api/v1/components');
    expect(limited).toMatchObject({ status: 429, json: { message: 'Too many requests from this address; try again in 1 s' } });
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('refused keys from one address: after the burst, further keys are not even checked (no audit flood), a valid one included', async () => {
    const w = await apiWorld({ apiLimits: { perIp: { burst: 100, perSecond: 100 }, perKey: { burst: 100, perSecond: 100 }, failedKeysPerIp: { burst: 2, perSecond: 0.1 } } });
    const good = await w.key(['metrics.read']);
    const guess = () => good.slice(0, 6) + 'AAAAAAAAAAAA' + good.slice(18);
    const audits = () => auditRows(w.db).filter((a) => a.action === 'apikey.authenticate').length;
    expect((await w.call('GET', '/api/v1/metrics', { key: 'cairn_AAAAAAAAAAAA_xxx' })).status).toBe(401);
    expect((await w.call('GET', '/api/v1/metrics', { key: guess() })).status).toBe(401);
    const blocked = await w.call('GET', '/api/v1/metrics', { key: guess() });
    expect(blocked).toMatchObject({ status: 429, json: { message: 'Too many refused API keys from this address; try again in 10 s' } });
    const auditedBefore = audits();
    for (let i = 0; i < 5; i++) expect((await w.call('GET', '/api/v1/metrics', { key: guess() })).status).toBe(429);
    expect((await w.call('GET', '/api/v1/metrics', { key: good })).status).toBe(429);
    expect(audits()).toBe(auditedBefore);
    w.clock.advance(10_000);
    expect((await w.call('GET', '/api/v1/metrics', { key: good })).status).toBe(200);
  });
});
