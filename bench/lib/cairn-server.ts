import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts `serve-child.ts` (the server `cairn serve` runs) over `dataDir`, handing it the store's
 * keys, pinned to `cpu` when given, and resolves once it listens. taskset execs the command in
 * place, so the child's pid is the server's own (for its RSS).
 */
export async function startCairn(dataDir: string, keys: Readonly<Record<string, Buffer>>, options: { readonly cpu?: number; readonly env?: NodeJS.ProcessEnv } = {}): Promise<{ child: ChildProcess; url: string }> {
  const command = [process.execPath, '--import', 'tsx', 'bench/lib/serve-child.ts', dataDir, '0'];
  const spawnOptions = { stdio: ['pipe', 'pipe', 'inherit'] as ('pipe' | 'inherit')[], env: { ...process.env, ...options.env } };
  const child = options.cpu === undefined ? spawn(command[0]!, command.slice(1), spawnOptions) : spawn('taskset', ['-c', String(options.cpu), ...command], spawnOptions);
  child.stdin!.end(JSON.stringify(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, v.toString('hex')]))));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { child, url };
}
