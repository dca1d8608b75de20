import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Running Debian's wrk from a benchmark and reading what it printed; a process's resident memory. */

export interface WrkResult {
  readonly rps: number;
  /** Latency percentiles in ms. */
  readonly p50: number;
  readonly p99: number;
  /** Socket errors (connect, read, write, timeout) plus non-2xx/3xx answers. */
  readonly errors: number;
}

export interface WrkOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly threads?: number;
  /** Pin wrk to this CPU with taskset. */
  readonly cpu?: number;
  readonly timeoutSeconds?: number;
  /** Request headers, e.g. a browser's Accept-Encoding. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Told of the child, e.g. to kill it when the benchmark is stopped. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

export function parseWrk(out: string): WrkResult {
  const ms = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;
  const latency = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? ms(m[1]!, m[2]!) : NaN;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`wrk printed no rate:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { rps: Number(rps[1]), p50: latency('50'), p99: latency('99'), errors };
}

export function wrk(url: string, options: WrkOptions): Promise<WrkResult> {
  const args = [`-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${options.seconds}s`, ...(options.timeoutSeconds ? ['--timeout', `${options.timeoutSeconds}s`] : []), ...Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), '--latency', url];
  const child = options.cpu === undefined ? spawn('wrk', args) : spawn('taskset', ['-c', String(options.cpu), 'wrk', ...args]);
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.once('exit', () => {
      try {
        resolve(parseWrk(out));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

/** Resident memory of a process, in MB (Linux). */
export const rssMb = (pid: number | undefined): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
