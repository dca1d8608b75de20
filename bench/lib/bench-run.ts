import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A benchmark's scratch folder and the processes it starts: when the benchmark exits, however it
 * exits, the processes are killed and the folder removed.
 */
export function benchWorkspace(prefix: string): { readonly work: string; readonly children: ChildProcess[] } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const children: ChildProcess[] = [];
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });
  return { work, children };
}

/** The store's keys, made up for a benchmark's store (no keychain needed). */
export const benchKeys = () => ({ totpEncryption: randomBytes(32), apiKeyPepper: randomBytes(32), auditChain: randomBytes(32), subscriberLinks: randomBytes(32) });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The p-th quantile (0..1) of `xs` (NaN if empty). */
export const pct = (xs: readonly number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!);
