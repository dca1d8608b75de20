import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { anonymous } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import { METRIC_VIEWS, type MetricViewName } from '../../core/public-metrics.js';
import { listVisibleComponents, listVisibleGroups, listVisibleSchedules } from '../../core/visible-reads.js';
import { PUBLIC_ASSETS } from '../assets.js';
import { THEME_CSS } from './layout.js';
import { HISTORY_PAGE_SIZE, PublicSite } from './site.js';

/**
 * `cairn export-static`: the whole public site as files any static host or CDN can serve — the
 * way a status page scales past one machine. Every page links to the others relatively, so the
 * export works from any sub-path (and from file://). Feeds and the Statuspage JSON need absolute
 * links, so they are built from `baseUrl`. Re-running rewrites only files whose bytes changed and
 * removes files a previous run wrote that are no longer public (a manifest records them).
 */

export const MANIFEST = '.cairn-export.json';

export interface ExportOptions {
  readonly outDir: string;
  /** Where the export will be served from, e.g. https://status.example.com/ (ends with /). */
  readonly baseUrl: string;
}

export interface ExportResult {
  readonly files: number;
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

/** The file a site path is exported to. */
export function fileFor(path: string): string {
  if (path === '/') return 'index.html';
  const history = /^\/history(?:\?page=(\d+))?$/.exec(path);
  if (history) return !history[1] || history[1] === '1' ? 'history.html' : `history/${history[1]}.html`;
  if (/^\/(incidents|schedules)\/\d+$/.test(path)) return `${path.slice(1)}.html`;
  return path.slice(1);
}

/** Links from the page at `fromFile` to other site paths, relative so any sub-path works. */
export const relativeLinks = (fromFile: string) => (path: string): string => {
  const target = fileFor(path);
  return posix.relative(posix.dirname(fromFile), target) || posix.basename(target);
};

/** Everything the public site consists of, as file → bytes. */
function* publicFiles(core: Core, baseUrl: string): Generator<[string, string | Buffer]> {
  const visitor = anonymous({ kind: 'cli' });
  const site = new PublicSite(core, visitor);
  const absolute = (path: string) => new URL(fileFor(path), baseUrl).href;
  // A static copy has no server to take a subscription: no subscribe link.
  const page = (file: string) => ({ ...site.frame(relativeLinks(file)), subscriptions: false });

  yield ['index.html', site.home(page('index.html'))];
  yield ['404.html', site.notFound(page('404.html'))];

  const first = site.incidents(1, HISTORY_PAGE_SIZE);
  const historyPages = Math.max(1, Math.ceil(first.total / HISTORY_PAGE_SIZE));
  for (let n = 1; n <= historyPages; n++) {
    const file = fileFor(`/history?page=${n}`);
    yield [file, site.history(page(file), n)];
  }
  for (let p = 1, pages = 1; p <= pages; p++) {
    const batch = site.incidents(p, 100);
    pages = Math.ceil(batch.total / 100);
    for (const incident of batch.items) {
      const file = fileFor(`/incidents/${incident.id}`);
      yield [file, site.incident(page(file), incident.id)];
    }
  }
  for (let p = 1, pages = 1; p <= pages; p++) {
    const batch = core.execute(listVisibleSchedules, visitor, { page: p, perPage: 100 });
    pages = Math.ceil(batch.total / 100);
    for (const schedule of batch.items) {
      const file = fileFor(`/schedules/${schedule.id}`);
      yield [file, site.schedule(page(file), schedule.id)];
    }
  }

  for (const kind of ['atom', 'rss'] as const) {
    yield [`feed.${kind}`, site.feed(kind, absolute, `/feed.${kind}`)];
    for (let p = 1, pages = 1; p <= pages; p++) {
      const batch = core.execute(listVisibleGroups, visitor, { page: p, perPage: 100 });
      pages = Math.ceil(batch.total / 100);
      for (const group of batch.items) yield [`groups/${group.id}/feed.${kind}`, site.feed(kind, absolute, `/groups/${group.id}/feed.${kind}`, group.id)];
    }
  }

  yield ['badge.svg', site.badge()];
  for (let p = 1, pages = 1; p <= pages; p++) {
    const batch = core.execute(listVisibleComponents, visitor, { page: p, perPage: 100 });
    pages = Math.ceil(batch.total / 100);
    for (const component of batch.items) yield [`components/${component.id}/badge.svg`, site.componentBadge(component.id)];
  }

  yield ['api/v2/status.json', site.statusJson(absolute)];
  yield ['api/v2/summary.json', site.summaryJson(absolute)];
  for (const metric of site.status().metrics) {
    for (const view of Object.keys(METRIC_VIEWS) as MetricViewName[]) yield [`metrics/${metric.id}/${view}.json`, site.metricSeries(metric.id, view)];
  }
  for (const asset of PUBLIC_ASSETS) yield [asset.path.slice(1), asset.read()];
  yield [THEME_CSS.slice(1), site.themeCss()];
  if (site.info().logoPath) {
    const logo = site.logo();
    yield [logo.path.slice(1), logo.bytes];
  }
}

function readManifest(outDir: string): string[] {
  try {
    const files = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8')) as unknown;
    return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && !f.includes('..') && !posix.isAbsolute(f)) : [];
  } catch {
    return [];
  }
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** Writes `bytes` through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomically(file: string, bytes: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes, { mode: 0o644 });
  renameSync(temporary, file);
}

export function exportStaticSite(core: Core, options: ExportOptions): ExportResult {
  const previous = new Set(readManifest(options.outDir));
  const current: string[] = [];
  let written = 0;
  let unchanged = 0;
  for (const [file, content] of publicFiles(core, options.baseUrl)) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const target = join(options.outDir, ...file.split('/'));
    current.push(file);
    previous.delete(file);
    if (sameBytes(target, bytes)) unchanged += 1;
    else {
      writeAtomically(target, bytes);
      written += 1;
    }
  }
  for (const stale of previous) rmSync(join(options.outDir, ...stale.split('/')), { force: true });
  writeAtomically(join(options.outDir, MANIFEST), Buffer.from(JSON.stringify(current.sort(), null, 0)));
  return { files: current.length, written, unchanged, removed: previous.size };
}
