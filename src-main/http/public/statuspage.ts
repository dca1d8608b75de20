import type { PublicComponent, PublicStatus } from '../../core/public-view.js';

/**
 * Atlassian Statuspage's public v2 JSON (`/api/v2/status.json`, `/api/v2/summary.json`), so the many
 * tools that already read Statuspage pages read a Cairn page unchanged. Built from the same public
 * projection as the page.
 */

const COMPONENT: Record<number, string> = {
  1: 'operational',
  2: 'degraded_performance',
  3: 'partial_outage',
  4: 'major_outage',
  6: 'under_maintenance',
  // Statuspage has no "unknown"; not knowing is not claimed as operational.
  0: 'degraded_performance',
};
const INCIDENT: Record<number, string> = { 0: 'investigating', 1: 'investigating', 2: 'identified', 3: 'monitoring', 4: 'resolved' };
const SCHEDULE: Record<number, string> = { 0: 'scheduled', 1: 'in_progress', 2: 'completed' };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function indicator(status: PublicStatus): { indicator: string; description: string } {
  const components = [...status.ungrouped, ...status.groups.flatMap((g) => g.components)].filter((c) => c.status !== 6);
  const worst = Math.max(0, ...components.map((c) => c.status));
  if (worst >= 4) return { indicator: 'critical', description: 'Major System Outage' };
  if (worst === 3) return { indicator: 'major', description: 'Partial System Outage' };
  if (worst === 2) return { indicator: 'minor', description: 'Minor Service Outage' };
  return { indicator: 'none', description: 'All Systems Operational' };
}

const page = (status: PublicStatus, absolute: Absolute) => ({ id: 'cairn', name: status.siteName, url: absolute('/'), time_zone: status.timezone, updated_at: iso(status.generatedAt) });

/** The absolute URL of a site path. */
export type Absolute = (path: string) => string;

export function statusJson(status: PublicStatus, absolute: Absolute) {
  return { page: page(status, absolute), status: indicator(status) };
}

export function summaryJson(status: PublicStatus, absolute: Absolute) {
  let position = 0;
  const component = (c: PublicComponent, groupId: string | null) => ({
    id: String(c.id),
    name: c.name,
    status: COMPONENT[c.status] ?? 'degraded_performance',
    position: ++position,
    description: null,
    group_id: groupId,
    group: false,
    only_show_if_degraded: false,
    page_id: 'cairn',
  });
  const components = [
    ...status.ungrouped.map((c) => component(c, null)),
    ...status.groups.flatMap((g) => {
      const id = `group-${g.id}`;
      const children = g.components.map((c) => component(c, id));
      return [{ id, name: g.name, status: children.some((c) => c.status !== 'operational') ? 'degraded_performance' : 'operational', position: ++position, description: null, group_id: null, group: true, only_show_if_degraded: false, page_id: 'cairn', components: children.map((c) => c.id) }, ...children];
    }),
  ];
  const impact = indicator(status).indicator;
  return {
    page: page(status, absolute),
    status: indicator(status),
    components,
    incidents: status.incidents
      .filter((i) => i.status !== 4)
      .map((i) => ({
        id: String(i.id),
        name: i.name,
        status: INCIDENT[i.status] ?? 'investigating',
        impact,
        created_at: iso(i.occurredAt),
        updated_at: iso(i.updatedAt),
        started_at: iso(i.occurredAt),
        resolved_at: null,
        shortlink: absolute(`/incidents/${i.id}`),
        page_id: 'cairn',
        incident_updates: i.updates.map((u) => ({ id: String(u.id), status: INCIDENT[u.status] ?? 'investigating', body: u.messageHtml, created_at: iso(u.createdAt), updated_at: iso(u.createdAt) })),
      })),
    scheduled_maintenances: status.schedules.map((s) => ({
      id: String(s.id),
      name: s.name,
      status: SCHEDULE[s.status] ?? 'scheduled',
      scheduled_for: iso(s.scheduledAt),
      scheduled_until: iso(s.completedAt),
      shortlink: absolute(`/schedules/${s.id}`),
      page_id: 'cairn',
    })),
  };
}
