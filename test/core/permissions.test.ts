import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src-main/core/errors.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { PERMISSIONS, PUBLIC, type Permission } from '../../src-main/core/permissions.js';
import { anonymous } from '../../src-main/core/actor.js';
import { auditRows, contentHash, testCore, user } from '../helpers/store.js';
import { aWorld, validInputs } from '../helpers/world.js';

const ops = [...OPERATIONS.values()];
const guarded = ops.filter((op) => op.requires !== PUBLIC);

describe('operation registry', () => {
  it('declares exactly one known permission (or public) on every operation, with unique names', () => {
    expect(new Set(ops.map((op) => op.name)).size).toBe(ops.length);
    for (const op of ops) expect([...PERMISSIONS, PUBLIC]).toContain(op.requires);
    expect(ops.filter((op) => op.requires === PUBLIC).map((op) => op.name)).toEqual(['public.status']);
  });

  it('has a valid sample input for every operation (so the tables below cover them all)', () => {
    const { core } = testCore();
    expect(Object.keys(validInputs(aWorld(core))).sort()).toEqual(ops.map((op) => op.name).sort());
  });
});

describe.each(guarded.map((op) => [op.name, op] as const))('%s', (name, op) => {
  const required = op.requires as Permission;
  const allOthers = PERMISSIONS.filter((p) => p !== required);

  it(`is refused without ${required}, writes only a "denied" audit entry, and changes nothing else`, () => {
    const { core, db } = testCore({ 7: allOthers });
    const input = validInputs(aWorld(core))[name];
    const before = contentHash(db, ['audit_log']);
    const auditBefore = auditRows(db).length;
    let error: unknown;
    try {
      core.execute(op, user(7), input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('forbidden');
    expect((error as CairnError).message).toContain(required);
    expect(contentHash(db, ['audit_log'])).toBe(before);
    const added = auditRows(db).slice(auditBefore);
    expect(added).toMatchObject([{ action: name, outcome: 'denied', actor_kind: 'user', actor_id: '7' }]);
  });

  it('is refused to an anonymous caller as unauthenticated, without an audit entry', () => {
    const { core, db } = testCore();
    const input = validInputs(aWorld(core))[name];
    const before = contentHash(db);
    expect(() => core.execute(op, anonymous({ kind: 'api', ip: '127.0.0.1' }), input)).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
    expect(contentHash(db)).toBe(before);
  });

  it(`is allowed with ${required}${name === 'incident.publish' ? '' : ' alone'}`, () => {
    const { core, db } = testCore({ 7: [required] });
    const input = validInputs(aWorld(core))[name];
    const auditBefore = auditRows(db).length;
    expect(() => core.execute(op, user(7), input)).not.toThrow();
    const added = auditRows(db).slice(auditBefore);
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
