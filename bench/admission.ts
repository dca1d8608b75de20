/**
 * How fast new visitors get in while a crowd holds the status page. wrk keeps 256 connections busy
 * on `/`; meanwhile visitors arrive, 10 every 100 ms, each on a new connection of its own, and ask
 * for `/` once. Measured per visitor: from the connection's start to the last byte of its page.
 *
 * The same run starts the server twice on the same store: as `cairn serve` listens (16 handles
 * accepting on one socket, src-main/http/wide-accept.ts) and, as the baseline, with one handle (a
 * plain Node server, which libuv lets accept one connection per event-loop turn). It prints both and
 * their ratio. Server on core 0, wrk and the visitors on core 1.
 *
 * Run: npm run bench:admission   (needs wrk and taskset)
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { Core } from '../src-main/core/core.js';
import { openDatabase } from '../src-main/db/connection.js';
import { benchKeys, benchWorkspace, pct, sleep } from './lib/bench-run.js';
import { startCairn } from './lib/cairn-server.js';
import { buildStatusDataset } from './lib/status-dataset.js';
import { wrk } from './lib/wrk.js';

const CROWD = 256;
const SECONDS = 15;
const VISITORS_EVERY_100_MS = 10;

for (const tool of ['wrk', 'taskset']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`bench:admission needs ${tool} (Debian: apt-get install wrk util-linux)`);
    process.exit(1);
  }
}
spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const { work, children } = benchWorkspace('cairn-admission-');

const dataDir = join(work, 'data');
const keys = benchKeys();
const db = openDatabase(dataDir);
buildStatusDataset(new Core({ db, keys: () => Promise.resolve(keys) }), { incidents: 1000, metricPoints: 10_000 }, () => {});
db.close();

/** One visitor: a new connection, `/` asked for as a browser does; ms until the last byte, or NaN. */
function visit(url: URL): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: '/', agent: false, timeout: 10_000, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : NaN));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(NaN));
    req.end();
  });
}

interface Phase {
  readonly name: string;
  readonly visitors: number[];
  readonly failed: number;
  readonly crowdRps: number;
  readonly crowdP99: number;
}

async function phase(name: string, acceptCopies: number | undefined): Promise<Phase> {
  const { child, url } = await startCairn(dataDir, keys, { cpu: 0, env: acceptCopies === undefined ? {} : { CAIRN_ACCEPT_COPIES: String(acceptCopies) } });
  children.push(child);
  const crowd = wrk(`${url}/`, { seconds: SECONDS, connections: CROWD, threads: 1, cpu: 1, timeoutSeconds: 10, headers: { 'accept-encoding': 'gzip, deflate, br' }, onSpawn: (c) => children.push(c) });
  // The crowd's own connections get in during its first seconds; visitors come after that.
  await sleep(3000);
  const visits: Promise<number>[] = [];
  const until = performance.now() + (SECONDS - 5) * 1000;
  const page = new URL(url);
  while (performance.now() < until) {
    for (let i = 0; i < VISITORS_EVERY_100_MS; i++) visits.push(visit(page));
    await sleep(100);
  }
  const times = await Promise.all(visits);
  const load = await crowd;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { name, visitors: times.filter((t) => !Number.isNaN(t)), failed: times.filter(Number.isNaN).length, crowdRps: load.rps, crowdP99: load.p99 };
}

console.log(`node ${process.version}; wrk holds ${CROWD} connections on / for ${SECONDS} s; ${VISITORS_EVERY_100_MS * 10} new visitors a second each ask for / once; server on core 0, clients on core 1\n`);
const phases = [await phase('cairn serve (16 accepting handles)', undefined), await phase('one accepting handle (baseline)', 0)];
for (const p of phases) {
  console.log(`${p.name.padEnd(36)} visitors: ${p.visitors.length} answered, ${p.failed} failed; p50 ${pct(p.visitors, 0.5).toFixed(0)} ms, p99 ${pct(p.visitors, 0.99).toFixed(0)} ms, worst ${Math.max(...p.visitors).toFixed(0)} ms · crowd ${p.crowdRps.toFixed(0)} req/s, p99 ${p.crowdP99.toFixed(1)} ms`);
}
const [wide, one] = phases as [Phase, Phase];
console.log(`\nvisitor p99: baseline / cairn = ${(pct(one.visitors, 0.99) / pct(wide.visitors, 0.99)).toFixed(1)}×; crowd req/s: cairn / baseline = ${(wide.crowdRps / one.crowdRps).toFixed(2)}×`);
process.exit(0);
