import { z } from 'zod';
import {
  COMPONENT_SORT,
  componentIdsInGroup,
  deleteComponentRow,
  deleteGroupRow,
  getComponent,
  getGroup,
  insertComponent,
  insertGroup,
  listComponents,
  listGroups,
  recordComponentStatus,
  replaceComponentTags,
  setComponentStatusRow,
  updateComponentRow,
  updateGroupRow,
  type ComponentFields,
  type ComponentRow,
  type GroupFields,
  type GroupRow,
} from '../db/components.js';
import type { Db } from '../db/connection.js';
import { changedFields } from './audit.js';
import { CairnError, notFound } from './errors.js';
import { renderMarkdown } from './markdown.js';
import { defineOperation, type OperationContext } from './operation.js';
import { applyPatch } from './patch.js';
import { recordEvent } from './notifications/events.js';
import { code, flag, httpUrl, id, int, line, listQuery, markdown, type Page } from './schemas.js';

export type { ComponentRow as Component, GroupRow as ComponentGroup };

/** Cachet's component statuses (6 is Cachet 3's "under maintenance"). */
export const COMPONENT_STATUS = {
  0: 'Unknown',
  1: 'Operational',
  2: 'Performance Issues',
  3: 'Partial Outage',
  4: 'Major Outage',
  6: 'Under Maintenance',
} as const;
export type ComponentStatus = keyof typeof COMPONENT_STATUS;
export const componentStatus = code([0, 1, 2, 3, 4, 6] as const);

/** Cachet's "collapsed" modes: 0 never, 1 always, 2 unless a component has an issue. */
export const groupCollapsed = code([0, 1, 2] as const);
/** 0: signed-in operators only; 1: public. */
export const groupVisibility = code([0, 1] as const);

const slugify = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Tags as Cachet's "a,b" string or as a list; kept as slug → name. */
const tags = z
  .union([z.string().max(1000), z.array(line(50)).max(20)])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((t) => t.trim()).filter((t) => t !== ''))
  .pipe(z.array(line(50)).max(20, 'at most 20 tags'))
  .transform((names) => Object.fromEntries(names.map((n) => [slugify(n) || 'tag', n])));

/** Free-form metadata: a flat object of short keys and scalar values, small enough to show. */
const meta = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'keys are 1-64 letters, digits, _ . or -'), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys')
  .nullable();

const componentShape = {
  name: line(255),
  description: markdown(5000),
  status: componentStatus,
  order: int(0, 1_000_000),
  groupId: id.nullable(),
  link: httpUrl.nullable(),
  enabled: flag,
  tags,
  meta,
};

const CreateComponent = z.strictObject({
  ...componentShape,
  description: componentShape.description.default(''),
  order: componentShape.order.default(0),
  groupId: componentShape.groupId.default(null),
  link: componentShape.link.default(null),
  enabled: componentShape.enabled.default(true),
  tags: componentShape.tags.optional(),
  meta: componentShape.meta.default(null),
});

const UpdateComponent = z.strictObject({
  id,
  ...Object.fromEntries(Object.entries(componentShape).map(([k, s]) => [k, s.optional()])),
} as { id: typeof id } & { [K in keyof typeof componentShape]: z.ZodOptional<(typeof componentShape)[K]> });

const AUDITED_COMPONENT_FIELDS = ['name', 'description', 'status', 'order', 'groupId', 'link', 'enabled', 'tags', 'meta'] as const;

export function requireComponent(db: Db, componentId: number): ComponentRow {
  const c = getComponent(db, componentId);
  if (!c) throw notFound('Component', componentId);
  return c;
}

function requireGroupReference(db: Db, groupId: number | null): void {
  if (groupId !== null && !getGroup(db, groupId)) throw new CairnError('invalid_input', `groupId: group ${groupId} does not exist`, 'groupId');
}

/**
 * Sets a component's status and records it in the status history, auditing under `action`.
 * Incidents and maintenance change component status through this too.
 */
export function changeComponentStatus(ctx: OperationContext, componentId: number, status: number, reason: string): void {
  const before = requireComponent(ctx.db, componentId);
  if (before.status === status) return;
  setComponentStatusRow(ctx.db, componentId, status, ctx.now);
  recordComponentStatus(ctx.db, componentId, status, ctx.now);
  ctx.audit({ action: 'component.status', targetType: 'component', targetId: componentId, details: { status: [before.status, status], reason } });
  announceComponentStatus(ctx, before, status);
}

/** Tells those who opted in to component changes that a component's status changed. */
function announceComponentStatus(ctx: OperationContext, component: ComponentRow, status: number): void {
  const name = COMPONENT_STATUS[status as ComponentStatus];
  const text = `${component.name} is now ${name} (was ${COMPONENT_STATUS[component.status as ComponentStatus]}).`;
  recordEvent(ctx, 'component.status', { title: component.name, status: name, markdown: text, html: renderMarkdown(text), path: '/', subject: { type: 'component', id: component.id } }, [component.id]);
}

export const listComponentsOp = defineOperation({
  name: 'component.list',
  requires: 'components.read',
  readOnly: true,
  input: listQuery(['id', 'name', 'status', 'order', 'createdAt'], 'order', {
    status: componentStatus.optional(),
    groupId: id.optional(),
    enabled: flag.optional(),
    name: line(255).optional(),
  }),
  run(ctx, q): Page<ComponentRow> {
    const { rows, total } = listComponents(ctx.db, q, q.sort as keyof typeof COMPONENT_SORT, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

export const getComponentOp = defineOperation({
  name: 'component.get',
  requires: 'components.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: componentId }) => requireComponent(ctx.db, componentId),
});

export const createComponent = defineOperation({
  name: 'component.create',
  requires: 'components.write',
  input: CreateComponent,
  run(ctx, input): ComponentRow {
    requireGroupReference(ctx.db, input.groupId);
    const fields: ComponentFields = { ...input, descriptionHtml: renderMarkdown(input.description) };
    const componentId = insertComponent(ctx.db, fields, ctx.now);
    replaceComponentTags(ctx.db, componentId, input.tags ?? {});
    recordComponentStatus(ctx.db, componentId, input.status, ctx.now);
    const created = requireComponent(ctx.db, componentId);
    ctx.audit({ action: 'component.create', targetType: 'component', targetId: componentId, details: { name: created.name, status: created.status } });
    return created;
  },
});

export const updateComponent = defineOperation({
  name: 'component.update',
  requires: 'components.write',
  input: UpdateComponent,
  run(ctx, { id: componentId, ...patch }): ComponentRow {
    const before = requireComponent(ctx.db, componentId);
    if (patch.groupId !== undefined) requireGroupReference(ctx.db, patch.groupId);
    const merged = applyPatch(before, patch as Partial<ComponentRow>);
    const fields: ComponentFields = {
      ...merged,
      descriptionHtml: patch.description === undefined ? before.descriptionHtml : renderMarkdown(patch.description),
    };
    updateComponentRow(ctx.db, componentId, fields, ctx.now);
    if (patch.tags !== undefined) replaceComponentTags(ctx.db, componentId, patch.tags);
    if (merged.status !== before.status) recordComponentStatus(ctx.db, componentId, merged.status, ctx.now);
    const after = requireComponent(ctx.db, componentId);
    ctx.audit({ action: 'component.update', targetType: 'component', targetId: componentId, details: changedFields(before, after, AUDITED_COMPONENT_FIELDS) });
    if (after.status !== before.status) announceComponentStatus(ctx, before, after.status);
    return after;
  },
});

export const deleteComponent = defineOperation({
  name: 'component.delete',
  requires: 'components.write',
  input: z.strictObject({ id }),
  run(ctx, { id: componentId }): { id: number } {
    const before = requireComponent(ctx.db, componentId);
    deleteComponentRow(ctx.db, componentId);
    ctx.audit({ action: 'component.delete', targetType: 'component', targetId: componentId, details: { name: before.name } });
    return { id: componentId };
  },
});

// ---- groups -----------------------------------------------------------------------------------

const groupShape = { name: line(255), order: int(0, 1_000_000), collapsed: groupCollapsed, visible: groupVisibility };

/** A group with its enabled components, as Cachet shows groups (`enabled_components`). */
export interface GroupWithComponents extends GroupRow {
  readonly enabledComponents: ComponentRow[];
}

export const withEnabledComponents = (db: Db, g: GroupRow): GroupWithComponents => ({
  ...g,
  enabledComponents: componentIdsInGroup(db, g.id, true).map((componentId) => getComponent(db, componentId)!),
});

export function requireGroup(db: Db, groupId: number): GroupRow {
  const g = getGroup(db, groupId);
  if (!g) throw notFound('Component group', groupId);
  return g;
}

export const listGroupsOp = defineOperation({
  name: 'componentGroup.list',
  requires: 'components.read',
  readOnly: true,
  input: listQuery(['id', 'name', 'order'], 'order', { visible: groupVisibility.optional() }),
  run(ctx, q): Page<GroupRow> {
    const { rows, total } = listGroups(ctx.db, q, q.sort, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

export const getGroupOp = defineOperation({
  name: 'componentGroup.get',
  requires: 'components.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: groupId }) => requireGroup(ctx.db, groupId),
});

export const createGroup = defineOperation({
  name: 'componentGroup.create',
  requires: 'components.write',
  input: z.strictObject({
    name: groupShape.name,
    order: groupShape.order.default(0),
    collapsed: groupShape.collapsed.default(0),
    visible: groupShape.visible.default(1),
  }),
  run(ctx, input): GroupWithComponents {
    const groupId = insertGroup(ctx.db, input as GroupFields, ctx.now);
    ctx.audit({ action: 'componentGroup.create', targetType: 'componentGroup', targetId: groupId, details: { name: input.name, visible: input.visible } });
    return withEnabledComponents(ctx.db, requireGroup(ctx.db, groupId));
  },
});

export const updateGroup = defineOperation({
  name: 'componentGroup.update',
  requires: 'components.write',
  input: z.strictObject({
    id,
    name: groupShape.name.optional(),
    order: groupShape.order.optional(),
    collapsed: groupShape.collapsed.optional(),
    visible: groupShape.visible.optional(),
  }),
  run(ctx, { id: groupId, ...patch }): GroupWithComponents {
    const before = requireGroup(ctx.db, groupId);
    const after = applyPatch(before, patch);
    updateGroupRow(ctx.db, groupId, after, ctx.now);
    ctx.audit({ action: 'componentGroup.update', targetType: 'componentGroup', targetId: groupId, details: changedFields(before, after, ['name', 'order', 'collapsed', 'visible']) });
    return withEnabledComponents(ctx.db, requireGroup(ctx.db, groupId));
  },
});

export const deleteGroup = defineOperation({
  name: 'componentGroup.delete',
  requires: 'components.write',
  input: z.strictObject({ id }),
  run(ctx, { id: groupId }): { id: number } {
    const before = requireGroup(ctx.db, groupId);
    deleteGroupRow(ctx.db, groupId); // its components stay, ungrouped (ON DELETE SET NULL)
    ctx.audit({ action: 'componentGroup.delete', targetType: 'componentGroup', targetId: groupId, details: { name: before.name } });
    return { id: groupId };
  },
});
