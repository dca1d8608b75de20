#!/usr/bin/env node
// `npm run verify`: the adversarial evidence at a glance. Runs the adversarial suites (inside a
// real keychain session, like `npm test`), asks npm for advisories on the production
// dependencies, optionally runs the load benchmark (VERIFY_LOAD=1), and prints one table:
// category, cases tried, failures. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const CATEGORIES = [
  ['1 Bad input (fuzzing, every input)', ['test/fuzz/', 'test/core/bad-input.test.ts']],
  ['2 Settings and configuration attacks', ['test/core/settings-attacks.test.ts']],
  ['3 Durability (SIGKILL under writes)', ['test/durability/']],
  ['5 Secrets at rest and in transit', ['test/identity/secrets-at-rest.test.ts']],
  ['6 Headers, CSP, XSS, Host allowlist', ['test/http/csp.test.ts', 'test/http/public-xss.test.ts', 'test/http/api-attacks.test.ts']],
  ['7 Dependencies (licences)', ['test/deps/']],
];

const report = '.test-results/verify.json';
mkdirSync('.test-results', { recursive: true });
rmSync(report, { force: true });
const files = CATEGORIES.flatMap(([, f]) => f);
spawnSync('bash', ['scripts/with-keyring.sh', 'npx', 'vitest', 'run', ...files, '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`], { stdio: 'inherit' });

let results = [];
try {
  results = JSON.parse(readFileSync(report, 'utf8')).testResults;
} catch {
  process.stdout.write('the test run wrote no report\n');
}

/** Cases a test tried: the N of "(N requests)" and the like in its title, else 1. */
const casesOf = (title) => Number(/\((\d+) (?:requests|invocations|vectors|kills)\)/.exec(title)?.[1] ?? /over (\d+) kills/.exec(title)?.[1] ?? 1);

const rows = CATEGORIES.map(([name, prefixes]) => {
  const tests = results.filter((r) => prefixes.some((p) => r.name.includes(`/${p}`))).flatMap((r) => (r.assertionResults.length > 0 ? r.assertionResults : [{ status: 'failed', title: r.name }]));
  const cases = tests.reduce((n, t) => n + casesOf([...(t.ancestorTitles ?? []), t.title].join(' ')), 0);
  const failures = tests.filter((t) => t.status === 'failed').length;
  return [name, `${tests.length} tests, ${cases} cases`, failures];
});

const audit = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 60_000 });
let auditRow;
try {
  const body = JSON.parse(audit.stdout);
  if (body.error) throw new Error(body.error.summary ?? 'error');
  const v = body.metadata?.vulnerabilities ?? {};
  auditRow = ['7 Dependencies (npm audit --omit=dev)', `${body.metadata?.dependencies?.prod ?? '?'} packages`, (v.high ?? 0) + (v.critical ?? 0)];
} catch {
  auditRow = ['7 Dependencies (npm audit --omit=dev)', 'advisory service unreachable', 'not run'];
}
rows.push(auditRow);

if (process.env.VERIFY_LOAD === '1') {
  const load = spawnSync('npx', ['tsx', 'bench/load.ts'], { encoding: 'utf8' });
  process.stdout.write(load.stdout);
  const failed = (load.stdout.match(/^\s+FAIL/gm) ?? []).length;
  rows.push(['4 Load (bench/load.ts)', '60 s, 256 connections, 32 writers', failed]);
} else {
  rows.push(['4 Load (bench/load.ts)', 'VERIFY_LOAD=1 to run (60 s)', 'not run']);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));

const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => String(r[1]).length))];
const line = (a, b, c) => `${a.padEnd(width[0])}  ${String(b).padEnd(width[1])}  ${c}`;
process.stdout.write(`\n${line('category', 'tried', 'failures')}\n${line('-'.repeat(width[0]), '-'.repeat(width[1]), '--------')}\n`);
for (const [a, b, c] of rows) process.stdout.write(`${line(a, b, c)}\n`);
const failed = rows.some(([, , c]) => typeof c === 'number' && c > 0);
process.exitCode = failed || results.length === 0 ? 1 : 0;
