import { html, type SafeHtml } from '../html.js';

/** What every public page shows around its content. */
export interface SiteFrame {
  readonly siteName: string;
  readonly timezone: string;
  readonly locale: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A date and time in the site's zone and language, e.g. "4 Dec 2026, 10:30". */
export function formatTime(ms: number, site: SiteFrame): string {
  const key = `${site.locale}|${site.timezone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(site.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: site.timezone });
    formats.set(key, f);
  }
  return f.format(ms);
}

export const timeTag = (ms: number, site: SiteFrame): SafeHtml => html`<time datetime="${new Date(ms).toISOString()}">${formatTime(ms, site)}</time>`;

/**
 * The page around its content: no script, one same-origin stylesheet, feeds announced, landmarks
 * for assistive technology. Everything interpolated is escaped; only `main` (already built from
 * escaped parts and write-time-sanitized Markdown) is inserted as HTML.
 */
export function layout(site: SiteFrame, title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="${site.locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/assets/status.css">
  <link rel="alternate" type="application/atom+xml" title="${site.siteName} incidents (Atom)" href="/feed.atom">
  <link rel="alternate" type="application/rss+xml" title="${site.siteName} incidents (RSS)" href="/feed.rss">
</head>
<body>
  <header class="site">
    <h1><a href="/" class="home">${site.siteName}</a></h1>
  </header>
  <main>
${main}
  </main>
  <footer class="site"><p><a href="/history">Incident history</a> · <a href="/feed.atom">Atom</a> · <a href="/feed.rss">RSS</a> · Powered by Cairn</p></footer>
</body>
</html>
`.value;
}
