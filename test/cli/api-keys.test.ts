import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN } from '../../src-main/core/identity/api-key-format.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { cli, cliStore } from '../helpers/cli.js';
import { auditRows, contentHash } from '../helpers/store.js';

describe('cairn apikey', () => {
  it('creates a key (printed once, with --json as {id, key, scopes, expiresAt}), lists, rotates and revokes it', async () => {
    const dir = cliStore();
    const created = await cli(['apikey', 'create', '--data-dir', dir, '--name', 'Uptime monitor', '--scopes', 'metrics.write, components.write', '--expires-in', '30', '--json']);
    expect(created).toMatchObject({ code: 0, err: '' });
    const json = JSON.parse(created.out) as { id: string; key: string; scopes: string[]; expiresAt: string };
    expect(Object.keys(json).sort()).toEqual(['expiresAt', 'id', 'key', 'scopes']);
    expect(json.key).toMatch(API_KEY_PATTERN);
    expect(json.scopes).toEqual(['components.write', 'metrics.write']);
    expect(Date.parse(json.expiresAt) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

    const list = await cli(['apikey', 'list', '--data-dir', dir]);
    expect(list.out).toMatch(new RegExp(`^${json.id} {2}Uptime monitor {2}\\[components\\.write metrics\\.write\\] {2}active {2}owner local operator {2}expires \\S+ \\S+ {2}used 0× last never$`));
    expect(list.out).not.toContain(json.key);

    const rotated = await cli(['apikey', 'rotate', '--data-dir', dir, '--id', json.id, '--overlap-days', '0', '--json']);
    const next = JSON.parse(rotated.out) as { id: string; key: string; previous: { id: string } };
    expect(next.previous.id).toBe(json.id);
    expect(next.key).not.toBe(json.key);
    expect(await cli(['apikey', 'revoke', '--data-dir', dir, '--id', next.id])).toMatchObject({ code: 0, out: `Revoked API key ${next.id} "Uptime monitor"` });
    const states = JSON.parse((await cli(['apikey', 'list', '--data-dir', dir, '--json'])).out) as { id: string; state: string }[];
    expect(states.map((k) => [k.id, k.state])).toEqual([[json.id, 'expired'], [next.id, 'revoked']]);

    const db = openDatabase(dir);
    expect(auditRows(db).map((a) => [a.action, a.actor_kind, a.target_id])).toEqual([
      ['apikey.create', 'local', json.id],
      ['apikey.rotate', 'local', json.id],
      ['apikey.revoke', 'local', next.id],
    ]);
    db.close();
  });

  it('refuses bad options with one line naming the option, and writes nothing', async () => {
    const dir = cliStore();
    await cli(['apikey', 'create', '--data-dir', dir, '--name', 'A', '--scopes', 'metrics.read']);
    const db = openDatabase(dir);
    const before = contentHash(db);
    db.close();
    const cases: [string[], number, string][] = [
      [['create', '--name', 'B'], 2, 'cairn apikey create: --scopes: is required'],
      [['create', '--name', 'B', '--scopes', 'metrics.read,users.manage'], 1, 'cairn apikey create: scopes.1: must be among components.read, components.write, incidents.read, incidents.write, incidents.publish, maintenance.read, maintenance.write, metrics.read, metrics.write, subscribers.read, subscribers.write'],
      [['create', '--name', 'B', '--scopes', 'metrics.read', '--expires-in', 'soon'], 2, 'cairn apikey create: --expires-in: must be a whole number of days'],
      [['create', '--name', 'B', '--scopes', 'metrics.read', '--expires-in', '400'], 1, "cairn apikey create: expiresInDays: must be at most 365 (the security policy's maximum)"],
      [['create', '--name', 'B', '--scopes', 'metrics.read', '--owner', 'nobody@example.com'], 1, 'cairn apikey create: owner: no account has the address nobody@example.com'],
      [['rotate', '--id', 'AAAAAAAAAAAA', '--overlap-days', '9'], 1, 'cairn apikey rotate: overlapDays: must be at most 7'],
      [['rotate', '--id', 'AAAAAAAAAAAA'], 1, 'cairn apikey rotate: API key AAAAAAAAAAAA does not exist'],
      [['revoke'], 2, 'cairn apikey revoke: --id: is required'],
    ];
    for (const [args, code, err] of cases) {
      expect(await cli(['apikey', args[0]!, '--data-dir', dir, ...args.slice(1)]), args.join(' ')).toEqual({ code, out: '', err });
    }
    const after = openDatabase(dir);
    expect(contentHash(after)).toBe(before);
    after.close();
  });
});
