import type { StatusChangeRow } from '../db/public.js';

/**
 * The public uptime history of a component: one entry per calendar day (in the site's timezone)
 * coloured by the worst status the component had that day, and the share of the window it was up.
 */

export const UPTIME_DAYS = 90;
const DAY = 86_400_000;

/** Worse statuses rank higher; maintenance is planned, so it ranks below any degradation. */
const SEVERITY: Readonly<Record<number, number>> = { 0: 0, 1: 1, 6: 2, 2: 3, 3: 4, 4: 5 };
const severity = (status: number) => SEVERITY[status] ?? 0;

export interface UptimeDay {
  /** Start of the day (site timezone), ms UTC. */
  readonly start: number;
  /** The worst status that day, or null before the component existed. */
  readonly worst: number | null;
}

export interface Uptime {
  readonly days: UptimeDay[];
  /** Share of the observed time the component was up, 0–100 (see DOWNTIME_WEIGHT); null with no data. */
  readonly percent: number | null;
}

/**
 * How much of a status's time counts as downtime, as Atlassian Statuspage computes uptime: a major
 * outage fully, a partial outage 30 %; degraded performance, maintenance and operational not at
 * all. Unknown time is not observed.
 */
export const DOWNTIME_WEIGHT: Readonly<Record<number, number>> = { 1: 0, 2: 0, 3: 0.3, 4: 1, 6: 0 };

const zoneClock = new Map<string, Intl.DateTimeFormat>();

/**
 * Start of the calendar day holding `ms` in `timeZone`. Found by subtracting the wall-clock time of
 * day, so on a daylight-saving change day it may be off by the shift (an hour) — harmless for a bar
 * of days.
 */
export function startOfDay(ms: number, timeZone: string): number {
  let f = zoneClock.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zoneClock.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  const sinceMidnight = ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + (ms % 1000);
  return ms - sinceMidnight;
}

/** The first instant of the uptime window ending today: the start of the day `UPTIME_DAYS - 1` days ago. */
export const uptimeWindowStart = (now: number, timeZone: string): number => startOfDay(now - (UPTIME_DAYS - 1) * DAY, timeZone);

/**
 * The day boundaries of the window: the start of each of the `UPTIME_DAYS` days ending today, then
 * `now`. Worked out once per page and shared by every component (each boundary asks Intl).
 */
export function uptimeDays(now: number, timeZone: string): number[] {
  const bounds = [uptimeWindowStart(now, timeZone)];
  for (let d = 1; d < UPTIME_DAYS; d++) bounds.push(startOfDay(bounds[d - 1]! + DAY + DAY / 2, timeZone));
  bounds.push(now);
  return bounds;
}

/**
 * Folds one component's status changes (ordered by time; the first may precede the window) into
 * days and an uptime share over the window `bounds` (from `uptimeDays`).
 */
export function uptimeOf(changes: readonly StatusChangeRow[], bounds: readonly number[]): Uptime {
  const from = bounds[0]!;
  const now = bounds[bounds.length - 1]!;
  const days: UptimeDay[] = [];
  let down = 0;
  let observed = 0;
  let i = 0;
  let current: number | null = null;
  // Advance to the status in force at `from`.
  while (i < changes.length && changes[i]!.changedAt <= from) current = changes[i++]!.status;
  for (let d = 0; d < bounds.length - 1; d++) {
    const start = bounds[d]!;
    const end = bounds[d + 1]!;
    let worst: number | null = current;
    let segmentStart = start;
    const account = (status: number | null, until: number) => {
      const weight = status === null ? undefined : DOWNTIME_WEIGHT[status];
      if (weight === undefined) return;
      const span = Math.max(0, Math.min(until, now) - segmentStart);
      observed += span;
      down += span * weight;
    };
    while (i < changes.length && changes[i]!.changedAt < end) {
      const change = changes[i++]!;
      account(current, change.changedAt);
      segmentStart = change.changedAt;
      current = change.status;
      if (worst === null || severity(current) > severity(worst)) worst = current;
    }
    account(current, end);
    days.push({ start, worst });
  }
  return { days, percent: observed > 0 ? (1 - down / observed) * 100 : null };
}

/** Splits ordered rows of many components into one list per component id. */
export function byComponent(rows: readonly StatusChangeRow[]): Map<number, StatusChangeRow[]> {
  const map = new Map<number, StatusChangeRow[]>();
  for (const row of rows) {
    let list = map.get(row.componentId);
    if (!list) map.set(row.componentId, (list = []));
    list.push(row);
  }
  return map;
}
