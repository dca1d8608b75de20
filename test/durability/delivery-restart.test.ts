import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncident } from '../../src-main/core/incidents.js';
import { DATABASE_FILE, openDatabase } from '../../src-main/db/connection.js';
import { verifyWebhook } from '../../src-main/notify/signature.js';
import { coreForStore } from '../../src-main/store-core.js';
import { cli, cliStore } from '../helpers/cli.js';
import { startReceiver, until } from '../helpers/notify.js';

/**
 * The delivery worker inside the real `cairn serve` is killed with SIGKILL while webhook deliveries
 * are in flight, then started again. Nothing may be lost (every event reaches the receiver), and
 * anything sent twice must be a delivery that was in flight at the kill, with the same idempotency
 * key (at least once, de-duplicable). Bounded: 40 events, one receiver on 127.0.0.2.
 */

const EVENTS = 40;
const SECRET = 'durability webhook signing secret';

function startServe(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/cairn.js', 'serve', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CAIRN_DELIVERY_INTERVAL_MS: '100' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/serving http/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

describe('delivery worker killed mid-flight', () => {
  it('loses nothing and repeats only what was in flight, under the same idempotency key', async () => {
    const dataDir = cliStore();
    const receiver = await startReceiver('127.0.0.2', 400); // slow answers: deliveries are in flight at the kill
    const settings = ['notifications', 'settings', '--data-dir', dataDir, '--public-url', 'https://status.example.com', '--allow-insecure-http', 'on'];
    expect((await cli([...settings, '--internal-network', '127.0.0.2/32', '--lease-seconds', '5', '--retry-base-seconds', '1'])).code).toBe(0);
    expect((await cli(['notifications', 'webhook', '--data-dir', dataDir, '--url', receiver.url, '--secret-stdin'], `${SECRET}\n`)).code).toBe(0);

    const db = openDatabase(dataDir);
    const core = await coreForStore(db);
    for (let i = 1; i <= EVENTS; i++) core.execute(createIncident, localOperator, { name: `Incident ${i}`, message: 'm', status: 1 });
    db.close();

    const first = await startServe(dataDir);
    await receiver.waitFor(3, 15_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const seenBeforeKill = new Set(receiver.received.map((r) => String(r.headers['idempotency-key'])));

    const second = await startServe(dataDir);
    try {
      const keys = () => new Set(receiver.received.map((r) => String(r.headers['idempotency-key'])));
      await until(() => keys().size >= EVENTS, 40_000, `${EVENTS} distinct deliveries`);
      const store = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      await until(() => (store.prepare("SELECT count(*) AS n FROM outbox_deliveries WHERE state = 'sent'").get() as { n: number }).n === EVENTS, 15_000, 'all settled');
      store.close();
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }

    const byKey = new Map<string, number>();
    for (const r of receiver.received) byKey.set(String(r.headers['idempotency-key']), (byKey.get(String(r.headers['idempotency-key'])) ?? 0) + 1);
    expect(byKey.size).toBe(EVENTS);
    const repeated = [...byKey].filter(([, n]) => n > 1).map(([key]) => key);
    expect(repeated.length).toBeGreaterThan(0); // the kill did land while deliveries were in flight
    expect(repeated.every((key) => seenBeforeKill.has(key))).toBe(true);
    expect(new Set(receiver.received.map((r) => (JSON.parse(r.body) as { title: string }).title)).size).toBe(EVENTS);
    expect(receiver.received.every((r) => verifyWebhook(SECRET, String(r.headers['cairn-signature']), r.body, Date.now(), 120))).toBe(true);
  }, 90_000);
});
