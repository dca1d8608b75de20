import { parseArgs } from 'node:util';
import { toPublicError, CairnError } from '../core/errors.js';
import { MigrationError } from '../db/connection.js';
import type { CliIO, Command } from './command.js';
import { API_KEY_COMMANDS } from './api-keys.js';
import { AUDIT_COMMANDS } from './audit.js';
import { POLICY_COMMANDS } from './policy.js';
import { postureCommand } from './posture.js';
import { IDENTITY_COMMANDS } from './identity.js';
import { exportStaticCommand } from './export-static.js';
import { seedDemoCommand } from './seed-demo.js';
import { SITE_COMMANDS } from './site.js';
import { NOTIFICATION_COMMANDS } from './notifications.js';
import { SUBSCRIBER_COMMANDS } from './subscribers.js';
import { serve } from './serve.js';

export const COMMANDS: readonly Command[] = [serve, seedDemoCommand, ...IDENTITY_COMMANDS, ...API_KEY_COMMANDS, ...AUDIT_COMMANDS, ...POLICY_COMMANDS, ...SITE_COMMANDS, ...NOTIFICATION_COMMANDS, ...SUBSCRIBER_COMMANDS, postureCommand, exportStaticCommand] as readonly Command[];

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: cairn <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help and --json. Run `cairn <command> --help` for its options.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [`Usage: cairn ${c.name} [options]`, '', c.summary, '', 'Options:', ...c.usage.map((u) => `  ${u}`), '  --json         machine-readable output', '  --help         this help'].join('\n');
}

/** A one-line message for the operator: our own errors as they are, system errors by their message. */
function describe(err: unknown): string {
  if (err instanceof CairnError) return err.message;
  if (err instanceof MigrationError) return `cannot open the store: ${err.message}`;
  const e = err as { code?: unknown; message?: unknown };
  if (e?.code === 'EADDRINUSE') return 'the address is already in use (is another Cairn running? choose another --port)';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied: ${String(e.message)}`;
  if (typeof e?.code === 'string' && typeof e.message === 'string') return e.message.split('\n')[0]!;
  return toPublicError(err).message;
}

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad usage.
 * Output goes through `io` so tests run commands in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(topHelp());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  // Commands are one word (serve) or a noun and a verb (user create).
  const command = COMMANDS.find((c) => c.name === argv.slice(0, c.name.split(' ').length).join(' '));
  if (!command) {
    const nouns = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name);
    io.err(nouns.length > 0 ? `cairn ${first}: say what to do: ${nouns.join(', ')}` : `cairn: unknown command "${first}"; run cairn --help for the list`);
    return EXIT.usage;
  }
  const name = command.name;
  const rest = argv.slice(name.split(' ').length);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`cairn ${name}: ${(err as Error).message.split('\n')[0]}`);
    return EXIT.usage;
  }
  const { help, json, ...options } = values;
  if (help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  const parsed = command.schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `--${issue.path.join('.')}` : 'options';
    io.err(`cairn ${name}: ${field}: ${issue?.message ?? 'is invalid'}`);
    return EXIT.usage;
  }
  try {
    const result = await command.run(parsed.data, { ...io, json: json === true });
    io.out(json ? JSON.stringify(result.json) : result.text);
    return EXIT.ok;
  } catch (err) {
    const message = describe(err);
    io.err(json ? JSON.stringify({ error: { code: err instanceof CairnError ? err.code : 'failed', message } }) : `cairn ${name}: ${message}`);
    return EXIT.failed;
  }
}
