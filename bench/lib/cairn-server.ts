import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts a server process that prints "listening <url>" once ready, pinned to `cpu` when given
 * (taskset execs the command in place, so the child's pid is the server's own, for its RSS), with
 * `input` on its stdin; resolves with its URL.
 */
export async function startListening(command: readonly string[], options: { readonly cpu?: number; readonly input?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const spawnOptions = { stdio: ['pipe', 'pipe', 'inherit'] as ('pipe' | 'inherit')[], env: { ...process.env, ...options.env } };
  const child = options.cpu === undefined ? spawn(command[0]!, command.slice(1), spawnOptions) : spawn('taskset', ['-c', String(options.cpu), ...command], spawnOptions);
  child.stdin!.end(options.input ?? '');
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
  });
  return { child, url };
}

/** Starts `serve-child.ts` (the server `cairn serve` runs, listening the same way) over `dataDir`, handing it the store's keys. */
export function startCairn(dataDir: string, keys: Readonly<Record<string, Buffer>>, options: { readonly cpu?: number; readonly env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const input = JSON.stringify(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, v.toString('hex')])));
  return startListening([process.execPath, '--import', 'tsx', 'bench/lib/serve-child.ts', dataDir, '0'], { ...options, input });
}
