import type { Db } from './connection.js';
import { sql } from './statements.js';
import { PUBLIC_RULE } from './visibility.js';

/**
 * The queries behind the public status page. Each adds its table's rule from visibility.ts (the
 * one statement of what the public may see, shared with the unauthenticated API), so no caller
 * can forget it.
 */

export interface PublicComponentRow {
  readonly id: number;
  readonly name: string;
  readonly descriptionHtml: string;
  readonly status: number;
  readonly link: string | null;
  readonly groupId: number | null;
}

export interface PublicGroupRow {
  readonly id: number;
  readonly name: string;
  readonly collapsed: number;
}

export interface PublicIncidentRow {
  readonly id: number;
  readonly name: string;
  readonly messageHtml: string;
  readonly status: number;
  readonly stickied: number;
  readonly componentId: number | null;
  readonly occurredAt: number;
  readonly updatedAt: number;
}

export interface PublicUpdateRow {
  readonly id: number;
  readonly incidentId: number;
  readonly status: number;
  readonly messageHtml: string;
  readonly createdAt: number;
}

export interface PublicScheduleRow {
  readonly id: number;
  readonly name: string;
  readonly messageHtml: string;
  readonly status: number;
  readonly scheduledAt: number;
  readonly completedAt: number | null;
}

export function publicGroups(db: Db): PublicGroupRow[] {
  return sql(db, `SELECT id, name, collapsed FROM component_groups WHERE ${PUBLIC_RULE.component_groups} ORDER BY sort_order, id`).all() as PublicGroupRow[];
}

/** Enabled components that are ungrouped or in a public group. */
export function publicComponents(db: Db): PublicComponentRow[] {
  return sql(
    db,
    `SELECT id, name, description_html AS descriptionHtml, status, link, group_id AS groupId
     FROM components WHERE ${PUBLIC_RULE.components}
     ORDER BY sort_order, id`,
  ).all() as PublicComponentRow[];
}

/** Published, visible incidents that are unresolved, stickied, or occurred since `since`. */
export function publicIncidents(db: Db, since: number): PublicIncidentRow[] {
  return sql(
    db,
    `SELECT id, name, message_html AS messageHtml, status, stickied, component_id AS componentId, occurred_at AS occurredAt, updated_at AS updatedAt
     FROM incidents
     WHERE ${PUBLIC_RULE.incidents} AND (status != 4 OR stickied = 1 OR occurred_at >= ?)
     ORDER BY stickied DESC, occurred_at DESC, id DESC
     LIMIT 200`,
  ).all(since) as PublicIncidentRow[];
}

/**
 * The latest `perIncident` public updates of each incident (newest first), with how many public
 * updates each has in all: the status page shows a bounded timeline however long an incident runs.
 */
export function publicIncidentUpdates(db: Db, incidentIds: readonly number[], perIncident: number): (PublicUpdateRow & { readonly total: number })[] {
  if (incidentIds.length === 0) return [];
  return sql(
    db,
    `SELECT id, incidentId, status, messageHtml, createdAt, total FROM (
       SELECT u.id, u.incident_id AS incidentId, u.status, u.message_html AS messageHtml, u.created_at AS createdAt,
              row_number() OVER (PARTITION BY u.incident_id ORDER BY u.created_at DESC, u.id DESC) AS position,
              count(*) OVER (PARTITION BY u.incident_id) AS total
       FROM json_each(?) AS wanted CROSS JOIN incident_updates AS u ON u.incident_id = wanted.value
       WHERE ${PUBLIC_RULE.incident_updates})
     WHERE position <= ? ORDER BY createdAt DESC, id DESC`,
  ).all(JSON.stringify(incidentIds), perIncident) as (PublicUpdateRow & { total: number })[];
}

/** Maintenance that is upcoming or in progress. */
export function publicSchedules(db: Db): PublicScheduleRow[] {
  return sql(
    db,
    `SELECT id, name, message_html AS messageHtml, status, scheduled_at AS scheduledAt, completed_at AS completedAt
     FROM schedules WHERE ${PUBLIC_RULE.schedules} AND status IN (0, 1) ORDER BY scheduled_at, id LIMIT 100`,
  ).all() as PublicScheduleRow[];
}

export interface StatusChangeRow {
  readonly componentId: number;
  readonly status: number;
  readonly changedAt: number;
}

/**
 * Status changes of public components since `since`, each component's last change before it
 * first (the status it entered the window with), ordered by component and time.
 */
export function publicStatusHistory(db: Db, since: number): StatusChangeRow[] {
  return sql(
    db,
    `WITH public_components AS (SELECT id FROM components WHERE ${PUBLIC_RULE.components})
     SELECT componentId, status, changedAt FROM (
       SELECT component_id AS componentId, status, max(changed_at) AS changedAt
       FROM component_status_history WHERE changed_at < @since AND component_id IN public_components GROUP BY component_id
       UNION ALL
       SELECT component_id, status, changed_at FROM component_status_history
       WHERE changed_at >= @since AND component_id IN public_components)
     ORDER BY componentId, changedAt`,
  ).all({ since }) as StatusChangeRow[];
}

export interface PublicMetricRow {
  readonly id: number;
  readonly name: string;
  readonly suffix: string;
  readonly description: string;
  readonly calcType: number;
  readonly places: number;
  readonly defaultView: number;
  readonly defaultValue: number;
}

/** Public metrics that are shown as charts, in their order. */
export function publicMetrics(db: Db): PublicMetricRow[] {
  return sql(
    db,
    `SELECT id, name, suffix, description, calc_type AS calcType, places, default_view AS defaultView, default_value AS defaultValue
     FROM metrics WHERE ${PUBLIC_RULE.metrics} AND display_chart = 1 ORDER BY sort_order, id`,
  ).all() as PublicMetricRow[];
}

export interface MetricBucketRow {
  /** Index of the bucket from `from` (0-based). */
  readonly bucket: number;
  /** Sum of value × counter in the bucket. */
  readonly total: number;
  /** Sum of counters: how many values were posted. */
  readonly count: number;
}

/** A metric's points in [from, to) summed per bucket of `bucketMs`, in SQL (one range scan of the index). */
export function metricBuckets(db: Db, metricId: number, from: number, to: number, bucketMs: number): MetricBucketRow[] {
  return sql(
    db,
    `SELECT CAST((created_at - @from) / @bucketMs AS INTEGER) AS bucket, sum(value * counter) AS total, sum(counter) AS count
     FROM metric_points WHERE metric_id = @metricId AND created_at >= @from AND created_at < @to
     GROUP BY bucket ORDER BY bucket`,
  ).all({ metricId, from, to, bucketMs }) as MetricBucketRow[];
}
