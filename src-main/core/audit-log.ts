import { z } from 'zod';
import { auditTriggersPresent, getChainedAuditRow, lastEntryBefore, latestCheckpoint, pruneAudit, insertAuditReview, iterateAuditChain, latestAuditReview, maxAuditId, type ChainedAuditRow } from '../db/audit.js';
import { describeActor } from './actor.js';
import { checkpointMac, verifyChain, type ChainEntry, type ChainReport, type Checkpoint } from './audit-chain.js';
import { CairnError } from './errors.js';
import { loadSecurityPolicy } from './identity/policy.js';
import { csvCell } from './csv.js';
import { defineOperation } from './operation.js';
import { id, optionalLine } from './schemas.js';

/**
 * Working with the audit log as a record: verifying its chain (and advancing the anchor in the
 * keychain), exporting it with the chain hashes so a copy can be verified offline, and reviewing it
 * ("reviewed up to entry N"), overdue after the policy's days.
 */

const DAY = 86_400_000;

export const verifyAuditLog = defineOperation({
  name: 'audit.verify',
  requires: 'audit.read',
  input: z.strictObject({}),
  /** The walk and the anchor update happen before the verification itself is recorded. */
  async prepare(ctx): Promise<ChainReport> {
    const { auditChain } = await ctx.keys();
    const anchor = ctx.anchor ? await ctx.anchor.read() : null;
    const walked = verifyChain(iterateAuditChain(ctx.db), auditChain, anchor, latestCheckpoint(ctx.db));
    // Edits made with the triggers dropped show in the chain; the missing triggers are worth saying too.
    const report: ChainReport = auditTriggersPresent(ctx.db) || walked.problem ? walked : { ...walked, intact: false, problem: { id: 0, reason: 'the append-only triggers of the audit log were removed' } };
    if (report.intact && report.head && ctx.anchor) await ctx.anchor.write(report.head);
    return report;
  },
  run(ctx, _input, report): ChainReport {
    ctx.audit({
      action: 'audit.verify',
      outcome: report.intact ? 'ok' : 'failed',
      details: { entries: report.entries, sealed: report.sealed, legacy: report.legacy, ...(report.problem ? { problem: report.problem } : {}) },
    });
    return report;
  },
});

/** One exported entry: every stored field plus its chain hash and seal, hex-encoded. */
type ExportedEntry = Omit<ChainedAuditRow, 'hash' | 'mac'> & { readonly hash: string | null; readonly mac: string | null };

const exported = (r: ChainedAuditRow): ExportedEntry => ({ ...r, hash: r.hash?.toString('hex') ?? null, mac: r.mac?.toString('hex') ?? null });

const CSV_COLUMNS = ['id', 'at', 'actorKind', 'actorId', 'client', 'action', 'targetType', 'targetId', 'outcome', 'details', 'hash', 'mac'] as const;

export const exportAuditLog = defineOperation({
  name: 'audit.export',
  requires: 'audit.read',
  readOnly: true,
  input: z.strictObject({ format: z.enum(['jsonl', 'csv']).default('jsonl') }),
  run(ctx, { format }): string {
    const lines: string[] = format === 'csv' ? [CSV_COLUMNS.join(',')] : [];
    // After pruning, the JSON Lines export starts with the checkpoint the remaining chain follows from.
    const checkpoint = latestCheckpoint(ctx.db);
    if (checkpoint && format === 'jsonl') lines.push(JSON.stringify({ checkpoint: { prunedUpTo: checkpoint.prunedUpTo, headHash: checkpoint.headHash.toString('hex'), mac: checkpoint.mac.toString('hex') } }));
    for (const row of iterateAuditChain(ctx.db)) {
      const e = exported(row);
      lines.push(format === 'csv' ? CSV_COLUMNS.map((c) => csvCell(c === 'at' ? new Date(e.at).toISOString() : e[c])).join(',') : JSON.stringify(e));
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  },
});

const hex = z.string().regex(/^[0-9a-f]{64}$/).nullable();
const ExportLine = z.strictObject({
  id: z.number().int().positive(),
  at: z.number().int(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  client: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.string(),
  details: z.string().nullable(),
  hash: hex,
  mac: hex,
});

const CheckpointLine = z.strictObject({ checkpoint: z.strictObject({ prunedUpTo: z.number().int().positive(), headHash: z.string().regex(/^[0-9a-f]{64}$/), mac: z.string().regex(/^[0-9a-f]{64}$/) }) });

function parseExport(content: string): { entries: ChainEntry[]; checkpoint: Checkpoint | undefined } {
  let checkpoint: Checkpoint | undefined;
  const entries = content
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l, i) => {
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        throw new CairnError('invalid_input', `content: line ${i + 1} is not JSON (verify a JSON Lines export)`, 'content');
      }
      const head = i === 0 ? CheckpointLine.safeParse(json) : undefined;
      if (head?.success) {
        const c = head.data.checkpoint;
        checkpoint = { prunedUpTo: c.prunedUpTo, headHash: Buffer.from(c.headHash, 'hex'), mac: Buffer.from(c.mac, 'hex') };
        return [];
      }
      const parsed = ExportLine.safeParse(json);
      if (!parsed.success) throw new CairnError('invalid_input', `content: line ${i + 1} is not an audit entry (${parsed.error.issues[0]?.path.join('.') ?? 'shape'})`, 'content');
      const e = parsed.data;
      return [{ ...e, hash: e.hash === null ? null : Buffer.from(e.hash, 'hex'), mac: e.mac === null ? null : Buffer.from(e.mac, 'hex') } as ChainEntry];
    });
  return { entries, checkpoint };
}

/** Verifies an exported JSON Lines file against this store's seal key: the offline copy's check. */
export const verifyAuditExport = defineOperation({
  name: 'audit.verifyExport',
  requires: 'audit.read',
  readOnly: true,
  input: z.strictObject({ content: z.string().max(512 * 1024 * 1024, 'is too large') }),
  async prepare(ctx, { content }): Promise<ChainReport> {
    const { entries, checkpoint } = parseExport(content);
    const { auditChain } = await ctx.keys();
    return verifyChain(entries, auditChain, null, checkpoint);
  },
  run: (_ctx, _input, report): ChainReport => report,
});

export interface AuditReviewState {
  readonly lastReview: { readonly reviewedUpTo: number; readonly reviewer: string; readonly note: string; readonly at: number } | null;
  /** Entries written after the last review. */
  readonly unreviewed: number;
  readonly policyDays: number;
  readonly overdue: boolean;
}

export function reviewState(db: Parameters<typeof latestAuditReview>[0], now: number): AuditReviewState {
  const last = latestAuditReview(db);
  const policyDays = loadSecurityPolicy(db).auditReviewDays;
  const newest = maxAuditId(db);
  return {
    lastReview: last ? { reviewedUpTo: last.reviewedUpTo, reviewer: last.reviewerId ? `${last.reviewerKind} ${last.reviewerId}` : last.reviewerKind, note: last.note, at: last.at } : null,
    unreviewed: newest - (last?.reviewedUpTo ?? 0),
    policyDays,
    overdue: last ? now - last.at > policyDays * DAY : newest > 0,
  };
}

export const auditReviewState = defineOperation({
  name: 'audit.reviewState',
  requires: { anyOf: ['audit.read', 'audit.review'] },
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx) => reviewState(ctx.db, ctx.now),
});

export const markAuditReviewed = defineOperation({
  name: 'audit.markReviewed',
  requires: 'audit.review',
  input: z.strictObject({ upTo: id.optional(), note: optionalLine(1000).default('') }),
  run(ctx, input): AuditReviewState {
    const newest = maxAuditId(ctx.db);
    const upTo = input.upTo ?? newest;
    if (upTo > newest || !getChainedAuditRow(ctx.db, upTo)) throw new CairnError('invalid_input', `upTo: entry ${upTo} does not exist`, 'upTo');
    const previous = latestAuditReview(ctx.db)?.reviewedUpTo ?? 0;
    if (upTo <= previous) throw new CairnError('conflict', `The log is already reviewed up to entry ${previous}`);
    const who = describeActor(ctx.actor);
    insertAuditReview(ctx.db, { reviewedUpTo: upTo, reviewerKind: who.kind, reviewerId: who.id, note: input.note, at: ctx.now });
    ctx.audit({ action: 'audit.markReviewed', details: { from: previous + 1, upTo, note: input.note } });
    return reviewState(ctx.db, ctx.now);
  },
});

/**
 * Removes entries older than the retention policy, after checking the chain is intact (a tampered
 * chain is never sealed into a checkpoint), and leaves a sealed checkpoint so what remains still
 * verifies. Export first: `cairn audit export` keeps the removed entries verifiable offline.
 */
export const pruneAuditLog = defineOperation({
  name: 'audit.prune',
  requires: 'settings.manage',
  reauth: true,
  input: z.strictObject({}),
  async prepare(ctx): Promise<{ key: Buffer; report: ChainReport }> {
    const { auditChain } = await ctx.keys();
    const anchor = ctx.anchor ? await ctx.anchor.read() : null;
    return { key: auditChain, report: verifyChain(iterateAuditChain(ctx.db), auditChain, anchor, latestCheckpoint(ctx.db)) };
  },
  run(ctx, _input, { key, report }): { removed: number; prunedUpTo: number } {
    const days = loadSecurityPolicy(ctx.db).auditRetentionDays;
    if (days === 0) throw new CairnError('conflict', 'Audit retention is off (auditRetentionDays 0): every entry is kept');
    if (!report.intact) throw new CairnError('conflict', `The audit log is not intact (entry ${report.problem!.id} ${report.problem!.reason}); it is not pruned`);
    const last = lastEntryBefore(ctx.db, ctx.now - days * DAY);
    if (!last || last.hash === null) throw new CairnError('conflict', `No entry is older than ${days} days`);
    const removed = pruneAudit(ctx.db, { prunedUpTo: last.id, headHash: last.hash, mac: checkpointMac(key, last.id, last.hash), at: ctx.now });
    ctx.audit({ action: 'audit.prune', details: { removed, prunedUpTo: last.id, retentionDays: days } });
    return { removed, prunedUpTo: last.id };
  },
});

export const AUDIT_LOG_OPERATIONS = [verifyAuditLog, exportAuditLog, verifyAuditExport, auditReviewState, markAuditReviewed, pruneAuditLog] as const;
