import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src-main/http/api/routes.js';
import { apiWorld, type ApiWorld } from '../helpers/api.js';
import { contentHash } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule, aSubscriber } from '../helpers/world.js';
import { adversarialJson, adversarialText } from './arbitraries.js';

/**
 * Property-based fuzzing of every route of the API contract over real HTTP on 127.0.0.1, with a
 * key holding every API scope (so requests get past authentication into validation) and without.
 * Invariants for every request: never a 5xx, always a JSON body with a stable code when refused,
 * and a refused request changes nothing (the audit log and the key's usage record aside: refusals
 * are audited, and every authenticated call counts as a use).
 */

const ALL_SCOPES = ['components.read', 'components.write', 'incidents.read', 'incidents.write', 'incidents.publish', 'maintenance.read', 'maintenance.write', 'metrics.read', 'metrics.write', 'subscribers.read', 'subscribers.write'];
const VOLATILE = ['audit_log', 'api_keys', 'security_alerts'];
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

async function fuzzWorld(): Promise<ApiWorld & { key: string; ids: string[] }> {
  const w = await apiWorld({ apiLimits: { perIp: { burst: 1e9, perSecond: 1e9 }, perKey: { burst: 1e9, perSecond: 1e9 }, failedKeysPerIp: { burst: 1e9, perSecond: 1e9 } } });
  const group = aGroup(w.core);
  const component = aComponent(w.core, { groupId: group.id });
  const incident = anIncident(w.core, { componentId: component.id });
  aSchedule(w.core);
  aMetric(w.core);
  aSubscriber(w.core);
  const key = await w.key(ALL_SCOPES);
  return { ...w, key, ids: [String(group.id), String(component.id), String(incident.id), '1', '0', '-1', '999999', '1e3', '01', 'abc'] } as ApiWorld & { key: string; ids: string[] };
}

/** Every byte percent-encoded (lone surrogates become U+FFFD, as any client would send them). */
const percentEncode = (t: string) => [...Buffer.from(t, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** A route's path with each `:param` filled with an id, a near-id or adversarial text. */
const pathFor = (template: string, ids: string[]) =>
  fc.tuple(...(template.match(/:[a-z_]+/g) ?? []).map(() => fc.oneof(fc.constantFrom(...ids), adversarialText.map(percentEncode)))).map((values) => {
    let i = 0;
    return template.replace(/:[a-z_]+/g, () => values[i++]!);
  });

const query = fc.dictionary(fc.oneof(fc.constantFrom('page', 'per_page', 'sort', 'order', 'name', 'status', 'id', 'visible', 'name[]', '__proto__', 'constructor[prototype]'), adversarialText), fc.oneof(adversarialText, fc.integer().map(String)), { maxKeys: 4 });

describe('the API under property-based fuzzing', () => {
  it(`never answers 5xx, always explains a refusal with a stable code, and a refusal changes nothing (${RUNS} requests)`, async () => {
    const w = await fuzzWorld();
    const request = fc.record({
      route: fc.integer({ min: 0, max: API_ROUTES.length - 1 }),
      withKey: fc.boolean(),
      query,
      body: fc.oneof(adversarialJson, fc.constant(undefined)),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
    });
    await fc.assert(
      fc.asyncProperty(
        request.chain((r) => pathFor(API_ROUTES[r.route]!.path, w.ids).map((path) => ({ ...r, method: API_ROUTES[r.route]!.method, path }))),
        async ({ method, withKey, query: q, body, contentType, path }) => {
          const route = { method };
          const search = new URLSearchParams(Object.entries(q)).toString();
          const before = contentHash(w.db, VOLATILE);
          const res = await fetch(`${w.url}${path}${search ? `?${search}` : ''}`, {
            method: route.method,
            headers: { ...(withKey ? { 'x-cachet-token': w.key } : {}), ...(body !== undefined && route.method !== 'GET' ? { 'content-type': contentType } : {}) },
            ...(body !== undefined && route.method !== 'GET' && route.method !== 'DELETE' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
          });
          const text = await res.text();
          expect(res.status, `${route.method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(text).not.toMatch(/at .+\.(ts|js):\d+|node_modules/);
          if (res.status >= 400) {
            const json = JSON.parse(text) as { code?: unknown; message?: unknown };
            expect(typeof json.code, text).toBe('string');
            expect(typeof json.message, text).toBe('string');
            expect(contentHash(w.db, VOLATILE), `${route.method} ${path} was refused (${res.status}) but changed the store`).toBe(before);
          }
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  }, 180_000);

  it('survives bodies that are not JSON at all: truncated, deeply nested, huge, or with invalid UTF-8', async () => {
    const w = await fuzzWorld();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const bodies: (string | Blob)[] = ['{"name":', '{"name": "x"', deep, `{"name":"${'x'.repeat(70 * 1024)}"}`, new Blob([new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])]), '{"__proto__": {"admin": true}, "name": "x", "status": 1}', '\u0000'];
    for (const route of API_ROUTES.filter((r) => r.method === 'POST' || r.method === 'PUT')) {
      const path = route.path.replace(/:[a-z_]+/g, '1');
      for (const body of bodies) {
        const before = contentHash(w.db, VOLATILE);
        const res = await fetch(`${w.url}${path}`, { method: route.method, headers: { 'x-cachet-token': w.key, 'content-type': 'application/json' }, body });
        const text = await res.text();
        expect(res.status, `${route.method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(typeof (JSON.parse(text) as { code: unknown }).code).toBe('string');
        expect(contentHash(w.db, VOLATILE)).toBe(before);
      }
    }
  }, 120_000);
});
