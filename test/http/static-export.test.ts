import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, posix, relative } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { deleteIncident } from '../../src-main/core/incidents.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import { exportStaticSite, fileFor, MANIFEST, relativeLinks } from '../../src-main/http/public/static-export.js';
import { sharedBrowser, watchedPage } from '../helpers/browser.js';
import { cli, cliStore } from '../helpers/cli.js';
import { tempDataDir, testCore } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule } from '../helpers/world.js';

/** `cairn export-static`: the public site as files, linked relatively, re-run incrementally. */

function world() {
  const t = testCore();
  const { core } = t;
  const web = aGroup(core, { name: 'Website' });
  const secretGroup = aGroup(core, { name: 'SecretGroup', visible: 0 });
  const api = aComponent(core, { name: 'Public API', groupId: web.id });
  aComponent(core, { name: 'SecretBackend', groupId: secretGroup.id });
  const incidents = Array.from({ length: 25 }, (_, i) => anIncident(core, { name: `Incident ${i + 1}`, componentId: api.id, status: 4 }));
  anIncident(core, { name: 'HiddenIncident', visible: false });
  anIncident(core, { name: 'DraftIncident', draft: true });
  const schedule = aSchedule(core, { name: 'DB upgrade' });
  const metric = aMetric(core, { name: 'Latency', visible: 1, displayChart: true, defaultView: 0, threshold: 1 });
  aMetric(core, { name: 'HiddenMetric', visible: 2, displayChart: true });
  for (let i = 0; i < 20; i++) core.execute(addMetricPointOp, localOperator, { metricId: metric.id, value: 10 + i, timestamp: Math.floor((t.clock.now() - i * 60_000) / 1000) });
  return { ...t, incidents, schedule, metric, out: tempDataDir() };
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'))
    .sort();

describe('the static export', () => {
  it('maps site paths to files and links between them relatively', () => {
    expect(['/', '/history', '/history?page=1', '/history?page=3', '/incidents/7', '/schedules/2', '/feed.atom', '/assets/status.css', '/metrics/1/day.json'].map(fileFor)).toEqual([
      'index.html', 'history.html', 'history.html', 'history/3.html', 'incidents/7.html', 'schedules/2.html', 'feed.atom', 'assets/status.css', 'metrics/1/day.json',
    ]);
    expect(relativeLinks('incidents/7.html')('/')).toBe('../index.html');
    expect(relativeLinks('history/3.html')('/history?page=2')).toBe('2.html');
    expect(relativeLinks('index.html')('/assets/charts.js')).toBe('assets/charts.js');
  });

  it('writes every public page, feed, badge and JSON, each relative link resolving to an exported file, and nothing non-public', () => {
    const w = world();
    const result = exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/acme/' });
    const files = filesUnder(w.out);
    expect(result).toEqual({ files: files.length - 1, written: files.length - 1, unchanged: 0, removed: 0 });
    for (const f of ['index.html', '404.html', 'history.html', 'history/2.html', 'incidents/1.html', 'incidents/25.html', `schedules/${w.schedule.id}.html`, 'feed.atom', 'feed.rss', 'groups/1/feed.atom', 'badge.svg', 'components/1/badge.svg', 'api/v2/summary.json', `metrics/${w.metric.id}/hour.json`, 'assets/status.css', 'assets/uplot.js', 'assets/charts.js', MANIFEST]) {
      expect(files, f).toContain(f);
    }
    for (const f of files) {
      const text = readFileSync(join(w.out, f), 'utf8');
      for (const secret of ['SecretGroup', 'SecretBackend', 'HiddenIncident', 'DraftIncident', 'HiddenMetric']) expect(text, `${secret} in ${f}`).not.toContain(secret);
      if (extname(f) !== '.html') continue;
      const doc = new JSDOM(text).window.document;
      for (const el of doc.querySelectorAll('[href], [src], [data-series]')) {
        const link = el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('data-series')!;
        if (/^(https?:|mailto:|#)/.test(link)) continue;
        expect(existsSync(join(w.out, posix.dirname(f), link)), `${f} → ${link}`).toBe(true);
      }
    }
    const atom = readFileSync(join(w.out, 'feed.atom'), 'utf8');
    expect(atom).toContain('<link href="https://status.example.com/acme/incidents/25.html"/>');
    expect(atom).toContain('href="https://status.example.com/acme/feed.atom"');
  });

  it('rewrites only what changed and removes what is no longer public', () => {
    const w = world();
    const first = exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/' });
    const again = exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/' });
    expect(again).toEqual({ files: first.files, written: 0, unchanged: first.files, removed: 0 });

    w.core.execute(deleteIncident, localOperator, { id: w.incidents[0]!.id });
    const after = exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/' });
    expect(after.removed).toBe(1);
    expect(existsSync(join(w.out, 'incidents', `${w.incidents[0]!.id}.html`))).toBe(false);
    expect(after.written).toBeGreaterThan(0);
    expect(after.unchanged).toBeGreaterThan(after.written); // the other incident pages, assets, badges
    expect(readFileSync(join(w.out, 'history', '2.html'), 'utf8')).not.toContain('>Incident 1<');
  });

  it('never removes a file it did not write, even if the manifest names one outside the folder', () => {
    const w = world();
    exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/' });
    const keep = join(w.out, '..', `keep-${posix.basename(w.out)}.txt`);
    writeFileSync(keep, 'mine');
    writeFileSync(join(w.out, MANIFEST), JSON.stringify([`../${posix.basename(keep)}`, '/etc/hostname']));
    exportStaticSite(w.core, { outDir: w.out, baseUrl: 'https://status.example.com/' });
    expect(readFileSync(keep, 'utf8')).toBe('mine');
    rmSync(keep);
  });
});

describe('cairn export-static', () => {
  it('exports a store from the command line, and refuses a bad --base-url or a missing --out writing nothing', async () => {
    const dataDir = cliStore();
    const out = join(tempDataDir(), 'site');
    expect((await cli(['seed-demo', '--data-dir', dataDir])).code).toBe(0);
    for (const [args, message] of [
      [['--out', out, '--base-url', 'javascript:alert(1)'], /--base-url: must be an absolute http\(s\) URL/],
      [['--out', out, '--base-url', 'status.example.com'], /--base-url: must be an absolute http\(s\) URL/],
      [['--base-url', 'https://status.example.com/'], /--out: is required/],
    ] as const) {
      const bad = await cli(['export-static', '--data-dir', dataDir, ...args]);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    const ok = await cli(['export-static', '--data-dir', dataDir, '--out', out, '--base-url', 'https://status.example.com/sub', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ outDir: out, baseUrl: 'https://status.example.com/sub/', unchanged: 0, removed: 0 });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });
});

describe('the exported site, served from a sub-path by a plain static file server', () => {
  const servers: (() => void)[] = [];
  afterEach(() => servers.splice(0).forEach((close) => close()));

  it('works in Chromium: pages link to each other and the chart loads its data, nothing outside the sub-path is asked for', async () => {
    const w = world();
    exportStaticSite(w.core, { outDir: w.out, baseUrl: 'http://127.0.0.1/' });
    const types: Record<string, string> = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };
    const asked: string[] = [];
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
      asked.push(path);
      const file = join(w.out, relative('/status/', path.startsWith('/status/') ? path : '/nowhere'));
      if (!path.startsWith('/status/') || !file.startsWith(w.out) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(() => server.close());
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/status/`;

    const context = await (await sharedBrowser()).newContext();
    const { page, watch } = await watchedPage(context);
    await page.goto(`${base}index.html`);
    await page.locator('figure.metric canvas').waitFor({ timeout: 5000 });
    await page.locator('footer a', { hasText: 'Incident history' }).click();
    expect(page.url()).toBe(`${base}history.html`);
    await page.locator('a[rel=next]').click();
    expect(page.url()).toBe(`${base}history/2.html`);
    await page.locator('.history a').first().click();
    expect(page.url()).toMatch(new RegExp(`^${base}incidents/\\d+\\.html$`));
    expect(await page.locator('link[rel=stylesheet]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).sheet !== null))).toEqual([true, true]);
    expect(asked.filter((p) => !p.startsWith('/status/') && p !== '/favicon.ico')).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
