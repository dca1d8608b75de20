/**
 * The public status page under an outage-day stampede, on a realistic large page (20 components
 * in 4 groups, 90 days of status history, 10k incidents, 1M metric points).
 *
 * Throughput and p99 of `/` and `/api/v1/components` with wrk on 127.0.0.1 — the server pinned to
 * core 0, wrk to core 1 — interleaved, round by round, with the same bytes served by
 *   (a) a bare node:http server that sends one cached Buffer (the limit for any Node server), and
 *   (b) nginx serving the bytes as a static file (the practical ceiling),
 * and the ratios. Also: re-render time of `/` after an incident update, cold start of `cairn serve`
 * to its first byte, `/` while metric points are posted over the API, and the server's RSS.
 *
 * Needs wrk, nginx and taskset (Debian: apt-get install wrk nginx-light util-linux). Run:
 *   npm run bench:public      (BENCH_SECONDS, BENCH_ROUNDS, BENCH_INCIDENTS, BENCH_POINTS to resize)
 * Every phase is bounded in time; all traffic stays on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { localOperator } from '../src-main/core/actor.js';
import { Core } from '../src-main/core/core.js';
import { createApiKey } from '../src-main/core/identity/api-keys.js';
import { createIncident, createIncidentUpdate } from '../src-main/core/incidents.js';
import { openDatabase } from '../src-main/db/connection.js';
import { compressBody } from '../src-main/http/page-cache.js';
import { serverLink } from '../src-main/http/public/layout.js';
import { PublicSite } from '../src-main/http/public/site.js';
import { anonymous } from '../src-main/core/actor.js';
import { buildStatusDataset } from './lib/status-dataset.js';
import { benchKeys, benchWorkspace, pct, sleep } from './lib/bench-run.js';
import { startCairn, startListening, type ServerProcess } from './lib/cairn-server.js';
import { rssMb, wrk, type WrkResult } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 64;
const INGEST_RATE = 5000;
const INGEST_BATCH = 100;
const SIZE = { incidents: Number(process.env.BENCH_INCIDENTS ?? 10_000), metricPoints: Number(process.env.BENCH_POINTS ?? 1_000_000) };

for (const tool of ['wrk', 'nginx', 'taskset']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`bench:public needs ${tool} (Debian: apt-get install wrk nginx-light util-linux)`);
    process.exit(1);
  }
}
// This process (the ingest client) runs beside wrk on core 1; the servers get core 0 to themselves.
spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, places = 0) => n.toFixed(places);
const { work, children } = benchWorkspace('cairn-bench-page-');
chmodSync(work, 0o755); // nginx's worker reads the static files

// ---- the dataset ---------------------------------------------------------------------------------
console.log(`node ${process.version}; dataset: 20 components in 4 groups, 90 days of history, ${SIZE.incidents} incidents, ${SIZE.metricPoints} metric points`);
const dataDir = join(work, 'data');
const keys = benchKeys();
const t0 = performance.now();
const db = openDatabase(dataDir);
const core = new Core({ db, keys: () => Promise.resolve(keys) });
await core.loadAuditKey();
const { metricIds } = buildStatusDataset(core, SIZE, (line) => console.log(line));
const { key } = await core.executeAsync(createApiKey, localOperator, { name: 'bench ingest', scopes: ['metrics.write'] });
console.log(`dataset built in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);

/** wrk on core 1; the servers run on core 0. */
const load = (url: string, seconds = SECONDS, connections = CONNECTIONS, headers: Record<string, string> = {}) => wrk(url, { seconds, connections, cpu: 1, headers });
/** What every browser sends: the page compressed (~1/30 of the bytes; wrk's default asks for identity). */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };
// taskset execs the command in place, so a child's pid is the server's own.
const rss = (child: ChildProcess) => rssMb(child.pid);

// ---- re-render after a change, in process: the work the page cache does on a miss -------------
const site = new PublicSite(core, anonymous({ kind: 'web', ip: '127.0.0.1' }));
const renderOnce = () => {
  const started = performance.now();
  compressBody('text/html', site.home(site.frame(serverLink)), 'x', 0);
  return performance.now() - started;
};
const firstRender = renderOnce();
const open = core.execute(createIncident, localOperator, { name: 'Ongoing: elevated latency', message: 'Investigating.', status: 1, componentId: 1, componentStatus: 2 });
const rerenders: number[] = [];
for (let i = 0; i < 20; i++) {
  core.execute(createIncidentUpdate, localOperator, { incidentId: open.id, status: 2, message: `Update ${i}: still *working* on it.` });
  rerenders.push(renderOnce());
}
db.close();
console.log(`re-render of / after an incident update (render + gzip + brotli): median ${fmt(median(rerenders), 1)} ms, p95 ${fmt(pct(rerenders, 0.95), 1)} ms (first render ${fmt(firstRender, 1)} ms)`);

// ---- cold start of `cairn serve` ---------------------------------------------------------------
async function firstByte(url: string, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      await sleep(5);
    }
  }
  return false;
}
if (existsSync('out/main/cli.js')) {
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = 18_700 + i;
    const started = performance.now();
    const serve = spawn('taskset', ['-c', '0', process.execPath, 'bin/cairn.js', 'serve', '--data-dir', dataDir, '--port', String(port)], { stdio: 'ignore' });
    children.push(serve);
    const ok = await firstByte(`http://127.0.0.1:${port}/`, 15_000);
    starts.push(ok ? performance.now() - started : NaN);
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
  console.log(`cold start of cairn serve to the first byte of /: median ${fmt(median(starts))} ms (${starts.map((s) => fmt(s)).join(', ')})`);
  // The real `cairn serve`'s memory under a stampede on the page (the load phases below use the same
  // server code in a process of their own, so that the API's rate limits can be lifted for wrk).
  const port = 18_710;
  const serve = spawn('taskset', ['-c', '0', process.execPath, 'bin/cairn.js', 'serve', '--data-dir', dataDir, '--port', String(port)], { stdio: 'ignore' });
  children.push(serve);
  await firstByte(`http://127.0.0.1:${port}/`, 15_000);
  await load(`http://127.0.0.1:${port}/`, 2);
  const warm = rss(serve);
  const underLoad = await load(`http://127.0.0.1:${port}/`, SECONDS);
  console.log(`RSS of cairn serve: ${fmt(warm)} MB after warm-up, ${fmt(rss(serve))} MB after ${SECONDS} s at ${fmt(underLoad.rps)} req/s on /`);
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
} else {
  console.log('cold start: skipped (run `npm run build` first: it times the built `cairn serve`)');
}

// ---- the three servers, each alone on core 0 ------------------------------------------------------
/** Each server alone on core 0, killed with the benchmark. */
async function pinned(started: Promise<ServerProcess>): Promise<ServerProcess> {
  const server = await started;
  children.push(server.child);
  return server;
}
const cairn = await pinned(startCairn(dataDir, keys, { cpu: 0 }));

const PATHS = ['/', '/api/v1/components'] as const;
const bodies = new Map<string, { body: Buffer; type: string }>();
for (const path of PATHS) {
  const res = await fetch(`${cairn.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
  bodies.set(path, { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type')! });
}
const www = join(work, 'www');
mkdirSync(join(www, 'api', 'v1'), { recursive: true });
writeFileSync(join(www, 'index.html'), bodies.get('/')!.body);
writeFileSync(join(www, 'api', 'v1', 'components'), bodies.get('/api/v1/components')!.body);
for (const d of [www, join(www, 'api'), join(www, 'api', 'v1')]) chmodSync(d, 0o755);
console.log(`bodies: / ${bodies.get('/')!.body.length} bytes, /api/v1/components ${bodies.get('/api/v1/components')!.body.length} bytes (identity: wrk sends no Accept-Encoding)\n`);

// The bare server gets the bodies from files written here (too large for a command line).
for (const [i, path] of PATHS.entries()) writeFileSync(join(work, `bare-${i}.body`), bodies.get(path)!.body);
const bareSource = `
const http = require('node:http');
const fs = require('node:fs');
const paths = ${JSON.stringify(PATHS)};
const types = ${JSON.stringify(PATHS.map((p) => bodies.get(p)!.type))};
const cached = Object.fromEntries(paths.map((p, i) => [p, { body: fs.readFileSync(${JSON.stringify(work)} + '/bare-' + i + '.body'), type: types[i] }]));
const server = http.createServer((req, res) => {
  const hit = cached[req.url];
  if (!hit) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { 'content-type': hit.type, 'content-length': hit.body.length });
  res.end(hit.body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening http://127.0.0.1:' + server.address().port + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
const bare = await pinned(startListening([process.execPath, '-e', bareSource], { cpu: 0 }));

const nginxPort = 18_800 + Math.floor(Math.random() * 100);
writeFileSync(
  join(work, 'nginx.conf'),
  `worker_processes 1; daemon off; pid ${work}/nginx.pid; error_log ${work}/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:${nginxPort}; root ${www}; index index.html;
    location = /api/v1/components { default_type 'application/json; charset=utf-8'; } } }
`,
);
const nginx = spawn('taskset', ['-c', '0', 'nginx', '-c', join(work, 'nginx.conf'), '-p', work, ...(process.getuid?.() === 0 ? ['-g', 'user root;'] : [])], { stdio: 'inherit' });
children.push(nginx);
if (!(await firstByte(`http://127.0.0.1:${nginxPort}/`, 5000))) throw new Error('nginx did not start');
const nginxUrl = `http://127.0.0.1:${nginxPort}`;

// Same bytes from all three.
for (const path of PATHS) {
  for (const base of [bare.url, nginxUrl]) {
    const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } });
    if (!Buffer.from(await res.arrayBuffer()).equals(bodies.get(path)!.body)) throw new Error(`${base}${path} serves different bytes`);
  }
}


for (const path of PATHS) await load(`${cairn.url}${path}`, 2); // warm-up (JIT, page cache)
const rssAfterWarmup = rss(cairn.child);

const targets = { 'bare node': bare.url, cairn: cairn.url, nginx: nginxUrl } as const;
type Target = keyof typeof targets;
const results = new Map<string, WrkResult[]>();
console.log(`load: wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} interleaved rounds; server on core 0, wrk on core 1`);
for (let round = 1; round <= ROUNDS; round++) {
  for (const path of PATHS) {
    for (const name of Object.keys(targets) as Target[]) {
      const r = await load(`${targets[name]}${path}`);
      const key = `${name} ${path}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      console.log(`  round ${round}  ${key.padEnd(32)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50, 2).padStart(6)} ms  p99 ${fmt(r.p99, 2).padStart(6)} ms${r.errors ? `  ${r.errors} ERRORS` : ''}`);
    }
  }
}
const summary = (name: Target, path: string) => {
  const rs = results.get(`${name} ${path}`)!;
  return { rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((n, r) => n + r.errors, 0) };
};
console.log('\nmedians of the rounds');
for (const path of PATHS) {
  const [b, c, n] = (['bare node', 'cairn', 'nginx'] as const).map((t) => summary(t, path));
  console.log(`  ${path.padEnd(20)} cairn ${fmt(c!.rps)} req/s (p99 ${fmt(c!.p99, 2)} ms, ${c!.errors} errors) · bare node ${fmt(b!.rps)} · nginx ${fmt(n!.rps)}`);
  console.log(`  ${''.padEnd(20)} → cairn / bare node = ${(c!.rps / b!.rps).toFixed(2)}×   cairn / nginx = ${(c!.rps / n!.rps).toFixed(2)}×   bare node / nginx = ${(b!.rps / n!.rps).toFixed(2)}×`);
}

// ---- `/` while metric points are posted over the API at a target rate --------------------------
/** Posts `perSecond` points for `seconds`, `batch` points per request (1: Cachet's one point per POST; more: the batch endpoint). */
async function ingest(url: string, perSecond: number, seconds: number, batch = 1): Promise<{ acked: number; failed: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(url);
  const latencies: number[] = [];
  let failed = 0;
  let inFlight = 0;
  const post = (value: number) =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify(batch === 1 ? { value } : { points: Array.from({ length: batch }, (_, i) => ({ value: (value + i) % 1000 })) });
      const path = `/api/v1/metrics/${metricIds[0]}/points${batch === 1 ? '' : '/batch'}`;
      const started = performance.now();
      inFlight++;
      const req = request({ agent, host: hostname, port, method: 'POST', path, headers: { 'x-cachet-token': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          inFlight--;
          if (res.statusCode === 200) for (let i = 0; i < batch; i++) latencies.push(performance.now() - started);
          else failed += batch;
          resolve();
        });
      });
      req.on('error', () => {
        inFlight--;
        failed += batch;
        resolve();
      });
      req.end(body);
    });
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    // Open loop, but never more than 512 posts outstanding (the server's backlog is what is measured).
    while (sent + batch <= due && inFlight < 512) {
      pending.push(post(sent % 1000));
      sent += batch;
    }
    await sleep(2);
  }
  await Promise.all(pending);
  agent.destroy();
  return { acked: latencies.length / seconds, failed, p99: pct(latencies, 0.99) };
}
// A collector that batches (the batch endpoint, 100 points a request), then one POST per point as
// Cachet clients send them; in each, wrk loads `/` at the same time, as browsers ask for it
// (compressed) and as wrk does by default (identity: 140 KB a response, where wrk and the kernel's
// copying on the shared client core are most of what is measured).
console.log(`\n/ while metric points are posted at a target ${INGEST_RATE}/s (target: p99 ≤ 20 ms)`);
for (const [encoding, headers] of [['compressed', BROWSER], ['identity', {}]] as const) {
  for (const batch of [INGEST_BATCH, 1]) {
    const [page, ingested] = await Promise.all([load(`${cairn.url}/`, SECONDS, CONNECTIONS, headers), ingest(cairn.url, INGEST_RATE, SECONDS, batch)]);
    console.log(
      `  ${encoding.padEnd(10)} ${batch === 1 ? 'one point per POST ' : `${batch} points per POST`}: / ${fmt(page.rps)} req/s, p99 ${fmt(page.p99, 2)} ms, ${page.errors} errors; ` +
        `points acknowledged ${fmt(ingested.acked)}/s (request p99 ${fmt(ingested.p99, 1)} ms, ${ingested.failed} failed)`,
    );
  }
}
const seesWrite = await (async () => {
  const before = await (await fetch(`${cairn.url}/metrics/${metricIds[0]}/hour.json`)).text();
  await ingest(cairn.url, 50, 0.2);
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    if ((await (await fetch(`${cairn.url}/metrics/${metricIds[0]}/hour.json`)).text()) !== before) return performance.now() - (deadline - 5000);
    await sleep(10);
  }
  return NaN;
})();
console.log(`a posted point shows in the public chart data after ${fmt(seesWrite)} ms`);

const rssEnd = rss(cairn.child);
console.log(`RSS of the load-phase server: ${fmt(rssAfterWarmup)} MB after warm-up, ${fmt(rssEnd)} MB at the end (${fmt(((rssEnd - rssAfterWarmup) / rssAfterWarmup) * 100)} %)`);

for (const c of [cairn.child, bare.child]) c.kill('SIGTERM');
spawnSync('nginx', ['-c', join(work, 'nginx.conf'), '-p', work, '-s', 'quit'], { stdio: 'ignore' });
await sleep(200);
process.exit(0);
