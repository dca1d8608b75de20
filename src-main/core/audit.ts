import { z } from 'zod';
import { insertAudit, lastAuditHash, listAudit, type AuditRow, type StoredAuditEntry } from '../db/audit.js';
import { raiseAlerts } from './alerts.js';
import { chainHash, chainMac } from './audit-chain.js';
import { AUDIT_PRESETS, type AuditPreset } from './audit-presets.js';
import type { Db } from '../db/connection.js';
import { describeActor, describeClient, type Actor } from './actor.js';
import { defineOperation } from './operation.js';
import { int, line, listQuery, type Page } from './schemas.js';

/** What an operation records about its change. Never secrets: only names, ids and changed fields. */
export interface AuditDraft {
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: number | string;
  readonly details?: Record<string, unknown>;
  /** 'failed' for an attempt that was recorded but did not succeed (a wrong password). */
  readonly outcome?: 'ok' | 'failed';
}

/**
 * Appends an entry to the hash chain (see audit-chain.ts), sealed with `chainKey` when the core has
 * it. Reading the head and inserting after it is one transaction (a savepoint inside an
 * operation's own), so two writers can never fork the chain.
 */
export function writeAudit(db: Db, at: number, actor: Actor, outcome: 'ok' | 'denied' | 'failed', draft: AuditDraft, chainKey: Buffer | undefined): number {
  const who = describeActor(actor);
  const entry: StoredAuditEntry = {
    at,
    actorKind: who.kind,
    actorId: who.id,
    client: describeClient(actor.client),
    action: draft.action,
    targetType: draft.targetType ?? null,
    targetId: draft.targetId === undefined ? null : String(draft.targetId),
    outcome,
    details: draft.details === undefined ? null : JSON.stringify(draft.details),
  };
  const write = () => {
    const hash = chainHash(lastAuditHash(db), entry);
    const auditId = insertAudit(db, entry, hash, chainKey ? chainMac(chainKey, hash) : null);
    raiseAlerts(db, auditId, entry);
    return auditId;
  };
  // Inside an operation's transaction already (the usual case): no savepoint of its own needed.
  return db.inTransaction ? write() : db.transaction(write)();
}

/**
 * The fields that differ between two versions of a record, as {field: [before, after]}.
 * Callers pass only the fields worth recording.
 */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const f of fields) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) changes[f] = [before[f], after[f]];
  }
  return changes;
}

export const listAuditEntries = defineOperation({
  name: 'audit.list',
  requires: 'audit.read',
  readOnly: true,
  input: listQuery(['id'], 'id', {
    action: line(100).optional(),
    actorKind: z.enum(['user', 'apikey', 'local', 'system', 'anonymous']).optional(),
    outcome: z.enum(['ok', 'denied', 'failed']).optional(),
    since: int(0, Number.MAX_SAFE_INTEGER).optional(),
    until: int(0, Number.MAX_SAFE_INTEGER).optional(),
    /** A saved filter (AUDIT_PRESETS): a set of actions, and for some an outcome. */
    preset: z.enum(Object.keys(AUDIT_PRESETS) as [AuditPreset, ...AuditPreset[]]).optional(),
  }),
  run(ctx, q): Page<AuditRow> {
    const preset: { actions?: readonly string[]; outcome?: string } = q.preset ? AUDIT_PRESETS[q.preset] : {};
    const { rows, total } = listAudit(
      ctx.db,
      { actionPrefix: q.action, actions: preset.actions, actorKind: q.actorKind, outcome: q.outcome ?? preset.outcome, since: q.since, until: q.until },
      q.perPage,
      (q.page - 1) * q.perPage,
    );
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});
