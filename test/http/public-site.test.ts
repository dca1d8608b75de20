import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { updateComponent } from '../../src-main/core/components.js';
import { Core } from '../../src-main/core/core.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { negotiateEncoding } from '../../src-main/http/page-cache.js';
import { startServer } from '../helpers/server.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule } from '../helpers/world.js';

/** The public site as a visitor, a feed reader and a Statuspage client see it, over real HTTP. */

const PUBLIC_PATHS = ['/', '/history', '/feed.atom', '/feed.rss', '/badge.svg', '/api/v2/status.json', '/api/v2/summary.json', '/api/v1/components', '/api/v1/incidents'];

async function site() {
  const t = testCore();
  const { core } = t;
  const web = aGroup(core, { name: 'Website' });
  const members = aGroup(core, { name: 'SecretGroup', visible: 0 });
  const api = aComponent(core, { name: 'Public API', groupId: web.id });
  aComponent(core, { name: 'SecretBackend', groupId: members.id });
  aComponent(core, { name: 'RetiredThing', enabled: false });
  const incident = anIncident(core, { name: 'Login <errors> & "retries"', message: 'We are **on it**', componentId: api.id });
  core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'Found the cause' });
  anIncident(core, { name: 'HiddenIncident', visible: false });
  const draft = anIncident(core, { name: 'DraftIncident', draft: true });
  aMetric(core, { name: 'HiddenMetric', visible: 0 });
  const schedule = aSchedule(core, { name: 'DB upgrade', message: 'Minor version' });
  const url = await startServer(core);
  return { ...t, url, api, incident, draft, schedule, members };
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/** Parses XML strictly (a well-formedness error shows as a parsererror element). */
const xml = (text: string, type: 'application/xml' | 'image/svg+xml' = 'application/xml') => {
  const parsed = new new JSDOM('').window.DOMParser().parseFromString(text, type);
  expect(parsed.getElementsByTagName('parsererror')).toHaveLength(0);
  return parsed;
};

describe('the public pages', () => {
  it('show an incident with its whole timeline, a maintenance, and the paged history; anything else is the 404 page', async () => {
    const s = await site();
    const incident = await get(`${s.url}/incidents/${s.incident.id}`);
    expect(incident.status).toBe(200);
    expect(incident.text).toContain('<h2 id="incident-title">Login &#60;errors&#62; &#38; &#34;retries&#34; <span class="incident-status">Identified</span></h2>');
    expect(incident.text).toContain('<strong>on it</strong>');
    expect(incident.text).toMatch(/<li id="update-1"><strong>Identified<\/strong>/);
    expect((await get(`${s.url}/schedules/${s.schedule.id}`)).text).toContain('DB upgrade');
    const history = await get(`${s.url}/history?page=1&utm=x`);
    expect(history.text).toContain(`<a href="/incidents/${s.incident.id}">`);
    expect(history.text).toContain('Page 1 of 1');
    for (const path of [`/incidents/${s.draft.id}`, '/incidents/999', '/incidents/1abc', '/incidents/0', '/schedules/999', `/groups/${s.members.id}/feed.atom`, '/components/2/badge.svg']) {
      const res = await get(`${s.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain('<h2>Not found</h2>');
    }
  });

  it('never show a hidden, draft, members-only, disabled or hidden-metric item, on any public output', async () => {
    const s = await site();
    for (const path of PUBLIC_PATHS) {
      const res = await get(`${s.url}${path}`);
      expect(res.status, path).toBe(200);
      for (const secret of ['SecretGroup', 'SecretBackend', 'RetiredThing', 'HiddenIncident', 'DraftIncident', 'HiddenMetric']) expect(res.text, `${secret} in ${path}`).not.toContain(secret);
    }
  });

  it('carry no inline script or handler, only the same-origin chart scripts where there are charts, and the strict CSP on every page', async () => {
    const s = await site();
    aMetric(s.core, { name: 'Charted', visible: 1, displayChart: true });
    for (const path of ['/', `/incidents/${s.incident.id}`, '/history', '/schedules/1', '/incidents/999']) {
      const res = await get(`${s.url}${path}`);
      const scripts = res.text.match(/<script[^>]*>/gi) ?? [];
      expect(scripts, path).toEqual(path === '/' ? ['<script src="/assets/uplot.js" defer>', '<script src="/assets/charts.js" defer>'] : []);
      expect(res.text).not.toMatch(/<script[^>]*>[^<]|\son[a-z]+\s*=/i);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    }
  });
});

describe('the status page', () => {
  it('collapses groups as Cachet does: never, always, or unless a component has an issue', async () => {
    const s = await site();
    const always = aGroup(s.core, { name: 'AlwaysShut', collapsed: 1 });
    const unlessTrouble = aGroup(s.core, { name: 'ShutUnlessTrouble', collapsed: 2 });
    aComponent(s.core, { name: 'Calm', groupId: always.id });
    const shaky = aComponent(s.core, { name: 'Shaky', groupId: unlessTrouble.id });
    const page = () => get(`${s.url}/`).then((r) => new JSDOM(r.text).window.document);
    let doc = await page();
    expect(doc.querySelector('h3#group-1')!.textContent).toBe('Website');
    const details = () => [...doc.querySelectorAll('details.group')].map((d) => [d.querySelector('.group-name')!.textContent, d.hasAttribute('open')]);
    expect(details()).toEqual([['AlwaysShut', false], ['ShutUnlessTrouble', false]]);
    s.core.execute(updateComponent, localOperator, { id: shaky.id, status: 3 });
    doc = await page();
    expect(details()).toEqual([['AlwaysShut', false], ['ShutUnlessTrouble', true]]);
    expect(doc.querySelector('details.group[open] .group-status')!.textContent).toBe('Partial Outage');
  });

  it('shows a 90-day uptime bar per component with a text alternative naming the uptime and the bad days', async () => {
    const s = await site();
    s.clock.advance(86_400_000);
    s.core.execute(updateComponent, localOperator, { id: s.api.id, status: 4 });
    s.clock.advance(3_600_000);
    const doc = new JSDOM((await get(`${s.url}/`)).text).window.document;
    const bar = doc.querySelector('.component .uptime-bar')!;
    expect(bar.getAttribute('role')).toBe('img');
    expect(bar.querySelectorAll('i')).toHaveLength(90);
    expect(bar.querySelectorAll('i.day-major')).toHaveLength(1);
    expect(bar.querySelector('i.day-major')!.getAttribute('title')).toBe('Dec 4, 2026: Major Outage');
    expect(bar.getAttribute('aria-label')).toMatch(/^Public API: \d+\.\d\d % uptime over the last 90 days\. Days with issues: Dec 4, 2026 major outage\.$/);
  });

  it('shows the latest five updates of a long-running incident and links to the rest; its own page has all of them', async () => {
    const s = await site();
    for (let n = 2; n <= 9; n++) {
      s.clock.advance(60_000);
      s.core.execute(createIncidentUpdate, localOperator, { incidentId: s.incident.id, status: 2, message: `Update number ${n}` });
    }
    const doc = new JSDOM((await get(`${s.url}/`)).text).window.document;
    const article = doc.querySelector(`article[aria-labelledby="incident-${s.incident.id}"]`)!;
    expect([...article.querySelectorAll('ol.updates li .message')].map((m) => m.textContent!.trim())).toEqual(['Update number 9', 'Update number 8', 'Update number 7', 'Update number 6', 'Update number 5']);
    const more = article.querySelector('p.more a')!;
    expect(more.textContent).toBe('4 earlier updates');
    expect(more.getAttribute('href')).toBe(`/incidents/${s.incident.id}`);
    const page = new JSDOM((await get(`${s.url}/incidents/${s.incident.id}`)).text).window.document;
    expect(page.querySelectorAll('ol.updates li')).toHaveLength(9);
  });

  it('pins stickied incidents first and marks them', async () => {
    const s = await site();
    anIncident(s.core, { name: 'Pinned notice', stickied: true, status: 4 });
    const doc = new JSDOM((await get(`${s.url}/`)).text).window.document;
    const first = doc.querySelector('article.incident')!;
    expect(first.classList.contains('stickied')).toBe(true);
    expect(first.querySelector('.pinned')!.textContent).toBe('Pinned');
    expect(first.querySelector('h3 a')!.textContent).toBe('Pinned notice');
  });

  it('serves public metric data per view as JSON, and the not-found page for anything else', async () => {
    const s = await site();
    const charted = aMetric(s.core, { name: 'Charted', visible: 1, displayChart: true, defaultView: 2 });
    const membersOnly = aMetric(s.core, { name: 'MembersOnly', visible: 0, displayChart: true });
    const doc = new JSDOM((await get(`${s.url}/`)).text).window.document;
    expect(doc.querySelector('figure.metric')!.getAttribute('data-series')).toBe(`/metrics/${charted.id}/week.json`);
    for (const view of ['hour', 'day', 'week', 'month']) {
      const res = await get(`${s.url}/metrics/${charted.id}/${view}.json`);
      expect(res.status, view).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.text)).toMatchObject({ metric: { id: charted.id, name: 'Charted' }, view });
    }
    for (const path of [`/metrics/${membersOnly.id}/hour.json`, `/metrics/${charted.id}/year.json`, `/metrics/${charted.id}/hour`, '/metrics/0/hour.json', '/metrics/99/hour.json']) {
      expect((await get(`${s.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe('feeds, badges and the Statuspage JSON', () => {
  it('are well-formed Atom 1.0 and RSS 2.0, with text escaped', async () => {
    const s = await site();
    const atom = xml((await get(`${s.url}/feed.atom`)).text);
    expect(atom.documentElement.namespaceURI).toBe('http://www.w3.org/2005/Atom');
    const entries = atom.getElementsByTagName('entry');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.getElementsByTagName('title')[0]!.textContent).toBe('Login <errors> & "retries" (Identified)');
    for (const tag of ['id', 'updated', 'author', 'link']) expect(atom.getElementsByTagName(tag).length, tag).toBeGreaterThan(0);
    expect(entries[0]!.getElementsByTagName('content')[0]!.textContent).toContain('<strong>on it</strong>');
    const rss = xml((await get(`${s.url}/feed.rss`)).text);
    expect(rss.getElementsByTagName('item')[0]!.getElementsByTagName('link')[0]!.textContent).toBe(`${s.url}/incidents/${s.incident.id}`);
    const group = xml((await get(`${s.url}/groups/1/feed.atom`)).text);
    expect(group.getElementsByTagName('entry')).toHaveLength(1);
  });

  it('badges are SVG with escaped text and no script', async () => {
    const s = await site();
    s.core.execute(updateComponent, localOperator, { id: s.api.id, name: '<script>alert(1)</script>', status: 4 });
    const res = await get(`${s.url}/components/${s.api.id}/badge.svg`);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = xml(res.text, 'image/svg+xml');
    expect(svg.getElementsByTagName('script')).toHaveLength(0);
    expect(svg.getElementsByTagName('text')[0]!.textContent).toBe('<script>alert(1)</script>');
    expect(svg.getElementsByTagName('text')[1]!.textContent).toBe('major outage');
    expect((await get(`${s.url}/badge.svg`)).text).toContain('major outage');
  });

  it('the Statuspage v2 JSON reads like Statuspage', async () => {
    const s = await site();
    expect(JSON.parse((await get(`${s.url}/api/v2/status.json`)).text)).toMatchObject({ page: { name: 'Cairn', url: `${s.url}/`, time_zone: 'UTC' }, status: { indicator: 'none', description: 'All Systems Operational' } });
    s.core.execute(updateComponent, localOperator, { id: s.api.id, status: 3 });
    const summary = JSON.parse((await get(`${s.url}/api/v2/summary.json`)).text);
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(summary.components).toEqual([
      expect.objectContaining({ id: 'group-1', name: 'Website', group: true, components: [String(s.api.id)] }),
      expect.objectContaining({ id: String(s.api.id), name: 'Public API', status: 'partial_outage', group_id: 'group-1' }),
    ]);
    expect(summary.incidents).toEqual([expect.objectContaining({ name: 'Login <errors> & "retries"', status: 'identified', incident_updates: [expect.objectContaining({ status: 'identified' })] })]);
    expect(summary.scheduled_maintenances).toEqual([expect.objectContaining({ name: 'DB upgrade', status: 'scheduled' })]);
  });
});

describe('the page cache', () => {
  it('answers If-None-Match with 304, serves brotli and gzip of the same bytes, and follows every change', async () => {
    const s = await site();
    const first = await fetch(`${s.url}/`, { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag')!;
    const body = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=30');
    expect(first.headers.get('vary')).toBe('Accept-Encoding');
    expect((await fetch(`${s.url}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const { request } = await import('node:http');
    const raw = (encoding: string) =>
      new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
        const { hostname, port } = new URL(s.url);
        request({ host: hostname, port, path: '/', headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        }).on('error', reject).end();
      });
    const br = await raw('gzip, br');
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.bytes).equals(body)).toBe(true);
    const gz = await raw('gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.bytes).equals(body)).toBe(true);

    s.core.execute(updateComponent, localOperator, { id: s.api.id, status: 4 });
    const changed = await get(`${s.url}/`);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.text).toContain('Major Outage');
  });

  it('follows changes another process writes to the same database file (the CLI while serve runs)', async () => {
    const s = await site();
    const before = await get(`${s.url}/`);
    const other = openDatabase(s.dataDir);
    new Core({ db: other }).execute(updateComponent, localOperator, { id: s.api.id, name: 'Renamed elsewhere' });
    other.close();
    const after = await get(`${s.url}/`);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.text).toContain('Renamed elsewhere');
  });

  it('serves a repeat reader from the cache with exactly the headers of the first answer, and never past the Host allowlist', async () => {
    const { core } = testCore();
    aComponent(core, { name: 'API' });
    const url = await startServer(core, { allowedHosts: ['status.example.com'] });
    const { request } = await import('node:http');
    const raw = (host: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(url);
        request({ host: hostname, port, path: '/', headers: { host, ...headers } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        }).on('error', reject).end();
      });
    const first = await raw('status.example.com');
    const repeat = await raw('status.example.com');
    const { date: _d1, connection: _c1, 'keep-alive': _k1, ...firstHeaders } = first.headers;
    const { date: _d2, connection: _c2, 'keep-alive': _k2, ...repeatHeaders } = repeat.headers;
    expect(repeat.status).toBe(200);
    expect(repeatHeaders).toEqual(firstHeaders);
    expect(repeat.body).toBe(first.body);
    expect(repeatHeaders['content-security-policy']).toMatch(/^default-src 'none'/);
    expect((await raw('status.example.com', { 'if-none-match': String(first.headers.etag) })).status).toBe(304);
    // The page is cached now, and still not served for another Host.
    expect(await raw('evil.example.net')).toMatchObject({ status: 400 });
  });

  it('caches the API’s guest reads like pages (following every change), and a bad query is still a 400', async () => {
    const s = await site();
    const first = await get(`${s.url}/api/v1/components?per_page=5`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=30');
    const again = await get(`${s.url}/api/v1/components?per_page=5`);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.text).toBe(first.text);
    s.core.execute(updateComponent, localOperator, { id: s.api.id, name: 'Renamed API' });
    const changed = await get(`${s.url}/api/v1/components?per_page=5`);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(JSON.parse(changed.text).data[0].name).toBe('Renamed API');
    for (let i = 0; i < 2; i++) {
      const bad = await get(`${s.url}/api/v1/components?per_page=5&name[]=x`);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('cache-control')).toBeNull();
    }
  });

  it('negotiates encodings by the client’s q-values', () => {
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('identity')).toBe('identity');
  });
});
