/**
 * Outage-day load on 127.0.0.1: wrk holds 256 connections on the status page for 60 s while 32
 * API clients write (metric points, incident updates, component status), and a probe checks, once
 * a second, how long a status change takes to show on the page: from the moment its write was
 * acknowledged to the first page answer that shows it. Reported: errors (must be zero), the page's
 * requests/s and p99, the writers' rate and p99, the probe's worst delay (must be under 1 s), and
 * the server's RSS after warm-up and at the end (must stay within 20 %).
 *
 * The server runs on core 0 and every client (wrk, the writers, the probe) on core 1, as on an
 * outage day when the crowd is not on the server's machine: on a shared core the clients would
 * take the server's CPU and the figures would measure the scheduler (see bench:public for the same
 * split). TASKSET=0 runs everything unpinned.
 *
 * Run: npm run bench:load   (LOAD_SECONDS, LOAD_CONNECTIONS, LOAD_WRITERS to change the shape)
 * Needs wrk (Debian: apt-get install wrk). The server is the same buildServer as `cairn serve`,
 * with the API's per-key rate limit lifted (32 writers share 4 keys and would otherwise get 429s).
 */
import { spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { localOperator } from '../src-main/core/actor.js';
import { Core } from '../src-main/core/core.js';
import { createApiKey } from '../src-main/core/identity/api-keys.js';
import { createIncident } from '../src-main/core/incidents.js';
import { openDatabase } from '../src-main/db/connection.js';
import { buildStatusDataset } from './lib/status-dataset.js';
import { benchKeys, benchWorkspace, pct, sleep } from './lib/bench-run.js';
import { startCairn } from './lib/cairn-server.js';
import { rssMb, wrk } from './lib/wrk.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 256);
const WRITERS = Number(process.env.LOAD_WRITERS ?? 32);

if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) {
  console.error('bench:load needs wrk (Debian: apt-get install wrk)');
  process.exit(1);
}
const PIN = process.env.TASKSET !== '0' && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
if (PIN) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const { work, children } = benchWorkspace('cairn-load-');

// ---- a realistic store ----------------------------------------------------------------------------
const dataDir = join(work, 'data');
const keys = benchKeys();
const db = openDatabase(dataDir);
const core = new Core({ db, keys: () => Promise.resolve(keys) });
await core.loadAuditKey();
const { metricIds } = buildStatusDataset(core, { incidents: 1000, metricPoints: 100_000 }, () => {});
const open = core.execute(createIncident, localOperator, { name: 'Degraded API latency', message: 'Investigating.', status: 1, componentId: 1, componentStatus: 2 });
const apiKeys: string[] = [];
for (let i = 0; i < 4; i++) {
  apiKeys.push((await core.executeAsync(createApiKey, localOperator, { name: `writer ${i}`, scopes: ['metrics.write', 'incidents.write', 'incidents.publish', 'components.write'] })).key);
}
db.close();

// ---- the server ----------------------------------------------------------------------------------
const { child: server, url } = await startCairn(dataDir, keys, PIN ? { cpu: 0 } : {});
children.push(server);
const rss = () => rssMb(server.pid);
// The crowd asks as browsers do, for a compressed page.
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };
const loadPage = (seconds: number) =>
  wrk(`${url}/`, { seconds, connections: CONNECTIONS, threads: PIN ? 1 : 2, timeoutSeconds: 5, headers: BROWSER, ...(PIN ? { cpu: 1 } : {}), onSpawn: (c) => children.push(c) });

// ---- writers and the freshness probe ------------------------------------------------------------
const agent = new Agent({ keepAlive: true, maxSockets: WRITERS + 4 });
const { hostname, port } = new URL(url);
function call(method: string, path: string, key: string, body: unknown): Promise<number> {
  return new Promise((resolve) => {
    const text = JSON.stringify(body);
    const req = request({ agent, host: hostname, port, method, path: `/api/v1${path}`, headers: { 'x-cachet-token': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(text);
  });
}

let stop = false;
const writeLatencies: number[] = [];
let writeErrors = 0;
async function writer(i: number): Promise<void> {
  const key = apiKeys[i % apiKeys.length]!;
  for (let n = 0; !stop; n++) {
    const started = performance.now();
    const status =
      n % 10 === 9
        ? await call('POST', `/incidents/${open.id}/updates`, key, { status: 2, message: `Writer ${i}, update ${n}: traffic is being shifted.` })
        : await call('POST', `/metrics/${metricIds[n % 2]}/points`, key, { value: 40 + ((i * 31 + n) % 60) });
    if (status >= 200 && status < 300) writeLatencies.push(performance.now() - started);
    else writeErrors++;
  }
}

/** The page as one more reader gets it: a new connection of its own, as a browser arriving now would. */
function readPage(): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: hostname, port, path: '/', agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.end();
  });
}

/** The status text the page shows beside a component's name (not the uptime bar's day titles). */
function shownStatus(page: string, component: string): string | undefined {
  const item = page.indexOf(`<span class="component-name">${component}</span>`);
  if (item < 0) return undefined;
  const from = page.indexOf('<span class="component-status">', item) + '<span class="component-status">'.length;
  return page.slice(from, page.indexOf('</span>', from));
}

/**
 * Flips a component's status and measures how long from its acknowledgement until the page shows
 * it: a new reader arrives every 25 ms (each on its own connection, as visitors do), and the delay
 * is when the first of them got a page with the change. One reader's own wait in the crowd is the
 * page's latency, reported by wrk above; this is how stale the page is.
 */
const probeDelays: number[] = [];
async function probe(): Promise<void> {
  const names = ['Operational', 'Partial Outage'];
  for (let n = 0; !stop; n++) {
    const status = n % 2 === 0 ? 3 : 1;
    if ((await call('PUT', '/components/20', apiKeys[0]!, { status })) !== 200) {
      writeErrors++;
      continue;
    }
    const changed = performance.now();
    let seen = NaN;
    const readers: Promise<void>[] = [];
    while (!stop && Number.isNaN(seen) && performance.now() - changed < 5000) {
      readers.push(
        readPage().then((page) => {
          if (shownStatus(page, 'Service 4.5') === names[status === 3 ? 1 : 0] && Number.isNaN(seen)) seen = performance.now() - changed;
        }),
      );
      await sleep(25);
    }
    await Promise.all(readers);
    // A probe the end of the run cut short is not a measurement; one that waited 5 s in vain is.
    if (stop && Number.isNaN(seen)) break;
    probeDelays.push(seen);
    await sleep(1000);
  }
}

console.log(`node ${process.version}; ${SECONDS} s, wrk ${CONNECTIONS} connections on /, ${WRITERS} API writers, a freshness probe every second; ${PIN ? 'server on core 0, clients on core 1' : 'unpinned'}`);
// Warm-up: page traffic, and one write of each kind, so one-time loads (the Markdown sanitizer's
// jsdom on the first incident update) are in the baseline and not counted as growth.
await call('POST', `/incidents/${open.id}/updates`, apiKeys[0]!, { status: 2, message: 'Warm-up update.' });
await call('POST', `/metrics/${metricIds[0]}/points`, apiKeys[0]!, { value: 1 });
await loadPage(5);
const rssWarm = rss();
const writers = Array.from({ length: WRITERS }, (_, i) => writer(i));
const probing = probe();
const rssSeries: number[] = [];
const sampler = setInterval(() => rssSeries.push(rss()), 5000);
const page = await loadPage(SECONDS);
clearInterval(sampler);
stop = true;
await Promise.all([...writers, probing]);
const rssEnd = rss();

const worstProbe = Math.max(...probeDelays.map((d) => (Number.isNaN(d) ? Infinity : d)));

console.log(`page:    ${page.rps.toFixed(0)} req/s, p50 ${page.p50.toFixed(2)} ms, p99 ${page.p99.toFixed(2)} ms, ${page.errors} errors`);
console.log(`writers: ${(writeLatencies.length / SECONDS).toFixed(0)} writes/s acknowledged, p99 ${pct(writeLatencies, 0.99).toFixed(1)} ms, ${writeErrors} errors`);
console.log(`fresh:   a status change showed on / after p50 ${pct(probeDelays, 0.5).toFixed(0)} ms, p90 ${pct(probeDelays, 0.9).toFixed(0)} ms, worst ${worstProbe.toFixed(0)} ms (${probeDelays.length} probes${probeDelays.some(Number.isNaN) ? `, ${probeDelays.filter(Number.isNaN).length} never within 5 s` : ''})`);
console.log(`memory:  RSS ${rssWarm.toFixed(0)} MB after warm-up, ${rssEnd.toFixed(0)} MB at the end (${(((rssEnd - rssWarm) / rssWarm) * 100).toFixed(0)} %); every 5 s: ${rssSeries.map((r) => r.toFixed(0)).join(' ')}`);
const verdicts = [
  ['zero errors', page.errors === 0 && writeErrors === 0],
  ['every change on the page within 1 s', worstProbe < 1000],
  ['RSS within 20 % of warm-up', Math.abs(rssEnd - rssWarm) / rssWarm <= 0.2],
] as const;
for (const [what, ok] of verdicts) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${what}`);
agent.destroy();
server.kill('SIGTERM');
process.exit(verdicts.every(([, ok]) => ok) ? 0 : 1);
