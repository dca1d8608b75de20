import type { Db } from './connection.js';
import { sql } from './statements.js';

/**
 * What the public may see, stated once as SQL conditions on each table's own columns. The status
 * page's queries and the unauthenticated API's lists and lookups all add these, so a hidden
 * incident or a signed-in-only group can never show in one and not the other (GHSA-6ghm-wf22-pvx5
 * was Cachet's API showing what its page hid).
 */
export const PUBLIC_RULE = {
  /** Groups marked public (0 is "signed-in operators only"). */
  component_groups: 'visible = 1',
  /** Enabled components, ungrouped or in a public group. */
  components: 'enabled = 1 AND (group_id IS NULL OR group_id IN (SELECT id FROM component_groups WHERE visible = 1))',
  /** Published (not a draft) and visible. */
  incidents: 'published_at IS NOT NULL AND visible = 1',
  /** Published updates (not waiting for approval) of public incidents. */
  incident_updates: 'published_at IS NOT NULL AND incident_id IN (SELECT id FROM incidents WHERE published_at IS NOT NULL AND visible = 1)',
  /** Metrics marked public (0 signed-in only, 2 hidden). */
  metrics: 'visible = 1',
  /** Maintenance has no private state: every schedule is announced. */
  schedules: '1 = 1',
} as const;

export type PublicTable = keyof typeof PUBLIC_RULE;

/** A WHERE clause's conditions, with the table's public rule added when `publicOnly`. */
export const withPublicRule = (table: PublicTable, where: string, publicOnly: boolean | undefined): string =>
  publicOnly ? `${where} AND (${PUBLIC_RULE[table]})` : where;

/** Whether the row `id` of `table` is one the public may see. */
export function isPublic(db: Db, table: PublicTable, id: number): boolean {
  return sql(db, `SELECT 1 FROM ${table} WHERE id = ? AND (${PUBLIC_RULE[table]})`).get(id) !== undefined;
}
