import { INCIDENT_STATUS, type IncidentWithUpdates } from '../../core/incidents.js';
import { escapeHtml } from '../../core/html.js';

/**
 * Atom 1.0 (RFC 4287) and RSS 2.0 feeds of public incidents. Text is escaped for XML; the entry
 * content is the write-time-sanitized HTML of the message and its updates, carried escaped. RSS
 * readers render a `description` as HTML, so plain text placed there (the channel's, which holds
 * the site and group names) is escaped for HTML first.
 */

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export interface FeedSource {
  readonly title: string;
  /** The absolute URL of a site path (feeds carry absolute links). */
  readonly absolute: (path: string) => string;
  /** The feed's own path, e.g. /feed.atom. */
  readonly path: string;
  readonly incidents: readonly IncidentWithUpdates[];
  /** When the feed was built, if it has no incident to take the time from. */
  readonly now: number;
}

const statusName = (s: number) => INCIDENT_STATUS[s as keyof typeof INCIDENT_STATUS] ?? 'Unknown';

function contentHtml(i: IncidentWithUpdates): string {
  const updates = [...i.updates].reverse().map((u) => `<p><strong>${statusName(u.status)}</strong> (${new Date(u.createdAt).toISOString()})</p>${u.messageHtml}`);
  return `<p><strong>${statusName(i.status)}</strong></p>${i.messageHtml}${updates.join('')}`;
}

const lastChange = (src: FeedSource): number => Math.max(0, ...src.incidents.map((i) => i.updatedAt)) || src.now;

export function renderAtom(src: FeedSource): string {
  const entries = src.incidents.map((i) => {
    const url = src.absolute(`/incidents/${i.id}`);
    return `  <entry>
    <title>${escapeXml(`${i.name} (${statusName(i.status)})`)}</title>
    <id>${escapeXml(url)}</id>
    <link href="${escapeXml(url)}"/>
    <published>${new Date(i.occurredAt).toISOString()}</published>
    <updated>${new Date(i.updatedAt).toISOString()}</updated>
    <content type="html">${escapeXml(contentHtml(i))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${escapeXml(src.title)}</title>
  <id>${escapeXml(src.absolute(src.path))}</id>
  <link rel="self" type="application/atom+xml" href="${escapeXml(src.absolute(src.path))}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(src.absolute('/'))}"/>
  <updated>${new Date(lastChange(src)).toISOString()}</updated>
  <author><name>${escapeXml(src.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}

export function renderRss(src: FeedSource): string {
  const items = src.incidents.map((i) => {
    const url = src.absolute(`/incidents/${i.id}`);
    return `    <item>
      <title>${escapeXml(`${i.name} (${statusName(i.status)})`)}</title>
      <link>${escapeXml(url)}</link>
      <guid isPermaLink="true">${escapeXml(url)}</guid>
      <pubDate>${new Date(i.occurredAt).toUTCString()}</pubDate>
      <description>${escapeXml(contentHtml(i))}</description>
    </item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(src.title)}</title>
    <link>${escapeXml(src.absolute('/'))}</link>
    <description>${escapeXml(escapeHtml(`Incidents reported on ${src.title}`))}</description>
    <atom:link href="${escapeXml(src.absolute(src.path))}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${new Date(lastChange(src)).toUTCString()}</lastBuildDate>
${items.join('\n')}
  </channel>
</rss>
`;
}
