import type { PublicComponent, PublicStatus } from '../../core/public-view.js';
import { html, safe, type SafeHtml } from '../html.js';
import { layout, timeTag } from './layout.js';

/**
 * The public status page, rendered on the server from the public projection. It needs no
 * JavaScript; its only stylesheet is same-origin. Sanitized Markdown HTML (rendered once at write
 * time) is the only HTML inserted unescaped.
 */

export const STATUS_CLASS: Record<number, string> = { 0: 'unknown', 1: 'operational', 2: 'performance', 3: 'partial', 4: 'major', 6: 'maintenance' };

const componentItem = (c: PublicComponent): SafeHtml => html`
        <li class="component status-${STATUS_CLASS[c.status] ?? 'unknown'}">
          <span class="component-name">${c.link ? html`<a href="${c.link}" rel="noopener noreferrer nofollow">${c.name}</a>` : c.name}</span>
          <span class="component-status">${c.statusName}</span>
        </li>`;

export function renderStatusPage(status: PublicStatus): string {
  const groups = status.groups.map(
    (g) => html`
      <section class="group" aria-labelledby="group-${g.id}">
        <h3 id="group-${g.id}">${g.name}</h3>
        <ul class="components">${g.components.map(componentItem)}
        </ul>
      </section>`,
  );
  const incidents = status.incidents.map(
    (i) => html`
      <article class="incident" aria-labelledby="incident-${i.id}">
        <h3 id="incident-${i.id}"><a href="/incidents/${i.id}">${i.name}</a> <span class="incident-status">${i.statusName}</span></h3>
        <p class="meta">${timeTag(i.occurredAt, status)}</p>
        <div class="message">${safe(i.messageHtml)}</div>
        ${i.updates.length > 0
          ? html`<ol class="updates">${i.updates.map(
              (u) => html`
          <li><strong>${u.statusName}</strong> ${timeTag(u.createdAt, status)}<div class="message">${safe(u.messageHtml)}</div></li>`,
            )}</ol>`
          : ''}
      </article>`,
  );
  const schedules = status.schedules.map(
    (s) => html`
      <article class="schedule" aria-labelledby="schedule-${s.id}">
        <h3 id="schedule-${s.id}"><a href="/schedules/${s.id}">${s.name}</a> <span class="schedule-status">${s.statusName}</span></h3>
        <p class="meta">${timeTag(s.scheduledAt, status)}</p>
        <div class="message">${safe(s.messageHtml)}</div>
      </article>`,
  );
  const main = html`
    <p class="overall overall-${status.overall.level}" role="status">${status.overall.message}</p>
    ${status.aboutHtml ? html`<section class="about" aria-label="About">${safe(status.aboutHtml)}</section>` : ''}
    <section aria-labelledby="components-heading">
      <h2 id="components-heading">Components</h2>
      ${status.ungrouped.length > 0 ? html`<ul class="components">${status.ungrouped.map(componentItem)}</ul>` : ''}
      ${groups}
      ${status.groups.length === 0 && status.ungrouped.length === 0 ? html`<p>No components yet.</p>` : ''}
    </section>
    <section aria-labelledby="maintenance-heading">
      <h2 id="maintenance-heading">Scheduled maintenance</h2>
      ${schedules.length > 0 ? schedules : html`<p>No maintenance scheduled.</p>`}
    </section>
    <section aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incidents</h2>
      ${incidents.length > 0 ? incidents : html`<p>No incidents reported in the last 7 days.</p>`}
    </section>`;
  return layout(status, `${status.siteName} status`, main);
}
