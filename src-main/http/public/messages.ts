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
  earlierUpdates: (n: number) => (n === 1 ? '1 earlier update' : `${n} earlier updates`),
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
  subscribe: 'Subscribe',
  subscribeTitle: 'Get status updates by e-mail',
  subscribeIntro: 'We send a link to confirm the address first; nothing else is sent until it is confirmed.',
  emailLabel: 'E-mail address',
  componentsLegend: 'Components',
  componentsHint: 'Choose none to hear about everything.',
  componentChangesLabel: 'Also tell me when a component’s status changes (not only incidents and maintenance)',
  subscribeButton: 'Subscribe',
  checkInbox: 'Check your inbox',
  confirmTitle: 'Confirm your subscription',
  confirmIntro: 'Confirm to start receiving status updates at this address.',
  confirmButton: 'Confirm subscription',
  confirmed: 'You are subscribed',
  confirmedText: 'Every mail has a link to change what you receive or to unsubscribe.',
  manageTitle: 'Your subscription',
  manageFor: (email: string) => `Status updates for ${email}.`,
  saveButton: 'Save',
  saved: 'Your choices are saved.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeButton: 'Unsubscribe',
  unsubscribed: 'You are unsubscribed',
  unsubscribedText: 'You will receive no more mail from this status page.',
  somethingWrong: 'That did not work',
  notOffered: 'Subscriptions by e-mail are not offered here.',
};

export type Messages = typeof en;

const catalogues: Readonly<Record<string, Messages>> = { en };

/** The catalogue for a locale (`de-CH` → `de` → English). */
export function messagesFor(locale: string): Messages {
  const lang = locale.toLowerCase().split('-')[0] ?? 'en';
  return catalogues[locale.toLowerCase()] ?? catalogues[lang] ?? en;
}
