import type { Actor } from '../../core/actor.js';
import { COMPONENT_STATUS } from '../../core/components.js';
import type { Core } from '../../core/core.js';
import { getPublicMetricSeries, type MetricViewName } from '../../core/public-metrics.js';
import { getPublicStatus } from '../../core/public-view.js';
import { getPublicLogo, getSiteInfo } from '../../core/settings.js';
import { getVisibleComponent, getVisibleGroup, getVisibleIncident, getVisibleSchedule, listVisibleIncidents } from '../../core/visible-reads.js';
import { renderBadge, type BadgeTone } from './badge.js';
import { renderAtom, renderRss } from './feeds.js';
import { frameFor, type SiteFrame } from './layout.js';
import { renderHistoryPage, renderIncidentPage, renderNotFoundPage, renderSchedulePage } from './pages.js';
import { renderStatusPage } from './status-page.js';
import { statusJson, summaryJson, type Absolute } from './statuspage.js';

/**
 * Every public output, built from the core's public reads as an anonymous visitor (so exactly the
 * public projection). The server serves these from its page cache; `cairn export-static` writes
 * them to files. Reads of something the public may not see throw the core's not_found.
 */

export const CONTENT_TYPE = {
  html: 'text/html; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

export const HISTORY_PAGE_SIZE = 20;
const FEED_SIZE = 50;

export type FeedKind = 'atom' | 'rss';

export class PublicSite {
  constructor(
    private readonly core: Core,
    private readonly visitor: Actor,
  ) {}

  frame(link: (path: string) => string): SiteFrame {
    return frameFor(this.info(), link);
  }

  info() {
    return this.core.execute(getSiteInfo, this.visitor, {});
  }

  status() {
    return this.core.execute(getPublicStatus, this.visitor, {});
  }

  home(frame: SiteFrame): string {
    return renderStatusPage(frame, this.status());
  }

  incident(frame: SiteFrame, id: number): string {
    return renderIncidentPage(frame, this.core.execute(getVisibleIncident, this.visitor, { id }));
  }

  schedule(frame: SiteFrame, id: number): string {
    return renderSchedulePage(frame, this.core.execute(getVisibleSchedule, this.visitor, { id }));
  }

  history(frame: SiteFrame, page: number): string {
    return renderHistoryPage(frame, this.incidents(page, HISTORY_PAGE_SIZE));
  }

  notFound(frame: SiteFrame): string {
    return renderNotFoundPage(frame);
  }

  /** Published incidents, newest first. */
  incidents(page: number, perPage: number) {
    return this.core.execute(listVisibleIncidents, this.visitor, { page, perPage, sort: 'occurredAt', order: 'desc' });
  }

  /** The site feed, or one group's (incidents of its public components); `absolute` makes its links. */
  feed(kind: FeedKind, absolute: Absolute, path: string, groupId?: number): string {
    const { siteName } = this.info();
    let incidents = this.incidents(1, FEED_SIZE).items;
    let title = `${siteName} status`;
    if (groupId !== undefined) {
      const group = this.core.execute(getVisibleGroup, this.visitor, { id: groupId });
      const members = new Set(group.enabledComponents.map((c) => c.id));
      incidents = incidents.filter((i) => i.componentId !== null && members.has(i.componentId));
      title = `${siteName} status: ${group.name}`;
    }
    const render = kind === 'atom' ? renderAtom : renderRss;
    return render({ title, absolute, path, incidents, now: this.core.clock.now() });
  }

  badge(): string {
    const { overall } = this.status();
    const message = overall.level === 'success' ? 'operational' : overall.level === 'info' ? 'degraded' : 'major outage';
    return renderBadge('status', message, overall.level);
  }

  componentBadge(id: number): string {
    const c = this.core.execute(getVisibleComponent, this.visitor, { id });
    const tone: BadgeTone = c.status === 1 ? 'success' : c.status === 6 ? 'maintenance' : c.status === 4 ? 'error' : c.status === 0 ? 'unknown' : 'info';
    return renderBadge(c.name, (COMPONENT_STATUS[c.status as keyof typeof COMPONENT_STATUS] ?? 'Unknown').toLowerCase(), tone);
  }

  statusJson(absolute: Absolute): string {
    return JSON.stringify(statusJson(this.status(), absolute));
  }

  summaryJson(absolute: Absolute): string {
    return JSON.stringify(summaryJson(this.status(), absolute));
  }

  /** The theme stylesheet: custom properties from the validated colours, nothing else. */
  themeCss(): string {
    const { accentColor, accentColorDark } = this.info();
    return `:root { --accent: ${accentColor}; }\n@media (prefers-color-scheme: dark) { :root { --accent: ${accentColorDark}; } }\n`;
  }

  logo(): { type: string; bytes: Buffer; path: string } {
    return this.core.execute(getPublicLogo, this.visitor, {});
  }

  metricSeries(id: number, view: MetricViewName): string {
    return JSON.stringify(this.core.execute(getPublicMetricSeries, this.visitor, { id, view }));
  }
}
