import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { exportSubscribers } from '../core/subscribers.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/** `cairn subscriber export`: every subscriber, for the Subscriber Manager (the export is audited). */
export const subscriberExport = defineCommand({
  name: 'subscriber export',
  summary: 'export every subscriber (address, confirmed, components) as CSV or JSON Lines',
  usage: ['--format F       csv (default) or jsonl', '--out F          write to this new file (mode 0600) instead of standard output', dataDirUsage],
  options: { ...dataDirFlag, format: { type: 'string' }, out: { type: 'string' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, format: z.enum(['jsonl', 'csv']).default('csv'), out: z.string().min(1).max(4096).optional() }),
  async run(args, io) {
    const text = await withCore(args['data-dir'], io.env, async (core) => core.execute(exportSubscribers, localOperator, { format: args.format }));
    if (args.out === undefined) return { json: { format: args.format, content: text }, text: text.trimEnd() };
    // Personal data: a file only its owner can read, never over an existing one.
    await writeFile(args.out, text, { mode: 0o600, flag: 'wx' });
    return { json: { format: args.format, file: args.out }, text: `Wrote the subscribers to ${args.out}` };
  },
});

export const SUBSCRIBER_COMMANDS = [subscriberExport];
