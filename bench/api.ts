/**
 * The REST API under load on 127.0.0.1: metric-point ingestion with an API key (one poster, then
 * concurrent posters) and GET /api/v1/components (guest and keyed), each against the same server's
 * GET /api/v1/ping measured in the same run and the same mode, so the ratios show what Cairn's
 * work (key check, permission check, transaction + audit entry) costs over Fastify's floor.
 * Every phase is bounded by a request count and a time limit. Run: npm run bench:api
 *
 * The keys (pepper, TOTP key) are held in memory here so the benchmark runs without a Secret
 * Service; the key check itself (HMAC + constant-time compare) is the product's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localOperator } from '../src-main/core/actor.js';
import { createComponent, createGroup } from '../src-main/core/components.js';
import { Core } from '../src-main/core/core.js';
import { createApiKey } from '../src-main/core/identity/api-keys.js';
import { createMetric } from '../src-main/core/metrics.js';
import { openDatabase } from '../src-main/db/connection.js';
import { buildServer } from '../src-main/http/server.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TIME_LIMIT_MS = 20_000;

interface Result {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

/** `total` requests from `workers` loops (each waits for its answer), or until the time limit. */
async function load(label: string, workers: number, total: number, send: (i: number) => Promise<Response>): Promise<Result> {
  for (let i = 0; i < 50; i++) await (await send(i)).arrayBuffer(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total && performance.now() - started < TIME_LIMIT_MS) {
      const i = next++;
      const t0 = performance.now();
      const res = await send(i);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status >= 300) failures++;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result = { perSecond: latencies.length / seconds, p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]!, count: latencies.length };
  console.log(
    `${label.padEnd(46)} ${result.perSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2).padStart(6)} ms  p99 ${result.p99.toFixed(2).padStart(6)} ms  (${result.count} requests${failures ? `, ${failures} FAILED` : ''})`,
  );
  if (failures > 0) process.exitCode = 1;
  return result;
}

const ratio = (label: string, a: Result, baseline: Result) => console.log(`  → ${label}: ${(a.perSecond / baseline.perSecond).toFixed(2)}× the ping rate`);

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-api-'));
const db = openDatabase(dir);
const keys = { totpEncryption: randomBytes(32), apiKeyPepper: randomBytes(32), auditChain: randomBytes(32), subscriberLinks: randomBytes(32) };
const core = new Core({ db, keys: () => Promise.resolve(keys) });
await core.loadAuditKey();
const unlimited = { burst: 1e9, perSecond: 1e9 };
const app = buildServer({ core, apiLimits: { perIp: unlimited, perKey: unlimited, failedKeysPerIp: unlimited } });
try {
  for (let g = 1; g <= 3; g++) {
    const group = core.execute(createGroup, localOperator, { name: `Group ${g}` });
    for (let c = 1; c <= 7; c++) core.execute(createComponent, localOperator, { name: `Service ${g}.${c}`, status: 1, groupId: group.id, description: 'A *service* with a description', tags: 'prod,eu' });
  }
  const metric = core.execute(createMetric, localOperator, { name: 'Latency', suffix: 'ms', description: 'p50', defaultValue: 0, threshold: 1 });
  const { key } = await core.executeAsync(createApiKey, localOperator, { name: 'bench', scopes: ['metrics.write', 'components.read'] });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`node ${process.version}; ${REQUESTS} requests per phase, ${CONCURRENCY} concurrent clients where concurrent; 21 components, 1 metric`);

  const ping = () => fetch(`${url}/api/v1/ping`);
  const components = () => fetch(`${url}/api/v1/components`);
  const keyedComponents = () => fetch(`${url}/api/v1/components`, { headers: { 'x-cachet-token': key } });
  // Distinct values within a phase: each post a new point row, not the cheaper counter increment.
  const post = (i: number) =>
    fetch(`${url}/api/v1/metrics/${metric.id}/points`, { method: 'POST', headers: { 'x-cachet-token': key, 'content-type': 'application/json' }, body: JSON.stringify({ value: i }) });

  console.log('\none client');
  const ping1 = await load('baseline: GET /api/v1/ping', 1, REQUESTS, ping);
  ratio('POST metric point (key)', await load('POST /api/v1/metrics/1/points (key)', 1, REQUESTS, post), ping1);
  ratio('GET components (guest)', await load('GET /api/v1/components (guest)', 1, REQUESTS, components), ping1);
  ratio('GET components (key)', await load('GET /api/v1/components (key)', 1, REQUESTS, keyedComponents), ping1);

  console.log(`\n${CONCURRENCY} concurrent clients`);
  const pingN = await load('baseline: GET /api/v1/ping', CONCURRENCY, REQUESTS, ping);
  ratio('POST metric point (key)', await load('POST /api/v1/metrics/1/points (key)', CONCURRENCY, REQUESTS, post), pingN);
  ratio('GET components (guest)', await load('GET /api/v1/components (guest)', CONCURRENCY, REQUESTS, components), pingN);

  const stored = db.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number };
  const audited = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'metricPoint.add'").get() as { n: number };
  console.log(`\n${stored.n} point rows (a value repeated in its window raises the counter); ${audited.n} audit entries, one per accepted post, each in its post's transaction`);
} finally {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
