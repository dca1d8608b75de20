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

export function publicIncidentUpdates(db: Db, incidentIds: readonly number[]): PublicUpdateRow[] {
  if (incidentIds.length === 0) return [];
  return sql(
    db,
    `SELECT id, incident_id AS incidentId, status, message_html AS messageHtml, created_at AS createdAt
     FROM incident_updates WHERE ${PUBLIC_RULE.incident_updates} AND incident_id IN (SELECT value FROM json_each(?))
     ORDER BY created_at DESC, id DESC`,
  ).all(JSON.stringify(incidentIds)) as PublicUpdateRow[];
}

/** Maintenance that is upcoming or in progress. */
export function publicSchedules(db: Db): PublicScheduleRow[] {
  return sql(
    db,
    `SELECT id, name, message_html AS messageHtml, status, scheduled_at AS scheduledAt, completed_at AS completedAt
     FROM schedules WHERE ${PUBLIC_RULE.schedules} AND status IN (0, 1) ORDER BY scheduled_at, id LIMIT 100`,
  ).all() as PublicScheduleRow[];
}
