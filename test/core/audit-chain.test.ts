import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { chainHash } from '../../src-main/core/audit-chain.js';
import { listAuditEntries } from '../../src-main/core/audit.js';
import { auditReviewState, exportAuditLog, markAuditReviewed, pruneAuditLog, verifyAuditExport, verifyAuditLog } from '../../src-main/core/audit-log.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { updateComponent } from '../../src-main/core/components.js';
import { createRole } from '../../src-main/core/identity/roles.js';
import { identityCore, type IdentityWorld } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';
import { aComponent } from '../helpers/world.js';

/**
 * The audit log's tamper evidence against someone with write access to the database file: every
 * way of changing the record behind the application's back is detected and names the entry.
 */

const DAY = 86_400_000;

/** A store with six sealed entries, its chain key in the real keychain. */
async function logged(): Promise<IdentityWorld> {
  const w = identityCore();
  expect(await w.core.loadAuditKey()).toBe(true);
  const c = aComponent(w.core, { name: 'API' });
  for (const status of [2, 3, 4, 1]) w.core.execute(updateComponent, localOperator, { id: c.id, status });
  w.core.execute(createRole, localOperator, { name: 'Observers', permissions: ['metrics.read'] });
  return w;
}

const verify = (w: IdentityWorld) => w.core.executeAsync(verifyAuditLog, localOperator, {});
const dropTriggers = (w: IdentityWorld) => w.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
const entryCount = (w: IdentityWorld) => (w.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

/** Rewrites every hash from the first entry on, as an attacker who knows the scheme but not the key would. */
function rechain(w: IdentityWorld, options: { dropMacs: boolean }) {
  const rows = w.db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Record<string, unknown>[];
  let previous: Buffer | undefined;
  for (const r of rows) {
    const entry = { at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, client: r.client, action: r.action, targetType: r.target_type, targetId: r.target_id, outcome: r.outcome, details: r.details } as never;
    previous = chainHash(previous, entry);
    w.db.prepare(`UPDATE audit_log SET hash = ?${options.dropMacs ? ', mac = NULL' : ''} WHERE id = ?`).run(previous, r.id);
  }
}

describe('an untouched log', () => {
  it('verifies: every entry chained and sealed; the verification is itself recorded and sets the anchor', async () => {
    const w = await logged();
    const report = await verify(w);
    expect(report).toMatchObject({ intact: true, entries: 6, sealed: 6, legacy: 0, problem: null, head: { id: 6 } });
    const again = await verify(w);
    expect(again).toMatchObject({ intact: true, entries: 7, sealed: 7 });
    expect((w.db.prepare('SELECT action, outcome FROM audit_log ORDER BY id DESC LIMIT 1').get() as object)).toEqual({ action: 'audit.verify', outcome: 'ok' });
  });
});

describe('tampering behind the application', () => {
  it('an edited entry (triggers dropped) is named', async () => {
    const w = await logged();
    dropTriggers(w);
    w.db.prepare("UPDATE audit_log SET details = '{\"status\":[3,1]}' WHERE id = 3").run();
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 3, reason: expect.stringMatching(/^does not follow from the entry before it/) } });
  });

  it('a deleted entry is found at the next one', async () => {
    const w = await logged();
    dropTriggers(w);
    w.db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 4 } });
  });

  it('an inserted entry, chained correctly but without the key, is unsealed; with a made-up seal, it does not match', async () => {
    const w = await logged();
    const last = w.db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: Buffer };
    const forged = { at: w.clock.now(), actorKind: 'local', actorId: null, client: 'cli', action: 'user.create', targetType: 'user', targetId: '99', outcome: 'ok' as const, details: null };
    const insert = w.db.prepare('INSERT INTO audit_log (at, actor_kind, actor_id, client, action, target_type, target_id, outcome, details, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(forged.at, forged.actorKind, forged.actorId, forged.client, forged.action, forged.targetType, forged.targetId, forged.outcome, forged.details, chainHash(last.hash, forged), null);
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 7, reason: expect.stringMatching(/^is not sealed/) } });

    const v = await logged();
    const head = v.db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: Buffer };
    v.db
      .prepare('INSERT INTO audit_log (at, actor_kind, actor_id, client, action, target_type, target_id, outcome, details, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(forged.at, forged.actorKind, forged.actorId, forged.client, forged.action, forged.targetType, forged.targetId, forged.outcome, forged.details, chainHash(head.hash, forged), Buffer.alloc(32, 7));
    expect(await verify(v)).toMatchObject({ intact: false, problem: { id: 7, reason: 'has a seal that does not match: the chain was rewritten' } });
  });

  it('reordered entries are found where the order changes', async () => {
    const w = await logged();
    dropTriggers(w);
    const [two, three] = [2, 3].map((id) => w.db.prepare('SELECT details FROM audit_log WHERE id = ?').get(id) as { details: string });
    w.db.prepare('UPDATE audit_log SET details = ? WHERE id = 2').run(three!.details);
    w.db.prepare('UPDATE audit_log SET details = ? WHERE id = 3').run(two!.details);
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 2 } });
  });

  it('a truncated tail is found against the anchor kept in the keychain', async () => {
    const w = await logged();
    expect((await verify(w)).intact).toBe(true); // anchor: entry 6
    dropTriggers(w);
    w.db.prepare('DELETE FROM audit_log WHERE id >= 5').run();
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 6, reason: 'is missing, though it was verified before: the log was truncated' } });
  });

  it('a rewritten chain cannot carry its seals, and cannot drop them unnoticed', async () => {
    const w = await logged();
    dropTriggers(w);
    w.db.prepare("UPDATE audit_log SET actor_kind = 'system' WHERE id = 2").run();
    rechain(w, { dropMacs: false });
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 2, reason: 'has a seal that does not match: the chain was rewritten' } });
    rechain(w, { dropMacs: true });
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 1, reason: expect.stringMatching(/^is not sealed/) } });
  });

  it('dropped triggers are reported even when no entry was touched', async () => {
    const w = await logged();
    dropTriggers(w);
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 0, reason: 'the append-only triggers of the audit log were removed' } });
  });
});

describe('export', () => {
  it('as JSON Lines with hashes and seals, which verify offline; an edited copy does not', async () => {
    const w = await logged();
    const jsonl = w.core.execute(exportAuditLog, localOperator, { format: 'jsonl' });
    const lines = jsonl.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: 1, action: 'component.create', hash: expect.stringMatching(/^[0-9a-f]{64}$/), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await w.core.executeAsync(verifyAuditExport, localOperator, { content: jsonl })).toMatchObject({ intact: true, entries: 6, sealed: 6 });
    const edited = jsonl.replace('"action":"role.create"', '"action":"role.delete"');
    expect(await w.core.executeAsync(verifyAuditExport, localOperator, { content: edited })).toMatchObject({ intact: false, problem: { id: 6 } });
    const dropped = lines.filter((_, i) => i !== 2).join('\n');
    expect(await w.core.executeAsync(verifyAuditExport, localOperator, { content: dropped })).toMatchObject({ intact: false, problem: { id: 4 } });
    await expect(w.core.executeAsync(verifyAuditExport, localOperator, { content: 'id,at\n1,2' })).rejects.toMatchObject({ code: 'invalid_input', message: 'content: line 1 is not JSON (verify a JSON Lines export)' });
  });

  it('as CSV for spreadsheets, with cells that would run as formulas defused', async () => {
    const w = await logged();
    w.core.execute(createRole, localOperator, { name: '=HYPERLINK("http://evil.example")', permissions: ['metrics.read'] });
    const csv = w.core.execute(exportAuditLog, localOperator, { format: 'csv' });
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe('id,at,actorKind,actorId,client,action,targetType,targetId,outcome,details,hash,mac');
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatch(/^1,\d{4}-\d{2}-\d{2}T[\d:.]+Z,local,,cli,component\.create,component,1,ok,"\{""name"":""API"",""status"":1\}",[0-9a-f]{64},[0-9a-f]{64}$/);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('review', () => {
  it('is recorded as "reviewed up to entry N", overdue after the policy days, never backwards', async () => {
    const w = await logged();
    expect(w.core.execute(auditReviewState, localOperator, {})).toMatchObject({ lastReview: null, unreviewed: 6, policyDays: 7, overdue: true });
    const state = w.core.execute(markAuditReviewed, localOperator, { note: 'Weekly: nothing unusual' });
    expect(state).toMatchObject({ lastReview: { reviewedUpTo: 6, reviewer: 'local', note: 'Weekly: nothing unusual' }, unreviewed: 1, overdue: false });
    const before = contentHash(w.db);
    expect(() => w.core.execute(markAuditReviewed, localOperator, { upTo: 3 })).toThrow(expect.objectContaining({ code: 'conflict', message: 'The log is already reviewed up to entry 6' }));
    expect(() => w.core.execute(markAuditReviewed, localOperator, { upTo: 999 })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'upTo' }));
    expect(contentHash(w.db)).toBe(before);
    w.clock.advance(8 * DAY);
    expect(w.core.execute(auditReviewState, localOperator, {})).toMatchObject({ overdue: true });
  });

  it('saved filters pick out role changes, key events and failed sign-ins', async () => {
    const w = await logged();
    const actions = (preset: string) => w.core.execute(listAuditEntries, localOperator, { preset }).items.map((e) => e.action);
    expect(actions('role-changes')).toEqual(['role.create']);
    expect(actions('api-key-events')).toEqual([]);
    expect(actions('failed-sign-ins')).toEqual([]);
    expect(entryCount(w)).toBe(6);
    expect(() => w.core.execute(listAuditEntries, localOperator, { preset: 'everything' })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'preset' }));
  });
});

describe('retention', () => {
  async function aged() {
    const w = await logged(); // entries 1–6
    w.clock.advance(40 * DAY);
    w.core.execute(updateSecurityPolicy, localOperator, { auditRetentionDays: 30 }); // entry 7
    return w;
  }

  it('is off by default; pruning then removes only entries past it, and the rest still verifies from the sealed checkpoint', async () => {
    const w = await logged();
    await expect(w.core.executeAsync(pruneAuditLog, localOperator, {})).rejects.toMatchObject({ code: 'conflict', message: 'Audit retention is off (auditRetentionDays 0): every entry is kept' });
    const v = await aged();
    expect(await v.core.executeAsync(pruneAuditLog, localOperator, {})).toEqual({ removed: 6, prunedUpTo: 6 });
    expect((v.db.prepare('SELECT min(id) AS first FROM audit_log').get() as { first: number }).first).toBe(7);
    expect(await verify(v)).toMatchObject({ intact: true, entries: 2, sealed: 2 });
    // The export carries the checkpoint, so it verifies offline too.
    const jsonl = v.core.execute(exportAuditLog, localOperator, { format: 'jsonl' });
    expect(JSON.parse(jsonl.split('\n')[0]!)).toMatchObject({ checkpoint: { prunedUpTo: 6 } });
    expect(await v.core.executeAsync(verifyAuditExport, localOperator, { content: jsonl })).toMatchObject({ intact: true });
  });

  it('cannot be imitated: deleting the oldest entries without the app, or forging a checkpoint, is detected', async () => {
    const w = await aged();
    await w.core.executeAsync(pruneAuditLog, localOperator, {});
    w.db.exec('INSERT INTO audit_pruning (id) VALUES (1); DELETE FROM audit_log WHERE id = 7; DELETE FROM audit_pruning;');
    expect(await verify(w)).toMatchObject({ intact: false, problem: { id: 8 } });

    const v = await aged();
    v.db.exec('INSERT INTO audit_pruning (id) VALUES (1); DELETE FROM audit_log WHERE id <= 3; DELETE FROM audit_pruning;');
    const third = Buffer.alloc(32, 1);
    v.db.prepare('INSERT INTO audit_checkpoints (pruned_upto, head_hash, mac, at) VALUES (3, ?, ?, 0)').run(third, Buffer.alloc(32, 2));
    expect(await verify(v)).toMatchObject({ intact: false, problem: { id: 3, reason: 'is the pruning checkpoint, and its seal does not match' } });
  });

  it('refuses to prune a tampered log (it would seal the tampering into the checkpoint)', async () => {
    const w = await aged();
    w.db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'x' WHERE id = 2;");
    const before = contentHash(w.db);
    await expect(w.core.executeAsync(pruneAuditLog, localOperator, {})).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^The audit log is not intact \(entry 2 /) });
    expect(contentHash(w.db)).toBe(before);
  });
});
