import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { approversOf, type IncidentRow, type IncidentUpdateRow } from '../db/incidents.js';
import { describeActor, type Actor } from './actor.js';
import { loadSecurityPolicy } from './identity/policy.js';

/**
 * The two-person rule's building blocks. When the security policy turns it on, an incident becomes
 * public only after someone other than its writers approved exactly its current content, and an
 * update to a public incident waits until someone other than its writer approves it. Incidents
 * whose component status is in the policy's exempt list (by default 4, a major outage) skip the
 * rule, so responders are not slowed when it matters most.
 */

/** "kind:id" of an actor, as recorded on what they write and approve. */
export function actorLabel(actor: Actor): string {
  const who = describeActor(actor);
  return who.id === null ? who.kind : `${who.kind}:${who.id}`;
}

const digest = (parts: unknown[]): Buffer => createHash('sha256').update(JSON.stringify(parts), 'utf8').digest();

/** What an approval of an incident covers: everything the public would see of it. */
export const incidentContentHash = (i: IncidentRow): Buffer => digest([i.name, i.message, i.status, i.visible, i.componentId, i.componentStatus]);
export const updateContentHash = (u: IncidentUpdateRow): Buffer => digest([u.message, u.status, u.componentId, u.componentStatus]);

export function twoPersonRuleApplies(db: Db, incident: Pick<IncidentRow, 'componentStatus'>): boolean {
  const policy = loadSecurityPolicy(db);
  if (!policy.twoPersonRule) return false;
  return incident.componentStatus === null || !policy.twoPersonExemptComponentStatuses.includes(incident.componentStatus);
}

/** Whether someone other than its writers approved the incident as it is now. */
export function incidentApproved(db: Db, incident: IncidentRow): boolean {
  const writers = new Set([incident.createdBy, incident.editedBy]);
  return approversOf(db, incident.id, null, incidentContentHash(incident)).some((a) => !writers.has(a));
}
