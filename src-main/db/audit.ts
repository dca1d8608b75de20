import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface AuditRow {
  readonly id: number;
  readonly at: number;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly client: string;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: 'ok' | 'denied' | 'failed';
  readonly details: unknown;
}

/** An entry as stored: details already serialised, so the chain hashes exactly the stored text. */
export interface StoredAuditEntry extends Omit<AuditRow, 'id' | 'details'> {
  readonly details: string | null;
}

/** A stored entry with its place in the chain. */
export interface ChainedAuditRow extends StoredAuditEntry {
  readonly id: number;
  readonly hash: Buffer | null;
  readonly mac: Buffer | null;
}

export function insertAudit(db: Db, row: StoredAuditEntry, hash: Buffer, mac: Buffer | null): number {
  const result = sql(
    db,
    `INSERT INTO audit_log (at, actor_kind, actor_id, client, action, target_type, target_id, outcome, details, hash, mac)
     VALUES (@at, @actorKind, @actorId, @client, @action, @targetType, @targetId, @outcome, @details, @hash, @mac)`,
  ).run({ ...row, hash, mac });
  return Number(result.lastInsertRowid);
}

/** The hash of the newest entry (the head of the chain), or undefined for an empty or unchained log. */
export function lastAuditHash(db: Db): Buffer | undefined {
  return (sql(db, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: Buffer | null } | undefined)?.hash ?? undefined;
}

const CHAIN_COLUMNS = `id, at, actor_kind AS actorKind, actor_id AS actorId, client, action, target_type AS targetType,
  target_id AS targetId, outcome, details, hash, mac`;

/** Every entry in id order, one at a time (the log may be large). */
export function iterateAuditChain(db: Db): IterableIterator<ChainedAuditRow> {
  return sql(db, `SELECT ${CHAIN_COLUMNS} FROM audit_log ORDER BY id`).iterate() as IterableIterator<ChainedAuditRow>;
}

export function getChainedAuditRow(db: Db, id: number): ChainedAuditRow | undefined {
  return sql(db, `SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id = ?`).get(id) as ChainedAuditRow | undefined;
}

export interface AuditReviewRow {
  readonly id: number;
  readonly reviewedUpTo: number;
  readonly reviewerKind: string;
  readonly reviewerId: string | null;
  readonly note: string;
  readonly at: number;
}

export function insertAuditReview(db: Db, r: Omit<AuditReviewRow, 'id'>): number {
  return Number(
    sql(db, 'INSERT INTO audit_reviews (reviewed_up_to, reviewer_kind, reviewer_id, note, at) VALUES (@reviewedUpTo, @reviewerKind, @reviewerId, @note, @at)').run(r).lastInsertRowid,
  );
}

export function latestAuditReview(db: Db): AuditReviewRow | undefined {
  return sql(db, 'SELECT id, reviewed_up_to AS reviewedUpTo, reviewer_kind AS reviewerKind, reviewer_id AS reviewerId, note, at FROM audit_reviews ORDER BY id DESC LIMIT 1').get() as
    | AuditReviewRow
    | undefined;
}

export function maxAuditId(db: Db): number {
  return (sql(db, 'SELECT coalesce(max(id), 0) AS n FROM audit_log').get() as { n: number }).n;
}

export interface AuditFilter {
  readonly actionPrefix?: string | undefined;
  /** Any of these actions exactly (a saved filter). */
  readonly actions?: readonly string[] | undefined;
  readonly actorKind?: string | undefined;
  readonly actorId?: string | undefined;
  readonly outcome?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

interface RawAuditRow extends Omit<AuditRow, 'details'> {
  details: string | null;
}

const AUDIT_COLUMNS = `id, at, actor_kind AS actorKind, actor_id AS actorId, client, action,
  target_type AS targetType, target_id AS targetId, outcome, details`;

// Every filter is a bound parameter; a NULL parameter switches that filter off.
const AUDIT_WHERE = `WHERE (@actionPrefix IS NULL OR substr(action, 1, length(@actionPrefix)) = @actionPrefix)
  AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions)))
  AND (@actorKind IS NULL OR actor_kind = @actorKind)
  AND (@actorId IS NULL OR actor_id = @actorId)
  AND (@outcome IS NULL OR outcome = @outcome)
  AND (@since IS NULL OR at >= @since)
  AND (@until IS NULL OR at < @until)`;

function auditParams(f: AuditFilter) {
  return {
    actionPrefix: f.actionPrefix ?? null,
    actions: f.actions === undefined ? null : JSON.stringify(f.actions),
    actorKind: f.actorKind ?? null,
    actorId: f.actorId ?? null,
    outcome: f.outcome ?? null,
    since: f.since ?? null,
    until: f.until ?? null,
  };
}

/** Newest first. */
export function listAudit(db: Db, filter: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number } {
  const params = auditParams(filter);
  const rows = sql(db, `SELECT ${AUDIT_COLUMNS} FROM audit_log ${AUDIT_WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawAuditRow[];
  const { total } = sql(db, `SELECT count(*) AS total FROM audit_log ${AUDIT_WHERE}`).get(params) as { total: number };
  return { rows: rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as unknown) })), total };
}

/** Whether the append-only triggers of the audit log are still in place. */
export function auditTriggersPresent(db: Db): boolean {
  const n = (sql(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_log_no_update', 'audit_log_no_delete')").get() as { n: number }).n;
  return n === 2;
}

export interface CheckpointRow {
  readonly prunedUpTo: number;
  readonly headHash: Buffer;
  readonly mac: Buffer;
  readonly at: number;
}

export function latestCheckpoint(db: Db): CheckpointRow | undefined {
  return sql(db, 'SELECT pruned_upto AS prunedUpTo, head_hash AS headHash, mac, at FROM audit_checkpoints ORDER BY id DESC LIMIT 1').get() as CheckpointRow | undefined;
}

/** The newest entry written before `before` (the last one a prune would remove). */
export function lastEntryBefore(db: Db, before: number): { id: number; hash: Buffer | null } | undefined {
  return sql(db, 'SELECT id, hash FROM audit_log WHERE at < ? ORDER BY id DESC LIMIT 1').get(before) as { id: number; hash: Buffer | null } | undefined;
}

/** Removes the entries up to and including `checkpoint.prunedUpTo` and records the checkpoint, in the caller's transaction. */
export function pruneAudit(db: Db, checkpoint: CheckpointRow): number {
  sql(db, 'INSERT INTO audit_pruning (id) VALUES (1)').run();
  const removed = sql(db, 'DELETE FROM audit_log WHERE id <= ?').run(checkpoint.prunedUpTo).changes;
  sql(db, 'DELETE FROM audit_pruning').run();
  sql(db, 'INSERT INTO audit_checkpoints (pruned_upto, head_hash, mac, at) VALUES (?, ?, ?, ?)').run(checkpoint.prunedUpTo, checkpoint.headHash, checkpoint.mac, checkpoint.at);
  return removed;
}
