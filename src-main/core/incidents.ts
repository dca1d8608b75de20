import { z } from 'zod';
import type { Db } from '../db/connection.js';
import {
  deleteIncidentRow,
  deleteIncidentUpdateRow,
  getIncident,
  getIncidentUpdate,
  insertIncident,
  insertIncidentUpdate,
  listIncidents,
  listIncidentUpdates,
  updateIncidentRow,
  updateIncidentUpdateRow,
  type IncidentFields,
  type IncidentRow,
  type IncidentUpdateRow,
} from '../db/incidents.js';
import { changedFields } from './audit.js';
import { changeComponentStatus, componentStatus, requireComponent } from './components.js';
import { CairnError, notFound } from './errors.js';
import { renderMarkdown } from './markdown.js';
import { defineOperation, type OperationContext } from './operation.js';
import { applyPatch } from './patch.js';
import { code, flag, id, line, listQuery, markdown, resolveTime, time, type Page } from './schemas.js';
import { loadSettings } from './settings.js';
import { actorLabel, incidentApproved, incidentContentHash, twoPersonRuleApplies, updateContentHash } from './communication.js';
import { renderTemplate, requireTemplateBySlug, templateSlug, templateVars } from './templates.js';
import { recordEvent } from './notifications/events.js';

export type { IncidentRow as Incident, IncidentUpdateRow as IncidentUpdate };

/** Cachet's incident statuses. */
export const INCIDENT_STATUS = { 0: 'Scheduled', 1: 'Investigating', 2: 'Identified', 3: 'Watching', 4: 'Fixed' } as const;
export const incidentStatus = code([0, 1, 2, 3, 4] as const);
export const RESOLVED = 4;

export interface IncidentWithUpdates extends IncidentRow {
  readonly updates: IncidentUpdateRow[];
  /** True while the incident is unpublished (the author lacked incidents.publish, or chose a draft). */
  readonly draft: boolean;
  /** A draft that the two-person rule keeps from publication until someone else approves it. */
  readonly needsApproval: boolean;
}

export const withUpdates = (db: Db, incident: IncidentRow): IncidentWithUpdates => ({
  ...incident,
  draft: incident.publishedAt === null,
  needsApproval: incident.publishedAt === null && twoPersonRuleApplies(db, incident) && !incidentApproved(db, incident),
  updates: listIncidentUpdates(db, incident.id),
});

export function requireIncident(db: Db, incidentId: number): IncidentRow {
  const incident = getIncident(db, incidentId);
  if (!incident) throw notFound('Incident', incidentId);
  return incident;
}

/**
 * Controlled communication: anything already public (a published incident, its updates) is
 * changed only by someone who may publish. Authors without incidents.publish work on drafts.
 */
function requirePublishRightFor(ctx: OperationContext, incident: IncidentRow): void {
  if (incident.publishedAt !== null && !ctx.can('incidents.publish')) {
    throw new CairnError('forbidden', 'This incident is public: changing it needs the incidents.publish permission');
  }
}

/** Under the two-person rule a draft is published only once someone other than its writers approved it as it is. */
export function requireApprovalIfRuled(db: Db, incident: IncidentRow): void {
  if (twoPersonRuleApplies(db, incident) && !incidentApproved(db, incident)) {
    throw new CairnError('conflict', `Incident ${incident.id} needs approval by a second person with incidents.approve before publication (two-person rule)`);
  }
}

/** A published update takes effect: the incident takes its status, and (if public) its component change. */
export function applyUpdate(ctx: OperationContext, incident: IncidentRow, update: IncidentUpdateRow): void {
  updateIncidentRow(ctx.db, incident.id, { ...incident, status: update.status }, ctx.now);
  if (incident.publishedAt === null) return;
  announceIncident(ctx, incident, update);
  if (update.componentId !== null && update.componentStatus !== null) {
    changeComponentStatus(ctx, update.componentId, update.componentStatus, `incident ${incident.id} update ${update.id}`);
  }
}

/** Tells subscribers and hooks of an incident just made public, or of an update to a public one. */
export function announceIncident(ctx: OperationContext, incident: IncidentRow, update?: IncidentUpdateRow): void {
  if (!incident.visible) return;
  const kind = update === undefined ? 'incident.published' : update.status === RESOLVED ? 'incident.resolved' : 'incident.updated';
  const text = update ?? incident;
  const payload = { title: incident.name, status: INCIDENT_STATUS[text.status as keyof typeof INCIDENT_STATUS], markdown: text.message, html: text.messageHtml, path: `/incidents/${incident.id}`, subject: { type: 'incident', id: incident.id } } as const;
  recordEvent(ctx, kind, payload, [incident.componentId, update?.componentId ?? null]);
}

function checkComponentChange(db: Db, componentId: number | null, status: number | null): void {
  if (status !== null && componentId === null) {
    throw new CairnError('invalid_input', 'componentStatus: needs a componentId', 'componentStatus');
  }
  if (componentId !== null) {
    try {
      requireComponent(db, componentId);
    } catch {
      throw new CairnError('invalid_input', `componentId: component ${componentId} does not exist`, 'componentId');
    }
  }
}

/** The message given, or the template's text with the variables put in (Cachet's `template` + `vars`). */
function messageOf(db: Db, input: { message?: string | undefined; template?: string | undefined; vars: Record<string, string | number> }): string {
  if (input.template === undefined) {
    if (input.message === undefined) throw new CairnError('invalid_input', 'message: is required (or give a template)', 'message');
    return input.message;
  }
  const message = renderTemplate(requireTemplateBySlug(db, input.template).template, input.vars);
  const parsed = markdown(20_000).safeParse(message);
  if (!parsed.success) throw new CairnError('invalid_input', `vars: the filled-in template ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 'vars');
  return parsed.data;
}

const incidentShape = {
  name: line(255),
  message: markdown(20_000),
  status: incidentStatus,
  visible: flag,
  stickied: flag,
  componentId: id.nullable(),
  componentStatus: componentStatus.nullable(),
  occurredAt: time,
};

export const listIncidentsOp = defineOperation({
  name: 'incident.list',
  requires: 'incidents.read',
  readOnly: true,
  input: listQuery(['id', 'name', 'status', 'occurredAt', 'createdAt'], 'id', {
    status: incidentStatus.optional(),
    visible: flag.optional(),
    stickied: flag.optional(),
    componentId: id.optional(),
    draft: flag.optional(),
  }),
  run(ctx, q): Page<IncidentWithUpdates> {
    const { rows, total } = listIncidents(ctx.db, q, q.sort, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows.map((r) => withUpdates(ctx.db, r)), total, page: q.page, perPage: q.perPage };
  },
});

export const getIncidentOp = defineOperation({
  name: 'incident.get',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: incidentId }) => withUpdates(ctx.db, requireIncident(ctx.db, incidentId)),
});

export const createIncident = defineOperation({
  name: 'incident.create',
  requires: 'incidents.write',
  input: z.strictObject({
    ...incidentShape,
    visible: incidentShape.visible.default(true),
    stickied: incidentShape.stickied.default(false),
    componentId: incidentShape.componentId.default(null),
    componentStatus: incidentShape.componentStatus.default(null),
    occurredAt: incidentShape.occurredAt.optional(),
    /** Required unless a template gives the message. */
    message: incidentShape.message.optional(),
    /** A template's slug: its text, with `vars` put in, becomes the message. */
    template: templateSlug.optional(),
    vars: templateVars.default({}),
    /** Ask for a draft even when allowed to publish. */
    draft: flag.default(false),
    /** Keep it a draft and publish it at this time (after approval, under the two-person rule). */
    publishAt: time.optional(),
    /** Accepted for Cachet compatibility; delivery is decided by notification settings. */
    notify: flag.optional(),
  }),
  run(ctx, input): IncidentWithUpdates {
    checkComponentChange(ctx.db, input.componentId, input.componentStatus);
    const message = messageOf(ctx.db, input);
    const timezone = loadSettings(ctx.db).timezone;
    const publishAt = input.publishAt ? resolveTime(input.publishAt, timezone) : null;
    const publish = !input.draft && publishAt === null && ctx.can('incidents.publish') && !twoPersonRuleApplies(ctx.db, input);
    const author = actorLabel(ctx.actor);
    const fields: IncidentFields = {
      name: input.name,
      message,
      messageHtml: renderMarkdown(message),
      status: input.status,
      visible: input.visible,
      stickied: input.stickied,
      componentId: input.componentId,
      componentStatus: input.componentStatus,
      occurredAt: input.occurredAt ? resolveTime(input.occurredAt, timezone) : ctx.now,
      publishedAt: publish ? ctx.now : null,
      publishAt,
      createdBy: author,
      editedBy: author,
    };
    const incidentId = insertIncident(ctx.db, fields, ctx.now);
    ctx.audit({ action: 'incident.create', targetType: 'incident', targetId: incidentId, details: { name: fields.name, status: fields.status, visible: fields.visible, draft: !publish } });
    if (publish) announceIncident(ctx, requireIncident(ctx.db, incidentId));
    if (publish && fields.componentId !== null && fields.componentStatus !== null) {
      changeComponentStatus(ctx, fields.componentId, fields.componentStatus, `incident ${incidentId}`);
    }
    return withUpdates(ctx.db, requireIncident(ctx.db, incidentId));
  },
});

export const updateIncident = defineOperation({
  name: 'incident.update',
  requires: 'incidents.write',
  input: z.strictObject({
    id,
    ...Object.fromEntries(Object.entries(incidentShape).map(([k, s]) => [k, s.optional()])),
    notify: flag.optional(),
  } as { id: typeof id; notify: z.ZodOptional<typeof flag> } & { [K in keyof typeof incidentShape]: z.ZodOptional<(typeof incidentShape)[K]> }),
  run(ctx, { id: incidentId, notify: _notify, occurredAt, ...patch }): IncidentWithUpdates {
    const before = requireIncident(ctx.db, incidentId);
    requirePublishRightFor(ctx, before);
    const merged = applyPatch(before, patch);
    checkComponentChange(ctx.db, merged.componentId, merged.componentStatus);
    const contentChanged = !incidentContentHash(merged).equals(incidentContentHash(before));
    if (contentChanged && before.publishedAt !== null && twoPersonRuleApplies(ctx.db, before)) {
      throw new CairnError('forbidden', 'This incident is public and the two-person rule is on: publish the correction as an update, for a second person to approve');
    }
    const after: IncidentFields = {
      ...merged,
      messageHtml: patch.message === undefined ? before.messageHtml : renderMarkdown(patch.message),
      occurredAt: occurredAt ? resolveTime(occurredAt, loadSettings(ctx.db).timezone) : before.occurredAt,
      editedBy: contentChanged ? actorLabel(ctx.actor) : before.editedBy,
    };
    updateIncidentRow(ctx.db, incidentId, after, ctx.now);
    const updated = requireIncident(ctx.db, incidentId);
    ctx.audit({
      action: 'incident.update',
      targetType: 'incident',
      targetId: incidentId,
      details: changedFields(before, updated, ['name', 'message', 'status', 'visible', 'stickied', 'componentId', 'componentStatus', 'occurredAt']),
    });
    if (updated.publishedAt !== null && patch.componentStatus != null && updated.componentId !== null) {
      changeComponentStatus(ctx, updated.componentId, patch.componentStatus, `incident ${incidentId}`);
    }
    return withUpdates(ctx.db, updated);
  },
});

export const publishIncident = defineOperation({
  name: 'incident.publish',
  requires: 'incidents.publish',
  input: z.strictObject({ id }),
  run(ctx, { id: incidentId }): IncidentWithUpdates {
    const before = requireIncident(ctx.db, incidentId);
    if (before.publishedAt !== null) throw new CairnError('conflict', `Incident ${incidentId} is already published`);
    requireApprovalIfRuled(ctx.db, before);
    updateIncidentRow(ctx.db, incidentId, { ...before, publishedAt: ctx.now, publishAt: null }, ctx.now);
    ctx.audit({ action: 'incident.publish', targetType: 'incident', targetId: incidentId, details: { name: before.name, visible: before.visible } });
    announceIncident(ctx, before);
    if (before.componentId !== null && before.componentStatus !== null) {
      changeComponentStatus(ctx, before.componentId, before.componentStatus, `incident ${incidentId}`);
    }
    return withUpdates(ctx.db, requireIncident(ctx.db, incidentId));
  },
});

export const deleteIncident = defineOperation({
  name: 'incident.delete',
  requires: 'incidents.write',
  input: z.strictObject({ id }),
  run(ctx, { id: incidentId }): { id: number } {
    const before = requireIncident(ctx.db, incidentId);
    requirePublishRightFor(ctx, before);
    deleteIncidentRow(ctx.db, incidentId);
    ctx.audit({ action: 'incident.delete', targetType: 'incident', targetId: incidentId, details: { name: before.name, wasPublished: before.publishedAt !== null } });
    return { id: incidentId };
  },
});

// ---- updates ----------------------------------------------------------------------------------

const updateShape = { status: incidentStatus, message: markdown(20_000).refine((m) => m.trim() !== '', 'must not be empty'), componentId: id.nullable(), componentStatus: componentStatus.nullable() };

export const listIncidentUpdatesOp = defineOperation({
  name: 'incidentUpdate.list',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({ incidentId: id }),
  run(ctx, { incidentId }): IncidentUpdateRow[] {
    requireIncident(ctx.db, incidentId);
    return listIncidentUpdates(ctx.db, incidentId);
  },
});

export const getIncidentUpdateOp = defineOperation({
  name: 'incidentUpdate.get',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({ incidentId: id, id }),
  run(ctx, { incidentId, id: updateId }): IncidentUpdateRow {
    const update = getIncidentUpdate(ctx.db, incidentId, updateId);
    if (!update) throw notFound('Incident update', updateId);
    return update;
  },
});

/**
 * Adds an update to the timeline. The incident takes the update's status; a component status
 * change in the update takes effect when the incident is public.
 */
export const createIncidentUpdate = defineOperation({
  name: 'incidentUpdate.create',
  requires: 'incidents.write',
  input: z.strictObject({
    incidentId: id,
    ...updateShape,
    componentId: updateShape.componentId.default(null),
    componentStatus: updateShape.componentStatus.default(null),
  }),
  run(ctx, input): IncidentUpdateRow {
    const incident = requireIncident(ctx.db, input.incidentId);
    requirePublishRightFor(ctx, incident);
    checkComponentChange(ctx.db, input.componentId, input.componentStatus);
    // On a public incident under the two-person rule, the update waits for a second person.
    const pending = incident.publishedAt !== null && twoPersonRuleApplies(ctx.db, incident);
    const updateId = insertIncidentUpdate(ctx.db, { ...input, messageHtml: renderMarkdown(input.message), publishedAt: pending ? null : ctx.now, createdBy: actorLabel(ctx.actor) }, ctx.now);
    ctx.audit({ action: 'incidentUpdate.create', targetType: 'incident', targetId: incident.id, details: { updateId, status: [incident.status, input.status], ...(pending ? { pendingApproval: true } : {}) } });
    const update = getIncidentUpdate(ctx.db, incident.id, updateId)!;
    if (!pending) applyUpdate(ctx, incident, update);
    return update;
  },
});

export const updateIncidentUpdate = defineOperation({
  name: 'incidentUpdate.update',
  requires: 'incidents.write',
  input: z.strictObject({
    incidentId: id,
    id,
    status: updateShape.status.optional(),
    message: updateShape.message.optional(),
    componentId: updateShape.componentId.optional(),
    componentStatus: updateShape.componentStatus.optional(),
  }),
  run(ctx, { incidentId, id: updateId, ...patch }): IncidentUpdateRow {
    const incident = requireIncident(ctx.db, incidentId);
    requirePublishRightFor(ctx, incident);
    const before = getIncidentUpdate(ctx.db, incidentId, updateId);
    if (!before) throw notFound('Incident update', updateId);
    const merged = applyPatch(before, patch);
    checkComponentChange(ctx.db, merged.componentId, merged.componentStatus);
    const contentChanged = !updateContentHash(merged).equals(updateContentHash(before));
    if (contentChanged && before.publishedAt !== null && incident.publishedAt !== null && twoPersonRuleApplies(ctx.db, incident)) {
      throw new CairnError('forbidden', 'This update is public and the two-person rule is on: publish the correction as a new update');
    }
    const editor = contentChanged ? actorLabel(ctx.actor) : before.createdBy;
    updateIncidentUpdateRow(ctx.db, updateId, { ...merged, createdBy: editor, messageHtml: patch.message === undefined ? before.messageHtml : renderMarkdown(patch.message) }, ctx.now);
    const after = getIncidentUpdate(ctx.db, incidentId, updateId)!;
    ctx.audit({ action: 'incidentUpdate.update', targetType: 'incident', targetId: incidentId, details: { updateId, ...changedFields(before, after, ['status', 'message', 'componentId', 'componentStatus']) } });
    return after;
  },
});

export const deleteIncidentUpdate = defineOperation({
  name: 'incidentUpdate.delete',
  requires: 'incidents.write',
  input: z.strictObject({ incidentId: id, id }),
  run(ctx, { incidentId, id: updateId }): { id: number } {
    const incident = requireIncident(ctx.db, incidentId);
    requirePublishRightFor(ctx, incident);
    const before = getIncidentUpdate(ctx.db, incidentId, updateId);
    if (!before) throw notFound('Incident update', updateId);
    deleteIncidentUpdateRow(ctx.db, updateId);
    ctx.audit({ action: 'incidentUpdate.delete', targetType: 'incident', targetId: incidentId, details: { updateId, message: before.message } });
    return { id: updateId };
  },
});

/** A message as the public page will show it: the same renderer and sanitizer, for the composer's live preview. */
export const previewMessage = defineOperation({
  name: 'incident.previewMessage',
  requires: 'incidents.write',
  readOnly: true,
  input: z.strictObject({ markdown: markdown(20_000) }),
  run: (_ctx, input): { html: string } => ({ html: renderMarkdown(input.markdown) }),
});
