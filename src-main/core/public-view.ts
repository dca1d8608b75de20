import { z } from 'zod';
import {
  publicComponents,
  publicGroups,
  publicIncidents,
  publicIncidentUpdates,
  publicMetrics,
  publicSchedules,
  publicStatusHistory,
  type PublicComponentRow,
  type PublicScheduleRow,
} from '../db/public.js';
import { COMPONENT_STATUS } from './components.js';
import { INCIDENT_STATUS } from './incidents.js';
import { defineOperation } from './operation.js';
import { PUBLIC } from './permissions.js';
import { listPublicMetrics, type PublicMetric } from './public-metrics.js';
import { SCHEDULE_STATUS } from './schedules.js';
import { loadSettings } from './settings.js';
import { byComponent, uptimeDays, uptimeOf, type Uptime } from './uptime.js';

/**
 * The one public projection: everything the public may see, and nothing else. The status page,
 * the unauthenticated API, feeds and badges are all built from this, so they cannot disagree
 * about what is visible.
 */

export interface PublicComponent {
  readonly id: number;
  readonly name: string;
  readonly descriptionHtml: string;
  readonly status: number;
  readonly statusName: string;
  readonly link: string | null;
  /** The last 90 days, by day. */
  readonly uptime: Uptime;
}

export interface PublicGroup {
  readonly id: number;
  readonly name: string;
  readonly collapsed: number;
  readonly components: PublicComponent[];
}

export interface PublicIncident {
  readonly id: number;
  readonly name: string;
  readonly messageHtml: string;
  readonly status: number;
  readonly statusName: string;
  readonly stickied: boolean;
  readonly occurredAt: number;
  readonly updatedAt: number;
  /** The latest updates (at most UPDATES_ON_STATUS_PAGE), newest first; the incident's own page has them all. */
  readonly updates: { id: number; status: number; statusName: string; messageHtml: string; createdAt: number }[];
  /** Public updates not in `updates`. */
  readonly earlierUpdates: number;
}

/** How many updates of each incident the status page shows (an outage can run to hundreds). */
export const UPDATES_ON_STATUS_PAGE = 5;

export interface PublicSchedule extends PublicScheduleRow {
  readonly statusName: string;
}

/** Cachet's summary: success when all is well, info for degradation, error for a major outage. */
export interface OverallStatus {
  readonly level: 'success' | 'info' | 'error';
  readonly message: string;
}

export interface PublicStatus {
  readonly siteName: string;
  readonly aboutHtml: string;
  readonly timezone: string;
  readonly locale: string;
  readonly overall: OverallStatus;
  readonly groups: PublicGroup[];
  readonly ungrouped: PublicComponent[];
  readonly incidents: PublicIncident[];
  readonly schedules: PublicSchedule[];
  readonly metrics: PublicMetric[];
  readonly generatedAt: number;
}

const HISTORY_DAYS = 7;

const toComponent = (c: PublicComponentRow, uptime: Uptime): PublicComponent => ({
  id: c.id,
  name: c.name,
  descriptionHtml: c.descriptionHtml,
  status: c.status,
  statusName: COMPONENT_STATUS[c.status as keyof typeof COMPONENT_STATUS] ?? 'Unknown',
  link: c.link,
  uptime,
});

export function overallStatus(components: readonly { status: number }[]): OverallStatus {
  const worst = Math.max(0, ...components.filter((c) => c.status !== 6).map((c) => c.status));
  if (worst >= 4) return { level: 'error', message: 'The system is experiencing major issues' };
  if (worst >= 2) return { level: 'info', message: 'The system is experiencing issues' };
  return { level: 'success', message: 'System operational' };
}

export const getPublicStatus = defineOperation({
  name: 'public.status',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): PublicStatus {
    const settings = loadSettings(ctx.db);
    const components = publicComponents(ctx.db);
    const days = uptimeDays(ctx.now, settings.timezone);
    const history = byComponent(publicStatusHistory(ctx.db, days[0]!));
    const present = (c: PublicComponentRow) => toComponent(c, uptimeOf(history.get(c.id) ?? [], days));
    const groups = publicGroups(ctx.db).map((g) => ({
      ...g,
      components: components.filter((c) => c.groupId === g.id).map(present),
    }));
    const incidentRows = publicIncidents(ctx.db, ctx.now - HISTORY_DAYS * 86_400_000);
    const updates = new Map<number, ReturnType<typeof publicIncidentUpdates>>();
    for (const u of publicIncidentUpdates(ctx.db, incidentRows.map((i) => i.id), UPDATES_ON_STATUS_PAGE)) {
      updates.set(u.incidentId, [...(updates.get(u.incidentId) ?? []), u]);
    }
    const incidents = incidentRows.map((i): PublicIncident => ({
      id: i.id,
      name: i.name,
      messageHtml: i.messageHtml,
      status: i.status,
      statusName: INCIDENT_STATUS[i.status as keyof typeof INCIDENT_STATUS],
      stickied: i.stickied === 1,
      occurredAt: i.occurredAt,
      updatedAt: i.updatedAt,
      updates: (updates.get(i.id) ?? []).map((u) => ({ id: u.id, status: u.status, statusName: INCIDENT_STATUS[u.status as keyof typeof INCIDENT_STATUS], messageHtml: u.messageHtml, createdAt: u.createdAt })),
      earlierUpdates: Math.max(0, (updates.get(i.id)?.[0]?.total ?? 0) - UPDATES_ON_STATUS_PAGE),
    }));
    return {
      siteName: settings.siteName,
      aboutHtml: settings.aboutHtml,
      timezone: settings.timezone,
      locale: settings.locale,
      overall: overallStatus(components),
      groups: groups.filter((g) => g.components.length > 0),
      ungrouped: components.filter((c) => c.groupId === null).map(present),
      incidents,
      schedules: publicSchedules(ctx.db).map((s) => ({ ...s, statusName: SCHEDULE_STATUS[s.status as keyof typeof SCHEDULE_STATUS] })),
      metrics: listPublicMetrics(publicMetrics(ctx.db)),
      generatedAt: ctx.now,
    };
  },
});
