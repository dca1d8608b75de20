import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { changePassword } from '../../src-main/core/identity/account.js';
import { breachedPasswords, checkPassword, hashPassword, verifyPassword } from '../../src-main/core/identity/passwords.js';
import { createUser } from '../../src-main/core/identity/users.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { createAccount, identityCore, setPolicy, signInAs } from '../helpers/accounts.js';
import { auditRows, contentHash } from '../helpers/store.js';

const policy = { minLength: 12, maxLength: 256 };
const ctx = { email: 'jane.doe@example.com', name: 'Jane Doe', siteName: 'Acme Status' };
const refusal = (password: string, p = policy) => {
  try {
    checkPassword(password, p, ctx);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('password policy', () => {
  it.each([
    ['too short', 'tiny gecko', 'password: must be at least 12 characters'],
    ['11 characters', 'abcdefghijk', 'password: must be at least 12 characters'],
    ['a common password', 'password1234', 'password: is in a list of passwords known from data breaches; choose another'],
    ['a common password with a year and a symbol', 'Sunshine2024!', 'password: is in a list of passwords known from data breaches; choose another'],
    ['the e-mail address', 'jane.doe@example.com!!', 'password: must not contain your e-mail address, your name or the site name'],
    ['the e-mail local part', 'quiet-jane.doe-river', 'password: must not contain your e-mail address, your name or the site name'],
    ['the name', 'orchid DOE lantern', 'password: must not contain your e-mail address, your name or the site name'],
    ['the site name', 'my acme status pass', 'password: must not contain your e-mail address, your name or the site name'],
    ['too guessable', 'aaaaaaaaaaaaaaaa', expect.stringMatching(/^password: is too easy to guess/)],
    ['a keyboard walk', 'qwertyuiopasdfgh', expect.stringMatching(/^password: is (too easy to guess|in a list)/)],
  ])('refuses %s', (_label, password, message) => {
    expect(refusal(password)).toEqual(message);
  });

  it.each([
    ['a passphrase', 'marble orchid lantern 42'],
    ['64 characters', 'correct horse battery staple and then some more words to reach 64'.slice(0, 64)],
    ['256 characters (the default maximum)', 'Zebra! quartz violin 93 '.repeat(11).slice(0, 256)],
    ['unicode', 'grüße aus köln, 北京 und zürich'],
    ['emoji', '🦊 ran over 🌉 at 🌙 twice'],
  ])('accepts %s, with a strength estimate', (_label, password) => {
    const strength = checkPassword(password, policy, ctx);
    expect(strength.score).toBeGreaterThanOrEqual(2);
  });

  it('measures length in characters, not bytes or UTF-16 units', () => {
    // Twelve emoji are 24 UTF-16 units and 48 bytes, but twelve characters.
    expect(refusal('🦊🌉🌙🎻🪁🧭🪐🦉🍄🧊🪵🐚'.slice(0, 22))).toBe('password: must be at least 12 characters');
    expect(refusal('🦊🌉🌙🎻🪁🧭🪐🦉🍄🧊🪵🐚')).not.toMatch(/at least/);
  });

  it('refuses beyond the maximum and honours a configured minimum, never below 8', () => {
    expect(refusal('Zebra! quartz violin 93 '.repeat(11).slice(0, 257))).toBe('password: must be at most 256 characters');
    expect(refusal('violin 93 qz', { minLength: 16, maxLength: 256 })).toBe('password: must be at least 16 characters');
    const w = identityCore();
    expect(() => setPolicy(w, { passwordMinLength: 7 })).toThrow(/passwordMinLength: must be at least 8/);
    expect(() => setPolicy(w, { passwordMaxLength: 63 })).toThrow(/passwordMaxLength: must be at least 64/);
  });

  it('ships a real breached-password list (tens of thousands of entries)', () => {
    const list = breachedPasswords();
    expect(list.size).toBeGreaterThan(40_000);
    for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'monkey']) expect(list.has(p)).toBe(true);
  });
});

describe('password storage', () => {
  it('hashes with argon2id, m=19 MiB, t=2, p=1, salted', async () => {
    const a = await hashPassword('marble orchid lantern 42');
    const b = await hashPassword('marble orchid lantern 42');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'marble orchid lantern 42')).toBe(true);
    expect(await verifyPassword(a, 'marble orchid lantern 43')).toBe(false);
    expect(await verifyPassword(undefined, 'anything at all')).toBe(false);
  });

  it('normalises unicode (NFKC) so the same password typed differently verifies', async () => {
    const composed = 'Zürich café lantern 42';
    const decomposed = 'Zu\u0308rich cafe\u0301 lantern 42';
    expect(composed).not.toBe(decomposed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it('applies the policy on account creation, including the site name, and changes nothing when refused', async () => {
    const w = identityCore();
    w.core.execute(updateSettings, localOperator, { siteName: 'Northwind Status' });
    const before = contentHash(w.db);
    await expect(
      w.core.executeAsync(createUser, localOperator, { email: 'a@example.com', name: 'A', roles: ['Auditor'], password: 'northwind forever 1' }),
    ).rejects.toMatchObject({ code: 'invalid_input', field: 'password', message: 'password: must not contain your e-mail address, your name or the site name' });
    expect(contentHash(w.db)).toBe(before);
  });
});

describe('changing a password', () => {
  it('needs the current password; a wrong one is refused and audited, the hash unchanged', async () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'off' });
    const account = await createAccount(w, 'jo@example.com', ['Auditor'], { twoFactor: false });
    const { actor } = await signInAs(w, account);
    const hashBefore = w.db.prepare('SELECT password_hash AS h FROM users WHERE id = ?').get(account.id);
    await expect(w.core.executeAsync(changePassword, actor, { currentPassword: 'not my password', newPassword: 'velvet harbour 77 tides' })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'currentPassword',
    });
    expect(w.db.prepare('SELECT password_hash AS h FROM users WHERE id = ?').get(account.id)).toEqual(hashBefore);
    expect(auditRows(w.db).at(-1)).toMatchObject({ action: 'account.changePassword', outcome: 'failed' });
  });

  it('enforces the policy on the new password and refuses reusing the current one', async () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'off' });
    const account = await createAccount(w, 'jo@example.com', ['Auditor'], { twoFactor: false });
    const { actor } = await signInAs(w, account);
    await expect(w.core.executeAsync(changePassword, actor, { currentPassword: account.password, newPassword: 'password1234' })).rejects.toMatchObject({ field: 'newPassword' });
    await expect(w.core.executeAsync(changePassword, actor, { currentPassword: account.password, newPassword: account.password })).rejects.toMatchObject({
      message: 'newPassword: must differ from the current password',
    });
  });

  it('works with the current password, ends the other sessions and keeps this one', async () => {
    const w = identityCore();
    setPolicy(w, { require2fa: 'off' });
    const account = await createAccount(w, 'jo@example.com', ['Auditor'], { twoFactor: false });
    const here = await signInAs(w, account);
    const elsewhere = await signInAs(w, account);
    const result = await w.core.executeAsync(changePassword, here.actor, { currentPassword: account.password, newPassword: 'velvet harbour 77 tides' });
    expect(result).toMatchObject({ changed: true, otherSessionsEnded: 1 });
    expect(w.core.authorizer.resolve(here.actor).kind).toBe('user');
    expect(w.core.authorizer.resolve(elsewhere.actor)).toEqual({ kind: 'nobody', sessionEnded: true });
    await expect(signInAs(w, account)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(signInAs(w, { ...account, password: 'velvet harbour 77 tides' })).resolves.toMatchObject({ stage: 'full' });
  });
});
