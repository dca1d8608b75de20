import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { getPosture, type CheckStatus } from '../core/posture.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

const MARK: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export const postureCommand = defineCommand({
  name: 'posture',
  summary: 'evaluate the security posture from the live configuration: each check pass / warn / fail, with the fix',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const posture = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(getPosture, localOperator, {}));
    const lines = posture.checks.map((c) => `${MARK[c.status]}  ${c.title}: ${c.detail}${c.fix ? `\n      → ${c.fix}` : ''}`);
    const { pass, warn, fail } = posture.summary;
    return { json: posture, text: [...lines, '', `${pass} pass, ${warn} warn, ${fail} fail`].join('\n') };
  },
});
