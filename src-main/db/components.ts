import type { Db } from './connection.js';
import { bool, orderBy, sql } from './statements.js';
import { withPublicRule } from './visibility.js';

export interface ComponentRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly descriptionHtml: string;
  readonly status: number;
  readonly order: number;
  readonly groupId: number | null;
  readonly link: string | null;
  readonly enabled: boolean;
  readonly tags: Record<string, string>;
  readonly meta: Record<string, unknown> | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type ComponentFields = Omit<ComponentRow, 'id' | 'tags' | 'createdAt' | 'updatedAt'>;

export interface GroupRow {
  readonly id: number;
  readonly name: string;
  readonly order: number;
  readonly collapsed: number;
  readonly visible: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type GroupFields = Omit<GroupRow, 'id' | 'createdAt' | 'updatedAt'>;

const COMPONENT_COLUMNS = `id, name, description, description_html AS descriptionHtml, status, sort_order AS "order",
  group_id AS groupId, link, enabled, meta, created_at AS createdAt, updated_at AS updatedAt`;

export const COMPONENT_SORT = { id: 'id', name: 'name', status: 'status', order: 'sort_order', createdAt: 'created_at' } as const;

type RawComponent = Omit<ComponentRow, 'enabled' | 'meta' | 'tags'> & { enabled: number; meta: string | null };

function tagsOf(db: Db, componentId: number): Record<string, string> {
  const rows = sql(
    db,
    'SELECT t.slug, t.name FROM tags t JOIN component_tags ct ON ct.tag_id = t.id WHERE ct.component_id = ? ORDER BY t.slug',
  ).all(componentId) as { slug: string; name: string }[];
  return Object.fromEntries(rows.map((r) => [r.slug, r.name]));
}

function toComponent(db: Db, raw: RawComponent): ComponentRow {
  return {
    ...raw,
    enabled: raw.enabled === 1,
    meta: raw.meta === null ? null : (JSON.parse(raw.meta) as Record<string, unknown>),
    tags: tagsOf(db, raw.id),
  };
}

export function getComponent(db: Db, id: number): ComponentRow | undefined {
  const raw = sql(db, `SELECT ${COMPONENT_COLUMNS} FROM components WHERE id = ?`).get(id) as RawComponent | undefined;
  return raw && toComponent(db, raw);
}

export interface ComponentFilter {
  readonly status?: number | undefined;
  readonly groupId?: number | undefined;
  readonly enabled?: boolean | undefined;
  readonly name?: string | undefined;
  /** Only what the public may see. */
  readonly publicOnly?: boolean | undefined;
}

const COMPONENT_WHERE = `WHERE (@status IS NULL OR status = @status)
  AND (@groupId IS NULL OR group_id = @groupId)
  AND (@enabled IS NULL OR enabled = @enabled)
  AND (@name IS NULL OR name = @name)`;

export function listComponents(
  db: Db,
  filter: ComponentFilter,
  sort: keyof typeof COMPONENT_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: ComponentRow[]; total: number } {
  const params = {
    status: filter.status ?? null,
    groupId: filter.groupId ?? null,
    enabled: filter.enabled === undefined ? null : bool(filter.enabled),
    name: filter.name ?? null,
  };
  const where = withPublicRule('components', COMPONENT_WHERE, filter.publicOnly);
  const raws = sql(db, `SELECT ${COMPONENT_COLUMNS} FROM components ${where} ${orderBy(COMPONENT_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawComponent[];
  const { total } = sql(db, `SELECT count(*) AS total FROM components ${where}`).get(params) as { total: number };
  return { rows: raws.map((r) => toComponent(db, r)), total };
}

function componentParams(f: ComponentFields) {
  return {
    name: f.name,
    description: f.description,
    descriptionHtml: f.descriptionHtml,
    status: f.status,
    order: f.order,
    groupId: f.groupId,
    link: f.link,
    enabled: bool(f.enabled),
    meta: f.meta === null ? null : JSON.stringify(f.meta),
  };
}

export function insertComponent(db: Db, f: ComponentFields, at: number): number {
  const r = sql(
    db,
    `INSERT INTO components (name, description, description_html, status, sort_order, group_id, link, enabled, meta, created_at, updated_at)
     VALUES (@name, @description, @descriptionHtml, @status, @order, @groupId, @link, @enabled, @meta, @at, @at)`,
  ).run({ ...componentParams(f), at });
  return Number(r.lastInsertRowid);
}

export function updateComponentRow(db: Db, id: number, f: ComponentFields, at: number): void {
  sql(
    db,
    `UPDATE components SET name = @name, description = @description, description_html = @descriptionHtml, status = @status,
       sort_order = @order, group_id = @groupId, link = @link, enabled = @enabled, meta = @meta, updated_at = @at
     WHERE id = @id`,
  ).run({ ...componentParams(f), at, id });
}

export function deleteComponentRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM components WHERE id = ?').run(id);
}

export function setComponentStatusRow(db: Db, id: number, status: number, at: number): void {
  sql(db, 'UPDATE components SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

export function recordComponentStatus(db: Db, componentId: number, status: number, at: number): void {
  sql(db, 'INSERT INTO component_status_history (component_id, status, changed_at) VALUES (?, ?, ?)').run(componentId, status, at);
}

export function replaceComponentTags(db: Db, componentId: number, tags: Record<string, string>): void {
  sql(db, 'DELETE FROM component_tags WHERE component_id = ?').run(componentId);
  for (const [slug, name] of Object.entries(tags)) {
    sql(db, 'INSERT INTO tags (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING').run(slug, name);
    sql(db, 'INSERT INTO component_tags (component_id, tag_id) SELECT ?, id FROM tags WHERE slug = ?').run(componentId, slug);
  }
}

// ---- groups -----------------------------------------------------------------------------------

const GROUP_COLUMNS = `id, name, sort_order AS "order", collapsed, visible, created_at AS createdAt, updated_at AS updatedAt`;
export const GROUP_SORT = { id: 'id', name: 'name', order: 'sort_order' } as const;

export function getGroup(db: Db, id: number): GroupRow | undefined {
  return sql(db, `SELECT ${GROUP_COLUMNS} FROM component_groups WHERE id = ?`).get(id) as GroupRow | undefined;
}

export function listGroups(
  db: Db,
  filter: { visible?: number | undefined; publicOnly?: boolean | undefined },
  sort: keyof typeof GROUP_SORT,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
): { rows: GroupRow[]; total: number } {
  const params = { visible: filter.visible ?? null };
  const where = withPublicRule('component_groups', 'WHERE (@visible IS NULL OR visible = @visible)', filter.publicOnly);
  const rows = sql(db, `SELECT ${GROUP_COLUMNS} FROM component_groups ${where} ${orderBy(GROUP_SORT, sort, direction)} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as GroupRow[];
  const { total } = sql(db, `SELECT count(*) AS total FROM component_groups ${where}`).get(params) as { total: number };
  return { rows, total };
}

export function insertGroup(db: Db, f: GroupFields, at: number): number {
  const r = sql(
    db,
    'INSERT INTO component_groups (name, sort_order, collapsed, visible, created_at, updated_at) VALUES (@name, @order, @collapsed, @visible, @at, @at)',
  ).run({ ...f, at });
  return Number(r.lastInsertRowid);
}

export function updateGroupRow(db: Db, id: number, f: GroupFields, at: number): void {
  sql(
    db,
    'UPDATE component_groups SET name = @name, sort_order = @order, collapsed = @collapsed, visible = @visible, updated_at = @at WHERE id = @id',
  ).run({ ...f, at, id });
}

export function deleteGroupRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM component_groups WHERE id = ?').run(id);
}

export function componentIdsInGroup(db: Db, groupId: number, enabledOnly: boolean): number[] {
  return (
    sql(db, 'SELECT id FROM components WHERE group_id = ? AND (? = 0 OR enabled = 1) ORDER BY sort_order, id').all(groupId, bool(enabledOnly)) as {
      id: number;
    }[]
  ).map((r) => r.id);
}
