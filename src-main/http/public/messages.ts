/**
 * Every string the public site shows, in one catalogue per language. English is complete; another
 * language is added as a catalogue of the same shape (the type makes a missing string a compile
 * error) and chosen by the site's locale setting. Status names come from the core's tables.
 */
const en = {
  statusTitle: (site: string) => `${site} status`,
  pageTitle: (page: string, site: string) => `${page} · ${site} status`,
  about: 'About',
  components: 'Components',
  noComponents: 'No components yet.',
  uptimeLabel: (name: string, percent: string) => `${name}: ${percent} uptime over the last 90 days`,
  uptimePercent: (percent: string) => `${percent} uptime`,
  uptimeNoData: 'No data yet',
  uptimeIssueDays: (days: string) => `Days with issues: ${days}.`,
  uptimeNoIssueDays: 'No issues in this period.',
  daysAgo: '90 days ago',
  today: 'Today',
  maintenance: 'Scheduled maintenance',
  noMaintenance: 'No maintenance scheduled.',
  incidents: 'Incidents',
  noIncidents: 'No incidents reported in the last 7 days.',
  pinned: 'Pinned',
  metrics: 'Metrics',
  metricData: 'Data (JSON)',
  updates: 'Updates',
  began: 'Began',
  scheduledFor: 'Scheduled for',
  completed: 'completed',
  allIncidents: 'All incidents',
  history: 'Incident history',
  noHistory: 'No incidents.',
  pages: 'Pages',
  newer: 'Newer',
  older: 'Older',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  notFound: 'Not found',
  notFoundText: 'There is no such page.',
  backHome: 'Back to the status page',
  feedAtom: 'Atom',
  feedRss: 'RSS',
  feedTitle: (site: string, kind: string) => `${site} incidents (${kind})`,
  poweredBy: 'Powered by Cairn',
  skipToContent: 'Skip to content',
};

export type Messages = typeof en;

const catalogues: Readonly<Record<string, Messages>> = { en };

/** The catalogue for a locale (`de-CH` → `de` → English). */
export function messagesFor(locale: string): Messages {
  const lang = locale.toLowerCase().split('-')[0] ?? 'en';
  return catalogues[locale.toLowerCase()] ?? catalogues[lang] ?? en;
}
