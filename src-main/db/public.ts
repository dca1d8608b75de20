import type { Db } from './connection.js';
import { sql } from './statements.js';

/**
 * The queries behind the public projection. Each one states the visibility rule in its WHERE
 * clause, so no caller can forget it: public groups only (visible = 1), enabled components only,
 * published and visible incidents only, maintenance that is not hidden.
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
  return sql(db, 'SELECT id, name, collapsed FROM component_groups WHERE visible = 1 ORDER BY sort_order, id').all() as PublicGroupRow[];
}

/** Enabled components that are ungrouped or in a public group. */
export function publicComponents(db: Db): PublicComponentRow[] {
  return sql(
    db,
    `SELECT c.id, c.name, c.description_html AS descriptionHtml, c.status, c.link, c.group_id AS groupId
     FROM components c LEFT JOIN component_groups g ON g.id = c.group_id
     WHERE c.enabled = 1 AND (c.group_id IS NULL OR g.visible = 1)
     ORDER BY c.sort_order, c.id`,
  ).all() as PublicComponentRow[];
}

/** Published, visible incidents that are unresolved, stickied, or occurred since `since`. */
export function publicIncidents(db: Db, since: number): PublicIncidentRow[] {
  return sql(
    db,
    `SELECT id, name, message_html AS messageHtml, status, stickied, component_id AS componentId, occurred_at AS occurredAt, updated_at AS updatedAt
     FROM incidents
     WHERE published_at IS NOT NULL AND visible = 1 AND (status != 4 OR stickied = 1 OR occurred_at >= ?)
     ORDER BY stickied DESC, occurred_at DESC, id DESC
     LIMIT 200`,
  ).all(since) as PublicIncidentRow[];
}

export function publicIncidentUpdates(db: Db, incidentIds: readonly number[]): PublicUpdateRow[] {
  if (incidentIds.length === 0) return [];
  return sql(
    db,
    `SELECT id, incident_id AS incidentId, status, message_html AS messageHtml, created_at AS createdAt
     FROM incident_updates WHERE incident_id IN (SELECT value FROM json_each(?))
     ORDER BY created_at DESC, id DESC`,
  ).all(JSON.stringify(incidentIds)) as PublicUpdateRow[];
}

/** Maintenance that is upcoming or in progress. */
export function publicSchedules(db: Db): PublicScheduleRow[] {
  return sql(
    db,
    `SELECT id, name, message_html AS messageHtml, status, scheduled_at AS scheduledAt, completed_at AS completedAt
     FROM schedules WHERE status IN (0, 1) ORDER BY scheduled_at, id LIMIT 100`,
  ).all() as PublicScheduleRow[];
}
