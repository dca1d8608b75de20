import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src-main/core/errors.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { describeRequirement, PERMISSIONS, PUBLIC, SELF, type Permission, type Requirement } from '../../src-main/core/permissions.js';
import { anonymous } from '../../src-main/core/actor.js';
import { VISIBLE_READS } from '../../src-main/core/visible-reads.js';
import { auditRows, contentHash, testCore, user } from '../helpers/store.js';
import { aWorld, validInputs } from '../helpers/world.js';

const ops = [...OPERATIONS.values()];
/** Operations that need a permission; `self` ones (own account) are tested with real sessions. */
const guarded = ops.filter((op) => op.requires !== PUBLIC && op.requires !== SELF);
const needed = (r: Requirement): Permission[] => (typeof r === 'object' ? [...r.anyOf] : [r as Permission]);

/**
 * Besides its own permission, an operation that hands out access needs to hold what it hands out
 * (nobody grants what they do not hold); these are the grants the sample inputs hand out.
 */
const HANDS_OUT: Record<string, Permission[]> = { 'user.create': ['metrics.read'], 'apikey.create': ['components.write'], 'apikey.rotate': ['metrics.write'] };

describe('operation registry', () => {
  it('declares exactly one known requirement on every operation, with unique names', () => {
    expect(new Set(ops.map((op) => op.name)).size).toBe(ops.length);
    for (const op of ops) {
      for (const p of typeof op.requires === 'object' ? op.requires.anyOf : [op.requires]) expect([...PERMISSIONS, PUBLIC, SELF]).toContain(p);
    }
    expect(ops.filter((op) => op.requires === PUBLIC).map((op) => op.name)).toEqual(['site.info', 'public.logo', 'public.status', 'public.metricSeries', 'auth.signIn', ...VISIBLE_READS.map((op) => op.name), 'public.subscriptionOptions', 'public.subscribe', 'public.confirmSubscription', 'public.subscription', 'public.updateSubscription', 'public.unsubscribe', 'setup.status', 'password.assess', 'setup.firstAdministrator']);
    // Each of those answers anonymous callers with the public projection only (test/core/visible-reads.test.ts).
    expect(VISIBLE_READS.every((op) => op.name.endsWith('Visible') && op.readOnly)).toBe(true);
  });

  it('has a valid sample input for every operation that needs a permission (so the tables below cover them all)', () => {
    const { core } = testCore();
    expect(Object.keys(validInputs(aWorld(core))).sort()).toEqual(ops.filter((op) => op.requires !== SELF).map((op) => op.name).sort());
  });
});

describe.each(guarded.map((op) => [op.name, op] as const))('%s', (name, op) => {
  const required = describeRequirement(op.requires);
  const allOthers = PERMISSIONS.filter((p) => !needed(op.requires).includes(p));

  it(`is refused without ${required}, writes only a "denied" audit entry, and changes nothing else`, async () => {
    const { core, db } = testCore({ 7: allOthers });
    const input = validInputs(aWorld(core))[name];
    const before = contentHash(db, ['audit_log']);
    const auditBefore = auditRows(db).length;
    const error = await core.executeAsync(op, user(7), input).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('forbidden');
    expect((error as CairnError).message).toContain(required);
    expect(contentHash(db, ['audit_log'])).toBe(before);
    const added = auditRows(db).slice(auditBefore);
    expect(added).toMatchObject([{ action: name, outcome: 'denied', actor_kind: 'user', actor_id: '7' }]);
  });

  it('is refused to an anonymous caller as unauthenticated, without an audit entry', async () => {
    const { core, db } = testCore();
    const input = validInputs(aWorld(core))[name];
    const before = contentHash(db);
    await expect(core.executeAsync(op, anonymous({ kind: 'api', ip: '127.0.0.1' }), input)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(contentHash(db)).toBe(before);
  });

  it.each(needed(op.requires))(`is allowed with %s${HANDS_OUT[name] ? ' and what it hands out' : ' alone'}`, async (permission) => {
    const { core, db } = testCore({ 7: [permission, ...(HANDS_OUT[name] ?? [])] });
    const input = validInputs(aWorld(core))[name];
    const lastBefore = (db.prepare('SELECT max(id) AS id FROM audit_log').get() as { id: number }).id;
    await expect(core.executeAsync(op, user(7), input)).resolves.not.toThrow();
    // By id, not by count: audit.prune removes old entries.
    const added = db.prepare('SELECT action, outcome, actor_id FROM audit_log WHERE id > ? ORDER BY id').all(lastBefore) as { action: string; outcome: string; actor_id: string }[];
    if (op.readOnly) expect(added).toEqual([]);
    else expect(added.map((a) => a.action)).toContain(name);
    expect(added.every((a) => a.outcome === 'ok' && a.actor_id === '7')).toBe(true);
  });
});

describe('public operations', () => {
  it('answers anyone, including anonymous callers', () => {
    const { core } = testCore();
    const status = core.execute(OPERATIONS.get('public.status')!, anonymous({ kind: 'web', ip: '127.0.0.1' }), {});
    expect(status).toMatchObject({ siteName: 'Cairn', overall: { level: 'success' } });
  });
});

describe('grants are read at every call', () => {
  it('stops a user the moment a permission is withdrawn (no cached grant)', () => {
    const grants: Record<number, Permission[]> = { 7: ['components.write'] };
    const { core } = testCore(grants);
    const op = OPERATIONS.get('componentGroup.create')!;
    expect(() => core.execute(op, user(7), { name: 'A' })).not.toThrow();
    grants[7] = [];
    expect(() => core.execute(op, user(7), { name: 'B' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
