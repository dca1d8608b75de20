#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then every test suite inside a real keychain session.
// It runs every step even after a failure (so one run shows all problems), exits non-zero if any
// failed, and ends with the line CI counts: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = '.test-results/vitest.json';
// `npm start` rebuilds the native modules for Electron's ABI; put them back for Node first.
const probe = spawnSync(process.execPath, ['-e', "require('better-sqlite3'); require('keytar')"], { encoding: 'utf8' });
if (probe.status !== 0 && /NODE_MODULE_VERSION/.test(probe.stderr)) {
  process.stdout.write('Native modules were built for Electron; rebuilding them for Node…\n');
  spawnSync('npm', ['run', '--silent', 'rebuild:node'], { stdio: 'inherit' });
}

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']],
  ['tests', 'bash', ['scripts/with-keyring.sh', 'npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`]],
];

mkdirSync('.test-results', { recursive: true });
rmSync(results, { force: true });
const failedSteps = [];
for (const [name, command, args] of steps) {
  process.stdout.write(`\n── ${name} ──\n`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: 'inherit' });
  const ok = run.status === 0;
  process.stdout.write(`── ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (!ok) failedSteps.push(name);
}

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A test file that failed to load has no failed test in it, but is a failure all the same.
  if (failedSteps.includes('tests') && failed === 0) failed = Math.max(1, report.numFailedTestSuites);
} catch {
  if (!failedSteps.includes('tests')) failedSteps.push('tests');
}
// A failed step that is not itself a test (typecheck, lint, build) counts as one failure.
failed += failedSteps.filter((s) => s !== 'tests').length;
if (failedSteps.length > 0) process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0;
