import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createComponent } from '../../src-main/core/components.js';
import { createMetric } from '../../src-main/core/metrics.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { coreForStore } from '../../src-main/store-core.js';
import { cli, cliStore } from '../helpers/cli.js';

/**
 * Durability: the real `cairn serve` (the built CLI, in its own process) takes writes over the API
 * from several clients, and is killed with SIGKILL at random moments, 20 times. Every write it
 * acknowledged must be in the store afterwards, SQLite's integrity check must pass, and the audit
 * chain must verify. Bounded: each cycle lasts well under a second of traffic; all on 127.0.0.1.
 */

const CYCLES = 20;
const CLIENTS = 4;
const CLI = 'out/main/cli.js';

function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/cairn.js', 'serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

interface Acked {
  points: number[];
  incidents: string[];
  updates: string[];
}

/** One client: posts until the server dies, recording each write the server acknowledged (2xx). */
async function client(url: string, key: string, metricId: number, componentId: number, tag: string, acked: Acked, stop: () => boolean): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { 'x-cachet-token': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let n = 0;
  while (!stop()) {
    n += 1;
    try {
      if (n % 3 === 0) {
        const name = `${tag}-incident-${n}`;
        const res = await post('/incidents', { name, message: `Message of ${name}`, status: 1, visible: 1, component_id: componentId, component_status: 2 });
        if (res.ok) {
          acked.incidents.push(name);
          const id = ((await res.json()) as { data: { id: number } }).data.id;
          const update = `${tag}-update-${n}`;
          const u = await post(`/incidents/${id}/updates`, { status: 2, message: update });
          if (u.ok) acked.updates.push(update);
        }
      } else {
        // Unique values: each acknowledged point is its own row.
        const value = Number(`${tag.replace(/\D/g, '')}${String(n).padStart(6, '0')}`);
        const res = await post(`/metrics/${metricId}/points`, { value });
        if (res.ok) acked.points.push(value);
      }
    } catch {
      return; // the server is gone: whatever was in flight was never acknowledged
    }
  }
}

describe('cairn serve killed with SIGKILL while writing', () => {
  it(`loses no acknowledged write over ${CYCLES} kills, and the store and audit chain stay intact`, async () => {
    expect(existsSync(CLI), 'npm test builds the CLI before the suites run').toBe(true);
    const dataDir = cliStore();
    const setup = openDatabase(dataDir);
    const core = await coreForStore(setup);
    const metric = core.execute(createMetric, localOperator, { name: 'Latency', suffix: 'ms', description: '', defaultValue: 0, threshold: 60 });
    const component = core.execute(createComponent, localOperator, { name: 'API', status: 1 });
    setup.close();
    const keys: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const made = await cli(['apikey', 'create', '--data-dir', dataDir, '--name', `writer ${i}`, '--scopes', 'metrics.write,incidents.write,incidents.publish', '--json']);
      expect(made.code, made.err).toBe(0);
      keys.push((JSON.parse(made.out) as { key: string }).key);
    }

    const acked: Acked = { points: [], incidents: [], updates: [] };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const { child, url } = await startServe(dataDir);
      let dead = false;
      const exited = new Promise<void>((resolve) => child.once('exit', () => ((dead = true), resolve())));
      const writers = keys.map((key, i) => client(url, key, metric.id, component.id, `c${cycle}w${i}`, acked, () => dead));
      // Kill at a random moment once writes are flowing: after at least 10 points and an incident of
      // this run were acknowledged (however busy the machine — other suites run alongside), then
      // 50–1000 ms more (the first incident of a run waits ~0.6 s for the Markdown sanitizer).
      const points = acked.points.length;
      const incidents = acked.incidents.length;
      const flowing = () => acked.points.length >= points + 10 && acked.incidents.length >= incidents + 1;
      for (let waited = 0; !flowing() && waited < 15_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 950)));
      child.kill('SIGKILL');
      await exited;
      await Promise.all(writers);
    }

    expect(acked.points.length).toBeGreaterThanOrEqual(CYCLES * 10);
    expect(acked.incidents.length).toBeGreaterThanOrEqual(CYCLES);
    const db = new Database(`${dataDir}/cairn.sqlite`, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const points = new Set((db.prepare('SELECT value FROM metric_points WHERE metric_id = ?').all(metric.id) as { value: number }[]).map((r) => r.value));
    expect(acked.points.filter((v) => !points.has(v))).toEqual([]);
    const incidents = new Set((db.prepare('SELECT name FROM incidents').all() as { name: string }[]).map((r) => r.name));
    expect(acked.incidents.filter((n) => !incidents.has(n))).toEqual([]);
    const updates = new Set((db.prepare('SELECT message FROM incident_updates').all() as { message: string }[]).map((r) => r.message));
    expect(acked.updates.filter((m) => !updates.has(m))).toEqual([]);
    db.close();

    const verify = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(verify.code, verify.out + verify.err).toBe(0);
  }, 120_000);
});
