import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { contentHash, tempDataDir } from '../helpers/store.js';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env, signal: new AbortController().signal, readStdin: () => Promise.resolve(stdin) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cairn (in process)', () => {
  it('prints help for the program and for each command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/serve .*\n.*seed-demo/);
    for (const command of ['serve', 'seed-demo']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: cairn ${command}`);
      expect(help.out).toContain('--data-dir');
    }
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['serve', '--port', '70000'], /^cairn serve: --port: must be at most 65535$/],
    [['serve', '--port', 'http'], /^cairn serve: --port: /],
    [['serve', '--host', 'bad host!'], /^cairn serve: --host: must be an IP address or a host name$/],
    [['serve', '--verbose'], /^cairn serve: Unknown option '--verbose'/],
    [['serve', '--allowed-host', 'evil.example/path'], /^cairn serve: --allowed-host.0: must be a host name, optionally with :port$/],
    [['seed-demo', '--data-dir', ''], /^cairn seed-demo: --data-dir: must not be empty$/],
    [['seed-demo', 'extra'], /^cairn seed-demo: .*positional/i],
  ])('refuses %j with exit 2 and a one-line message', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('seed-demo fills an empty store, then refuses to touch it again (exit 1, nothing changed)', async () => {
    const dataDir = tempDataDir();
    const first = await cli(['seed-demo', '--data-dir', dataDir, '--json']);
    expect(first.code).toBe(0);
    const counts = JSON.parse(first.out) as Record<string, number>;
    expect(counts).toMatchObject({ dataDir, components: 6, incidents: 2, schedules: 1 });
    expect(counts.metricPoints).toBeGreaterThan(300);

    const db = openDatabase(dataDir);
    const before = contentHash(db);
    db.close();
    const second = await cli(['seed-demo', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.err).toBe(`cairn seed-demo: The store in ${dataDir} already has data; seed-demo only fills an empty store`);
    const after = openDatabase(dataDir);
    expect(contentHash(after)).toBe(before);
    after.close();
  });

  it('--keep-existing leaves a store with data as it is and succeeds', async () => {
    const dataDir = tempDataDir();
    await cli(['seed-demo', '--data-dir', dataDir]);
    const db = openDatabase(dataDir);
    const before = contentHash(db);
    db.close();
    const r = await cli(['seed-demo', '--data-dir', dataDir, '--keep-existing', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ dataDir, seeded: false });
    const after = openDatabase(dataDir);
    expect(contentHash(after)).toBe(before);
    after.close();
  });

  it('takes the data dir from CAIRN_DATA_DIR when --data-dir is absent', async () => {
    const dataDir = join(tempDataDir(), 'from-env');
    expect((await cli(['seed-demo', '--json'], { CAIRN_DATA_DIR: dataDir })).code).toBe(0);
    expect(existsSync(join(dataDir, 'cairn.sqlite'))).toBe(true);
  });

  it('reports errors as JSON with --json', async () => {
    const dataDir = tempDataDir();
    await cli(['seed-demo', '--data-dir', dataDir]);
    const r = await cli(['seed-demo', '--data-dir', dataDir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toMatchObject({ error: { code: 'conflict' } });
  });
});

const BIN = new URL('../../bin/cairn.js', import.meta.url).pathname;

describe('cairn serve (the built command, as a process)', () => {
  it('serves on 127.0.0.1, logs one line with the URL, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(new URL('../../out/main/cli.js', import.meta.url)), 'run `npm run build` first').toBe(true);
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    const { event, url } = JSON.parse(firstLine) as { event: string; url: string };
    expect(event).toBe('listening');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/api/v1/ping`)).json()).toEqual({ data: 'Pong!' });
    expect((await fetch(`${url}/`)).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([firstLine, JSON.stringify({ event: 'stopped' })]);
    expect(stderr).toBe('');
  });

  it('fails with one line when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', tempDataDir(), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toBe('cairn serve: the address is already in use (is another Cairn running? choose another --port)\n');
  });
});
