import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/connection.js';
import { TEST_PASSWORD, totpAt } from '../helpers/identity.js';
import { cli, cliStore } from '../helpers/cli.js';
import { auditRows, contentHash } from '../helpers/store.js';

const store = cliStore;

describe('cairn user / role / review', () => {
  it('creates the first Administrator with 2FA enrolment, which verify-2fa completes', async () => {
    const dir = store();
    const created = await cli(['user', 'create', '--data-dir', dir, '--email', 'Ada@Example.com', '--name', 'Ada Admin', '--role', 'Administrator', '--password-stdin', '--json'], `${TEST_PASSWORD}\n`);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const json = JSON.parse(created.out) as { id: number; email: string; totpUri: string; recoveryCodes: string[] };
    expect(json).toMatchObject({ id: 1, email: 'ada@example.com', roles: ['Administrator'] });
    expect(Object.keys(json).sort()).toEqual(['email', 'id', 'recoveryCodes', 'roles', 'totpUri']);
    expect(json.recoveryCodes).toHaveLength(10);
    const secret = new URL(json.totpUri).searchParams.get('secret')!;

    const wrong = await cli(['user', 'verify-2fa', '--data-dir', dir, '--email', 'ada@example.com', '--code', '12345x']);
    expect(wrong).toMatchObject({ code: 1, err: 'cairn user verify-2fa: code: is not correct (check the device clock, then use the next code)' });
    const right = await cli(['user', 'verify-2fa', '--data-dir', dir, '--email', 'ada@example.com', '--code', totpAt(secret, Date.now())]);
    expect(right).toMatchObject({ code: 0, out: 'Two-factor authentication is on for ada@example.com' });

    const list = await cli(['user', 'list', '--data-dir', dir]);
    expect(list.out).toMatch(/^ {3}1 {2}ada@example\.com {2}Ada Admin {2}\[Administrator\] {2}active {2}2FA on {2}last sign-in never$/);
    const db = openDatabase(dir);
    expect(auditRows(db).map((a) => [a.action, a.actor_kind, a.outcome])).toEqual([
      ['user.create', 'local', 'ok'],
      ['user.confirmTwoFactor', 'local', 'failed'],
      ['user.confirmTwoFactor', 'local', 'ok'],
    ]);
    db.close();
  });

  it('without --password-stdin prints a temporary password that must be changed', async () => {
    const dir = store();
    const created = await cli(['user', 'create', '--data-dir', dir, '--email', 'op@example.com', '--name', 'Op', '--role', 'Auditor,Metrics Viewer']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/Created user 1 op@example\.com \[Auditor, Metrics Viewer\]/);
    expect(created.out).toMatch(/Temporary password \(must be changed at first sign-in\): [\w-]{24}/);
    expect(created.out).toMatch(/otpauth:\/\/totp\//);
  });

  it('refuses a weak password, an unknown role and a duplicate, with one line and no change', async () => {
    const dir = store();
    await cli(['user', 'create', '--data-dir', dir, '--email', 'a@example.com', '--name', 'A', '--role', 'Administrator', '--password-stdin'], TEST_PASSWORD);
    const db = openDatabase(dir);
    const before = contentHash(db);
    db.close();
    for (const [args, stdin, message] of [
      [['--email', 'b@example.com', '--name', 'B', '--role', 'Auditor', '--password-stdin'], 'password1234', 'cairn user create: password: is in a list of passwords known from data breaches; choose another'],
      [['--email', 'b@example.com', '--name', 'B', '--role', 'Root'], '', 'cairn user create: roles.0: there is no role named "Root"'],
      [['--email', 'A@example.com', '--name', 'A', '--role', 'Auditor'], '', 'cairn user create: A user with this e-mail address already exists'],
      [['--email', 'not-an-address', '--name', 'B', '--role', 'Auditor'], '', 'cairn user create: email: must be an e-mail address'],
    ] as const) {
      const r = await cli(['user', 'create', '--data-dir', dir, ...args], stdin);
      expect(r).toMatchObject({ code: 1, err: message });
    }
    expect((await cli(['user', 'create', '--data-dir', dir, '--name', 'B', '--role', 'Auditor'])).err).toBe('cairn user create: --email: is required');
    const after = openDatabase(dir);
    expect(contentHash(after)).toBe(before);
    after.close();
  });

  it('disables an account, but never the last Administrator', async () => {
    const dir = store();
    await cli(['user', 'create', '--data-dir', dir, '--email', 'a@example.com', '--name', 'A', '--role', 'Administrator']);
    await cli(['user', 'create', '--data-dir', dir, '--email', 'b@example.com', '--name', 'B', '--role', 'Incident Author']);
    expect(await cli(['user', 'disable', '--data-dir', dir, '--email', 'a@example.com'])).toMatchObject({
      code: 1,
      err: 'cairn user disable: This is the last active Administrator; make someone else Administrator first',
    });
    expect(await cli(['user', 'disable', '--data-dir', dir, '--email', 'b@example.com'])).toMatchObject({ code: 0, out: 'Disabled b@example.com' });
    expect((await cli(['user', 'list', '--data-dir', dir])).out).toMatch(/b@example\.com .* disabled/);
  });

  it('lists roles, creates a custom role, and refuses unknown permissions', async () => {
    const dir = store();
    const roles = await cli(['role', 'list', '--data-dir', dir, '--json']);
    expect((JSON.parse(roles.out) as { name: string }[]).map((r) => r.name)).toEqual([
      'Administrator',
      'Incident Responder',
      'Incident Author',
      'Component Manager',
      'Metrics Writer',
      'Metrics Viewer',
      'Subscriber Manager',
      'Auditor',
    ]);
    expect(await cli(['role', 'create', '--data-dir', dir, '--name', 'Status Desk', '--permissions', 'incidents.read, components.read,components.write'])).toMatchObject({
      code: 0,
      out: 'Created role Status Desk: components.read components.write incidents.read',
    });
    expect(await cli(['role', 'create', '--data-dir', dir, '--name', 'Bad', '--permissions', 'incidents.read,sudo'])).toMatchObject({
      code: 1,
      err: 'cairn role create: permissions.1: must be a permission name such as incidents.write',
    });
  });

  it('shows the review status, overdue before the first review', async () => {
    const dir = store();
    expect((await cli(['review', 'status', '--data-dir', dir])).out).toBe('No access review recorded yet (policy: every 90 days)');
    await cli(['user', 'create', '--data-dir', dir, '--email', 'a@example.com', '--name', 'A', '--role', 'Administrator']);
    const status = await cli(['review', 'status', '--data-dir', dir]);
    expect(status.out.split('\n')[0]).toBe('No access review recorded yet — OVERDUE (policy: every 90 days)');
    expect(status.out).toContain('a@example.com');
  });

  it('asks for the verb when given only the noun', async () => {
    expect(await cli(['user'])).toMatchObject({ code: 2, err: 'cairn user: say what to do: user create, user verify-2fa, user list, user disable' });
  });
});

describe('the built cairn binary', () => {
  it('reads the password from standard input with --password-stdin', async () => {
    const dir = store();
    const child = spawn(process.execPath, [new URL('../../bin/cairn.js', import.meta.url).pathname, 'user', 'create', '--data-dir', dir, '--email', 'a@example.com', '--name', 'A', '--role', 'Administrator', '--password-stdin', '--json'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(`${TEST_PASSWORD}\n`);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, email: 'a@example.com' });
    expect(stdout).not.toContain(TEST_PASSWORD);
  });
});
