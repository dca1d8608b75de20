import { COMPONENT_STATUS, type Component, type GroupWithComponents } from '../../core/components.js';
import type { IncidentUpdate } from '../../core/incidents.js';
import { INCIDENT_STATUS, RESOLVED, type IncidentWithUpdates } from '../../core/incidents.js';
import type { Metric, MetricPoint } from '../../core/metrics.js';
import type { Schedule } from '../../core/schedules.js';
import { SCHEDULE_STATUS } from '../../core/schedules.js';
import type { Subscriber } from '../../core/subscribers.js';
import type { IncidentTemplate } from '../../core/templates.js';

/**
 * Core results in Cachet's JSON shapes: its field names, 0/1 flags where Cachet has them, and
 * dates as "Y-m-d H:i:s" in the site's timezone. Fields Cachet exposed that are secrets in Cairn
 * (a subscriber's verify_code) are left out.
 */
export interface PresentContext {
  readonly timezone: string;
  /** scheme://host of the request, for permalinks. */
  readonly origin: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-12-04 10:30:00" in `timeZone` (sv-SE's date format is ISO-like). */
export function cachetDate(ms: number | null, timeZone: string): string | null {
  if (ms === null) return null;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f.format(ms);
}

const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);

export function component(c: Component, ctx: PresentContext) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    link: c.link ?? '',
    status: c.status,
    order: c.order,
    group_id: c.groupId ?? 0,
    enabled: c.enabled,
    meta: c.meta,
    created_at: cachetDate(c.createdAt, ctx.timezone),
    updated_at: cachetDate(c.updatedAt, ctx.timezone),
    deleted_at: null,
    status_name: COMPONENT_STATUS[c.status as keyof typeof COMPONENT_STATUS] ?? 'Unknown',
    tags: c.tags,
  };
}

export function group(g: GroupWithComponents, ctx: PresentContext) {
  return {
    id: g.id,
    name: g.name,
    order: g.order,
    collapsed: g.collapsed,
    visible: g.visible,
    created_at: cachetDate(g.createdAt, ctx.timezone),
    updated_at: cachetDate(g.updatedAt, ctx.timezone),
    enabled_components: g.enabledComponents.map((c) => component(c, ctx)),
  };
}

export function incidentUpdate(u: IncidentUpdate, ctx: PresentContext) {
  return {
    id: u.id,
    incident_id: u.incidentId,
    component_id: u.componentId ?? 0,
    component_status: u.componentStatus ?? 0,
    status: u.status,
    message: u.message,
    user_id: null,
    created_at: cachetDate(u.createdAt, ctx.timezone),
    updated_at: cachetDate(u.updatedAt, ctx.timezone),
    human_status: INCIDENT_STATUS[u.status as keyof typeof INCIDENT_STATUS],
    permalink: `${ctx.origin}/incidents/${u.incidentId}#update-${u.id}`,
    /** Cairn: false while the update waits for approval (two-person rule). */
    published: u.publishedAt !== null,
  };
}

export function incident(i: IncidentWithUpdates, ctx: PresentContext) {
  const latest = i.updates.at(-1);
  const latestStatus = latest?.status ?? i.status;
  return {
    id: i.id,
    component_id: i.componentId ?? 0,
    name: i.name,
    status: i.status,
    visible: bit(i.visible),
    stickied: i.stickied,
    message: i.message,
    occurred_at: cachetDate(i.occurredAt, ctx.timezone),
    created_at: cachetDate(i.createdAt, ctx.timezone),
    updated_at: cachetDate(i.updatedAt, ctx.timezone),
    deleted_at: null,
    human_status: INCIDENT_STATUS[i.status as keyof typeof INCIDENT_STATUS],
    latest_update_id: latest?.id ?? null,
    latest_status: latestStatus,
    latest_human_status: INCIDENT_STATUS[latestStatus as keyof typeof INCIDENT_STATUS],
    permalink: `${ctx.origin}/incidents/${i.id}`,
    is_resolved: i.status === RESOLVED,
    updates: i.updates.map((u) => incidentUpdate(u, ctx)),
    /** Cairn: true when saved as a draft (the key could write but not publish). */
    draft: i.draft,
    /** Cairn: a draft the two-person rule holds until a second person approves it. */
    needs_approval: i.needsApproval,
  };
}

export function schedule(s: Schedule, ctx: PresentContext) {
  return {
    id: s.id,
    name: s.name,
    message: s.message,
    status: s.status,
    human_status: SCHEDULE_STATUS[s.status as keyof typeof SCHEDULE_STATUS],
    scheduled_at: cachetDate(s.scheduledAt, ctx.timezone),
    completed_at: cachetDate(s.completedAt, ctx.timezone),
    created_at: cachetDate(s.createdAt, ctx.timezone),
    updated_at: cachetDate(s.updatedAt, ctx.timezone),
    components: s.components,
  };
}

const DEFAULT_VIEW_NAME = { 0: 'Last Hour', 1: 'Last 12 Hours', 2: 'Week', 3: 'Month' } as const;

export function metric(m: Metric, ctx: PresentContext) {
  return {
    id: m.id,
    name: m.name,
    suffix: m.suffix,
    description: m.description,
    default_value: m.defaultValue,
    calc_type: m.calcType,
    display_chart: bit(m.displayChart),
    places: m.places,
    default_view: m.defaultView,
    threshold: m.threshold,
    order: m.order,
    visible: m.visible,
    created_at: cachetDate(m.createdAt, ctx.timezone),
    updated_at: cachetDate(m.updatedAt, ctx.timezone),
    default_view_name: DEFAULT_VIEW_NAME[m.defaultView as keyof typeof DEFAULT_VIEW_NAME],
  };
}

export function metricPoint(p: MetricPoint, ctx: PresentContext) {
  return {
    id: p.id,
    metric_id: p.metricId,
    value: p.value,
    counter: p.counter,
    calculated_value: p.calculatedValue,
    created_at: cachetDate(p.createdAt, ctx.timezone),
    updated_at: cachetDate(p.updatedAt, ctx.timezone),
  };
}

export function subscriber(s: Subscriber, ctx: PresentContext) {
  return {
    id: s.id,
    email: s.email,
    verified_at: cachetDate(s.verifiedAt, ctx.timezone),
    global: s.global,
    created_at: cachetDate(s.createdAt, ctx.timezone),
    updated_at: cachetDate(s.updatedAt, ctx.timezone),
    subscriptions: s.componentIds,
  };
}

export function template(t: IncidentTemplate, ctx: PresentContext) {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    template: t.template,
    created_at: cachetDate(t.createdAt, ctx.timezone),
    updated_at: cachetDate(t.updatedAt, ctx.timezone),
  };
}
