import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { getSecurityPolicy, updateSecurityPolicy, type SecurityPolicy } from '../core/identity/policy.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

const text = (p: SecurityPolicy) => Object.entries(p).map(([k, v]) => `${k.padEnd(34)} ${JSON.stringify(v)}`).join('\n');

export const policyShow = defineCommand({
  name: 'policy show',
  summary: 'show the security policy (2FA, passwords, sessions, reviews, API keys, audit, two-person rule)',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const policy = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(getSecurityPolicy, localOperator, {}));
    return { json: policy, text: text(policy) };
  },
});

/** Values are given as JSON (12, true, "all", [4]) and checked by the policy's own schema. */
export const policySet = defineCommand({
  name: 'policy set',
  summary: 'change one setting of the security policy, e.g. --key twoPersonRule --value true',
  usage: ['--key K          the setting (see `cairn policy show`)', '--value V        its new value, as JSON: 12, true, "all", [4]', dataDirUsage],
  options: { ...dataDirFlag, key: { type: 'string' }, value: { type: 'string' } },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    key: z.string({ error: 'is required' }).regex(/^[A-Za-z0-9]{1,64}$/, 'must be a setting name such as require2fa'),
    value: z.string({ error: 'is required' }).max(1000).transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. 12, true, "all" or [4]' });
        return z.NEVER;
      }
    }),
  }),
  async run(args, io) {
    const policy = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(updateSecurityPolicy, localOperator, { [args.key]: args.value }));
    return { json: policy, text: `${args.key} is now ${JSON.stringify(policy[args.key as keyof SecurityPolicy])}` };
  },
});

export const POLICY_COMMANDS = [policyShow, policySet];
