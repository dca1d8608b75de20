import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { updateComponent } from '../../src-main/core/components.js';
import { getPublicStatus } from '../../src-main/core/public-view.js';
import { startOfDay, UPTIME_DAYS, uptimeDays, uptimeOf as uptimeFor } from '../../src-main/core/uptime.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup } from '../helpers/world.js';

/** The 90-day uptime bar: days in the site's timezone, worst status per day, Statuspage's weighting. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const visitor = anonymous({ kind: 'web', ip: '127.0.0.1' });
const change = (status: number, changedAt: number) => ({ componentId: 1, status, changedAt });
const uptimeOf = (changes: Parameters<typeof uptimeFor>[0], now: number, timeZone: string) => uptimeFor(changes, uptimeDays(now, timeZone));

describe('uptime', () => {
  it('finds the start of a day in the site timezone', () => {
    const at = Date.UTC(2026, 11, 4, 1, 30); // 02:30 in Berlin, 20:30 the day before in New York
    expect(startOfDay(at, 'UTC')).toBe(Date.UTC(2026, 11, 4));
    expect(startOfDay(at, 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 3, 23));
    expect(startOfDay(at, 'America/New_York')).toBe(Date.UTC(2026, 11, 3, 5));
  });

  it('has 90 day boundaries ending today, then now; in a zone with summer time each day still starts at local midnight', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const bounds = uptimeDays(now, 'UTC');
    expect(bounds).toHaveLength(UPTIME_DAYS + 1);
    expect(bounds.at(-1)).toBe(now);
    expect(bounds.at(-2)).toBe(Date.UTC(2026, 11, 4));
    // 90 days back from 4 Dec crosses the end of summer time in Berlin (25 Oct): both sides at midnight local time.
    const berlin = uptimeDays(now, 'Europe/Berlin');
    expect(berlin[0]).toBe(Date.UTC(2026, 8, 5, 22));
    expect(berlin.at(-2)).toBe(Date.UTC(2026, 11, 3, 23));
  });

  it('has 90 days ending today; before the first change there is no data, and no data is no percentage', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const empty = uptimeOf([], now, 'UTC');
    expect(empty.days).toHaveLength(UPTIME_DAYS);
    expect(empty.days.every((d) => d.worst === null)).toBe(true);
    expect(empty.percent).toBeNull();
    expect(empty.days.at(-1)!.start).toBe(Date.UTC(2026, 11, 4));
    expect(empty.days[0]!.start).toBe(Date.UTC(2026, 11, 4) - 89 * DAY);

    const created = uptimeOf([change(1, now - 2 * DAY)], now, 'UTC');
    expect(created.days.slice(-3).map((d) => d.worst)).toEqual([1, 1, 1]);
    expect(created.days.at(-4)!.worst).toBeNull();
    expect(created.percent).toBe(100);
  });

  it('colours a day by its worst status, carries the status in force into the window, and weights downtime like Statuspage', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const today = Date.UTC(2026, 11, 4);
    const changes = [
      change(3, today - 200 * DAY), // a partial outage long before the window, still in force at its start
      change(1, today - 89 * DAY + 12 * HOUR),
      change(4, today - DAY + 6 * HOUR), // yesterday: 6 hours of major outage
      change(1, today - DAY + 12 * HOUR),
      change(6, today + 6 * HOUR), // today: maintenance (planned, not downtime)
    ];
    const u = uptimeOf(changes, now, 'UTC');
    expect(u.days[0]!.worst).toBe(3);
    expect(u.days[1]!.worst).toBe(1);
    expect(u.days.at(-2)!.worst).toBe(4);
    expect(u.days.at(-1)!.worst).toBe(6);
    const observed = now - (today - 89 * DAY);
    const down = 12 * HOUR * 0.3 + 6 * HOUR;
    expect(u.percent).toBeCloseTo((1 - down / observed) * 100, 6);
  });

  it('does not count degraded performance as downtime, but shows it as the day’s colour', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const u = uptimeOf([change(1, now - 10 * DAY), change(2, now - 2 * HOUR)], now, 'UTC');
    expect(u.days.at(-1)!.worst).toBe(2);
    expect(u.percent).toBe(100);
  });

  it('ignores a change dated in the future', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const u = uptimeOf([change(1, now - DAY), change(4, now + HOUR)], now, 'UTC');
    expect(u.days.at(-1)!.worst).toBe(1);
    expect(u.percent).toBe(100);
  });

  it('comes from the recorded status history, for public components only', () => {
    const { core, clock } = testCore();
    const members = aGroup(core, { name: 'Members', visible: 0 });
    const api = aComponent(core, { name: 'API' });
    aComponent(core, { name: 'Hidden', groupId: members.id });
    clock.advance(DAY);
    core.execute(updateComponent, localOperator, { id: api.id, status: 4 });
    clock.advance(2 * HOUR);
    core.execute(updateComponent, localOperator, { id: api.id, status: 1 });
    clock.advance(2 * HOUR);
    const status = core.execute(getPublicStatus, visitor, {});
    expect(status.groups).toHaveLength(0);
    const [component] = status.ungrouped;
    expect(component!.uptime.days.filter((d) => d.worst === 4)).toHaveLength(1);
    expect(component!.uptime.percent).toBeCloseTo((1 - 2 / 28) * 100, 6);
  });
});
