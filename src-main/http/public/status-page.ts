import type { PublicMetric } from '../../core/public-metrics.js';
import type { PublicComponent, PublicGroup, PublicStatus } from '../../core/public-view.js';
import type { Uptime, UptimeDay } from '../../core/uptime.js';
import { COMPONENT_STATUS } from '../../core/components.js';
import { html, safe, type SafeHtml } from '../../core/html.js';
import { formatDay, layout, timeTag, type SiteFrame } from './layout.js';

/**
 * The public status page, rendered on the server from the public projection. It is complete with
 * JavaScript off; the one script (charts) only draws over data the page already states as text.
 * Sanitized Markdown HTML (rendered once at write time) is the only HTML inserted unescaped.
 */

export const STATUS_CLASS: Record<number, string> = { 0: 'unknown', 1: 'operational', 2: 'performance', 3: 'partial', 4: 'major', 6: 'maintenance' };
/** uPlot, then our script that draws each figure's series with it. */
export const CHARTS_SCRIPTS = ['/assets/uplot.js', '/assets/charts.js'];

const statusName = (status: number) => COMPONENT_STATUS[status as keyof typeof COMPONENT_STATUS] ?? 'Unknown';
const percentText = (percent: number) => `${percent >= 99.995 ? '100' : percent.toFixed(2)} %`;

/**
 * 90 days as a bar of one small element per day, coloured by the stylesheet. It is one image to
 * assistive technology, whose text alternative names the uptime and every day that had an issue;
 * those days also carry their date and status as a tooltip. (Kept lean: 20 components are 1,800
 * days on the page.)
 */
function uptimeBar(site: SiteFrame, name: string, uptime: Uptime): SafeHtml {
  const { t } = site;
  if (uptime.percent === null) return html`<p class="uptime-summary">${t.uptimeNoData}</p>`;
  const percent = percentText(uptime.percent);
  const issueDays = uptime.days.filter((d) => d.worst !== null && d.worst !== 1);
  const described = issueDays.length === 0 ? t.uptimeNoIssueDays : t.uptimeIssueDays(issueDays.map((d) => `${formatDay(d.start, site)} ${statusName(d.worst!).toLowerCase()}`).join(', '));
  const day = (d: UptimeDay) =>
    d.worst === null || d.worst === 1
      ? html`<i class="day-${d.worst === null ? 'none' : 'operational'}"></i>`
      : html`<i class="day-${STATUS_CLASS[d.worst] ?? 'unknown'}" title="${formatDay(d.start, site)}: ${statusName(d.worst)}"></i>`;
  return html`
          <div class="uptime">
            <div class="uptime-bar" role="img" aria-label="${t.uptimeLabel(name, percent)}. ${described}">${uptime.days.map(day)}</div>
            <p class="uptime-legend" aria-hidden="true"><span>${t.daysAgo}</span><span>${t.uptimePercent(percent)}</span><span>${t.today}</span></p>
          </div>`;
}

const componentItem = (site: SiteFrame) => (c: PublicComponent): SafeHtml => html`
        <li class="component status-${STATUS_CLASS[c.status] ?? 'unknown'}">
          <div class="component-line">
            <span class="component-name">${c.link ? html`<a href="${c.link}" rel="noopener noreferrer nofollow">${c.name}</a>` : c.name}</span>
            <span class="component-status">${c.statusName}</span>
          </div>${c.descriptionHtml ? html`
          <div class="component-description">${safe(c.descriptionHtml)}</div>` : ''}${uptimeBar(site, c.name, c.uptime)}
        </li>`;

/** Cachet's collapsed modes: 0 always open, 1 always collapsed, 2 collapsed unless a component has an issue. */
function group(site: SiteFrame, g: PublicGroup): SafeHtml {
  const items = html`<ul class="components">${g.components.map(componentItem(site))}
        </ul>`;
  if (g.collapsed === 0) {
    return html`
      <section class="group" aria-labelledby="group-${g.id}">
        <h3 id="group-${g.id}">${g.name}</h3>
        ${items}
      </section>`;
  }
  const troubled = g.components.some((c) => c.status !== 1);
  const worst = Math.max(...g.components.map((c) => (c.status === 6 ? 1 : c.status)));
  return html`
      <details class="group"${g.collapsed === 2 && troubled ? safe(' open') : ''}>
        <summary><span class="group-name">${g.name}</span> <span class="group-status">${statusName(worst)}</span></summary>
        ${items}
      </details>`;
}

function metricFigure(site: SiteFrame, m: PublicMetric): SafeHtml {
  const dataUrl = site.link(`/metrics/${m.id}/${m.view}.json`);
  return html`
      <figure class="metric" data-series="${dataUrl}" aria-labelledby="metric-${m.id}">
        <figcaption id="metric-${m.id}"><strong>${m.name}</strong>${m.description ? html` — ${m.description}` : ''} <a href="${dataUrl}">${site.t.metricData}</a></figcaption>
      </figure>`;
}

export function renderStatusPage(site: SiteFrame, status: PublicStatus): string {
  const { t } = site;
  const incidents = status.incidents.map(
    (i) => html`
      <article class="incident${i.stickied ? ' stickied' : ''}" aria-labelledby="incident-${i.id}">
        <h3 id="incident-${i.id}"><a href="${site.link(`/incidents/${i.id}`)}">${i.name}</a> <span class="incident-status">${i.statusName}</span>${i.stickied ? html` <span class="pinned">${t.pinned}</span>` : ''}</h3>
        <p class="meta">${timeTag(i.occurredAt, site)}</p>
        <div class="message">${safe(i.messageHtml)}</div>
        ${i.updates.length > 0
          ? html`<ol class="updates">${i.updates.map(
              (u) => html`
          <li><strong>${u.statusName}</strong> ${timeTag(u.createdAt, site)}<div class="message">${safe(u.messageHtml)}</div></li>`,
            )}</ol>`
          : ''}${i.earlierUpdates > 0 ? html`
        <p class="more"><a href="${site.link(`/incidents/${i.id}`)}">${t.earlierUpdates(i.earlierUpdates)}</a></p>` : ''}
      </article>`,
  );
  const schedules = status.schedules.map(
    (s) => html`
      <article class="schedule" aria-labelledby="schedule-${s.id}">
        <h3 id="schedule-${s.id}"><a href="${site.link(`/schedules/${s.id}`)}">${s.name}</a> <span class="schedule-status">${s.statusName}</span></h3>
        <p class="meta">${timeTag(s.scheduledAt, site)}</p>
        <div class="message">${safe(s.messageHtml)}</div>
      </article>`,
  );
  const main = html`
    <p class="overall overall-${status.overall.level}" role="status">${status.overall.message}</p>
    ${status.aboutHtml ? html`<section class="about" aria-label="${t.about}">${safe(status.aboutHtml)}</section>` : ''}
    <section aria-labelledby="components-heading">
      <h2 id="components-heading">${t.components}</h2>
      ${status.ungrouped.length > 0 ? html`<ul class="components">${status.ungrouped.map(componentItem(site))}</ul>` : ''}
      ${status.groups.map((g) => group(site, g))}
      ${status.groups.length === 0 && status.ungrouped.length === 0 ? html`<p>${t.noComponents}</p>` : ''}
    </section>
    <section aria-labelledby="maintenance-heading">
      <h2 id="maintenance-heading">${t.maintenance}</h2>
      ${schedules.length > 0 ? schedules : html`<p>${t.noMaintenance}</p>`}
    </section>
    <section aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">${t.incidents}</h2>
      ${incidents.length > 0 ? incidents : html`<p>${t.noIncidents}</p>`}
    </section>${status.metrics.length > 0 ? html`
    <section aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">${t.metrics}</h2>${status.metrics.map((m) => metricFigure(site, m))}
    </section>` : ''}`;
  return layout(site, t.statusTitle(status.siteName), main, status.metrics.length > 0 ? CHARTS_SCRIPTS : []);
}
