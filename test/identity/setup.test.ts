import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { assessPassword, createFirstAdministrator, setupStatus } from '../../src-main/core/identity/setup.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { identityCore } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';

const visitor = anonymous({ kind: 'console' });
const STRONG = 'lantern orchid marble tide 42';

describe('first-run setup', () => {
  it('creates exactly one Administrator, signed in to enrol 2FA next, and is closed for good afterwards', async () => {
    const w = identityCore();
    expect(w.core.execute(setupStatus, visitor, {})).toEqual({ needed: true });
    const first = await w.core.executeAsync(createFirstAdministrator, visitor, { email: 'Ada@Example.com', name: 'Ada', password: STRONG });
    expect(first.stage).toBe('setup'); // the policy requires 2FA: enrolment comes before anything else
    expect(w.db.prepare('SELECT u.email, r.name AS role FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id').all()).toEqual([{ email: 'ada@example.com', role: 'Administrator' }]);
    expect(w.core.execute(setupStatus, visitor, {})).toEqual({ needed: false });

    // No setting reopens it (CVE-2021-39172 class: settings that reach configuration).
    w.core.execute(updateSettings, localOperator, { siteName: '${APP_SETUP} APP_INSTALLED=false', about: 'setup: true\nAPP_INSTALLED=false' });
    w.core.execute(updateSecurityPolicy, localOperator, { require2fa: 'off' });
    const before = contentHash(w.db, ['audit_log']);
    await expect(w.core.executeAsync(createFirstAdministrator, visitor, { email: 'mallory@example.com', name: 'M', password: STRONG })).rejects.toMatchObject({ code: 'conflict' });
    expect(contentHash(w.db, ['audit_log'])).toBe(before);
    expect(w.core.execute(setupStatus, visitor, {})).toEqual({ needed: false });
  });

  it('lets two racing windows make one Administrator', async () => {
    const w = identityCore();
    const results = await Promise.allSettled([
      w.core.executeAsync(createFirstAdministrator, visitor, { email: 'a@example.com', name: 'A', password: STRONG }),
      w.core.executeAsync(createFirstAdministrator, visitor, { email: 'b@example.com', name: 'B', password: `${STRONG} b` }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(w.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
  });

  it.each([
    ['a short password', { email: 'a@example.com', name: 'A', password: 'short' }, 'password'],
    ['a breached password', { email: 'a@example.com', name: 'A', password: 'password1234' }, 'password'],
    ['a password made of the name', { email: 'ada@example.com', name: 'Adalovelace', password: 'adalovelace2026!' }, 'password'],
    ['a malformed address', { email: 'not an address', name: 'A', password: STRONG }, 'email'],
    ['a name with a line break', { email: 'a@example.com', name: 'A\nB', password: STRONG }, 'name'],
  ])('refuses %s, creating nothing', async (_label, input, field) => {
    const w = identityCore();
    const before = contentHash(w.db);
    await expect(w.core.executeAsync(createFirstAdministrator, visitor, input)).rejects.toMatchObject({ code: 'invalid_input', field });
    expect(contentHash(w.db)).toBe(before);
    expect(w.core.execute(setupStatus, visitor, {})).toEqual({ needed: true });
  });

  it('tells the policy’s verdict on a password being typed, storing nothing', () => {
    const w = identityCore();
    const before = contentHash(w.db);
    expect(w.core.execute(assessPassword, visitor, { password: 'password1234' })).toMatchObject({ acceptable: false, problem: expect.stringMatching(/breaches/), strength: null, minLength: 12 });
    expect(w.core.execute(assessPassword, visitor, { password: STRONG })).toMatchObject({ acceptable: true, problem: null, strength: { score: expect.any(Number) } });
    expect(contentHash(w.db)).toBe(before);
  });
});
