import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, EXIT } from '../../src-main/cli/run.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { cli, cliStore } from '../helpers/cli.js';
import { contentHash, tempDataDir } from '../helpers/store.js';
import { adversarialText } from './arbitraries.js';

/**
 * Property-based fuzzing of every `cairn` command (but `serve`, which runs until stopped) with
 * random and adversarial option values, unknown flags and stray arguments, run in-process against
 * a store with data in it. Invariants: the exit code is 0, 1 or 2; a failure prints exactly one
 * line with no stack trace; and a command that fails changes nothing (the audit log aside, which
 * records refusals). Options naming files get paths inside a temp folder, so the fuzzer cannot
 * write over anything else.
 */

const RUNS = Number(process.env.FUZZ_RUNS_CLI ?? 300);
const FILE_OPTIONS = new Set(['out', 'file', 'logo', 'about-file']);
const fuzzed = COMMANDS.filter((c) => c.name !== 'serve');

describe('the cairn CLI under property-based fuzzing', () => {
  it(`exits 0, 1 or 2 with a one-line message, and a failed command changes nothing (${RUNS} invocations)`, async () => {
    const dataDir = cliStore();
    expect((await cli(['seed-demo', '--data-dir', dataDir])).code).toBe(0);
    const scratch = tempDataDir();
    const db = openDatabase(dataDir);
    try {
      const invocation = fc.integer({ min: 0, max: fuzzed.length - 1 }).chain((i) => {
        const command = fuzzed[i]!;
        const flags = Object.entries(command.options).filter(([name]) => name !== 'data-dir');
        const value = (name: string, type: string) =>
          type === 'boolean'
            ? fc.constant([`--${name}`])
            : FILE_OPTIONS.has(name)
              ? fc.string({ unit: fc.constantFrom('a', 'b', '.', '-'), minLength: 1, maxLength: 8 }).map((f) => [`--${name}`, join(scratch, f)])
              : fc.oneof(adversarialText, fc.integer({ min: -5, max: 400 }).map(String), fc.constantFrom('admin@example.com', 'Administrator', 'metrics.read,metrics.write', 'true', '[4]')).map((v) => [`--${name}`, v]);
        const options = fc.subarray(flags).chain((chosen) => (chosen.length === 0 ? fc.constant([] as string[][]) : fc.tuple(...chosen.map(([name, spec]) => value(name, spec.type)))));
        const noise = fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, fc.constantFrom(['--no-such-flag'], ['stray'], ['-x'], ['--json'], ['--help'], ['--', '--data-dir', '/']));
        return fc.tuple(fc.constant(command.name), options, noise).map(([name, opts, extra]) => [...name.split(' '), ...opts.flat(), ...extra]);
      });
      await fc.assert(
        fc.asyncProperty(invocation, async (argv) => {
          const before = contentHash(db, ['audit_log', 'security_alerts']);
          const run = await cli([...argv, '--data-dir', dataDir]);
          expect([EXIT.ok, EXIT.failed, EXIT.usage], argv.join(' ')).toContain(run.code);
          expect(run.err + run.out, argv.join(' ')).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
          if (run.code !== EXIT.ok) {
            expect(run.err.trim().split('\n'), `${argv.join(' ')} → ${run.err}`).toHaveLength(1);
            expect(contentHash(db, ['audit_log', 'security_alerts']), `${argv.join(' ')} failed but changed the store`).toBe(before);
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      );
    } finally {
      db.close();
    }
  }, 180_000);
});
