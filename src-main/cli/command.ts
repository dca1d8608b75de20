import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands (serve) stop cleanly when it fires. */
  readonly signal: AbortSignal;
  /** All of standard input as text (for --password-stdin). */
  readonly readStdin: () => Promise<string>;
}

export interface CommandResult {
  /** Printed with --json. */
  readonly json: unknown;
  /** Printed otherwise, line by line. */
  readonly text: string;
}

export interface Command<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  /** The option lines of --help, e.g. "--port P   port to listen on (default 8080)". */
  readonly usage: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Parses the option values (strings and booleans from parseArgs) into the command's arguments. */
  readonly schema: S;
  run(args: z.output<S>, io: CliIO & { readonly json: boolean }): Promise<CommandResult>;
}

export const defineCommand = <S extends z.ZodType>(command: Command<S>): Command<S> => command;
