import { describe, expect, it } from 'vitest';
import { openDatabase, storeId } from '../../src-main/db/connection.js';
import { keychainService } from '../../src-main/secrets/core-keys.js';
import { keychainStore } from '../../src-main/secrets/keychain.js';
import { cli, cliStore } from '../helpers/cli.js';
import { contentHash } from '../helpers/store.js';

const keychainOf = (dir: string) => {
  const db = openDatabase(dir);
  const service = keychainService(storeId(db));
  db.close();
  return keychainStore(service);
};

describe('cairn notifications', () => {
  it('shows every provider off on a new store', async () => {
    const dir = cliStore();
    const shown = await cli(['notifications', 'show', '--data-dir', dir]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^smtp +off no credential \{\}$/m);
    expect(shown.out).toMatch(/^component\.status +off$/m);
  });

  it('configures e-mail with the password from standard input (kept in the keychain), and a webhook whose new secret is printed once', async () => {
    const dir = cliStore();
    expect((await cli(['notifications', 'settings', '--data-dir', dir, '--public-url', 'https://status.example.com', '--event', 'component.status=on'])).code).toBe(0);
    const smtp = await cli(
      ['notifications', 'smtp', '--data-dir', dir, '--host', 'smtp.example.com', '--username', 'status', '--from-address', 'status@example.com', '--from-name', 'Example Status', '--password-stdin'],
      'correct horse battery\n',
    );
    expect(smtp).toMatchObject({ code: 0, out: 'E-mail is on.' });
    expect(await keychainOf(dir).get('provider-smtp')).toBe('correct horse battery');
    const hook = await cli(['notifications', 'webhook', '--data-dir', dir, '--url', 'https://hooks.example.com/cairn']);
    const secret = /Signing secret \(shown once; give it to the receiver\): (\S+)/.exec(hook.out)![1];
    expect(await keychainOf(dir).get('provider-webhook')).toBe(secret);
    expect((await cli(['notifications', 'show', '--data-dir', dir])).out).not.toContain(secret!);
    expect(await cli(['notifications', 'disable', '--data-dir', dir, '--provider', 'webhook'])).toMatchObject({ code: 0, out: 'webhook is off.' });
    expect((await cli(['notifications', 'outbox', '--data-dir', dir])).out).toBe('No deliveries.');
  });

  it.each([
    ['e-mail before the public URL', ['notifications', 'smtp', '--host', 'smtp.example.com', '--from-address', 'a@example.com', '--from-name', 'A'], 1, /public URL/],
    ['an unknown event', ['notifications', 'settings', '--event', 'everything=on'], 1, /events: .*not a known field|everything/],
    ['a malformed --event', ['notifications', 'settings', '--event', 'incident.published'], 2, /EVENT=on/],
    ['a network that is not CIDR', ['notifications', 'settings', '--internal-network', '10.0.0.0'], 1, /CIDR/],
    ['a plain-http webhook', ['notifications', 'webhook', '--url', 'http://hooks.example.com/'], 1, /https/],
    ['enabling what was never configured', ['notifications', 'enable', '--provider', 'slack'], 1, /not configured/],
  ])('refuses %s with a clear message and changes nothing', async (_name, args, code, message) => {
    const dir = cliStore();
    await cli(['notifications', 'show', '--data-dir', dir]);
    const db = openDatabase(dir);
    const before = contentHash(db, ['audit_log']);
    const result = await cli([...args, '--data-dir', dir]);
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(contentHash(db, ['audit_log'])).toBe(before);
    db.close();
  });
});

describe('cairn subscriber export', () => {
  it('exports every subscriber as CSV (formula-looking cells defused) and audits the export without addresses', async () => {
    const dir = cliStore();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO subscribers (email, verified_at, created_at, updated_at) VALUES ('a@example.com', 0, 0, 0), ('=cmd@example.com', NULL, 0, 0)").run();
    db.close();
    const out = await cli(['subscriber', 'export', '--data-dir', dir]);
    expect(out.code).toBe(0);
    expect(out.out.split('\n')).toEqual([
      'id,email,confirmed,confirmedAt,components,componentChanges,createdAt',
      '1,a@example.com,yes,1970-01-01T00:00:00.000Z,all,no,1970-01-01T00:00:00.000Z',
      "2,'=cmd@example.com,no,,all,no,1970-01-01T00:00:00.000Z",
    ]);
    const check = openDatabase(dir);
    const audit = check.prepare("SELECT details FROM audit_log WHERE action = 'subscriber.export'").get() as { details: string };
    check.close();
    expect(JSON.parse(audit.details)).toEqual({ format: 'csv', count: 2 });
  });
});
