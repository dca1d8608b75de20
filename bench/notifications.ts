/**
 * What notifications cost, each against a baseline measured in the same run:
 * 1. publishing an incident while e-mail is on (the event row written in the same transaction)
 *    against the same publication with every provider off;
 * 2. fanning one event out to 10,000 confirmed subscribers (one claim);
 * 3. delivery throughput of the worker (claim → render → nodemailer → settle) to an SMTP server on
 *    127.0.0.1, against nodemailer alone sending the same number of messages at the same concurrency.
 * Run: npm run bench:notifications
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { localOperator, systemActor } from '../src-main/core/actor.js';
import { Core } from '../src-main/core/core.js';
import { createIncident } from '../src-main/core/incidents.js';
import type { ProviderSecrets } from '../src-main/core/keys.js';
import { configureProvider } from '../src-main/core/notifications/providers.js';
import { WORKER_OPERATIONS } from '../src-main/core/notifications/registry.js';
import { updateNotificationSettings } from '../src-main/core/notifications/settings.js';
import { openDatabase } from '../src-main/db/connection.js';
import { DeliveryWorker } from '../src-main/notify/worker.js';

const SUBSCRIBERS = 10_000;
const DELIVERIES = 2_000;
const keys = { totpEncryption: randomBytes(32), apiKeyPepper: randomBytes(32), auditChain: randomBytes(32), subscriberLinks: randomBytes(32) };
const memory = new Map<string, string>();
const secrets: ProviderSecrets = { get: async (k) => memory.get(k) ?? null, set: async (k, v) => void memory.set(k, v), delete: async (k) => memory.delete(k) };

let received = 0;
const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (stream, _s, done) => stream.on('data', () => undefined).on('end', () => (received++, done())) });
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const port = (smtp.server.address() as { port: number }).port;

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-notify-'));
const db = openDatabase(dir);
const core = new Core({ db, keys: () => Promise.resolve(keys), auditKey: keys.auditChain, providerSecrets: secrets });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timePublications(runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    core.execute(createIncident, localOperator, { name: `Incident ${i}`, message: 'Looking into it', status: 1 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

try {
  console.log(`node ${process.version}; ${SUBSCRIBERS} subscribers, ${DELIVERIES} deliveries, SMTP on 127.0.0.1:${port}`);
  const insert = db.prepare('INSERT INTO subscribers (email, verified_at, created_at, updated_at) VALUES (?, 1, 1, 1)');
  db.transaction(() => {
    for (let i = 0; i < SUBSCRIBERS; i++) insert.run(`reader${i}@example.com`);
  })();

  // 1. The write path.
  timePublications(50); // warm-up
  const off = timePublications(300);
  core.execute(updateNotificationSettings, localOperator, { publicUrl: 'https://status.example.com' });
  await core.executeAsync(configureProvider, localOperator, { kind: 'smtp', config: { host: '127.0.0.1', port, security: 'none', fromAddress: 'status@example.com', fromName: 'Status' } });
  const on = timePublications(300);
  console.log(`publish an incident, every provider off            median ${off.toFixed(3)} ms`);
  console.log(`publish an incident, e-mail on (+ outbox event)     median ${on.toFixed(3)} ms`);
  console.log(`  → e-mail on / off: ${(on / off).toFixed(2)}×`);

  // 2. Fan-out of the 300 events just written is too much for one claim; start from one event.
  db.prepare('DELETE FROM outbox_events').run();
  core.execute(createIncident, localOperator, { name: 'Fan-out', message: 'One event', status: 1 });
  const fanStart = process.hrtime.bigint();
  await core.executeAsync(WORKER_OPERATIONS.claimDeliveries, systemActor, { limit: 1 });
  const fanMs = Number(process.hrtime.bigint() - fanStart) / 1e6;
  console.log(`fan one event out to ${SUBSCRIBERS} subscribers (one claim) ${fanMs.toFixed(0)} ms (${((fanMs / SUBSCRIBERS) * 1000).toFixed(1)} µs per delivery)`);

  // 3. Delivery throughput: the worker against nodemailer alone, same concurrency (one claim's batch, 25).
  db.prepare(`UPDATE outbox_deliveries SET lease_until = NULL WHERE id IN (SELECT id FROM outbox_deliveries ORDER BY id LIMIT ${DELIVERIES})`).run();
  db.prepare(`DELETE FROM outbox_deliveries WHERE id NOT IN (SELECT id FROM outbox_deliveries ORDER BY id LIMIT ${DELIVERIES})`).run();
  const worker = new DeliveryWorker(core);
  received = 0;
  const workerStart = performance.now();
  while (received < DELIVERIES) {
    if ((await worker.tick()) === 0) break;
  }
  const workerRate = received / ((performance.now() - workerStart) / 1000);

  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  received = 0;
  const rawStart = performance.now();
  for (let sent = 0; sent < DELIVERIES; sent += 25) {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => transport.sendMail({ from: 'status@example.com', to: `reader${sent + i}@example.com`, subject: 'x', text: 'y', html: '<p>y</p>' })),
    );
  }
  const rawRate = received / ((performance.now() - rawStart) / 1000);
  transport.close();
  console.log(`worker: claim, render, send, settle                 ${workerRate.toFixed(0)} mails/s`);
  console.log(`nodemailer alone, same concurrency (baseline)       ${rawRate.toFixed(0)} mails/s`);
  console.log(`  → worker / nodemailer alone: ${(workerRate / rawRate).toFixed(2)}×`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
}
