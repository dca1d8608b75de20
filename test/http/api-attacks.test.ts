import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { createTemplate } from '../../src-main/core/templates.js';
import { apiWorld } from '../helpers/api.js';
import { contentHash } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSubscriber } from '../helpers/world.js';

/**
 * Cachet's known weaknesses (../shared/cachet-api-v1.md), each replayed against Cairn as the attack
 * it was, and shown to fail; plus the request-shape rules every API body and query obeys.
 */

describe('CVE-2021-39165: query parameters used as SQL', () => {
  it('injection in filters, sort and order, arrays and unknown parameters is refused or matched literally; the store is untouched', async () => {
    const w = await apiWorld();
    aComponent(w.core, { name: 'API' });
    const before = contentHash(w.db, ['audit_log']);
    const refused: [string, string][] = [
      ["/api/v1/components?status=1 OR 1=1", 'status'],
      ['/api/v1/components?sort=name;DROP TABLE components', 'sort'],
      ['/api/v1/components?sort=(SELECT password_hash FROM users)', 'sort'],
      ['/api/v1/components?order=desc, (SELECT 1)', 'order'],
      ['/api/v1/components?id[]=1', 'id[]'],
      ['/api/v1/components?name[$ne]=x', 'name[$ne]'],
      ['/api/v1/components?status=1&status=2', 'status'],
      ['/api/v1/components?deleted_at=1', 'deleted_at'],
      ['/api/v1/incidents?visible=0 UNION SELECT * FROM api_keys', 'visible'],
      ['/api/v1/components?per_page=1000000', 'per_page'],
      ['/api/v1/components?page=-1', 'page'],
    ];
    for (const [path, field] of refused) {
      const res = await w.call('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json, path).toMatchObject({ code: 'invalid_input', field });
      expect(res.text).not.toMatch(/SQLITE|at \w+ \(|\.ts:\d+/);
    }
    // An equality filter binds its value: an injection in it matches nothing.
    const literal = await w.call('GET', `/api/v1/components?name=${encodeURIComponent("x' OR '1'='1")}`);
    expect(literal).toMatchObject({ status: 200, json: { data: [] } });
    expect(contentHash(w.db, ['audit_log'])).toBe(before);
    expect((w.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'components'").get() as { n: number }).n).toBe(1);
  });
});

describe('GHSA-6ghm-wf22-pvx5: hidden and members-only items shown to guests', () => {
  it('a guest gets exactly the status page: no hidden or draft incident, no members-only group, no hidden metric — not even by id', async () => {
    const w = await apiWorld();
    const members = aGroup(w.core, { name: 'Members', visible: 0 });
    const internal = aComponent(w.core, { name: 'Internal', groupId: members.id });
    const hidden = anIncident(w.core, { name: 'Hidden', visible: false });
    const draft = anIncident(w.core, { name: 'Draft', draft: true });
    w.core.execute(createIncidentUpdate, localOperator, { incidentId: draft.id, status: 2, message: 'root cause: leaked key' });
    const metric = aMetric(w.core, { visible: 0 });
    anIncident(w.core, { name: 'Public' });
    const lists = await Promise.all(['/api/v1/components', '/api/v1/components/groups', '/api/v1/incidents', '/api/v1/metrics'].map((p) => w.call('GET', p)));
    expect(lists.map((l) => l.json.data.map((x: { name: string }) => x.name))).toEqual([[], [], ['Public'], []]);
    for (const path of [`/api/v1/components/${internal.id}`, `/api/v1/components/groups/${members.id}`, `/api/v1/incidents/${hidden.id}`, `/api/v1/incidents/${draft.id}`,
      `/api/v1/incidents/${draft.id}/updates`, `/api/v1/incidents/${draft.id}/updates/1`, `/api/v1/metrics/${metric.id}`, `/api/v1/metrics/${metric.id}/points`]) {
      const res = await w.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('leaked key');
    }
  });
});

describe('CVE-2023-43661: incident templates executed as code', () => {
  it('template syntax in a template or in the variables stays literal text', async () => {
    const w = await apiWorld();
    const key = await w.key(['incidents.write', 'incidents.publish']);
    w.core.execute(createTemplate, localOperator, { name: 'Evil', slug: 'evil', template: "{{ service }} {{ _self.env.registerUndefinedFilterCallback('exec') }} {% include '/etc/passwd' %} {{ 7*7 }}" });
    const res = await w.call('POST', '/api/v1/incidents', { key, body: { name: 'X', status: 1, template: 'evil', vars: { service: "{{ ['id']|filter('system') }}" } } });
    expect(res.status).toBe(200);
    expect(res.json.data.message).toBe("{{ ['id']|filter('system') }} {{ _self.env.registerUndefinedFilterCallback('exec') }} {% include '/etc/passwd' %} {{ 7*7 }}");
    expect(res.text).not.toContain('49');
    expect(res.text).not.toContain('root:');
  });
});

describe('the rest of the list', () => {
  it('subscriber e-mails need subscribers.read: a guest gets 401, any other key 403', async () => {
    const w = await apiWorld();
    aSubscriber(w.core);
    expect((await w.call('GET', '/api/v1/subscribers')).status).toBe(401);
    expect((await w.call('GET', '/api/v1/subscribers', { key: await w.key(['subscribers.write', 'components.read']) })).status).toBe(403);
    expect((await w.call('GET', '/api/v1/subscribers', { key: await w.key(['subscribers.read']) })).json.data[0].email).toBe('ops@example.com');
  });

  it('no route regenerates keys, re-opens setup, writes settings or unsubscribes on a GET', async () => {
    const w = await apiWorld();
    aSubscriber(w.core);
    const key = await w.key(['subscribers.write', 'components.write']);
    for (const [method, path] of [
      ['GET', '/api/v1/users/1/regenerate'], ['GET', '/dashboard/user/1/api/regen'], ['GET', '/api/v1/apikeys'], ['POST', '/api/v1/apikeys'],
      ['GET', '/setup'], ['POST', '/setup/step3'], ['POST', '/api/v1/setup'], ['PUT', '/api/v1/settings'], ['POST', '/api/v1/settings'],
      ['GET', '/subscribe/unsubscribe/abc'], ['GET', '/api/v1/subscribers/1/delete'], ['GET', '/api/v1/subscribers/1'],
    ] as const) {
      const res = await w.call(method, path, { key });
      expect(res.status, `${method} ${path}`).toBe(404);
      // The API and every non-GET answer in JSON; a page GET gets the site's not-found page.
      if (path.startsWith('/api/') || method !== 'GET') expect(res.json, `${method} ${path}`).toMatchObject({ code: 'not_found' });
      else expect(res.text, path).toContain('<h2>Not found</h2>');
    }
    expect((w.db.prepare('SELECT count(*) AS n FROM subscribers').get() as { n: number }).n).toBe(1);
  });

  it('stored XSS through links is refused at the door', async () => {
    const w = await apiWorld();
    const key = await w.key(['components.write']);
    for (const link of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x']) {
      expect(await w.call('POST', '/api/v1/components', { key, body: { name: 'X', status: 1, link } }), link).toMatchObject({ status: 400, json: { field: 'link' } });
    }
  });
});

describe('request bodies and answers', () => {
  it('take JSON objects only, small, strict, and answer every error as JSON with a stable code and no internals', async () => {
    const w = await apiWorld();
    const key = await w.key(['components.write']);
    const before = contentHash(w.db, ['audit_log', 'api_keys']);
    const cases: [string, { rawBody?: string; body?: unknown; headers?: Record<string, string> }, number, Record<string, unknown>][] = [
      ['form-encoded body', { rawBody: 'name=X&status=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, { code: 'invalid_input', message: 'Send the request body as application/json' }],
      ['text/plain body (a cross-site form)', { rawBody: '{"name":"X","status":1}', headers: { 'content-type': 'text/plain' } }, 415, { code: 'invalid_input' }],
      ['malformed JSON', { rawBody: '{"name": "X",', headers: { 'content-type': 'application/json' } }, 400, { code: 'invalid_input', message: 'The request body is not valid JSON' }],
      ['body over 64 KiB', { body: { name: 'X', status: 1, description: 'x'.repeat(70_000) } }, 413, { code: 'invalid_input', message: 'The request body is too large' }],
      ['an array body', { body: [{ name: 'X', status: 1 }] }, 400, { code: 'invalid_input', message: 'The request body must be a JSON object' }],
      ['unknown field', { body: { name: 'X', status: 1, is_admin: true } }, 400, { code: 'invalid_input', field: 'is_admin', message: 'is_admin: is not a known field' }],
      ['prototype pollution', { rawBody: '{"name":"X","status":1,"__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } }, 400, { code: 'invalid_input' }],
      ['constructor pollution', { rawBody: '{"name":"X","status":1,"constructor":{"prototype":{"admin":true}}}', headers: { 'content-type': 'application/json' } }, 400, { code: 'invalid_input' }],
      ['a field given twice under two names', { body: { name: 'X', status: 1, group_id: null, groupId: null } }, 400, { code: 'invalid_input', field: 'group_id', message: 'group_id: is given twice, under two names' }],
      ['bad field reported by its Cachet name', { body: { name: 'X', status: 1, group_id: 'one' } }, 400, { field: 'group_id', message: expect.stringMatching(/^group_id: /) }],
    ];
    for (const [label, request, status, body] of cases) {
      const res = await w.call('POST', '/api/v1/components', { key, ...request });
      expect(res.status, label).toBe(status);
      expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
      expect(res.json, label).toMatchObject({ ...body, errors: [{ status: String(status) }] });
      expect(res.text, label).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|FST_/);
    }
    expect(contentHash(w.db, ['audit_log', 'api_keys'])).toBe(before);
  });

  it('send no CORS headers: browsers on other sites cannot read the API', async () => {
    const w = await apiWorld();
    const res = await w.call('GET', '/api/v1/components', { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await w.call('OPTIONS', '/api/v1/components', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(404);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answer only for allowed Host names when the allowlist is set, so links cannot be pointed elsewhere', async () => {
    const w = await apiWorld({ allowedHosts: ['status.example.com'] });
    const { port } = new URL(w.url);
    expect(await w.call('GET', '/api/v1/ping')).toMatchObject({ status: 400, json: { message: 'This server does not answer for that Host' } });
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/v1/ping', headers: { host: 'status.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });
});
