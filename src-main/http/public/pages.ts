import { INCIDENT_STATUS, type IncidentWithUpdates } from '../../core/incidents.js';
import type { Page } from '../../core/schemas.js';
import { SCHEDULE_STATUS, type Schedule } from '../../core/schedules.js';
import { html, safe } from '../html.js';
import { layout, timeTag, type SiteFrame } from './layout.js';

/** The pages behind the front page: one incident with its whole timeline, one maintenance, the history. */

const incidentStatus = (s: number): string => INCIDENT_STATUS[s as keyof typeof INCIDENT_STATUS] ?? 'Unknown';

export function renderIncidentPage(site: SiteFrame, i: IncidentWithUpdates): string {
  const updates = [...i.updates].reverse();
  return layout(
    site,
    `${i.name} · ${site.siteName} status`,
    html`
    <article class="incident" aria-labelledby="incident-title">
      <h2 id="incident-title">${i.name} <span class="incident-status">${incidentStatus(i.status)}</span></h2>
      <p class="meta">Began ${timeTag(i.occurredAt, site)}</p>
      <div class="message">${safe(i.messageHtml)}</div>
      ${updates.length > 0
        ? html`<h3>Updates</h3>
      <ol class="updates" reversed>${updates.map(
        (u) => html`
        <li id="update-${u.id}"><strong>${incidentStatus(u.status)}</strong> ${timeTag(u.createdAt, site)}<div class="message">${safe(u.messageHtml)}</div></li>`,
      )}
      </ol>`
        : ''}
    </article>
    <p><a href="/history">All incidents</a></p>`,
  );
}

export function renderSchedulePage(site: SiteFrame, s: Schedule): string {
  return layout(
    site,
    `${s.name} · ${site.siteName} status`,
    html`
    <article class="schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">${s.name} <span class="schedule-status">${SCHEDULE_STATUS[s.status as keyof typeof SCHEDULE_STATUS]}</span></h2>
      <p class="meta">Scheduled for ${timeTag(s.scheduledAt, site)}${s.completedAt !== null ? html`, completed ${timeTag(s.completedAt, site)}` : ''}</p>
      <div class="message">${safe(s.messageHtml)}</div>
      ${s.updates.length > 0
        ? html`<h3>Updates</h3>
      <ol class="updates">${s.updates.map((u) => html`
        <li><strong>${SCHEDULE_STATUS[u.status as keyof typeof SCHEDULE_STATUS]}</strong> ${timeTag(u.createdAt, site)}<div class="message">${safe(u.messageHtml)}</div></li>`)}
      </ol>`
        : ''}
    </article>`,
  );
}

export function renderHistoryPage(site: SiteFrame, page: Page<IncidentWithUpdates>): string {
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  return layout(
    site,
    `Incident history · ${site.siteName} status`,
    html`
    <h2>Incident history</h2>
    ${page.items.length === 0
      ? html`<p>No incidents.</p>`
      : html`<ul class="history">${page.items.map(
          (i) => html`
      <li><a href="/incidents/${i.id}">${i.name}</a> <span class="incident-status">${incidentStatus(i.status)}</span> ${timeTag(i.occurredAt, site)}</li>`,
        )}
    </ul>`}
    <nav aria-label="Pages" class="pager">
      ${page.page > 1 ? html`<a rel="prev" href="/history?page=${page.page - 1}">Newer</a>` : ''}
      <span>Page ${page.page} of ${pages}</span>
      ${page.page < pages ? html`<a rel="next" href="/history?page=${page.page + 1}">Older</a>` : ''}
    </nav>`,
  );
}

export function renderNotFoundPage(site: SiteFrame): string {
  return layout(site, `Not found · ${site.siteName} status`, html`
    <h2>Not found</h2>
    <p>There is no such page. <a href="/">Back to the status page</a>.</p>`);
}
