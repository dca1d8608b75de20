import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { createTemplate } from '../../src-main/core/templates.js';
import { apiWorld, type ApiWorld } from '../helpers/api.js';

/**
 * A Cachet client against the real server: every endpoint of ../shared/cachet-api-v1.md with
 * Cachet's field names, envelopes, status codes and date formats.
 */

const ALL = ['components.read', 'components.write', 'incidents.read', 'incidents.write', 'incidents.publish', 'maintenance.read', 'maintenance.write', 'metrics.read', 'metrics.write', 'subscribers.read', 'subscribers.write'];
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

async function world(): Promise<ApiWorld & { admin: string }> {
  const w = await apiWorld();
  w.core.execute(updateSettings, localOperator, { timezone: 'Europe/Berlin' });
  return { ...w, admin: await w.key(ALL) };
}

describe('components and groups', () => {
  it('create, read, update, list with filters and sort, and delete with Cachet fields', async () => {
    const w = await world();
    const group = await w.call('POST', '/api/v1/components/groups', { key: w.admin, body: { name: 'Website', order: 1, collapsed: 2, visible: 1 } });
    expect(group.status).toBe(200);
    expect(group.json.data).toMatchObject({ id: 1, name: 'Website', order: 1, collapsed: 2, visible: 1, enabled_components: [] });

    const created = await w.call('POST', '/api/v1/components', {
      key: w.admin,
      body: { name: 'API', description: 'The **API**', status: 1, link: 'https://api.example.com', order: 3, group_id: 1, enabled: '1', tags: 'Core, Public API', meta: { team: 'core' } },
    });
    expect(created.status).toBe(200);
    expect(created.json.data).toEqual({
      id: 1, name: 'API', description: 'The **API**', link: 'https://api.example.com', status: 1, order: 3, group_id: 1, enabled: true, meta: { team: 'core' },
      created_at: expect.stringMatching(DATE), updated_at: expect.stringMatching(DATE), deleted_at: null, status_name: 'Operational', tags: { core: 'Core', 'public-api': 'Public API' },
    });
    // Dates are the site's wall-clock time (Europe/Berlin is UTC+1 in December).
    const createdAt = created.json.data.created_at as string;
    expect(Date.parse(`${createdAt.replace(' ', 'T')}+01:00`)).toBe(w.clock.now() - (w.clock.now() % 1000));

    await w.call('POST', '/api/v1/components', { key: w.admin, body: { name: 'CDN', status: 4, enabled: false } });
    const updated = await w.call('PUT', '/api/v1/components/1', { key: w.admin, body: { status: 3 } });
    expect(updated.json.data).toMatchObject({ id: 1, status: 3, status_name: 'Partial Outage', name: 'API' });
    expect((await w.call('GET', '/api/v1/components/1', { key: w.admin })).json.data).toMatchObject({ status: 3 });

    const filtered = await w.call('GET', '/api/v1/components?status=4&enabled=0', { key: w.admin });
    expect(filtered.json.data.map((c: { name: string }) => c.name)).toEqual(['CDN']);
    const sorted = await w.call('GET', '/api/v1/components?sort=name&order=desc', { key: w.admin });
    expect(sorted.json.data.map((c: { name: string }) => c.name)).toEqual(['CDN', 'API']);
    const byCreated = await w.call('GET', '/api/v1/components?sort=created_at', { key: w.admin });
    expect(byCreated.status).toBe(200);

    const withGroup = await w.call('GET', '/api/v1/components/groups/1', { key: w.admin });
    expect(withGroup.json.data.enabled_components.map((c: { name: string }) => c.name)).toEqual(['API']);
    expect((await w.call('PUT', '/api/v1/components/groups/1', { key: w.admin, body: { collapsed: 0 } })).json.data).toMatchObject({ collapsed: 0 });
    expect((await w.call('GET', '/api/v1/components/groups', { key: w.admin })).json.meta.pagination).toMatchObject({ total: 1 });

    const deleted = await w.call('DELETE', '/api/v1/components/1', { key: w.admin });
    expect(deleted).toMatchObject({ status: 204, text: '' });
    const gone = await w.call('GET', '/api/v1/components/1', { key: w.admin });
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ code: 'not_found', errors: [{ status: '404', title: 'not_found', detail: 'Component 1 does not exist' }] });
    expect((await w.call('DELETE', '/api/v1/components/groups/1', { key: w.admin })).status).toBe(204);
  });

  it('paginate like Cachet: meta.pagination with full next/previous links', async () => {
    const w = await world();
    for (let i = 1; i <= 5; i++) await w.call('POST', '/api/v1/components', { key: w.admin, body: { name: `C${i}`, status: 1, order: i } });
    const first = await w.call('GET', '/api/v1/components?per_page=2', { key: w.admin });
    expect(first.json.meta.pagination).toEqual({
      total: 5, count: 2, per_page: 2, current_page: 1, total_pages: 3,
      links: { next_page: `${w.url}/api/v1/components?per_page=2&page=2`, previous_page: null },
    });
    const last = await w.call('GET', '/api/v1/components?per_page=2&page=3', { key: w.admin });
    expect(last.json.data.map((c: { name: string }) => c.name)).toEqual(['C5']);
    expect(last.json.meta.pagination.links).toEqual({ next_page: null, previous_page: `${w.url}/api/v1/components?per_page=2&page=2` });
    const defaults = await w.call('GET', '/api/v1/components', { key: w.admin });
    expect(defaults.json.meta.pagination).toMatchObject({ per_page: 20, current_page: 1, total_pages: 1 });
  });
});

describe('incidents, updates and templates', () => {
  it('create with a component status change, read the Cachet fields, update, and work the updates', async () => {
    const w = await world();
    await w.call('POST', '/api/v1/components', { key: w.admin, body: { name: 'API', status: 1 } });
    const created = await w.call('POST', '/api/v1/incidents', {
      key: w.admin,
      body: { name: 'Elevated errors', message: 'We are *investigating*.', status: 1, visible: 1, stickied: false, component_id: 1, component_status: 3, notify: true, occurred_at: '2026-12-03 09:15' },
    });
    expect(created.status).toBe(200);
    expect(created.json.meta).toBeUndefined();
    expect(created.json.data).toMatchObject({
      id: 1, component_id: 1, name: 'Elevated errors', status: 1, visible: 1, stickied: false, message: 'We are *investigating*.',
      occurred_at: '2026-12-03 09:15:00', human_status: 'Investigating', latest_update_id: null, latest_status: 1, latest_human_status: 'Investigating',
      permalink: `${w.url}/incidents/1`, is_resolved: false, updates: [], draft: false,
    });
    expect((await w.call('GET', '/api/v1/components/1', { key: w.admin })).json.data.status).toBe(3);

    const update = await w.call('POST', '/api/v1/incidents/1/updates', { key: w.admin, body: { status: 4, message: 'Fixed.', component_id: 1, component_status: 1 } });
    expect(update.json.data).toMatchObject({ id: 1, incident_id: 1, status: 4, message: 'Fixed.', human_status: 'Fixed', component_id: 1, component_status: 1 });
    const incident = await w.call('GET', '/api/v1/incidents/1', { key: w.admin });
    expect(incident.json.data).toMatchObject({ status: 4, is_resolved: true, latest_update_id: 1, latest_human_status: 'Fixed', updates: [{ id: 1, message: 'Fixed.' }] });
    expect((await w.call('GET', '/api/v1/components/1', { key: w.admin })).json.data.status).toBe(1);

    expect((await w.call('GET', '/api/v1/incidents/1/updates', { key: w.admin })).json).toMatchObject({ meta: { pagination: { total: 1 } }, data: [{ id: 1 }] });
    expect((await w.call('GET', '/api/v1/incidents/1/updates/1', { key: w.admin })).json.data).toMatchObject({ id: 1, status: 4 });
    expect((await w.call('PUT', '/api/v1/incidents/1/updates/1', { key: w.admin, body: { message: 'Fixed for good.' } })).json.data.message).toBe('Fixed for good.');
    expect((await w.call('DELETE', '/api/v1/incidents/1/updates/1', { key: w.admin })).status).toBe(204);
    expect((await w.call('PUT', '/api/v1/incidents/1', { key: w.admin, body: { name: 'Elevated API errors', stickied: true } })).json.data).toMatchObject({ name: 'Elevated API errors', stickied: true });
    expect((await w.call('GET', '/api/v1/incidents?stickied=1', { key: w.admin })).json.data).toHaveLength(1);
    expect((await w.call('DELETE', '/api/v1/incidents/1', { key: w.admin })).status).toBe(204);
    expect((await w.call('GET', '/api/v1/incidents/1', { key: w.admin })).status).toBe(404);
  });

  it('a key that may write but not publish saves a draft and says so', async () => {
    const w = await world();
    const author = await w.key(['incidents.write', 'incidents.read']);
    const draft = await w.call('POST', '/api/v1/incidents', { key: author, body: { name: 'Maybe down', message: 'Checking', status: 1 } });
    expect(draft.status).toBe(200);
    expect(draft.json.data.draft).toBe(true);
    expect(draft.json.meta.notice).toMatch(/^Saved as a draft: it is not public\. Publishing needs the incidents\.publish scope/);
    expect((await w.call('GET', '/api/v1/incidents')).json.data).toEqual([]);
    const published = await w.call('POST', '/api/v1/incidents', { key: w.admin, body: { name: 'Down', message: 'Checking', status: 1 } });
    expect(published.json.data.draft).toBe(false);
    expect((await w.call('GET', '/api/v1/incidents')).json.data.map((i: { name: string }) => i.name)).toEqual(['Down']);
  });

  it('lists templates and creates an incident from template + vars', async () => {
    const w = await world();
    w.core.execute(createTemplate, localOperator, { name: 'Degraded', slug: 'degraded', template: '{{ service }} is degraded since {{ since }}.' });
    const templates = await w.call('GET', '/api/v1/incidents/templates', { key: w.admin });
    expect(templates.json.data).toEqual([{ id: 1, name: 'Degraded', slug: 'degraded', template: '{{ service }} is degraded since {{ since }}.', created_at: expect.stringMatching(DATE), updated_at: expect.stringMatching(DATE) }]);
    expect((await w.call('GET', '/api/v1/incidents/templates/1', { key: w.admin })).json.data.slug).toBe('degraded');
    const incident = await w.call('POST', '/api/v1/incidents', { key: w.admin, body: { name: 'Slow', status: 2, template: 'degraded', vars: { service: 'Search', since: '10:00' } } });
    expect(incident.json.data.message).toBe('Search is degraded since 10:00.');
    const missing = await w.call('POST', '/api/v1/incidents', { key: w.admin, body: { name: 'Slow', status: 2, template: 'degraded', vars: { service: 'Search' } } });
    expect(missing).toMatchObject({ status: 400, json: { code: 'invalid_input', field: 'vars.since', message: 'vars.since: is missing (the template uses {{ since }})' } });
  });
});

describe('metrics and points', () => {
  it('create metrics and post points with Cachet counter semantics, unix timestamps and the Time-Zone header', async () => {
    const w = await world();
    const metric = await w.call('POST', '/api/v1/metrics', {
      key: w.admin,
      body: { name: 'Latency', suffix: 'ms', description: 'p50', default_value: 0, calc_type: 1, display_chart: 1, places: 1, default_view: 0, threshold: 5, order: 2, visible: 1 },
    });
    expect(metric.json.data).toMatchObject({ id: 1, name: 'Latency', suffix: 'ms', default_value: 0, calc_type: 1, display_chart: 1, places: 1, default_view: 0, default_view_name: 'Last Hour', threshold: 5, order: 2, visible: 1 });
    const first = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, body: { value: 12 } });
    const again = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, body: { value: 12 } });
    expect(first.json.data).toMatchObject({ metric_id: 1, value: 12, counter: 1, calculated_value: 12 });
    expect(again.json.data).toMatchObject({ id: first.json.data.id, counter: 2, calculated_value: 24 });
    const other = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, body: { value: 30 } });
    expect(other.json.data).toMatchObject({ counter: 1 });
    // Unix seconds, placed in its 5-minute window, shown in the site's zone (UTC+1).
    const unix = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, body: { value: 7, timestamp: Date.UTC(2026, 11, 1, 8, 3, 20) / 1000 } });
    expect(unix.json.data.created_at).toBe('2026-12-01 09:00:00');
    // A wall-clock timestamp in the zone the client names.
    const zoned = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, headers: { 'time-zone': 'America/New_York' }, body: { value: 8, timestamp: '2026-12-01 08:07' } });
    expect(zoned.json.data.created_at).toBe('2026-12-01 14:05:00');
    const badZone = await w.call('POST', '/api/v1/metrics/1/points', { key: w.admin, headers: { 'time-zone': 'Mars/Base' }, body: { value: 8 } });
    expect(badZone).toMatchObject({ status: 400, json: { field: 'timeZone' } });

    const points = await w.call('GET', '/api/v1/metrics/1/points?per_page=2', { key: w.admin });
    expect(points.json.meta.pagination).toMatchObject({ total: 4, per_page: 2, total_pages: 2 });
    expect((await w.call('PUT', `/api/v1/metrics/1/points/${other.json.data.id}`, { key: w.admin, body: { value: 31 } })).json.data.value).toBe(31);
    expect((await w.call('DELETE', `/api/v1/metrics/1/points/${other.json.data.id}`, { key: w.admin })).status).toBe(204);
    expect((await w.call('PUT', '/api/v1/metrics/1', { key: w.admin, body: { places: 3 } })).json.data.places).toBe(3);
    expect((await w.call('GET', '/api/v1/metrics', { key: w.admin })).json.data).toHaveLength(1);
    expect((await w.call('DELETE', '/api/v1/metrics/1', { key: w.admin })).status).toBe(204);
  });
});

describe('points in batches (a Cairn extension)', () => {
  it('adds up to 1000 points in one request with the same window semantics, one audit entry; a bad batch adds nothing', async () => {
    const w = await world();
    const metric = await w.call('POST', '/api/v1/metrics', { key: w.admin, body: { name: 'Latency', suffix: 'ms', description: 'p50', default_value: 0, threshold: 5, visible: 1 } });
    expect(metric.status).toBe(200);
    const at = Date.UTC(2026, 11, 1, 8, 3, 20) / 1000;
    const batch = await w.call('POST', '/api/v1/metrics/1/points/batch', { key: w.admin, body: { points: [{ value: 12 }, { value: 12 }, { value: 7, timestamp: at }, { value: 9, timestamp: '2026-12-01 08:07' }] } });
    expect(batch.status).toBe(200);
    expect(batch.json.data).toHaveLength(4);
    expect(batch.json.data[1]).toMatchObject({ id: batch.json.data[0].id, value: 12, counter: 2 });
    expect(batch.json.data[2]).toMatchObject({ value: 7, created_at: '2026-12-01 09:00:00' }); // UTC+1, 5-minute window
    expect(batch.json.data[3]).toMatchObject({ value: 9, created_at: '2026-12-01 08:05:00' }); // wall clock in the site's zone
    const audited = w.db.prepare("SELECT details FROM audit_log WHERE action = 'metricPoint.addMany'").all() as { details: string }[];
    expect(audited.map((a) => JSON.parse(a.details))).toEqual([{ count: 4, pointIds: expect.any(Array), min: 7, max: 12 }]);

    const count = () => (w.db.prepare('SELECT count(*) AS n, sum(counter) AS c FROM metric_points').get() as { n: number; c: number });
    const before = count();
    const refusals: [unknown, string][] = [
      [{ points: [] }, 'points: give at least one point'],
      [{ points: Array.from({ length: 1001 }, () => ({ value: 1 })) }, 'points: give at most 1000 points per call'],
      [{ points: [{ value: 1 }, { value: 'high' }] }, 'points.1.value'],
      [{ points: [{ value: 1 }, { value: 2, timestamp: 'yesterday-ish' }] }, 'points.1.timestamp'],
      [{ points: [{ value: 1, colour: 'red' }] }, 'points.0.colour: is not a known field'],
      [{ points: { value: 1 } }, 'points'],
    ];
    for (const [body, message] of refusals) {
      const refused = await w.call('POST', '/api/v1/metrics/1/points/batch', { key: w.admin, body });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ code: 'invalid_input' });
      expect(refused.json.message).toContain(message);
    }
    expect((await w.call('POST', '/api/v1/metrics/99/points/batch', { key: w.admin, body: { points: [{ value: 1 }] } })).status).toBe(404);
    expect((await w.call('POST', '/api/v1/metrics/1/points/batch', { key: await w.key(['metrics.read']), body: { points: [{ value: 1 }] } })).status).toBe(403);
    expect(count()).toEqual(before);
  });
});

describe('scheduled maintenance', () => {
  it('schedules with affected components, updates and completes it', async () => {
    const w = await world();
    await w.call('POST', '/api/v1/components', { key: w.admin, body: { name: 'DB', status: 1 } });
    const created = await w.call('POST', '/api/v1/schedules', { key: w.admin, body: { name: 'DB upgrade', message: 'Minor version', status: 0, scheduled_at: '2026-12-10 10:00', components: { 1: 6 }, notify: false } });
    expect(created.json.data).toMatchObject({ id: 1, name: 'DB upgrade', status: 0, human_status: 'Upcoming', scheduled_at: '2026-12-10 10:00:00', completed_at: null, components: { 1: 6 } });
    const done = await w.call('PUT', '/api/v1/schedules/1', { key: w.admin, body: { status: 2, completed_at: '2026-12-10 11:30' } });
    expect(done.json.data).toMatchObject({ status: 2, human_status: 'Complete', completed_at: '2026-12-10 11:30:00' });
    expect((await w.call('GET', '/api/v1/schedules/1')).json.data.name).toBe('DB upgrade');
    expect((await w.call('GET', '/api/v1/schedules?status=2')).json.data).toHaveLength(1);
    expect((await w.call('DELETE', '/api/v1/schedules/1', { key: w.admin })).status).toBe(204);
  });
});

describe('subscribers', () => {
  it('add (optionally verified), list with the read scope, and remove subscribers and subscriptions; no verify code is ever shown', async () => {
    const w = await world();
    await w.call('POST', '/api/v1/components', { key: w.admin, body: { name: 'API', status: 1 } });
    const added = await w.call('POST', '/api/v1/subscribers', { key: w.admin, body: { email: 'Ops@Example.com', verify: true, components: [1] } });
    expect(added.json.data).toEqual({ id: 1, email: 'ops@example.com', verified_at: expect.stringMatching(DATE), global: false, created_at: expect.stringMatching(DATE), updated_at: expect.stringMatching(DATE), subscriptions: [1] });
    const pending = await w.call('POST', '/api/v1/subscribers', { key: w.admin, body: { email: 'new@example.com' } });
    expect(pending.json.data).toMatchObject({ verified_at: null, global: true });
    const listed = await w.call('GET', '/api/v1/subscribers', { key: w.admin });
    expect(listed.json.data.map((s: { email: string }) => s.email)).toEqual(['ops@example.com', 'new@example.com']);
    expect(listed.text).not.toMatch(/verify_code|token/);
    const subscriptionId = (w.db.prepare('SELECT id FROM subscriptions').get() as { id: number }).id;
    expect((await w.call('DELETE', `/api/v1/subscriptions/${subscriptionId}`, { key: w.admin })).status).toBe(204);
    expect((await w.call('DELETE', '/api/v1/subscribers/2', { key: w.admin })).status).toBe(204);
    expect((await w.call('GET', '/api/v1/subscribers', { key: w.admin })).json.meta.pagination.total).toBe(1);
  });
});

describe('the general endpoints and the envelope', () => {
  it('ping, version and status answer without a key; the OpenAPI document is served', async () => {
    const w = await world();
    expect((await w.call('GET', '/api/v1/ping')).json).toEqual({ data: 'Pong!' });
    expect((await w.call('GET', '/api/v1/version')).json).toEqual({ meta: { on_latest: true }, data: '0.1.0' });
    expect((await w.call('GET', '/api/v1/status')).json).toEqual({ data: { status: 'success', message: 'System operational' } });
    const doc = await w.call('GET', '/api/v1/openapi.json');
    expect(doc.json).toMatchObject({ openapi: '3.1.0', info: { title: 'Cairn API (Cachet-compatible v1)' } });
  });
});
