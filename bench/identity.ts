/**
 * What identity costs: one password verification (argon2id, m=19 MiB, t=2, p=1) and one TOTP
 * verification (decrypt the sealed secret + RFC 6238 check), each against a baseline measured
 * in the same run, plus a whole sign-in through the core. Run: npm run bench:identity
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySync } from 'otplib';
import { localOperator } from '../src-main/core/actor.js';
import { Core } from '../src-main/core/core.js';
import { signIn } from '../src-main/core/identity/auth.js';
import { hashPassword, verifyPassword } from '../src-main/core/identity/passwords.js';
import { seal, unseal } from '../src-main/core/identity/secrets.js';
import { checkTotp, newTotpSecret } from '../src-main/core/identity/totp.js';
import { updateSecurityPolicy } from '../src-main/core/identity/policy.js';
import { createUser } from '../src-main/core/identity/users.js';
import { openDatabase } from '../src-main/db/connection.js';

async function measure(label: string, runs: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)]!;
  const p95 = times[Math.floor(runs * 0.95)]!;
  console.log(`${label.padEnd(52)} median ${fmt(median)}  p95 ${fmt(p95)}  (${runs} runs)`);
  return median;
}
const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`).padStart(9);
const ratio = (label: string, a: number, b: number) => console.log(`  → ${label}: ${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`);

const password = 'marble orchid lantern 42';
const hash = await hashPassword(password);
console.log(`node ${process.version}, ${process.arch}; argon2id parameters: ${hash.split('$')[3]}`);

const sha = await measure('baseline: one SHA-256 of the password', 2000, () => createHash('sha256').update(password).digest());
const argon = await measure('password verify (argon2id)', 40, () => verifyPassword(hash, password));
ratio('argon2id verify vs SHA-256', argon, sha);

const key = randomBytes(32);
const secret = newTotpSecret();
const sealed = seal(key, secret, 'totp:1');
const now = Date.now();
const code = (await import('otplib')).generateSync({ secret, epoch: Math.floor(now / 1000) });
const raw = await measure('baseline: otplib verifySync, plaintext secret', 2000, () => verifySync({ secret, token: code, epoch: Math.floor(now / 1000) }));
const totp = await measure('TOTP verify (AES-GCM unseal + ±1 step + replay)', 2000, () => checkTotp(unseal(key, sealed, 'totp:1'), code, 0, now));
ratio('Cairn TOTP verify vs plain otplib verify', totp, raw);

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
try {
  const db = openDatabase(dir);
  const core = new Core({ db, signInRate: { burst: 1e9, perSecond: 1e9 } });
  core.execute(updateSecurityPolicy, localOperator, { require2fa: 'off' });
  await core.executeAsync(createUser, localOperator, { email: 'bench@example.com', name: 'Bench', roles: ['Auditor'], password });
  const anon = { kind: 'anonymous', client: { kind: 'console' } } as const;
  const full = await measure('whole sign-in through the core (verify + session)', 40, () => core.executeAsync(signIn, anon, { email: 'bench@example.com', password }));
  ratio('sign-in vs bare argon2id verify', full, argon);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
