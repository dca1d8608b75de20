import { INCIDENT_STATUS, type IncidentWithUpdates } from '../../core/incidents.js';
import type { Page } from '../../core/schemas.js';
import { SCHEDULE_STATUS, type Schedule } from '../../core/schedules.js';
import { html, safe } from '../../core/html.js';
import { layout, timeTag, type SiteFrame } from './layout.js';

/** The pages behind the front page: one incident with its whole timeline, one maintenance, the history. */

const incidentStatus = (s: number): string => INCIDENT_STATUS[s as keyof typeof INCIDENT_STATUS] ?? 'Unknown';

export function renderIncidentPage(site: SiteFrame, i: IncidentWithUpdates): string {
  const { t } = site;
  const updates = [...i.updates].reverse();
  return layout(
    site,
    t.pageTitle(i.name, site.siteName),
    html`
    <article class="incident" aria-labelledby="incident-title">
      <h2 id="incident-title">${i.name} <span class="incident-status">${incidentStatus(i.status)}</span></h2>
      <p class="meta">${t.began} ${timeTag(i.occurredAt, site)}</p>
      <div class="message">${safe(i.messageHtml)}</div>
      ${updates.length > 0
        ? html`<h3>${t.updates}</h3>
      <ol class="updates" reversed>${updates.map(
        (u) => html`
        <li id="update-${u.id}"><strong>${incidentStatus(u.status)}</strong> ${timeTag(u.createdAt, site)}<div class="message">${safe(u.messageHtml)}</div></li>`,
      )}
      </ol>`
        : ''}
    </article>
    <p><a href="${site.link('/history')}">${t.allIncidents}</a></p>`,
  );
}

export function renderSchedulePage(site: SiteFrame, s: Schedule): string {
  const { t } = site;
  return layout(
    site,
    t.pageTitle(s.name, site.siteName),
    html`
    <article class="schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">${s.name} <span class="schedule-status">${SCHEDULE_STATUS[s.status as keyof typeof SCHEDULE_STATUS]}</span></h2>
      <p class="meta">${t.scheduledFor} ${timeTag(s.scheduledAt, site)}${s.completedAt !== null ? html`, ${t.completed} ${timeTag(s.completedAt, site)}` : ''}</p>
      <div class="message">${safe(s.messageHtml)}</div>
      ${s.updates.length > 0
        ? html`<h3>${t.updates}</h3>
      <ol class="updates">${s.updates.map((u) => html`
        <li><strong>${SCHEDULE_STATUS[u.status as keyof typeof SCHEDULE_STATUS]}</strong> ${timeTag(u.createdAt, site)}<div class="message">${safe(u.messageHtml)}</div></li>`)}
      </ol>`
        : ''}
    </article>`,
  );
}

/** The site path of history page `n` (page 1 is plain /history). */
export const historyPath = (n: number): string => (n === 1 ? '/history' : `/history?page=${n}`);

export function renderHistoryPage(site: SiteFrame, page: Page<IncidentWithUpdates>): string {
  const { t } = site;
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  return layout(
    site,
    t.pageTitle(t.history, site.siteName),
    html`
    <h2>${t.history}</h2>
    ${page.items.length === 0
      ? html`<p>${t.noHistory}</p>`
      : html`<ul class="history">${page.items.map(
          (i) => html`
      <li><a href="${site.link(`/incidents/${i.id}`)}">${i.name}</a> <span class="incident-status">${incidentStatus(i.status)}</span> ${timeTag(i.occurredAt, site)}</li>`,
        )}
    </ul>`}
    <nav aria-label="${t.pages}" class="pager">
      ${page.page > 1 ? html`<a rel="prev" href="${site.link(historyPath(page.page - 1))}">${t.newer}</a>` : ''}
      <span>${t.pageOf(page.page, pages)}</span>
      ${page.page < pages ? html`<a rel="next" href="${site.link(historyPath(page.page + 1))}">${t.older}</a>` : ''}
    </nav>`,
  );
}

export function renderNotFoundPage(site: SiteFrame): string {
  const { t } = site;
  return layout(site, t.pageTitle(t.notFound, site.siteName), html`
    <h2>${t.notFound}</h2>
    <p>${t.notFoundText} <a href="${site.link('/')}">${t.backHome}</a>.</p>`);
}
