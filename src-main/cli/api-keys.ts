import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { createApiKey, listApiKeysOp, revokeApiKey, rotateApiKey, type ApiKeySummary, type IssuedApiKey } from '../core/identity/api-keys.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/**
 * API keys on headless hosts: one key per integration, issued by the local operator (optionally
 * for an owner, whose permissions then bound the key). The key is printed once, here and never again.
 */

const date = (ms: number | null): string => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
const required = z.string({ error: 'is required' });
const wholeNumber = z.string().regex(/^\d{1,5}$/, 'must be a whole number of days').transform(Number);

function issuedText(issued: IssuedApiKey, headline: string): string {
  return [
    headline,
    `  id       ${issued.id}`,
    `  scopes   ${issued.scopes.join(' ')}`,
    `  owner    ${issued.owner ?? 'local operator'}`,
    `  expires  ${date(issued.expiresAt)}`,
    '',
    'The key (shown only now; store it in the integration\'s secret store):',
    `  ${issued.key}`,
  ].join('\n');
}

const keyLine = (k: ApiKeySummary): string =>
  `${k.id}  ${k.name}  [${k.scopes.join(' ')}]  ${k.state}${k.dueForRotation ? ' ROTATE' : ''}  owner ${k.owner ?? 'local operator'}  expires ${date(k.expiresAt)}  used ${k.useCount}× last ${date(k.lastUsedAt)}${k.lastUsedIp ? ` from ${k.lastUsedIp}` : ''}`;

export const apiKeyCreate = defineCommand({
  name: 'apikey create',
  summary: 'issue an API key for one integration, with only the scopes it needs',
  usage: [
    '--name N           what the key is for, e.g. "Uptime monitor"',
    '--scopes S1,S2     permissions, e.g. components.write,metrics.write',
    '--owner EMAIL      the account the key acts for (its permissions bound the key; disabling it stops the key)',
    '--expires-in DAYS  lifetime in days (default and maximum: the security policy\'s, 365)',
    dataDirUsage,
  ],
  options: { ...dataDirFlag, name: { type: 'string' }, scopes: { type: 'string' }, owner: { type: 'string' }, 'expires-in': { type: 'string' } },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    name: required,
    scopes: required.max(1000).transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p !== '')),
    owner: z.string().optional(),
    'expires-in': wholeNumber.optional(),
  }),
  async run(args, io) {
    const issued = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(createApiKey, localOperator, {
        name: args.name,
        scopes: args.scopes,
        ...(args.owner === undefined ? {} : { owner: args.owner }),
        ...(args['expires-in'] === undefined ? {} : { expiresInDays: args['expires-in'] }),
      }),
    );
    return {
      json: { id: issued.id, key: issued.key, scopes: issued.scopes, expiresAt: issued.expiresAt === null ? null : new Date(issued.expiresAt).toISOString() },
      text: issuedText(issued, `Created API key "${issued.name}"`),
    };
  },
});

export const apiKeyList = defineCommand({
  name: 'apikey list',
  summary: 'list API keys: scopes, state, owner, expiry, usage, and which are due for rotation',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const keys = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(listApiKeysOp, localOperator, {}));
    return { json: keys, text: keys.length === 0 ? 'No API keys yet; issue one with `cairn apikey create`' : keys.map(keyLine).join('\n') };
  },
});

export const apiKeyRotate = defineCommand({
  name: 'apikey rotate',
  summary: 'issue a successor key with the same scopes; the old one works on for the overlap, then stops',
  usage: ['--id ID            the key id (from `cairn apikey list`)', '--overlap-days N   days both keys work (0-7, default 1)', dataDirUsage],
  options: { ...dataDirFlag, id: { type: 'string' }, 'overlap-days': { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, id: required, 'overlap-days': wholeNumber.optional() }),
  async run(args, io) {
    const rotated = await withCore(args['data-dir'], io.env, (core) =>
      core.executeAsync(rotateApiKey, localOperator, { id: args.id, ...(args['overlap-days'] === undefined ? {} : { overlapDays: args['overlap-days'] }) }),
    );
    return {
      json: { id: rotated.id, key: rotated.key, scopes: rotated.scopes, expiresAt: rotated.expiresAt === null ? null : new Date(rotated.expiresAt).toISOString(), previous: { id: rotated.previous.id, expiresAt: new Date(rotated.previous.expiresAt).toISOString() } },
      text: `${issuedText(rotated, `Rotated API key "${rotated.name}"`)}\n\nThe previous key ${rotated.previous.id} stops at ${date(rotated.previous.expiresAt)}.`,
    };
  },
});

export const apiKeyRevoke = defineCommand({
  name: 'apikey revoke',
  summary: 'stop an API key at once',
  usage: ['--id ID            the key id (from `cairn apikey list`)', dataDirUsage],
  options: { ...dataDirFlag, id: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, id: required }),
  async run(args, io) {
    const key = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(revokeApiKey, localOperator, { id: args.id }));
    return { json: key, text: `Revoked API key ${key.id} "${key.name}"` };
  },
});

export const API_KEY_COMMANDS = [apiKeyCreate, apiKeyList, apiKeyRotate, apiKeyRevoke];
