import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import type { ChainReport } from '../core/audit-chain.js';
import { acknowledgeAlertOp, listAlertsOp } from '../core/alerts.js';
import { listAuditEntries } from '../core/audit.js';
import { auditReviewState, exportAuditLog, markAuditReviewed, pruneAuditLog, verifyAuditExport, verifyAuditLog } from '../core/audit-log.js';
import { AUDIT_PRESETS } from '../core/audit-presets.js';
import { CairnError } from '../core/errors.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/**
 * The audit log from a terminal: verify its chain (exit 1 naming the first bad entry), export it
 * for offline keeping, verify such an export, review it, and list entries by saved filter.
 */

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function reportText(r: ChainReport, what: string): string {
  const counts = `${r.entries} entries, ${r.sealed} sealed${r.legacy ? `, ${r.legacy} from before the chain` : ''}`;
  if (r.problem) throw new CairnError('conflict', `${what} is NOT intact: entry ${r.problem.id} ${r.problem.reason} (${counts})`);
  return `${what} is intact: ${counts}${r.head ? `; head ${r.head.id} ${r.head.hash.slice(0, 16)}…` : ''}`;
}

export const auditVerify = defineCommand({
  name: 'audit verify',
  summary: 'verify the audit log hash chain and seals (or an exported JSON Lines file); exit 1 names the first bad entry',
  usage: ['--file F         verify this export (from `cairn audit export`) instead of the live log', dataDirUsage],
  options: { ...dataDirFlag, file: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, file: z.string().min(1).max(4096).optional() }),
  async run(args, io) {
    const content = args.file === undefined ? undefined : await readFile(args.file, 'utf8');
    const report = await withCore(args['data-dir'], io.env, (core) =>
      content === undefined ? core.executeAsync(verifyAuditLog, localOperator, {}) : core.executeAsync(verifyAuditExport, localOperator, { content }),
    );
    const what = args.file === undefined ? 'The audit log' : `The export ${args.file}`;
    if (io.json && !report.intact) throw new CairnError('conflict', `${what} is NOT intact: entry ${report.problem!.id} ${report.problem!.reason}`);
    return { json: report, text: reportText(report, what) };
  },
});

export const auditExport = defineCommand({
  name: 'audit export',
  summary: 'export the audit log with its chain hashes (JSON Lines verifies offline; CSV is for spreadsheets)',
  usage: ['--format F       jsonl (default) or csv', '--out F          write to this file (mode 0600) instead of standard output', dataDirUsage],
  options: { ...dataDirFlag, format: { type: 'string' }, out: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, format: z.enum(['jsonl', 'csv']).default('jsonl'), out: z.string().min(1).max(4096).optional() }),
  async run(args, io) {
    const text = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(exportAuditLog, localOperator, { format: args.format }));
    const lines = text === '' ? 0 : text.trimEnd().split('\n').length - (args.format === 'csv' ? 1 : 0);
    if (args.out === undefined) return { json: { format: args.format, entries: lines, content: text }, text: text.trimEnd() };
    await writeFile(args.out, text, { mode: 0o600, flag: 'wx' });
    return { json: { format: args.format, entries: lines, file: args.out }, text: `Wrote ${lines} entries to ${args.out}` };
  },
});

export const auditReview = defineCommand({
  name: 'audit review',
  summary: 'record that the audit log was reviewed (up to the newest entry, or --up-to N), or show the review state',
  usage: ['--up-to N        the last entry reviewed (default: the newest)', '--note T         what the review found', '--status         only show when it was last reviewed and whether it is overdue', dataDirUsage],
  options: { ...dataDirFlag, 'up-to': { type: 'string' }, note: { type: 'string' }, status: { type: 'boolean' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, 'up-to': z.string().regex(/^\d{1,15}$/, 'must be an entry number').transform(Number).optional(), note: z.string().optional(), status: z.boolean().default(false) }),
  async run(args, io) {
    const state = await withCore(args['data-dir'], io.env, (core) =>
      args.status
        ? core.executeAsync(auditReviewState, localOperator, {})
        : core.executeAsync(markAuditReviewed, localOperator, { ...(args['up-to'] === undefined ? {} : { upTo: args['up-to'] }), ...(args.note === undefined ? {} : { note: args.note }) }),
    );
    const last = state.lastReview ? `Reviewed up to entry ${state.lastReview.reviewedUpTo} by ${state.lastReview.reviewer} at ${iso(state.lastReview.at)}` : 'Never reviewed';
    return { json: state, text: `${last}; ${state.unreviewed} entries since${state.overdue ? ` — OVERDUE (policy: every ${state.policyDays} days)` : ''}` };
  },
});

export const auditList = defineCommand({
  name: 'audit list',
  summary: 'list audit entries, newest first, optionally by saved filter',
  usage: [`--preset P       one of ${Object.keys(AUDIT_PRESETS).join(', ')}`, '--action A       actions starting with A, e.g. apikey.', '--limit N        how many (default 50, at most 100)', dataDirUsage],
  options: { ...dataDirFlag, preset: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, preset: z.string().optional(), action: z.string().optional(), limit: z.string().regex(/^\d{1,3}$/, 'must be a number').transform(Number).default(50) }),
  async run(args, io) {
    const page = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(listAuditEntries, localOperator, { perPage: args.limit, ...(args.preset === undefined ? {} : { preset: args.preset }), ...(args.action === undefined ? {} : { action: args.action }) }),
    );
    const line = (e: (typeof page.items)[number]) =>
      `${String(e.id).padStart(6)}  ${iso(e.at)}  ${e.outcome.padEnd(6)}  ${e.actorKind}${e.actorId ? ` ${e.actorId}` : ''} (${e.client})  ${e.action}${e.targetType ? ` ${e.targetType} ${e.targetId ?? ''}` : ''}  ${e.details === null ? '' : JSON.stringify(e.details)}`;
    return { json: page, text: page.items.length === 0 ? 'No entries' : page.items.map(line).join('\n') };
  },
});

export const auditPrune = defineCommand({
  name: 'audit prune',
  summary: 'remove entries older than the retention policy (auditRetentionDays), leaving a sealed checkpoint; export first',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const result = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(pruneAuditLog, localOperator, {}));
    return { json: result, text: `Removed ${result.removed} entries (up to entry ${result.prunedUpTo}); the rest verifies from the checkpoint` };
  },
});

export const alertList = defineCommand({
  name: 'alert list',
  summary: 'open security alerts (a new Administrator, 2FA turned off, a key with write scopes, failed sign-ins, a broken audit chain)',
  usage: ['--all            acknowledged ones too', dataDirUsage],
  options: { ...dataDirFlag, all: { type: 'boolean' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, all: z.boolean().default(false) }),
  async run(args, io) {
    const alerts = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(listAlertsOp, localOperator, { open: !args.all }));
    const line = (a: (typeof alerts)[number]) => `${String(a.id).padStart(5)}  ${iso(a.at)}  ${a.kind}  ${a.message}${a.acknowledgedAt ? `  (acknowledged by ${a.acknowledgedBy})` : ''}`;
    return { json: alerts, text: alerts.length === 0 ? 'No open alerts' : alerts.map(line).join('\n') };
  },
});

export const alertAck = defineCommand({
  name: 'alert ack',
  summary: 'acknowledge a security alert',
  usage: ['--id N           the alert (from `cairn alert list`)', dataDirUsage],
  options: { ...dataDirFlag, id: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, id: z.string({ error: 'is required' }) }),
  async run(args, io) {
    const alert = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(acknowledgeAlertOp, localOperator, { id: args.id }));
    return { json: alert, text: `Acknowledged alert ${alert.id} (${alert.kind})` };
  },
});

export const AUDIT_COMMANDS = [auditVerify, auditExport, auditReview, auditList, auditPrune, alertList, alertAck];
