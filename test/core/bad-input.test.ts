import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { CairnError } from '../../src-main/core/errors.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { SELF } from '../../src-main/core/permissions.js';
import { contentHash, testCore } from '../helpers/store.js';
import { aWorld, validInputs, type World } from '../helpers/world.js';

/**
 * Bad input for every service: each case is refused with invalid_input naming the field, and the
 * store — audit log included — is byte-for-byte what it was.
 */
type Case = [label: string, input: (w: World) => unknown, field: string];

const long = (n: number) => 'x'.repeat(n);

const CASES: Record<string, Case[]> = {
  'component.create': [
    ['empty name', () => ({ name: '', status: 1 }), 'name'],
    ['blank name', () => ({ name: '   ', status: 1 }), 'name'],
    ['name with a line break', () => ({ name: 'a\r\nb', status: 1 }), 'name'],
    ['name too long', () => ({ name: long(256), status: 1 }), 'name'],
    ['name with NUL', () => ({ name: 'a\u0000b', status: 1 }), 'name'],
    ['name with a lone surrogate', () => ({ name: 'a\uD800b', status: 1 }), 'name'],
    ['missing status', () => ({ name: 'A' }), 'status'],
    ['status 5', () => ({ name: 'A', status: 5 }), 'status'],
    ['status as words', () => ({ name: 'A', status: 'major' }), 'status'],
    ['javascript: link', () => ({ name: 'A', status: 1, link: 'javascript:alert(1)' }), 'link'],
    ['data: link', () => ({ name: 'A', status: 1, link: 'data:text/html,<script>alert(1)</script>' }), 'link'],
    ['ftp link', () => ({ name: 'A', status: 1, link: 'ftp://example.com' }), 'link'],
    ['link with credentials', () => ({ name: 'A', status: 1, link: 'https://user:pw@example.com' }), 'link'],
    ['unknown group', () => ({ name: 'A', status: 1, groupId: 999 }), 'groupId'],
    ['negative order', () => ({ name: 'A', status: 1, order: -1 }), 'order'],
    ['fractional order', () => ({ name: 'A', status: 1, order: 1.5 }), 'order'],
    ['enabled as "yes"', () => ({ name: 'A', status: 1, enabled: 'yes' }), 'enabled'],
    ['too many tags', () => ({ name: 'A', status: 1, tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }), 'tags'],
    ['meta with a bad key', () => ({ name: 'A', status: 1, meta: { 'bad key': 1 } }), 'meta.bad key'],
    ['meta with a nested object', () => ({ name: 'A', status: 1, meta: { a: { b: 1 } } }), 'meta.a'],
    ['description too long', () => ({ name: 'A', status: 1, description: long(5001) }), 'description'],
    ['unknown field', () => ({ name: 'A', status: 1, deleted_at: 1 }), 'deleted_at'],
    ['prototype pollution key', () => JSON.parse('{"name":"A","status":1,"__proto__":{"admin":true}}'), '__proto__'],
  ],
  'component.update': [
    ['missing id', () => ({ status: 1 }), 'id'],
    ['id 0', () => ({ id: 0 }), 'id'],
    ['id as SQL', () => ({ id: '1 OR 1=1' }), 'id'],
    ['status 9', (w) => ({ id: w.component.id, status: 9 }), 'status'],
    ['link vbscript', (w) => ({ id: w.component.id, link: 'vbscript:msgbox(1)' }), 'link'],
  ],
  'component.list': [
    ['sort by a column not allowed', () => ({ sort: 'password' }), 'sort'],
    ['sort with SQL', () => ({ sort: 'name; DROP TABLE components' }), 'sort'],
    ['array-valued filter', () => ({ status: [1, 2] }), 'status'],
    ['unknown filter', () => ({ 'name[$ne]': 'x' }), 'name[$ne]'],
    ['perPage too large', () => ({ perPage: 1000 }), 'perPage'],
    ['page 0', () => ({ page: 0 }), 'page'],
    ['order sideways', () => ({ order: 'sideways' }), 'order'],
  ],
  'componentGroup.create': [
    ['collapsed 3', () => ({ name: 'G', collapsed: 3 }), 'collapsed'],
    ['visible 2', () => ({ name: 'G', visible: 2 }), 'visible'],
    ['missing name', () => ({}), 'name'],
  ],
  'incident.create': [
    ['missing message', () => ({ name: 'I', status: 1 }), 'message'],
    ['status 7', () => ({ name: 'I', message: 'm', status: 7 }), 'status'],
    ['component status without component', () => ({ name: 'I', message: 'm', status: 1, componentStatus: 4 }), 'componentStatus'],
    ['unknown component', () => ({ name: 'I', message: 'm', status: 1, componentId: 999 }), 'componentId'],
    ['impossible date', () => ({ name: 'I', message: 'm', status: 1, occurredAt: '2026-13-40 10:00' }), 'occurredAt'],
    ['date in words', () => ({ name: 'I', message: 'm', status: 1, occurredAt: 'yesterday' }), 'occurredAt'],
    ['date with template syntax', () => ({ name: 'I', message: 'm', status: 1, occurredAt: '{{ now }}' }), 'occurredAt'],
    ['visible as "yes"', () => ({ name: 'I', message: 'm', status: 1, visible: 'yes' }), 'visible'],
    ['message too long', () => ({ name: 'I', message: long(20_001), status: 1 }), 'message'],
    ['unknown template', () => ({ name: 'I', status: 1, template: 'no-such-template' }), 'template'],
    ['template name with path syntax', () => ({ name: 'I', status: 1, template: '../../etc/passwd' }), 'template'],
    ['template variable missing', () => ({ name: 'I', status: 1, template: 'database-degraded' }), 'vars.service'],
    ['template variable that is an object', () => ({ name: 'I', status: 1, template: 'database-degraded', vars: { service: { toString: 'x' } } }), 'vars.service'],
    ['template variable with a bad name', () => ({ name: 'I', status: 1, template: 'database-degraded', vars: { 'a b': 'x' } }), 'vars.a b'],
    ['template variable too long', () => ({ name: 'I', status: 1, template: 'database-degraded', vars: { service: long(1001) } }), 'vars.service'],
  ],
  'template.create': [
    ['slug with capitals', () => ({ name: 'T', slug: 'Database', template: 'x' }), 'slug'],
    ['slug with a slash', () => ({ name: 'T', slug: 'a/b', template: 'x' }), 'slug'],
    ['empty template', () => ({ name: 'T', slug: 't', template: '   ' }), 'template'],
    ['template with NUL', () => ({ name: 'T', slug: 't', template: 'a\u0000b' }), 'template'],
  ],
  'incidentUpdate.create': [
    ['blank message', (w) => ({ incidentId: w.incident.id, status: 2, message: '   ' }), 'message'],
    ['status -1', (w) => ({ incidentId: w.incident.id, status: -1, message: 'm' }), 'status'],
    ['component status 5', (w) => ({ incidentId: w.incident.id, status: 2, message: 'm', componentId: w.component.id, componentStatus: 5 }), 'componentStatus'],
  ],
  'schedule.create': [
    ['missing scheduledAt', () => ({ name: 'S' }), 'scheduledAt'],
    ['completed before scheduled', () => ({ name: 'S', scheduledAt: 1_800_000_000, completedAt: 1_700_000_000 }), 'completedAt'],
    ['component key not an id', () => ({ name: 'S', scheduledAt: 1_800_000_000, components: { abc: 1 } }), 'components.abc'],
    ['unknown component', () => ({ name: 'S', scheduledAt: 1_800_000_000, components: { 999: 6 } }), 'components.999'],
    ['status 3', () => ({ name: 'S', scheduledAt: 1_800_000_000, status: 3 }), 'status'],
    ['time far past 9999', () => ({ name: 'S', scheduledAt: 999_999_999_999 }), 'scheduledAt'],
  ],
  'scheduleUpdate.create': [['empty message', (w) => ({ scheduleId: w.schedule.id, status: 1, message: '' }), 'message']],
  'metric.create': [
    ['threshold that does not divide an hour', () => ({ name: 'M', suffix: '', description: '', defaultValue: 0, threshold: 7 }), 'threshold'],
    ['places 5', () => ({ name: 'M', suffix: '', description: '', defaultValue: 0, places: 5 }), 'places'],
    ['calcType 2', () => ({ name: 'M', suffix: '', description: '', defaultValue: 0, calcType: 2 }), 'calcType'],
    ['defaultValue NaN', () => ({ name: 'M', suffix: '', description: '', defaultValue: 'NaN' }), 'defaultValue'],
    ['suffix with a line break', () => ({ name: 'M', suffix: 'm\ns', description: '', defaultValue: 0 }), 'suffix'],
    ['visible 3', () => ({ name: 'M', suffix: '', description: '', defaultValue: 0, visible: 3 }), 'visible'],
  ],
  'metricPoint.add': [
    ['value as words', (w) => ({ metricId: w.metric.id, value: 'abc' }), 'value'],
    ['value too large', (w) => ({ metricId: w.metric.id, value: 1e20 }), 'value'],
    ['value Infinity', (w) => ({ metricId: w.metric.id, value: Infinity }), 'value'],
    ['negative timestamp', (w) => ({ metricId: w.metric.id, value: 1, timestamp: -5 }), 'timestamp'],
    ['missing metric', () => ({ value: 1 }), 'metricId'],
  ],
  'subscriber.create': [
    ['not an address', () => ({ email: 'not-an-email' }), 'email'],
    ['header injection', () => ({ email: 'a@example.com\r\nBcc: victim@example.com' }), 'email'],
    ['display name', () => ({ email: 'Eve <eve@example.com>' }), 'email'],
    ['address too long', () => ({ email: `${long(250)}@example.com` }), 'email'],
    ['component not an id', () => ({ email: 'a@example.com', components: ['x'] }), 'components.0'],
    ['unknown component', () => ({ email: 'a@example.com', components: [999] }), 'components.0'],
  ],
  'settings.update': [
    ['unknown timezone', () => ({ timezone: 'Mars/Olympus_Mons' }), 'timezone'],
    ['locale that is not a tag', () => ({ locale: 'en_US!!' }), 'locale'],
    ['site name with CR/LF', () => ({ siteName: 'Cairn\r\nAPP_DEBUG=true' }), 'siteName'],
    ['unknown setting', () => ({ app_installed: false }), 'app_installed'],
    ['accent colour by name', () => ({ accentColor: 'red' }), 'accentColor'],
    ['accent colour with CSS in it', () => ({ accentColor: '#000000; } body { display: none' }), 'accentColor'],
    ['light accent unreadable on white', () => ({ accentColor: '#ffee00' }), 'accentColor'],
    ['dark accent unreadable on the dark background', () => ({ accentColorDark: '#202020' }), 'accentColorDark'],
    ['a new name with a logo that is not its type (nothing is saved, not even the name)', () => ({ siteName: 'Renamed', logo: { type: 'image/png', dataBase64: Buffer.from('GIF89a\x01\x00').toString('base64') } }), 'logo.dataBase64'],
  ],
  'settings.setLogo': [
    ['SVG (can carry script)', () => ({ type: 'image/svg+xml', dataBase64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64') }), 'type'],
    ['bytes that are not the type claimed', () => ({ type: 'image/png', dataBase64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64') }), 'dataBase64'],
    ['HTML posing as a PNG', () => ({ type: 'image/png', dataBase64: Buffer.from('<html><script>alert(1)</script>').toString('base64') }), 'dataBase64'],
    ['not base64', () => ({ type: 'image/png', dataBase64: 'not base64!' }), 'dataBase64'],
    ['larger than 256 KiB', () => ({ type: 'image/png', dataBase64: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300 * 1024)]).toString('base64') }), 'dataBase64'],
  ],
  'public.metricSeries': [['view that is not known', (w) => ({ id: w.metric.id, view: 'year' }), 'view']],
  'audit.list': [['outcome not known', () => ({ outcome: 'maybe' }), 'outcome']],
  'apikey.create': [
    ['no scopes', () => ({ name: 'M', scopes: [] }), 'scopes'],
    ['unknown scope', () => ({ name: 'M', scopes: ['metrics.write', 'root'] }), 'scopes.1'],
    ['a console-only permission', () => ({ name: 'M', scopes: ['users.manage'] }), 'scopes.0'],
    ['scopes as one string', () => ({ name: 'M', scopes: 'metrics.write' }), 'scopes'],
    ['name with a line break', () => ({ name: 'a\nb', scopes: ['metrics.write'] }), 'name'],
    ['expiry beyond the policy', () => ({ name: 'M', scopes: ['metrics.write'], expiresInDays: 366 }), 'expiresInDays'],
    ['no expiry while the policy requires one', () => ({ name: 'M', scopes: ['metrics.write'], expiresInDays: null }), 'expiresInDays'],
    ['expiry 0 days', () => ({ name: 'M', scopes: ['metrics.write'], expiresInDays: 0 }), 'expiresInDays'],
    ['unknown owner', () => ({ name: 'M', scopes: ['metrics.write'], owner: 'nobody@example.com' }), 'owner'],
    ['disabled owner', () => ({ name: 'M', scopes: ['metrics.write'], owner: 'gone@example.com' }), 'owner'],
  ],
  'apikey.rotate': [
    ['overlap beyond 7 days', (w) => ({ id: w.apiKeyId, overlapDays: 8 }), 'overlapDays'],
    ['id that is not a key id', () => ({ id: "1' OR '1'='1" }), 'id'],
    ['the whole key instead of its id', () => ({ id: 'cairn_WorldKey0001_secret' }), 'id'],
  ],
  'apikey.revoke': [['missing id', () => ({}), 'id']],
};

describe.each(Object.entries(CASES))('%s refuses bad input', (name, cases) => {
  const op = OPERATIONS.get(name)!;
  it.each(cases)('%s', async (_label, makeInput, field) => {
    const { core, db } = testCore();
    const w = aWorld(core);
    const before = contentHash(db);
    const error = await core.executeAsync(op, localOperator, makeInput(w)).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({ code: 'invalid_input', field });
    expect((error as CairnError).message.startsWith(`${field}: `)).toBe(true);
    expect((error as CairnError).message).not.toMatch(/\n|at .*\.ts/);
    expect(contentHash(db)).toBe(before);
  });
});

/** Everything the local operator can call (own-account operations need a user's session). */
const operatorOps = [...OPERATIONS.values()].filter((op) => op.requires !== SELF);

describe('input that is not an object', () => {
  it.each([['a string', 'x'], ['an array', [1]], ['a number', 42]])('is refused for every operation: %s', async (_label, input) => {
    const { core, db } = testCore();
    aWorld(core);
    const before = contentHash(db);
    for (const op of operatorOps) {
      await expect(core.executeAsync(op, localOperator, input), op.name).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(contentHash(db)).toBe(before);
  });

  it('every operation refuses an unknown field', async () => {
    const { core, db } = testCore();
    const inputs = validInputs(aWorld(core));
    const before = contentHash(db);
    for (const op of operatorOps) {
      const input = { ...(inputs[op.name] as object), sneaky: 1 };
      await expect(core.executeAsync(op, localOperator, input), op.name).rejects.toMatchObject({ code: 'invalid_input', field: 'sneaky' });
    }
    expect(contentHash(db)).toBe(before);
  });
});

describe('references to records that do not exist', () => {
  it.each([
    ['component.update', { id: 999, status: 1 }],
    ['component.delete', { id: 999 }],
    ['incident.publish', { id: 999 }],
    ['incidentUpdate.create', { incidentId: 999, status: 1, message: 'm' }],
    ['metricPoint.add', { metricId: 999, value: 1 }],
    ['schedule.update', { id: 999, status: 1 }],
    ['subscriber.delete', { id: 999 }],
    ['subscription.delete', { id: 999 }],
  ])('%s answers not_found and changes nothing', (name, input) => {
    const { core, db } = testCore();
    aWorld(core);
    const before = contentHash(db);
    expect(() => core.execute(OPERATIONS.get(name)!, localOperator, input)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(contentHash(db)).toBe(before);
  });
});
