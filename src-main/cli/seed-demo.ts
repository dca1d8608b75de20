import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { createComponent, createGroup, listComponentsOp } from '../core/components.js';
import type { Core } from '../core/core.js';
import { CairnError } from '../core/errors.js';
import { createIncident, createIncidentUpdate, listIncidentsOp } from '../core/incidents.js';
import { addMetricPointOp, createMetric } from '../core/metrics.js';
import type { Operation } from '../core/operation.js';
import { createSchedule } from '../core/schedules.js';
import { updateSettings } from '../core/settings.js';
import { openDatabase } from '../db/connection.js';
import { coreForStore } from '../store-core.js';
import { resolveDataDir } from '../config.js';
import { defineCommand } from './command.js';
import { dataDirOption, dataDirUsage } from './options.js';

const HOUR = 3_600_000;
const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * A realistic store for a first look: groups and components, a resolved and an open incident with
 * updates, upcoming maintenance, and a metric with a week of points. Everything goes through the
 * core as the local operator, so it is audited like any other change.
 */
export function seedDemo(core: Core, now: number): { components: number; incidents: number; schedules: number; metricPoints: number } {
  const run = <S extends z.ZodType, O>(op: Operation<S, O>, input: z.input<S>): O => core.execute(op, localOperator, input);

  run(updateSettings, {
    siteName: 'Acme Cloud',
    about: 'Live status of **Acme Cloud** services. Subscribe to be told about incidents and maintenance.',
    timezone: 'Europe/Berlin',
  });
  const web = run(createGroup, { name: 'Website', order: 1 });
  const api = run(createGroup, { name: 'API', order: 2 });
  const infra = run(createGroup, { name: 'Infrastructure', order: 3, collapsed: 2 });
  const specs: [string, number, number, string][] = [
    ['Marketing site', web.id, 1, 'https://www.example.com'],
    ['Customer dashboard', web.id, 1, 'https://app.example.com'],
    ['REST API', api.id, 2, 'https://api.example.com'],
    ['Webhooks', api.id, 1, 'https://api.example.com/webhooks'],
    ['Database cluster', infra.id, 1, ''],
    ['Object storage', infra.id, 1, ''],
  ];
  const components = specs.map(([name, groupId, status, link], order) =>
    run(createComponent, { name, groupId, status, order, link: link || null, tags: 'demo', description: `The ${name.toLowerCase()}.` }),
  );
  const restApi = components[2]!;

  const resolved = run(createIncident, {
    name: 'Elevated error rates on login',
    message: 'Some customers could not sign in to the dashboard.',
    status: 1,
    occurredAt: seconds(now - 30 * HOUR),
  });
  run(createIncidentUpdate, { incidentId: resolved.id, status: 2, message: 'A misconfigured load balancer rule was identified.' });
  run(createIncidentUpdate, { incidentId: resolved.id, status: 4, message: 'The rule was rolled back; sign-in works normally again.' });

  const open = run(createIncident, {
    name: 'Slow API responses in eu-west',
    message: 'We are investigating increased latency on the REST API.',
    status: 1,
    componentId: restApi.id,
    componentStatus: 2,
    occurredAt: seconds(now - 2 * HOUR),
  });
  run(createIncidentUpdate, { incidentId: open.id, status: 2, message: 'A saturated database replica is the cause; traffic is being shifted.' });

  run(createSchedule, {
    name: 'Database cluster upgrade',
    message: 'The database cluster is upgraded to the next minor version. Brief read-only periods are expected.',
    scheduledAt: seconds(now + 48 * HOUR),
    completedAt: seconds(now + 50 * HOUR),
    components: { [String(components[4]!.id)]: 6 },
  });

  const latency = run(createMetric, { name: 'API response time', suffix: 'ms', description: 'Median response time of the REST API', defaultValue: 0, calcType: 1, threshold: 5 });
  let points = 0;
  for (let t = now - 7 * 24 * HOUR; t <= now; t += HOUR / 2) {
    const hour = new Date(t).getUTCHours();
    const value = Math.round(80 + 40 * Math.sin((hour / 24) * 2 * Math.PI) + ((t / HOUR) % 7) * 3);
    run(addMetricPointOp, { metricId: latency.id, value, timestamp: seconds(t) });
    points += 1;
  }
  return { components: components.length, incidents: 2, schedules: 1, metricPoints: points };
}

export const seedDemoCommand = defineCommand({
  name: 'seed-demo',
  summary: 'fill an empty store with a realistic demo',
  usage: [
    dataDirUsage,
    '--keep-existing   if the store already has data, leave it as is and succeed',
  ],
  options: { 'data-dir': { type: 'string' }, 'keep-existing': { type: 'boolean' } },
  schema: z.strictObject({ 'data-dir': dataDirOption, 'keep-existing': z.boolean().default(false) }),
  async run(args, io) {
    const dataDir = resolveDataDir(args['data-dir'], io.env);
    const db = openDatabase(dataDir);
    try {
      const core = await coreForStore(db);
      const existing =
        core.execute(listComponentsOp, localOperator, { perPage: 1 }).total + core.execute(listIncidentsOp, localOperator, { perPage: 1 }).total;
      if (existing > 0 && args['keep-existing']) {
        return { json: { dataDir, seeded: false }, text: `The store in ${dataDir} already has data; left as is` };
      }
      if (existing > 0) throw new CairnError('conflict', `The store in ${dataDir} already has data; seed-demo only fills an empty store`);
      const counts = seedDemo(core, core.clock.now());
      return {
        json: { dataDir, seeded: true, ...counts },
        text: `Seeded ${dataDir}: ${counts.components} components, ${counts.incidents} incidents, ${counts.schedules} maintenance, ${counts.metricPoints} metric points`,
      };
    } finally {
      db.close();
    }
  },
});
