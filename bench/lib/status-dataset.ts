import { localOperator } from '../../src-main/core/actor.js';
import { createComponent, createGroup } from '../../src-main/core/components.js';
import type { Core } from '../../src-main/core/core.js';
import { createIncident, createIncidentUpdate } from '../../src-main/core/incidents.js';
import { createMetric } from '../../src-main/core/metrics.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { recordComponentStatus } from '../../src-main/db/components.js';
import { addMetricPoint } from '../../src-main/db/metrics.js';

/**
 * A realistic large status page: 20 components in 4 groups with 90 days of status history, 10k
 * published incidents (each with an update) over the years, and 1M metric points. Components,
 * incidents and metrics go through the core like any write (sanitized Markdown, audit entries);
 * the status history and the metric points are bulk-loaded through the store's own functions,
 * because a million audited API posts would only measure the loader.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface DatasetSize {
  readonly incidents: number;
  readonly metricPoints: number;
}

export function buildStatusDataset(core: Core, size: DatasetSize, log: (line: string) => void): { metricIds: number[] } {
  const now = core.clock.now();
  core.execute(updateSettings, localOperator, { siteName: 'Bench Cloud', about: 'Live status of **Bench Cloud** services.' });
  const components: number[] = [];
  for (let g = 1; g <= 4; g++) {
    const group = core.execute(createGroup, localOperator, { name: `Region ${g}`, collapsed: g === 4 ? 2 : 0 });
    for (let c = 1; c <= 5; c++) {
      components.push(core.execute(createComponent, localOperator, { name: `Service ${g}.${c}`, status: 1, groupId: group.id, description: 'A *service* with a [runbook](https://example.com/runbook).' }).id);
    }
  }
  // 90 days of history: every component has an incident-shaped dip every few days.
  core.db.transaction(() => {
    components.forEach((id, i) => {
      for (let day = 90; day > 0; day--) {
        if ((day + i) % 7 !== 0) continue;
        const start = now - day * DAY + ((i * 37) % 600) * MINUTE;
        recordComponentStatus(core.db, id, 2 + ((day + i) % 3), start);
        recordComponentStatus(core.db, id, 1, start + (30 + ((day * i) % 90)) * MINUTE);
      }
    });
  })();
  log(`  components, groups and 90 days of status history in place`);

  const step = Math.floor((3 * 365 * DAY) / size.incidents);
  for (let n = 0; n < size.incidents; n++) {
    const occurredAt = Math.floor((now - (size.incidents - n) * step) / 1000);
    const incident = core.execute(createIncident, localOperator, {
      name: `Elevated error rate on service ${1 + (n % 20)} (#${n + 1})`,
      message: 'We are **investigating** elevated error rates. See the [runbook](https://example.com/runbook).',
      status: 4,
      componentId: components[n % 20],
      occurredAt,
    });
    core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 4, message: 'A configuration change was *rolled back*; all requests succeed again.' });
    if ((n + 1) % 2000 === 0) log(`  ${n + 1} incidents`);
  }

  const metricIds: number[] = [];
  const perMetric = Math.floor(size.metricPoints / 4);
  for (let m = 0; m < 4; m++) {
    const metric = core.execute(createMetric, localOperator, {
      name: ['API latency', 'Error rate', 'Queue depth', 'Requests'][m]!,
      suffix: ['ms', '%', '', 'req/s'][m]!,
      description: 'Measured at the edge',
      defaultValue: 0,
      calcType: m === 3 ? 0 : 1,
      displayChart: true,
      visible: m < 2 ? 1 : 0,
      threshold: 1,
      defaultView: m,
    });
    metricIds.push(metric.id);
    core.db.transaction(() => {
      for (let p = 0; p < perMetric; p++) {
        const at = now - (perMetric - p) * MINUTE;
        addMetricPoint(core.db, metric.id, 50 + ((p * 7919) % 100), at - (at % MINUTE), at);
      }
    })();
    log(`  metric ${m + 1}: ${perMetric} points`);
  }
  return { metricIds };
}
