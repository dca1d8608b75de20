import * as components from '../../core/components.js';
import * as incidents from '../../core/incidents.js';
import * as metrics from '../../core/metrics.js';
import type { AnyOperation } from '../../core/operation.js';
import * as schedules from '../../core/schedules.js';
import * as subscribers from '../../core/subscribers.js';
import * as templates from '../../core/templates.js';
import * as visible from '../../core/visible-reads.js';
import { bodyToCore, queryToCore } from './fields.js';
import * as present from './present.js';

/**
 * THE contract of the REST API: every route Cairn answers under /api/v1, the one core operation
 * behind it, where its input comes from, and how its result is shown. The server registers
 * exactly these, the OpenAPI document is generated from them, and a test checks both against this
 * list. Reads use the core's *Visible operations (the public projection unless the caller holds
 * the `.read` permission); writes use the operation that declares the write permission.
 */

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: unknown;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

type Presenter = (value: never, ctx: present.PresentContext) => unknown;

export type Respond =
  /** 200 `{data: …}`. */
  | { readonly kind: 'item'; readonly present: Presenter }
  /** 200 `{meta: {pagination}, data: […]}` from a core Page (or a plain array: one page). */
  | { readonly kind: 'list'; readonly present: Presenter }
  /** 204, no body. */
  | { readonly kind: 'empty' };

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify path syntax, e.g. /api/v1/components/:component. */
  readonly path: string;
  readonly summary: string;
  readonly operation: AnyOperation;
  /** The core input, built from path parameters, query string and body (Cachet names → core names). */
  readonly input: (req: RouteRequest) => unknown;
  readonly respond: Respond;
  /** Where the OpenAPI document finds the request's fields: the query string or a JSON body. */
  readonly inputIn: 'query' | 'body' | 'path';
  /** A sentence for `meta.notice` when the result needs one (an incident saved as a draft). */
  readonly notice?: (value: never) => string | undefined;
}

const item = (p: Presenter): Respond => ({ kind: 'item', present: p });
const list = (p: Presenter): Respond => ({ kind: 'list', present: p });
const empty: Respond = { kind: 'empty' };

const query = (req: RouteRequest) => queryToCore(req.query);
const body = (req: RouteRequest) => bodyToCore(req.body);
const idFrom = (param: string) => (req: RouteRequest) => ({ id: req.params[param] });
const bodyWithId = (param: string) => (req: RouteRequest) => ({ ...bodyToCore(req.body), id: req.params[param] });

const draftNotice = (i: { draft: boolean; needsApproval: boolean }): string | undefined =>
  i.needsApproval
    ? 'Saved as a draft: it is not public. The two-person rule is on: a second person must approve it in the console before it is published.'
    : i.draft
      ? 'Saved as a draft: it is not public. Publishing needs the incidents.publish scope (or publish it in the console).'
      : undefined;

/** Cachet's Time-Zone header: the zone a wall-clock point timestamp is in. */
function pointZone(req: RouteRequest): { timeZone?: string } {
  const zone = req.headers['time-zone'];
  return typeof zone === 'string' ? { timeZone: zone } : {};
}

const V1 = '/api/v1';

export const API_ROUTES: readonly ApiRoute[] = [
  // components
  { method: 'GET', path: `${V1}/components`, summary: 'List components', operation: visible.listVisibleComponents, input: query, inputIn: 'query', respond: list(present.component) },
  { method: 'POST', path: `${V1}/components`, summary: 'Create a component', operation: components.createComponent, input: body, inputIn: 'body', respond: item(present.component) },
  { method: 'GET', path: `${V1}/components/:component`, summary: 'Get a component', operation: visible.getVisibleComponent, input: idFrom('component'), inputIn: 'path', respond: item(present.component) },
  { method: 'PUT', path: `${V1}/components/:component`, summary: 'Update a component', operation: components.updateComponent, input: bodyWithId('component'), inputIn: 'body', respond: item(present.component) },
  { method: 'DELETE', path: `${V1}/components/:component`, summary: 'Delete a component', operation: components.deleteComponent, input: idFrom('component'), inputIn: 'path', respond: empty },
  // component groups
  { method: 'GET', path: `${V1}/components/groups`, summary: 'List component groups', operation: visible.listVisibleGroups, input: query, inputIn: 'query', respond: list(present.group) },
  { method: 'POST', path: `${V1}/components/groups`, summary: 'Create a component group', operation: components.createGroup, input: body, inputIn: 'body', respond: item(present.group) },
  { method: 'GET', path: `${V1}/components/groups/:group`, summary: 'Get a component group', operation: visible.getVisibleGroup, input: idFrom('group'), inputIn: 'path', respond: item(present.group) },
  { method: 'PUT', path: `${V1}/components/groups/:group`, summary: 'Update a component group', operation: components.updateGroup, input: bodyWithId('group'), inputIn: 'body', respond: item(present.group) },
  { method: 'DELETE', path: `${V1}/components/groups/:group`, summary: 'Delete a component group', operation: components.deleteGroup, input: idFrom('group'), inputIn: 'path', respond: empty },
  // incidents
  { method: 'GET', path: `${V1}/incidents`, summary: 'List incidents', operation: visible.listVisibleIncidents, input: query, inputIn: 'query', respond: list(present.incident) },
  { method: 'POST', path: `${V1}/incidents`, summary: 'Create an incident (a draft without incidents.publish)', operation: incidents.createIncident, input: body, inputIn: 'body', respond: item(present.incident), notice: draftNotice },
  { method: 'GET', path: `${V1}/incidents/templates`, summary: 'List incident templates', operation: templates.listTemplatesOp, input: query, inputIn: 'query', respond: list(present.template) },
  { method: 'GET', path: `${V1}/incidents/templates/:template`, summary: 'Get an incident template', operation: templates.getTemplateOp, input: idFrom('template'), inputIn: 'path', respond: item(present.template) },
  { method: 'GET', path: `${V1}/incidents/:incident`, summary: 'Get an incident', operation: visible.getVisibleIncident, input: idFrom('incident'), inputIn: 'path', respond: item(present.incident) },
  { method: 'PUT', path: `${V1}/incidents/:incident`, summary: 'Update an incident', operation: incidents.updateIncident, input: bodyWithId('incident'), inputIn: 'body', respond: item(present.incident), notice: draftNotice },
  { method: 'DELETE', path: `${V1}/incidents/:incident`, summary: 'Delete an incident', operation: incidents.deleteIncident, input: idFrom('incident'), inputIn: 'path', respond: empty },
  // incident updates
  {
    method: 'GET', path: `${V1}/incidents/:incident/updates`, summary: "List an incident's updates", operation: visible.listVisibleIncidentUpdates,
    input: (req) => ({ ...queryToCore(req.query), incidentId: req.params.incident }), inputIn: 'path', respond: list(present.incidentUpdate),
  },
  {
    method: 'POST', path: `${V1}/incidents/:incident/updates`, summary: 'Add an update to an incident', operation: incidents.createIncidentUpdate,
    input: (req) => ({ ...bodyToCore(req.body), incidentId: req.params.incident }), inputIn: 'body', respond: item(present.incidentUpdate),
    notice: (u: { publishedAt: number | null }) => (u.publishedAt === null ? 'Saved, not yet public: the two-person rule is on and a second person must approve this update in the console.' : undefined),
  },
  {
    method: 'GET', path: `${V1}/incidents/:incident/updates/:update`, summary: 'Get an incident update', operation: visible.getVisibleIncidentUpdate,
    input: (req) => ({ incidentId: req.params.incident, id: req.params.update }), inputIn: 'path', respond: item(present.incidentUpdate),
  },
  {
    method: 'PUT', path: `${V1}/incidents/:incident/updates/:update`, summary: 'Change an incident update', operation: incidents.updateIncidentUpdate,
    input: (req) => ({ ...bodyToCore(req.body), incidentId: req.params.incident, id: req.params.update }), inputIn: 'body', respond: item(present.incidentUpdate),
  },
  {
    method: 'DELETE', path: `${V1}/incidents/:incident/updates/:update`, summary: 'Delete an incident update', operation: incidents.deleteIncidentUpdate,
    input: (req) => ({ incidentId: req.params.incident, id: req.params.update }), inputIn: 'path', respond: empty,
  },
  // metrics and points
  { method: 'GET', path: `${V1}/metrics`, summary: 'List metrics', operation: visible.listVisibleMetrics, input: query, inputIn: 'query', respond: list(present.metric) },
  { method: 'POST', path: `${V1}/metrics`, summary: 'Create a metric', operation: metrics.createMetric, input: body, inputIn: 'body', respond: item(present.metric) },
  { method: 'GET', path: `${V1}/metrics/:metric`, summary: 'Get a metric', operation: visible.getVisibleMetric, input: idFrom('metric'), inputIn: 'path', respond: item(present.metric) },
  { method: 'PUT', path: `${V1}/metrics/:metric`, summary: 'Update a metric', operation: metrics.updateMetric, input: bodyWithId('metric'), inputIn: 'body', respond: item(present.metric) },
  { method: 'DELETE', path: `${V1}/metrics/:metric`, summary: 'Delete a metric', operation: metrics.deleteMetric, input: idFrom('metric'), inputIn: 'path', respond: empty },
  {
    method: 'GET', path: `${V1}/metrics/:metric/points`, summary: "List a metric's points", operation: visible.listVisibleMetricPoints,
    input: (req) => ({ ...queryToCore(req.query), metricId: req.params.metric }), inputIn: 'query', respond: list(present.metricPoint),
  },
  {
    method: 'POST', path: `${V1}/metrics/:metric/points`, summary: 'Add a metric point (same value in one threshold window raises its counter)', operation: metrics.addMetricPointOp,
    input: (req) => ({ ...pointZone(req), ...bodyToCore(req.body), metricId: req.params.metric }), inputIn: 'body', respond: item(present.metricPoint),
  },
  {
    method: 'POST', path: `${V1}/metrics/:metric/points/batch`, summary: 'Add up to 1000 points at once (a Cairn extension: one transaction, one audit entry)', operation: metrics.addMetricPointsOp,
    input: (req) => ({ ...pointZone(req), ...bodyToCore(req.body), metricId: req.params.metric }), inputIn: 'body', respond: list(present.metricPoint),
  },
  {
    method: 'PUT', path: `${V1}/metrics/:metric/points/:point`, summary: 'Change a metric point', operation: metrics.updateMetricPoint,
    input: (req) => ({ ...pointZone(req), ...bodyToCore(req.body), metricId: req.params.metric, id: req.params.point }), inputIn: 'body', respond: item(present.metricPoint),
  },
  {
    method: 'DELETE', path: `${V1}/metrics/:metric/points/:point`, summary: 'Delete a metric point', operation: metrics.deleteMetricPoint,
    input: (req) => ({ metricId: req.params.metric, id: req.params.point }), inputIn: 'path', respond: empty,
  },
  // scheduled maintenance
  { method: 'GET', path: `${V1}/schedules`, summary: 'List scheduled maintenance', operation: visible.listVisibleSchedules, input: query, inputIn: 'query', respond: list(present.schedule) },
  { method: 'POST', path: `${V1}/schedules`, summary: 'Schedule maintenance', operation: schedules.createSchedule, input: body, inputIn: 'body', respond: item(present.schedule) },
  { method: 'GET', path: `${V1}/schedules/:schedule`, summary: 'Get scheduled maintenance', operation: visible.getVisibleSchedule, input: idFrom('schedule'), inputIn: 'path', respond: item(present.schedule) },
  { method: 'PUT', path: `${V1}/schedules/:schedule`, summary: 'Update scheduled maintenance', operation: schedules.updateSchedule, input: bodyWithId('schedule'), inputIn: 'body', respond: item(present.schedule) },
  { method: 'DELETE', path: `${V1}/schedules/:schedule`, summary: 'Delete scheduled maintenance', operation: schedules.deleteSchedule, input: idFrom('schedule'), inputIn: 'path', respond: empty },
  // subscribers (every read needs subscribers.read: a list of e-mail addresses is personal data)
  { method: 'GET', path: `${V1}/subscribers`, summary: 'List subscribers', operation: subscribers.listSubscribersOp, input: query, inputIn: 'query', respond: list(present.subscriber) },
  { method: 'POST', path: `${V1}/subscribers`, summary: 'Add a subscriber', operation: subscribers.createSubscriber, input: body, inputIn: 'body', respond: item(present.subscriber) },
  { method: 'DELETE', path: `${V1}/subscribers/:subscriber`, summary: 'Remove a subscriber', operation: subscribers.deleteSubscriber, input: idFrom('subscriber'), inputIn: 'path', respond: empty },
  { method: 'DELETE', path: `${V1}/subscriptions/:subscription`, summary: 'Remove one subscription', operation: subscribers.deleteSubscription, input: idFrom('subscription'), inputIn: 'path', respond: empty },
];
