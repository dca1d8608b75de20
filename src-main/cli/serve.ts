import { z } from 'zod';
import { localOperator, systemActor } from '../core/actor.js';
import { listDueIncidents, publishDueIncidents } from '../core/approvals.js';
import type { Core } from '../core/core.js';
import { toPublicError } from '../core/errors.js';
import { recordServerStart } from '../core/posture.js';
import { resolveDataDir } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { coreForStore, warnUnlessAuditIntact } from '../store-core.js';
import { buildServer } from '../http/server.js';
import { listenWide, type Listening } from '../http/wide-accept.js';
import { DeliveryWorker } from '../notify/worker.js';
import { defineCommand } from './command.js';
import { dataDirOption, hostOption, portOption } from './options.js';

/** Publishes scheduled drafts that are due (and approved, under the two-person rule). */
function publishDue(core: Core, warn: (line: string) => void): void {
  try {
    if (core.execute(listDueIncidents, systemActor, {}).ready.length > 0) core.execute(publishDueIncidents, systemActor, {});
  } catch (err) {
    warn(`scheduled publication failed: ${toPublicError(err).message}`);
  }
}

/** How often the delivery worker looks at the outbox: CAIRN_DELIVERY_INTERVAL_MS (100 ms to 1 min), else its default. */
function deliveryIntervalMs(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = Number(env.CAIRN_DELIVERY_INTERVAL_MS);
  return Number.isInteger(value) && value >= 100 && value <= 60_000 ? value : undefined;
}

export const serve = defineCommand({
  name: 'serve',
  summary: 'serve the public status page and the API over HTTP',
  usage: [
    '--data-dir D   data folder (default: $CAIRN_DATA_DIR or the per-user app-data folder)',
    '--host H       address to listen on (default 127.0.0.1)',
    '--port P       port to listen on, 0 for any free one (default 8080)',
    '--allowed-host N  answer only requests for this Host (repeat for several; e.g. status.example.com)',
  ],
  options: { 'data-dir': { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'allowed-host': { type: 'string', multiple: true } },
  schema: z.strictObject({
    'data-dir': dataDirOption,
    host: hostOption.default('127.0.0.1'),
    port: portOption.default(8080),
    'allowed-host': z.array(z.string().max(260).regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a host name, optionally with :port')).max(20).optional(),
  }),
  async run(args, io) {
    const dataDir = resolveDataDir(args['data-dir'], io.env);
    const db = openDatabase(dataDir);
    const allowedHosts = args['allowed-host'];
    const core = await coreForStore(db);
    await warnUnlessAuditIntact(core, io.err);
    const app = buildServer({ core, logger: io.env.CAIRN_LOG === '1', ...(allowedHosts ? { allowedHosts } : {}) });
    const interval = deliveryIntervalMs(io.env);
    const deliveries = new DeliveryWorker(core, { log: io.err, ...(interval ? { intervalMs: interval } : {}) });
    let listening: Listening | undefined;
    try {
      listening = await listenWide(app, { host: args.host, port: args.port }, io.err);
      const { url } = listening;
      core.execute(recordServerStart, localOperator, { host: args.host, port: Number(new URL(url).port), allowedHosts: allowedHosts ?? [] });
      const scheduler = setInterval(() => publishDue(core, io.err), 30_000);
      scheduler.unref();
      deliveries.start();
      io.signal.addEventListener('abort', () => clearInterval(scheduler), { once: true });
      io.out(io.json ? JSON.stringify({ event: 'listening', url, dataDir }) : `Cairn is serving ${url} (data: ${dataDir}); stop with Ctrl-C`);
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        else io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await deliveries.stop();
      await (listening ? listening.close() : app.close());
      db.close();
    }
    return { json: { event: 'stopped' }, text: 'Cairn stopped' };
  },
});
