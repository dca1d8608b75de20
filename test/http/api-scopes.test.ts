import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import { API_SCOPES } from '../../src-main/core/identity/api-keys.js';
import { PUBLIC } from '../../src-main/core/permissions.js';
import { createTemplate } from '../../src-main/core/templates.js';
import { API_ROUTES, type ApiRoute } from '../../src-main/http/api/routes.js';
import { apiWorld, type ApiWorld } from '../helpers/api.js';
import { auditRows, contentHash } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule, aSubscriber } from '../helpers/world.js';

/**
 * Every scope against every endpoint: a key holding exactly one scope may do what that scope
 * names and is refused (403, audited, nothing changed) everything else; reads answer everyone,
 * with the public projection unless the key holds the resource's `.read` scope.
 */

function seed(w: ApiWorld) {
  const group = aGroup(w.core);
  const component = aComponent(w.core, { groupId: group.id });
  const incident = anIncident(w.core, { componentId: component.id });
  w.core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'Found it' });
  w.core.execute(createTemplate, localOperator, { name: 'T', slug: 't', template: 'x' });
  const metric = aMetric(w.core);
  w.core.execute(addMetricPointOp, localOperator, { metricId: metric.id, value: 5 });
  aSchedule(w.core, { components: { [component.id]: 6 } });
  aSubscriber(w.core, { components: [component.id] });
}

/** A request each route accepts, against the seeded world (every id is 1). */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/components': { name: 'CDN', status: 1 },
  'PUT /api/v1/components/:component': { status: 2 },
  'POST /api/v1/components/groups': { name: 'Backend' },
  'PUT /api/v1/components/groups/:group': { collapsed: 1 },
  'POST /api/v1/incidents': { name: 'Slow', message: 'Looking', status: 1 },
  'PUT /api/v1/incidents/:incident': { stickied: true },
  'POST /api/v1/incidents/:incident/updates': { status: 3, message: 'Watching' },
  'PUT /api/v1/incidents/:incident/updates/:update': { message: 'Found the cause' },
  'POST /api/v1/metrics': { name: 'Errors', suffix: '', description: '', default_value: 0 },
  'PUT /api/v1/metrics/:metric': { places: 3 },
  'POST /api/v1/metrics/:metric/points': { value: 9 },
  'POST /api/v1/metrics/:metric/points/batch': { points: [{ value: 9 }, { value: 11 }] },
  'PUT /api/v1/metrics/:metric/points/:point': { value: 10 },
  'POST /api/v1/schedules': { name: 'Patch', scheduled_at: '2026-12-10 10:00' },
  'PUT /api/v1/schedules/:schedule': { status: 1 },
  'POST /api/v1/subscribers': { email: 'new@example.com' },
};

const label = (r: ApiRoute) => `${r.method} ${r.path}`;
const concrete = (r: ApiRoute) => r.path.replace(/:\w+/g, '1');
const required = (r: ApiRoute) => r.operation.requires as string;

// Incident writes on a published incident also need incidents.publish (controlled communication):
// with incidents.write alone they are refused, except creating (a draft).
const needsPublishToo = (r: ApiRoute) => ['PUT /api/v1/incidents/:incident', 'DELETE /api/v1/incidents/:incident', 'POST /api/v1/incidents/:incident/updates', 'PUT /api/v1/incidents/:incident/updates/:update', 'DELETE /api/v1/incidents/:incident/updates/:update'].includes(label(r));

describe.each(API_ROUTES.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  const body = BODIES[label(route)];

  it('with each single scope: allowed exactly with its own, refused with every other (403, audited, nothing changed); without a key per its rule', async () => {
    const w = await apiWorld();
    seed(w);
    const keys = Object.fromEntries(await Promise.all(API_SCOPES.map(async (s) => [s, await w.key([s])] as const)));
    const send = (key?: string) => w.call(route.method, concrete(route), { ...(key ? { key } : {}), ...(body === undefined ? {} : { body }) });
    const unchanged = () => contentHash(w.db, ['audit_log', 'api_keys']);

    if (route.operation.requires === PUBLIC) {
      for (const scope of API_SCOPES) expect((await send(keys[scope])).status, scope).toBe(200);
      expect((await send()).status).toBe(200);
      return;
    }
    const before = unchanged();
    const anonymous = await send();
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ code: 'unauthenticated' });
    for (const scope of API_SCOPES.filter((s) => s !== required(route))) {
      const auditBefore = auditRows(w.db).length;
      const refused = await send(keys[scope]);
      expect(refused.status, scope).toBe(403);
      expect(refused.json).toMatchObject({ code: 'forbidden', message: `This needs the ${required(route)} permission` });
      expect(auditRows(w.db).slice(auditBefore)).toMatchObject([{ action: route.operation.name, outcome: 'denied', actor_kind: 'apikey' }]);
    }
    expect(unchanged()).toBe(before);
    const allowed = await send(needsPublishToo(route) ? await w.key([required(route), 'incidents.publish']) : keys[required(route)]);
    expect(allowed.status).toBe(route.respond.kind === 'empty' ? 204 : 200);
    if (needsPublishToo(route)) {
      const refused = await send(keys[required(route)]);
      expect([403, 404]).toContain(refused.status); // 404 once the allowed DELETE removed it
    }
  });
});

describe('reads with and without the read scope', () => {
  it('a key without components.read sees the public projection; with it, everything', async () => {
    const w = await apiWorld();
    const members = aGroup(w.core, { name: 'Members', visible: 0 });
    aComponent(w.core, { name: 'Public' });
    aComponent(w.core, { name: 'Internal', groupId: members.id });
    const writer = await w.key(['metrics.write']);
    const reader = await w.key(['components.read']);
    const names = async (key?: string) => (await w.call('GET', '/api/v1/components', key ? { key } : {})).json.data.map((c: { name: string }) => c.name);
    expect(await names()).toEqual(['Public']);
    expect(await names(writer)).toEqual(['Public']);
    expect(await names(reader)).toEqual(['Public', 'Internal']);
  });
});
