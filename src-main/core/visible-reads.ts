import { z } from 'zod';
import { listComponents, listGroups, type ComponentRow, type GroupRow } from '../db/components.js';
import { getIncidentUpdate, listIncidents, listIncidentUpdates, type IncidentUpdateRow } from '../db/incidents.js';
import { listMetricPoints, listMetrics, type MetricPointRow, type MetricRow } from '../db/metrics.js';
import { listSchedules } from '../db/schedules.js';
import { isPublic, type PublicTable } from '../db/visibility.js';
import { listComponentsOp, listGroupsOp, requireComponent, requireGroup, withEnabledComponents, type GroupWithComponents } from './components.js';
import { notFound } from './errors.js';
import { listIncidentsOp, requireIncident, withUpdates, type IncidentWithUpdates } from './incidents.js';
import { listMetricPointsOp, listMetricsOp, requireMetric } from './metrics.js';
import { defineOperation, type OperationContext } from './operation.js';
import { PUBLIC, type Permission } from './permissions.js';
import { listSchedulesOp, requireSchedule, type Schedule } from './schedules.js';
import { id, type Page } from './schemas.js';

/**
 * Reads that answer everyone with what they may see: a caller holding the resource's `.read`
 * permission sees everything, anyone else exactly the public projection (the rules in
 * db/visibility.ts, shared with the status page). The HTTP API's GETs use these, so a Cachet
 * client without a key sees what the page shows and nothing more (GHSA-6ghm-wf22-pvx5), and the
 * choice is made here in the core, not by the door.
 */

const offset = (q: { page: number; perPage: number }) => (q.page - 1) * q.perPage;

/** Whether the caller sees everything of a resource, or only its public part. */
const seesAll = (ctx: OperationContext, permission: Permission): boolean => ctx.can(permission);

/** A record the caller may not see answers exactly like one that does not exist. */
function requireVisible(ctx: OperationContext, permission: Permission, table: PublicTable, what: string, recordId: number): void {
  if (!seesAll(ctx, permission) && !isPublic(ctx.db, table, recordId)) throw notFound(what, recordId);
}

/** Component metadata is for operators and integrations; the public gets none. */
const forCaller = (ctx: OperationContext, c: ComponentRow): ComponentRow => (seesAll(ctx, 'components.read') ? c : { ...c, meta: null });

function groupWithComponents(ctx: OperationContext, g: GroupRow): GroupWithComponents {
  const full = withEnabledComponents(ctx.db, g);
  return { ...full, enabledComponents: full.enabledComponents.map((c) => forCaller(ctx, c)) };
}

/** Affected components of maintenance, less those the caller may not see. */
function scheduleForCaller(ctx: OperationContext, s: Schedule): Schedule {
  if (seesAll(ctx, 'components.read')) return s;
  const components = Object.fromEntries(Object.entries(s.components).filter(([componentId]) => isPublic(ctx.db, 'components', Number(componentId))));
  return { ...s, components };
}

/** An incident as the caller may see it: updates still waiting for approval only for those who may read drafts. */
const incidentForCaller = (ctx: OperationContext, i: IncidentWithUpdates): IncidentWithUpdates =>
  seesAll(ctx, 'incidents.read') ? i : { ...i, updates: i.updates.filter((u) => u.publishedAt !== null) };

const page = <T>(items: T[], total: number, q: { page: number; perPage: number }): Page<T> => ({ items, total, page: q.page, perPage: q.perPage });

/** A read of one record by id: everything with `permission`, else only if the record is public. */
function visibleGet<T>(name: string, permission: Permission, table: PublicTable, what: string, load: (ctx: OperationContext, recordId: number) => T) {
  return defineOperation({
    name,
    requires: PUBLIC,
    readOnly: true,
    input: z.strictObject({ id }),
    run(ctx, { id: recordId }): T {
      requireVisible(ctx, permission, table, what, recordId);
      return load(ctx, recordId);
    },
  });
}

/**
 * A list a caller sees whole with `permission`, or else only its public rows: `load` is told which,
 * and the store applies the rule from visibility.ts.
 */
function visibleList<S extends z.ZodType<{ page: number; perPage: number }>, R, T>(
  name: string,
  permission: Permission,
  input: S,
  load: (ctx: OperationContext, q: z.output<S>, publicOnly: boolean) => { rows: R[]; total: number },
  present: (ctx: OperationContext, row: R) => T,
) {
  return defineOperation({
    name,
    requires: PUBLIC,
    readOnly: true,
    input,
    run(ctx, q): Page<T> {
      const { rows, total } = load(ctx, q, !seesAll(ctx, permission));
      return page(rows.map((r) => present(ctx, r)), total, q);
    },
  });
}

export const listVisibleComponents = visibleList(
  'component.listVisible',
  'components.read',
  listComponentsOp.input,
  (ctx, q, publicOnly) => listComponents(ctx.db, { ...q, publicOnly }, q.sort, q.order, q.perPage, offset(q)),
  forCaller,
);

export const getVisibleComponent = visibleGet('component.getVisible', 'components.read', 'components', 'Component', (ctx, componentId) => forCaller(ctx, requireComponent(ctx.db, componentId)));

export const listVisibleGroups = visibleList(
  'componentGroup.listVisible',
  'components.read',
  listGroupsOp.input,
  (ctx, q, publicOnly) => listGroups(ctx.db, { ...q, publicOnly }, q.sort, q.order, q.perPage, offset(q)),
  groupWithComponents,
);

export const getVisibleGroup = visibleGet('componentGroup.getVisible', 'components.read', 'component_groups', 'Component group', (ctx, groupId) => groupWithComponents(ctx, requireGroup(ctx.db, groupId)));

export const listVisibleIncidents = visibleList(
  'incident.listVisible',
  'incidents.read',
  listIncidentsOp.input,
  (ctx, q, publicOnly) => listIncidents(ctx.db, { ...q, publicOnly }, q.sort, q.order, q.perPage, offset(q)),
  (ctx, i) => incidentForCaller(ctx, withUpdates(ctx.db, i)),
);

export const getVisibleIncident = visibleGet('incident.getVisible', 'incidents.read', 'incidents', 'Incident', (ctx, incidentId) => incidentForCaller(ctx, withUpdates(ctx.db, requireIncident(ctx.db, incidentId))));

export const listVisibleIncidentUpdates = defineOperation({
  name: 'incidentUpdate.listVisible',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({ incidentId: id }),
  run(ctx, { incidentId }): IncidentUpdateRow[] {
    requireVisible(ctx, 'incidents.read', 'incidents', 'Incident', incidentId);
    requireIncident(ctx.db, incidentId);
    const updates = listIncidentUpdates(ctx.db, incidentId);
    return seesAll(ctx, 'incidents.read') ? updates : updates.filter((u) => u.publishedAt !== null);
  },
});

export const getVisibleIncidentUpdate = defineOperation({
  name: 'incidentUpdate.getVisible',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({ incidentId: id, id }),
  run(ctx, { incidentId, id: updateId }): IncidentUpdateRow {
    requireVisible(ctx, 'incidents.read', 'incidents', 'Incident', incidentId);
    const update = getIncidentUpdate(ctx.db, incidentId, updateId);
    if (!update || (update.publishedAt === null && !seesAll(ctx, 'incidents.read'))) throw notFound('Incident update', updateId);
    return update;
  },
});

export const listVisibleSchedules = defineOperation({
  name: 'schedule.listVisible',
  requires: PUBLIC,
  readOnly: true,
  input: listSchedulesOp.input,
  run(ctx, q): Page<Schedule> {
    const { rows, total } = listSchedules(ctx.db, q, q.sort, q.order, q.perPage, offset(q));
    return page(rows.map((s) => scheduleForCaller(ctx, requireSchedule(ctx.db, s.id))), total, q);
  },
});

export const getVisibleSchedule = visibleGet('schedule.getVisible', 'maintenance.read', 'schedules', 'Schedule', (ctx, scheduleId) => scheduleForCaller(ctx, requireSchedule(ctx.db, scheduleId)));

export const listVisibleMetrics = visibleList(
  'metric.listVisible',
  'metrics.read',
  listMetricsOp.input,
  (ctx, q, publicOnly) => listMetrics(ctx.db, { ...q, publicOnly }, q.sort, q.order, q.perPage, offset(q)),
  (_ctx, m: MetricRow) => m,
);

export const getVisibleMetric = visibleGet('metric.getVisible', 'metrics.read', 'metrics', 'Metric', (ctx, metricId) => requireMetric(ctx.db, metricId));

export const listVisibleMetricPoints = defineOperation({
  name: 'metricPoint.listVisible',
  requires: PUBLIC,
  readOnly: true,
  input: listMetricPointsOp.input,
  run(ctx, q): Page<MetricPointRow> {
    requireVisible(ctx, 'metrics.read', 'metrics', 'Metric', q.metricId);
    requireMetric(ctx.db, q.metricId);
    const { rows, total } = listMetricPoints(ctx.db, q.metricId, q.order, q.perPage, offset(q));
    return page(rows, total, q);
  },
});

export const VISIBLE_READS = [
  listVisibleComponents,
  getVisibleComponent,
  listVisibleGroups,
  getVisibleGroup,
  listVisibleIncidents,
  getVisibleIncident,
  listVisibleIncidentUpdates,
  getVisibleIncidentUpdate,
  listVisibleSchedules,
  getVisibleSchedule,
  listVisibleMetrics,
  getVisibleMetric,
  listVisibleMetricPoints,
] as const;
