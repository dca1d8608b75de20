import type { PublicComponent, PublicStatus } from '../core/public-view.js';
import { html, safe, type SafeHtml } from './html.js';

/**
 * The public status page, rendered on the server from the public projection. It needs no
 * JavaScript; its only stylesheet is same-origin. Sanitized Markdown HTML (rendered once at write
 * time) is the only HTML inserted unescaped.
 */

const STATUS_CLASS: Record<number, string> = { 0: 'unknown', 1: 'operational', 2: 'performance', 3: 'partial', 4: 'major', 6: 'maintenance' };

function formatTime(ms: number, status: PublicStatus): string {
  return new Intl.DateTimeFormat(status.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: status.timezone }).format(ms);
}

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
        <h3 id="incident-${i.id}">${i.name} <span class="incident-status">${i.statusName}</span></h3>
        <p class="meta"><time datetime="${new Date(i.occurredAt).toISOString()}">${formatTime(i.occurredAt, status)}</time></p>
        <div class="message">${safe(i.messageHtml)}</div>
        ${i.updates.length > 0
          ? html`<ol class="updates">${i.updates.map(
              (u) => html`
          <li><strong>${u.statusName}</strong> <time datetime="${new Date(u.createdAt).toISOString()}">${formatTime(u.createdAt, status)}</time><div class="message">${safe(u.messageHtml)}</div></li>`,
            )}</ol>`
          : ''}
      </article>`,
  );
  const schedules = status.schedules.map(
    (s) => html`
      <article class="schedule" aria-labelledby="schedule-${s.id}">
        <h3 id="schedule-${s.id}">${s.name} <span class="schedule-status">${s.statusName}</span></h3>
        <p class="meta"><time datetime="${new Date(s.scheduledAt).toISOString()}">${formatTime(s.scheduledAt, status)}</time></p>
        <div class="message">${safe(s.messageHtml)}</div>
      </article>`,
  );
  const page = html`<!doctype html>
<html lang="${status.locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${status.siteName} status</title>
  <link rel="stylesheet" href="/assets/status.css">
</head>
<body>
  <header class="site">
    <h1>${status.siteName}</h1>
  </header>
  <main>
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
    </section>
  </main>
  <footer class="site"><p>Powered by Cairn</p></footer>
</body>
</html>
`;
  return page.value;
}
