import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { listAuditEntries } from '../../src-main/core/audit.js';
import { Core } from '../../src-main/core/core.js';
import { defineOperation } from '../../src-main/core/operation.js';
import { z } from 'zod';
import { insertGroup } from '../../src-main/db/components.js';
import { contentHash, testCore } from '../helpers/store.js';
import { aComponent, aGroup } from '../helpers/world.js';

describe('audit entries', () => {
  it('are written in the same transaction as the change: a failure after writing undoes both', () => {
    const { core, db } = testCore();
    const failing = defineOperation({
      name: 'test.failAfterWrite',
      requires: 'components.write',
      input: z.strictObject({}),
      run(ctx) {
        insertGroup(ctx.db, { name: 'half-done', order: 0, collapsed: 0, visible: 1 }, ctx.now);
        ctx.audit({ action: 'test.failAfterWrite' });
        throw new Error('disk on fire');
      },
    });
    const before = contentHash(db);
    expect(() => core.execute(failing, localOperator, {})).toThrow('disk on fire');
    expect(contentHash(db)).toBe(before);
  });

  it('are required: a write operation that records nothing is rolled back', () => {
    const { core, db } = testCore();
    const silent = defineOperation({
      name: 'test.silentWrite',
      requires: 'components.write',
      input: z.strictObject({}),
      run(ctx) {
        insertGroup(ctx.db, { name: 'unaudited', order: 0, collapsed: 0, visible: 1 }, ctx.now);
      },
    });
    const before = contentHash(db);
    expect(() => core.execute(silent, localOperator, {})).toThrow(/without an audit entry/);
    expect(contentHash(db)).toBe(before);
  });

  it('cannot be changed or deleted, even with SQL behind the application', () => {
    const { core, db } = testCore();
    aGroup(core);
    expect(() => db.prepare("UPDATE audit_log SET action = 'nothing'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('record who, what, target, client and the changed fields, and filter by action and outcome', () => {
    const { core } = testCore();
    aComponent(core, { name: 'Web' });
    const page = core.execute(listAuditEntries, localOperator, { action: 'component.' });
    expect(page.items[0]).toMatchObject({ actorKind: 'local', client: 'cli', action: 'component.create', targetType: 'component', outcome: 'ok', details: { name: 'Web', status: 1 } });
    expect(core.execute(listAuditEntries, localOperator, { outcome: 'denied' }).total).toBe(0);
  });

  it('the core refuses an operation whose body writes during a read-only call', () => {
    const { db } = testCore();
    const core = new Core({ db });
    const sneaky = defineOperation({
      name: 'test.readOnlyAudit',
      requires: 'components.read',
      readOnly: true,
      input: z.strictObject({}),
      run(ctx) {
        ctx.audit({ action: 'x' });
      },
    });
    expect(() => core.execute(sneaky, localOperator, {})).toThrow(/read-only/);
  });
});
