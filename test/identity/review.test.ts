import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createApiKey, revokeApiKey } from '../../src-main/core/identity/api-keys.js';
import { reauthenticate } from '../../src-main/core/identity/auth.js';
import { recordReview, reviewStatus } from '../../src-main/core/identity/review.js';
import { createAccount, identityCore, signInAs } from '../helpers/accounts.js';
import { auditRows, contentHash } from '../helpers/store.js';

const DAY = 86_400_000;

async function team() {
  const w = identityCore();
  const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
  const auditor = await createAccount(w, 'auditor@example.com', ['Auditor']);
  const author = await createAccount(w, 'author@example.com', ['Incident Author']);
  return { w, admin, auditor, author };
}

describe('access review status', () => {
  it('shows every account with roles, 2FA, last sign-in and activity; overdue until a first review', async () => {
    const { w, auditor } = await team();
    const { actor } = await signInAs(w, auditor);
    const status = await w.core.executeAsync(reviewStatus, actor, {});
    expect(status).toMatchObject({ intervalDays: 90, inactiveAfterDays: 90, lastReview: null, dueAt: null, overdue: true });
    expect(status.users.map((u) => [u.email, u.roles, u.twoFactor.enabled, u.lastSignInAt !== null])).toEqual([
      ['admin@example.com', ['Administrator'], true, false],
      ['auditor@example.com', ['Auditor'], true, true],
      ['author@example.com', ['Incident Author'], true, false],
    ]);
  });

  it("counts each account's live API keys (not revoked, not expired)", async () => {
    const { w, admin, auditor } = await team();
    const issue = (days: number) => w.core.executeAsync(createApiKey, localOperator, { name: 'k', scopes: ['metrics.read'], owner: admin.email, expiresInDays: days });
    await issue(1);
    const revoked = await issue(30);
    await issue(30);
    w.core.execute(revokeApiKey, localOperator, { id: revoked.id });
    w.clock.advance(DAY);
    const { actor } = await signInAs(w, auditor);
    const status = await w.core.executeAsync(reviewStatus, actor, {});
    expect(status.users.map((u) => [u.email, u.liveApiKeys])).toEqual([['admin@example.com', 1], ['auditor@example.com', 0], ['author@example.com', 0]]);
  });

  it('flags accounts unused for the configured number of days', async () => {
    const { w, admin } = await team();
    w.clock.advance(91 * DAY);
    const { actor } = await signInAs(w, admin);
    const status = await w.core.executeAsync(reviewStatus, actor, {});
    expect(status.users.filter((u) => u.inactive).map((u) => u.email)).toEqual(['auditor@example.com', 'author@example.com']);
  });

  it('is closed to those without users.manage or audit.review', async () => {
    const { w, author } = await team();
    const { actor } = await signInAs(w, author);
    await expect(w.core.executeAsync(reviewStatus, actor, {})).rejects.toMatchObject({ code: 'forbidden', message: 'This needs the users.manage or audit.review permission' });
  });
});

describe('recording a review', () => {
  it('an Auditor confirms every account; the record (who, when, what) is kept and audited, and the next one is due in 90 days', async () => {
    const { w, admin, auditor, author } = await team();
    const { actor } = await signInAs(w, auditor);
    const decisions = [admin, auditor, author].map((a) => ({ userId: a.id, decision: 'confirm' }));
    const summary = await w.core.executeAsync(recordReview, actor, { note: 'Q4 review', decisions });
    expect(summary).toMatchObject({ confirmed: 3, changed: 0, disabled: 0 });
    const status = await w.core.executeAsync(reviewStatus, actor, {});
    expect(status).toMatchObject({ overdue: false, dueAt: w.clock.now() + 90 * DAY, lastReview: { reviewer: `user ${auditor.id}`, note: 'Q4 review' } });
    expect(status.lastReview!.items.map((i) => [i.userEmail, i.decision])).toEqual([
      ['admin@example.com', 'confirmed'],
      ['auditor@example.com', 'confirmed'],
      ['author@example.com', 'confirmed'],
    ]);
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'review.record', actor_id: String(auditor.id), outcome: 'ok' });
    w.clock.advance(90 * DAY);
    expect((await w.core.executeAsync(reviewStatus, localOperator, {})).overdue).toBe(true);
  });

  it('an Auditor cannot change access in a review; nothing is recorded', async () => {
    const { w, admin, auditor, author } = await team();
    const { actor } = await signInAs(w, auditor);
    const before = contentHash(w.db, ['audit_log', 'sessions', 'users']);
    const decisions = [
      { userId: admin.id, decision: 'confirm' },
      { userId: auditor.id, decision: 'confirm' },
      { userId: author.id, decision: 'disable' },
    ];
    await expect(w.core.executeAsync(recordReview, actor, { decisions })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('users.manage') });
    expect(contentHash(w.db, ['audit_log', 'sessions', 'users'])).toBe(before);
  });

  it('an Administrator changes and disables within the review (after re-auth), each change audited too', async () => {
    const { w, admin, auditor, author } = await team();
    const { actor } = await signInAs(w, admin);
    const decisions = [
      { userId: admin.id, decision: 'confirm' },
      { userId: auditor.id, decision: 'change', roles: ['Auditor', 'Metrics Viewer'] },
      { userId: author.id, decision: 'disable' },
    ];
    w.clock.advance(6 * 60_000);
    await expect(w.core.executeAsync(recordReview, actor, { decisions })).rejects.toMatchObject({ code: 'reauth_required' });
    await w.core.executeAsync(reauthenticate, actor, { password: admin.password, code: w.nextCode(admin.secret!) });
    await expect(w.core.executeAsync(recordReview, actor, { decisions })).resolves.toMatchObject({ confirmed: 1, changed: 1, disabled: 1 });
    const last = (await w.core.executeAsync(reviewStatus, actor, {})).lastReview!;
    expect(last.items.find((i) => i.userId === auditor.id)).toMatchObject({ decision: 'changed', rolesBefore: ['Auditor'], rolesAfter: ['Auditor', 'Metrics Viewer'] });
    expect(auditRows(w.db).slice(-3).map((a) => a.action)).toEqual(['user.setRoles', 'user.disable', 'review.record']);
  });

  it('refuses an incomplete review, an unknown user, a user decided twice, and a bad decision, changing nothing', async () => {
    const { w, admin, auditor, author } = await team();
    const before = contentHash(w.db);
    const cases: [unknown, string, string][] = [
      [[{ userId: admin.id, decision: 'confirm' }], 'decisions', 'every active account needs a decision; missing auditor@example.com, author@example.com'],
      [[{ userId: 999, decision: 'confirm' }], 'decisions.0.userId', 'user 999 does not exist'],
      [
        [
          { userId: admin.id, decision: 'confirm' },
          { userId: admin.id, decision: 'confirm' },
        ],
        'decisions.1.userId',
        `user ${admin.id} is decided twice`,
      ],
      [[{ userId: auditor.id, decision: 'promote' }], 'decisions.0.decision', ''],
      [[{ userId: author.id, decision: 'change' }], 'decisions.0.roles', ''],
    ];
    for (const [decisions, field, message] of cases) {
      await expect(w.core.executeAsync(recordReview, localOperator, { decisions })).rejects.toMatchObject({ code: 'invalid_input', field, message: expect.stringContaining(message) });
    }
    expect(contentHash(w.db)).toBe(before);
  });
});
