import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/db/connection.js';
import { cli, cliStore } from '../helpers/cli.js';
import { tempDataDir } from '../helpers/store.js';

async function storeWithEntries() {
  const dir = cliStore();
  await cli(['role', 'create', '--data-dir', dir, '--name', 'Observers', '--permissions', 'metrics.read']);
  await cli(['apikey', 'create', '--data-dir', dir, '--name', 'Monitor', '--scopes', 'metrics.write']);
  return dir;
}

describe('cairn audit', () => {
  it('verify says the log is intact, and exits 1 naming the first bad entry after tampering', async () => {
    const dir = await storeWithEntries();
    expect(await cli(['audit', 'verify', '--data-dir', dir])).toMatchObject({ code: 0, out: expect.stringMatching(/^The audit log is intact: 2 entries, 2 sealed; head 2 [0-9a-f]{16}…$/) });
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = '{}' WHERE id = 1;");
    raw.close();
    const bad = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(bad).toMatchObject({ code: 1, out: '' });
    expect(bad.err).toMatch(/^cairn audit verify: The audit log is NOT intact: entry 1 does not follow from the entry before it/);
  });

  it('export writes JSON Lines (0600) that verify --file accepts, and refuses to overwrite', async () => {
    const dir = await storeWithEntries();
    const file = join(tempDataDir(), 'audit.jsonl');
    expect(await cli(['audit', 'export', '--data-dir', dir, '--out', file])).toMatchObject({ code: 0, out: `Wrote 2 entries to ${file}` });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toMatch(/cairn_[0-9A-Za-z]{12}_/);
    expect(await cli(['audit', 'verify', '--data-dir', dir, '--file', file])).toMatchObject({ code: 0, out: expect.stringMatching(/^The export .* is intact: 2 entries, 2 sealed/) });
    expect((await cli(['audit', 'export', '--data-dir', dir, '--out', file])).code).toBe(1);
    writeFileSync(join(file, '..', 'edited.jsonl'), readFileSync(file, 'utf8').replace('Observers', 'Admins'));
    const edited = await cli(['audit', 'verify', '--data-dir', dir, '--file', join(file, '..', 'edited.jsonl')]);
    expect(edited).toMatchObject({ code: 1, err: expect.stringMatching(/NOT intact: entry 1 /) });
    const csv = await cli(['audit', 'export', '--data-dir', dir, '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe('id,at,actorKind,actorId,client,action,targetType,targetId,outcome,details,hash,mac');
  });

  it('review records the review and shows the state; list filters by preset', async () => {
    const dir = await storeWithEntries();
    expect(await cli(['audit', 'review', '--data-dir', dir, '--status'])).toMatchObject({ code: 0, out: 'Never reviewed; 2 entries since — OVERDUE (policy: every 7 days)' });
    expect(await cli(['audit', 'review', '--data-dir', dir, '--note', 'weekly'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Reviewed up to entry 2 by local at \S+; 1 entries since$/) });
    const keys = await cli(['audit', 'list', '--data-dir', dir, '--preset', 'api-key-events']);
    expect(keys.out).toMatch(/^ +2 {2}\S+ {2}ok {4} {2}local \(cli\) {2}apikey\.create apikey \w{12} /);
    expect(await cli(['audit', 'list', '--data-dir', dir, '--preset', 'nope'])).toMatchObject({ code: 1, err: expect.stringMatching(/^cairn audit list: preset: /) });
  });
});

describe('cairn posture', () => {
  it('prints each check with its status and the fix, and a summary line', async () => {
    const dir = await storeWithEntries();
    const r = await cli(['posture', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS {2}Two-factor authentication for everyone: /m);
    expect(r.out).toMatch(/^WARN {2}Few Administrators, roles for the rest: No active Administrator\n {6}→ Create one with/m);
    expect(r.out).toMatch(/^PASS {2}Database file private: Mode 0600$/m);
    expect(r.out.split('\n').at(-1)).toMatch(/^\d+ pass, \d+ warn, \d+ fail$/);
    const json = JSON.parse((await cli(['posture', '--data-dir', dir, '--json'])).out) as { checks: { id: string }[] };
    expect(json.checks).toHaveLength(15);
  });
});

describe('cairn audit prune', () => {
  it('refuses while retention is off, with one line', async () => {
    const dir = await storeWithEntries();
    expect(await cli(['audit', 'prune', '--data-dir', dir])).toEqual({ code: 1, out: '', err: 'cairn audit prune: Audit retention is off (auditRetentionDays 0): every entry is kept' });
  });
});

describe('cairn alert', () => {
  it('lists open alerts and acknowledges them', async () => {
    const dir = cliStore();
    await cli(['apikey', 'create', '--data-dir', dir, '--name', 'Writer', '--scopes', 'components.write']);
    const open = await cli(['alert', 'list', '--data-dir', dir]);
    expect(open.out).toMatch(/^ {4}1 {2}\S+ {2}write-key-created {2}API key \w{12} with write scopes \(components\.write\) created by local$/);
    expect(await cli(['alert', 'ack', '--data-dir', dir, '--id', '1'])).toMatchObject({ code: 0, out: 'Acknowledged alert 1 (write-key-created)' });
    expect((await cli(['alert', 'list', '--data-dir', dir])).out).toBe('No open alerts');
    expect(await cli(['alert', 'ack', '--data-dir', dir, '--id', 'x'])).toMatchObject({ code: 1, err: expect.stringMatching(/^cairn alert ack: id: /) });
  });
});

describe('cairn policy', () => {
  it('shows the policy and changes one setting through its schema; bad values change nothing', async () => {
    const dir = cliStore();
    expect((await cli(['policy', 'show', '--data-dir', dir])).out).toMatch(/^twoPersonRule +false$/m);
    expect(await cli(['policy', 'set', '--data-dir', dir, '--key', 'twoPersonRule', '--value', 'true'])).toMatchObject({ code: 0, out: 'twoPersonRule is now true' });
    expect(await cli(['policy', 'set', '--data-dir', dir, '--key', 'passwordMinLength', '--value', '6'])).toMatchObject({ code: 1, err: 'cairn policy set: passwordMinLength: must be at least 8' });
    expect(await cli(['policy', 'set', '--data-dir', dir, '--key', 'require2fa', '--value', 'sometimes'])).toMatchObject({ code: 2, err: 'cairn policy set: --value: must be JSON, e.g. 12, true, "all" or [4]' });
    expect(await cli(['policy', 'set', '--data-dir', dir, '--key', 'adminPassword', '--value', '"x"'])).toMatchObject({ code: 1, err: 'cairn policy set: adminPassword: is not a known field' });
    expect((await cli(['policy', 'show', '--data-dir', dir, '--json'])).out).toContain('"twoPersonRule":true');
  });
});
