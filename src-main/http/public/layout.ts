import { html, type SafeHtml } from '../../core/html.js';
import { messagesFor, type Messages } from './messages.js';

/** The site settings every public page needs. */
export interface SiteInfo {
  readonly siteName: string;
  readonly timezone: string;
  readonly locale: string;
  /** Where the site's logo is served, if it has one. */
  readonly logoPath?: string | null;
  /** Whether the footer offers e-mail subscription (a server with e-mail on; never a static copy). */
  readonly subscriptions?: boolean;
}

/** The stylesheet Cairn writes from the site's validated theme colours (after the base one). */
export const THEME_CSS = '/assets/theme.css';

/**
 * What every public page is rendered with: the site, its message catalogue, and how to write a
 * link to another page of the site. The server links by absolute path (`/incidents/1`); the static
 * export links relatively between files, so the exported site works from any sub-path.
 */
export interface SiteFrame extends SiteInfo {
  readonly t: Messages;
  link(path: string): string;
}

export const frameFor = (site: SiteInfo, link: (path: string) => string): SiteFrame => ({ ...site, t: messagesFor(site.locale), link });

/** Links as the server serves them: the site path itself. */
export const serverLink = (path: string): string => path;

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(site: SiteInfo, options: Intl.DateTimeFormatOptions, kind: string): Intl.DateTimeFormat {
  const key = `${kind}|${site.locale}|${site.timezone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(site.locale, { ...options, timeZone: site.timezone });
    formats.set(key, f);
  }
  return f;
}

/** A date and time in the site's zone and language, e.g. "4 Dec 2026, 10:30". */
export const formatTime = (ms: number, site: SiteInfo): string => dateFormat(site, { dateStyle: 'medium', timeStyle: 'short' }, 'time').format(ms);

/** A day in the site's zone and language, e.g. "4 Dec 2026". */
export const formatDay = (ms: number, site: SiteInfo): string => dateFormat(site, { dateStyle: 'medium' }, 'day').format(ms);

export const timeTag = (ms: number, site: SiteInfo): SafeHtml => html`<time datetime="${new Date(ms).toISOString()}">${formatTime(ms, site)}</time>`;

/**
 * The page around its content: one same-origin stylesheet, feeds announced, landmarks for
 * assistive technology, and a same-origin script only where a page asks for one (charts). Everything
 * interpolated is escaped; only `main` (already built from escaped parts and write-time-sanitized
 * Markdown) is inserted as HTML.
 */
export function layout(site: SiteFrame, title: string, main: SafeHtml, scripts: readonly string[] = []): string {
  const { t } = site;
  return html`<!doctype html>
<html lang="${site.locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="${site.link('/assets/status.css')}">
  <link rel="stylesheet" href="${site.link(THEME_CSS)}">
  <link rel="alternate" type="application/atom+xml" title="${t.feedTitle(site.siteName, t.feedAtom)}" href="${site.link('/feed.atom')}">
  <link rel="alternate" type="application/rss+xml" title="${t.feedTitle(site.siteName, t.feedRss)}" href="${site.link('/feed.rss')}">${scripts.map((s) => html`
  <script src="${site.link(s)}" defer></script>`)}
</head>
<body>
  <a class="skip" href="#content">${t.skipToContent}</a>
  <header class="site">
    ${site.logoPath ? html`<img class="site-logo" src="${site.link(site.logoPath)}" alt="">` : ''}<h1><a href="${site.link('/')}" class="home">${site.siteName}</a></h1>
  </header>
  <main id="content">
${main}
  </main>
  <footer class="site"><p><a href="${site.link('/history')}">${t.history}</a> · <a href="${site.link('/feed.atom')}">${t.feedAtom}</a> · <a href="${site.link('/feed.rss')}">${t.feedRss}</a>${site.subscriptions ? html` · <a href="${site.link('/subscribe')}">${t.subscribe}</a>` : ''} · ${t.poweredBy}</p></footer>
</body>
</html>
`.value;
}
