import { z } from 'zod';
import { dueDraftIds, getIncidentUpdate, insertApproval, updateIncidentRow, updateIncidentUpdateRow } from '../db/incidents.js';
import { changeComponentStatus } from './components.js';
import { actorLabel, incidentApproved, incidentContentHash, twoPersonRuleApplies, updateContentHash } from './communication.js';
import { CairnError, notFound } from './errors.js';
import { announceIncident, applyUpdate, requireIncident, withUpdates, type IncidentWithUpdates } from './incidents.js';
import { defineOperation } from './operation.js';
import { id } from './schemas.js';

/**
 * The second person of the two-person rule: they see exactly what the public would see (the
 * sanitized HTML) and what changed, approve it — never their own writing — and the approval binds
 * to that content: any later change needs a new approval. Scheduled drafts are published when due.
 */

export interface LineChange {
  readonly op: 'same' | 'added' | 'removed';
  readonly line: string;
}

/** A line diff (longest common subsequence), small inputs only: incident messages. */
export function lineDiff(before: string, after: string): LineChange[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: 'same', line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ op: 'removed', line: a[i++]! });
    else out.push({ op: 'added', line: b[j++]! });
  }
  return out;
}

export interface PendingReview {
  readonly incident: { readonly id: number; readonly name: string; readonly status: number; readonly messageHtml: string; readonly published: boolean; readonly needsApproval: boolean };
  /** Updates waiting for approval, each with its public rendering and its change from the last public update. */
  readonly pendingUpdates: { readonly id: number; readonly status: number; readonly messageHtml: string; readonly diff: LineChange[] }[];
}

export const reviewIncident = defineOperation({
  name: 'incident.review',
  requires: 'incidents.approve',
  readOnly: true,
  input: z.strictObject({ id }),
  run(ctx, { id: incidentId }): PendingReview {
    const i = withUpdates(ctx.db, requireIncident(ctx.db, incidentId));
    const published = i.updates.filter((u) => u.publishedAt !== null);
    const lastPublic = published.at(-1)?.message ?? (i.publishedAt !== null ? i.message : '');
    return {
      incident: { id: i.id, name: i.name, status: i.status, messageHtml: i.messageHtml, published: i.publishedAt !== null, needsApproval: i.needsApproval },
      pendingUpdates: i.updates.filter((u) => u.publishedAt === null).map((u) => ({ id: u.id, status: u.status, messageHtml: u.messageHtml, diff: lineDiff(lastPublic, u.message) })),
    };
  },
});

const notYours = (writers: (string | null)[], approver: string, what: string): void => {
  if (writers.includes(approver)) throw new CairnError('forbidden', `You wrote or changed this ${what}; a second person must approve it (two-person rule)`);
};

export const approveIncident = defineOperation({
  name: 'incident.approve',
  requires: 'incidents.approve',
  input: z.strictObject({ id }),
  run(ctx, { id: incidentId }): IncidentWithUpdates {
    const incident = requireIncident(ctx.db, incidentId);
    if (incident.publishedAt !== null) throw new CairnError('conflict', `Incident ${incidentId} is already public; approve its pending updates instead`);
    const approver = actorLabel(ctx.actor);
    notYours([incident.createdBy, incident.editedBy], approver, 'incident');
    insertApproval(ctx.db, { incidentId, updateId: null, contentHash: incidentContentHash(incident), approver }, ctx.now);
    ctx.audit({ action: 'incident.approve', targetType: 'incident', targetId: incidentId, details: { name: incident.name, writtenBy: incident.editedBy } });
    return withUpdates(ctx.db, incident);
  },
});

/** Approving a waiting update publishes it: its author asked for publication when they wrote it. */
export const approveIncidentUpdate = defineOperation({
  name: 'incidentUpdate.approve',
  requires: 'incidents.approve',
  input: z.strictObject({ incidentId: id, id }),
  run(ctx, { incidentId, id: updateId }): IncidentWithUpdates {
    const incident = requireIncident(ctx.db, incidentId);
    const update = getIncidentUpdate(ctx.db, incidentId, updateId);
    if (!update) throw notFound('Incident update', updateId);
    if (update.publishedAt !== null) throw new CairnError('conflict', `Update ${updateId} is already public`);
    const approver = actorLabel(ctx.actor);
    notYours([update.createdBy], approver, 'update');
    insertApproval(ctx.db, { incidentId, updateId, contentHash: updateContentHash(update), approver }, ctx.now);
    updateIncidentUpdateRow(ctx.db, updateId, { ...update, publishedAt: ctx.now }, ctx.now);
    ctx.audit({ action: 'incidentUpdate.approve', targetType: 'incident', targetId: incidentId, details: { updateId, writtenBy: update.createdBy } });
    applyUpdate(ctx, incident, getIncidentUpdate(ctx.db, incidentId, updateId)!);
    return withUpdates(ctx.db, requireIncident(ctx.db, incidentId));
  },
});

/** Scheduled drafts whose time has come: those that may be published now, and those the two-person rule holds. */
function dueDrafts(db: Parameters<typeof dueDraftIds>[0], now: number): { ready: number[]; waiting: number[] } {
  const ready: number[] = [];
  const waiting: number[] = [];
  for (const incidentId of dueDraftIds(db, now)) {
    const incident = requireIncident(db, incidentId);
    (twoPersonRuleApplies(db, incident) && !incidentApproved(db, incident) ? waiting : ready).push(incidentId);
  }
  return { ready, waiting };
}

export const listDueIncidents = defineOperation({
  name: 'incident.listDue',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx) => dueDrafts(ctx.db, ctx.now),
});

/**
 * Publishes the scheduled drafts that are due and may be published. The server looks with
 * `incident.listDue` every half minute and calls this only when something is ready, so an idle
 * schedule writes nothing to the audit log.
 */
export const publishDueIncidents = defineOperation({
  name: 'incident.publishDue',
  requires: 'incidents.publish',
  input: z.strictObject({}),
  run(ctx): { published: number[]; waiting: number[] } {
    const { ready, waiting } = dueDrafts(ctx.db, ctx.now);
    if (ready.length === 0) throw new CairnError('conflict', waiting.length > 0 ? `Due drafts wait for approval: ${waiting.join(', ')}` : 'No scheduled draft is due');
    for (const incidentId of ready) {
      const incident = requireIncident(ctx.db, incidentId);
      updateIncidentRow(ctx.db, incidentId, { ...incident, publishedAt: ctx.now, publishAt: null }, ctx.now);
      ctx.audit({ action: 'incident.publish', targetType: 'incident', targetId: incidentId, details: { name: incident.name, scheduled: incident.publishAt } });
      announceIncident(ctx, incident);
      if (incident.componentId !== null && incident.componentStatus !== null) changeComponentStatus(ctx, incident.componentId, incident.componentStatus, `incident ${incidentId}`);
    }
    ctx.audit({ action: 'incident.publishDue', details: { published: ready, waiting } });
    return { published: ready, waiting };
  },
});

export const APPROVAL_OPERATIONS = [reviewIncident, approveIncident, approveIncidentUpdate, listDueIncidents, publishDueIncidents] as const;
