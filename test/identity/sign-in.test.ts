import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { Core } from '../../src-main/core/core.js';
import { getAccount } from '../../src-main/core/identity/account.js';
import { lockoutDelay, signIn, signOut } from '../../src-main/core/identity/auth.js';
import { disableUserOp, endUserSessionsOp } from '../../src-main/core/identity/users.js';
import { createAccount, identityCore, setPolicy, signInAs, type IdentityWorld } from '../helpers/accounts.js';
import { auditRows, contentHash } from '../helpers/store.js';

const client = { kind: 'console' } as const;
const anon = { kind: 'anonymous', client } as const;
const MINUTE = 60_000;

const attempt = (w: IdentityWorld, email: string, password: string) =>
  w.core.executeAsync(signIn, anon, { email, password }).then(
    (r) => `signed in (${r.stage})`,
    (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
  );

async function world() {
  const w = identityCore();
  setPolicy(w, { require2fa: 'off' });
  const account = await createAccount(w, 'jo@example.com', ['Auditor'], { twoFactor: false });
  return { w, account };
}

describe('sign-in answers', () => {
  it('say the same thing for an unknown address, a wrong password and a disabled account', async () => {
    const { w, account } = await world();
    await createAccount(w, 'admin@example.com', ['Administrator'], { twoFactor: false });
    const wrong = await attempt(w, account.email, 'not the password');
    const unknown = await attempt(w, 'nobody@example.com', account.password);
    w.core.execute(disableUserOp, localOperator, { email: account.email });
    const disabled = await attempt(w, account.email, account.password);
    expect(new Set([wrong, unknown, disabled])).toEqual(new Set(['unauthenticated: The e-mail address or password is not correct']));
    expect(auditRows(w.db).filter((a) => a.action === 'auth.signIn').map((a) => [a.outcome, JSON.parse(a.details!).reason])).toEqual([
      ['failed', 'wrong password'],
      ['failed', 'unknown account'],
      ['failed', 'account disabled'],
    ]);
  });

  it('never record the password or the typed address of an unknown account in the audit log', async () => {
    const { w } = await world();
    await attempt(w, 'probe-address@example.org', 'S3cret typed by mistake');
    const log = JSON.stringify(auditRows(w.db));
    expect(log).not.toContain('S3cret typed by mistake');
    expect(log).not.toContain('probe-address');
  });

  it('refuse bad input with a clear error and change nothing', async () => {
    const { w } = await world();
    const before = contentHash(w.db);
    for (const [input, field] of [
      [{ email: 'jo@example.com' }, 'password'],
      [{ email: '', password: 'x' }, 'email'],
      [{ email: 'jo@example.com', password: 'x'.repeat(1025) }, 'password'],
      [{ email: 'jo@example.com', password: 'x', remember: true }, 'remember'],
    ] as const) {
      await expect(w.core.executeAsync(signIn, anon, input)).rejects.toMatchObject({ code: 'invalid_input', field });
    }
    expect(contentHash(w.db)).toBe(before);
  });
});

describe('lockout', () => {
  it('starts after 5 failures with 30 s, doubles each further failure, and is capped at 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 10, 20].map(lockoutDelay)).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
  });

  it('refuses even the right password while locked, and lets it in once the wait is over', async () => {
    const { w, account } = await world();
    for (let i = 0; i < 4; i++) expect(await attempt(w, account.email, 'wrong one')).toMatch(/^unauthenticated/);
    expect(await attempt(w, account.email, 'wrong one')).toMatch(/^unauthenticated/); // 5th: now locked for 30 s
    expect(await attempt(w, account.email, account.password)).toBe('rate_limited: Too many failed attempts; try again in 30 s');
    w.clock.advance(29_000);
    expect(await attempt(w, account.email, account.password)).toBe('rate_limited: Too many failed attempts; try again in 1 s');
    w.clock.advance(1_000);
    expect(await attempt(w, account.email, 'wrong again')).toMatch(/^unauthenticated/); // 6th: 60 s
    w.clock.advance(59_000);
    expect(await attempt(w, account.email, account.password)).toMatch(/^rate_limited/);
    w.clock.advance(1_000);
    expect(await attempt(w, account.email, account.password)).toBe('signed in (full)');
    // Success clears the count: the next failure is the first again.
    expect(await attempt(w, account.email, 'wrong')).toMatch(/^unauthenticated/);
    expect(await attempt(w, account.email, account.password)).toBe('signed in (full)');
  });

  it('behaves the same for an address with no account (no way to tell which exist)', async () => {
    const { w } = await world();
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await attempt(w, 'ghost@example.com', 'whatever'));
    expect(results).toEqual([...Array(5).fill('unauthenticated: The e-mail address or password is not correct'), 'rate_limited: Too many failed attempts; try again in 30 s']);
  });

  it('is keyed on the normalised address (case and spaces do not give fresh attempts)', async () => {
    const { w, account } = await world();
    for (const email of ['jo@example.com', 'JO@example.com', ' jo@EXAMPLE.com ', 'Jo@Example.Com', 'jo@example.COM']) await attempt(w, email, 'wrong');
    expect(await attempt(w, account.email, account.password)).toMatch(/^rate_limited/);
  });

  it('has a global limit on password checks across all accounts', async () => {
    const w = identityCore();
    const core = new Core({ db: w.db, clock: w.clock, signInRate: { burst: 3, perSecond: 1 } });
    const tries = [];
    for (let i = 0; i < 4; i++) tries.push(await core.executeAsync(signIn, anon, { email: `user${i}@example.com`, password: 'x' }).catch((e: { code: string }) => e.code));
    expect(tries).toEqual(['unauthenticated', 'unauthenticated', 'unauthenticated', 'rate_limited']);
    w.clock.advance(1_000);
    await expect(core.executeAsync(signIn, anon, { email: 'user9@example.com', password: 'x' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});

describe('sessions', () => {
  it('use 256-bit random tokens stored only as hashes', async () => {
    const { w, account } = await world();
    const { token } = await signInAs(w, account);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = w.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: Buffer }[];
    expect(stored.every((s) => s.token_hash.length === 32 && !s.token_hash.equals(Buffer.from(token, 'base64url')))).toBe(true);
  });

  it('end after 30 idle minutes by default, and activity keeps them alive', async () => {
    const { w, account } = await world();
    const { actor } = await signInAs(w, account);
    w.clock.advance(29 * MINUTE);
    await expect(w.core.executeAsync(getAccount, actor, {})).resolves.toMatchObject({ email: account.email });
    w.clock.advance(29 * MINUTE);
    await expect(w.core.executeAsync(getAccount, actor, {})).resolves.toBeDefined();
    w.clock.advance(30 * MINUTE + 1);
    await expect(w.core.executeAsync(getAccount, actor, {})).rejects.toMatchObject({ code: 'unauthenticated', message: 'Your session has ended; sign in again' });
  });

  it('end 12 hours after sign-in however active, and both limits are configurable', async () => {
    const { w, account } = await world();
    const { actor } = await signInAs(w, account);
    for (let i = 0; i < 12 * 3; i++) {
      w.clock.advance(20 * MINUTE);
      w.core.authorizer.resolve(actor);
    }
    expect(w.core.authorizer.resolve(actor)).toMatchObject({ kind: 'user' });
    w.clock.advance(1);
    expect(w.core.authorizer.resolve(actor)).toEqual({ kind: 'nobody', sessionEnded: true });

    setPolicy(w, { sessionIdleMinutes: 5, sessionAbsoluteHours: 1 });
    const second = await signInAs(w, account);
    w.clock.advance(5 * MINUTE + 1);
    expect(w.core.authorizer.resolve(second.actor)).toEqual({ kind: 'nobody', sessionEnded: true });
  });

  it('end on sign-out, and an administrator can end all of a user\u2019s sessions', async () => {
    const { w, account } = await world();
    const a = await signInAs(w, account);
    const b = await signInAs(w, account);
    const c = await signInAs(w, account);
    await w.core.executeAsync(signOut, a.actor, {});
    expect(w.core.actorForSession(a.token, client).kind).toBe('anonymous');
    expect(w.core.execute(endUserSessionsOp, localOperator, { email: account.email })).toEqual({ ended: 2 });
    for (const s of [b, c]) expect(w.core.authorizer.resolve(s.actor)).toEqual({ kind: 'nobody', sessionEnded: true });
  });

  it('treat an unknown or malformed token as anonymous', () => {
    const w = identityCore();
    for (const token of ['', 'x', 'a'.repeat(43), 'a'.repeat(10_000)]) expect(w.core.actorForSession(token, client).kind).toBe('anonymous');
  });
});
