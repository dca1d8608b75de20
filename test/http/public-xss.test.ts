import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { sharedBrowser, watchedPage } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';
import { testCore, type TestCore } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule } from '../helpers/world.js';

/**
 * The XSS corpus (372 public vectors from DOMPurify's and H5SC's suites) written into every
 * user-writable field that reaches a public output, then every public output rendered in Chromium
 * with alert/confirm/prompt/print/document.write hooked and CSP violations listened for. Nothing
 * may run, and nothing may even try (a CSP violation means a payload got past the sanitizer and
 * only the CSP stopped it). Feeds and badges are checked as the XML their readers parse.
 */

const corpus = (JSON.parse(readFileSync(new URL('../fixtures/xss-corpus/xss-corpus.json', import.meta.url), 'utf8')) as { id: string; payload: string }[]).map((v) => v.payload);
const N = corpus.length;

// What a field's schema allows: markdown keeps line breaks but no control characters; a line has neither.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const asMarkdown = (s: string, max: number) => (s.replace(CONTROL, '').slice(0, max).trim() === '' ? 'x' : s.replace(CONTROL, '').slice(0, max));
const asLine = (s: string, max: number) => s.replace(CONTROL, '').replace(/[\r\n\u2028\u2029]+/g, ' ').trim().slice(0, max).trim() || 'x';
/** Vectors i, i+step, i+2·step… joined, to put many vectors into one long field. */
const joined = (start: number, step: number, max: number) => asMarkdown(corpus.filter((_, i) => i % step === start).join('\n\n'), max);

const SCHEDULES = 20;
const METRICS = 8;
const GROUPS = 12;

type World = TestCore & { url: string; incidents: number[]; schedules: number[]; components: number[]; groups: number[] };

/** The store and server are per test (the helpers remove both after each test). */
async function corpusWorld(): Promise<World> {
  const t = testCore();
  const { core } = t;
  core.execute(updateSettings, localOperator, { siteName: asLine(corpus[0]!, 120), about: joined(0, 4, 5000) });
  const groups = Array.from({ length: GROUPS }, (_, i) => aGroup(core, { name: asLine(corpus[i]!, 255), collapsed: i % 3 }).id);
  const components = corpus.map((v, i) => aComponent(core, { name: asLine(v, 255), description: asMarkdown(v, 5000), groupId: i % 4 === 0 ? null : groups[i % GROUPS], status: (i % 4) + 1 }).id);
  const incidents = corpus.map((v, i) => {
    const incident = anIncident(core, { name: asLine(v, 255), message: asMarkdown(v, 20_000), componentId: components[i], stickied: i % 50 === 0 });
    core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: asMarkdown(corpus[(i + 1) % N]!, 20_000) });
    return incident.id;
  });
  const schedules = Array.from({ length: SCHEDULES }, (_, i) => aSchedule(core, { name: asLine(corpus[i * 7]!, 255), message: joined(i, SCHEDULES, 20_000) }).id);
  for (let i = 0; i < METRICS; i++) {
    aMetric(core, { name: asLine(corpus[i * 3]!, 255), description: asLine(corpus[i * 3 + 1]!, 1000), suffix: asLine(corpus[i * 3 + 2]!, 40), visible: 1, displayChart: true });
  }
  return { ...t, url: await startServer(core), incidents, schedules, components, groups };
}

/** Everything in a rendered page that could run script: elements, handlers, script URLs. */
async function scriptSurface(page: Page, origin: string): Promise<string[]> {
  return page.evaluate((ours) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'script' && !ours.includes((el as HTMLScriptElement).src)) found.push(`script ${el.outerHTML.slice(0, 120)}`);
      if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'form', 'meta'].includes(tag) && !(tag === 'meta' && el.closest('head'))) found.push(`${tag} ${el.outerHTML.slice(0, 120)}`);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) found.push(`handler ${tag}[${name}]`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name) && /^\s*(javascript|vbscript|data):/i.test(attr.value) && !(tag === 'img' && /^data:image\/(png|gif|jpeg|webp);/i.test(attr.value))) {
          found.push(`url ${tag}[${name}]=${attr.value.slice(0, 60)}`);
        }
        // uPlot sizes its own chart through the CSSOM (allowed by the CSP); nothing else has a style.
        if (name === 'style' && !el.closest('.metric-chart')) found.push(`inline style ${tag}`);
      }
    }
    return found;
  }, [`${origin}/assets/uplot.js`, `${origin}/assets/charts.js`]);
}

async function visitAll(world: World, paths: readonly string[], tabs = 2): Promise<Record<string, string[]>> {
  const context = await (await sharedBrowser()).newContext();
  const problems: Record<string, string[]> = {};
  const queue = [...paths];
  await Promise.all(
    Array.from({ length: tabs }, async () => {
      const { page, watch } = await watchedPage(context);
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        watch.dialogs.length = 0;
        watch.errors.length = 0;
        await page.goto(`${world.url}${path}`, { waitUntil: 'load' });
        await page.waitForTimeout(path === '/' ? 500 : 20); // let deferred scripts, image errors and charts run
        const found = [...(await watch.trapped()), ...watch.dialogs, ...watch.errors, ...(await scriptSurface(page, world.url))];
        if (found.length > 0) problems[path] = found;
      }
    }),
  );
  await context.close();
  return problems;
}

describe(`the XSS corpus (${N} vectors) through every public field`, () => {
  it('runs nothing on the status page and the history pages', async () => {
    const world = await corpusWorld();
    const historyPages = Math.ceil(N / 20);
    const paths = ['/', ...Array.from({ length: historyPages }, (_, i) => `/history?page=${i + 1}`)];
    expect(await visitAll(world, paths)).toEqual({});
  }, 120_000);

  it('runs nothing on any incident or maintenance page', async () => {
    const world = await corpusWorld();
    const paths = [...world.incidents.map((id) => `/incidents/${id}`), ...world.schedules.map((id) => `/schedules/${id}`)];
    expect(await visitAll(world, paths)).toEqual({});
  }, 300_000);

  it('badges and the site badge are plain SVG: text and shapes only, for every component', async () => {
    const world = await corpusWorld();
    const allowed = new Set(['svg', 'title', 'lineargradient', 'stop', 'clippath', 'rect', 'g', 'path', 'text']);
    for (const [i, id] of world.components.entries()) {
      const res = await fetch(`${world.url}/components/${id}/badge.svg`);
      const doc = new new JSDOM('').window.DOMParser().parseFromString(await res.text(), 'image/svg+xml');
      expect(doc.getElementsByTagName('parsererror'), `badge ${i}`).toHaveLength(0);
      for (const el of doc.getElementsByTagName('*')) {
        expect(allowed.has(el.tagName.toLowerCase()), `badge ${i}: <${el.tagName}>`).toBe(true);
        for (const attr of el.attributes) expect(attr.name, `badge ${i}`).not.toMatch(/^on|href$/i);
      }
    }
    const context = await (await sharedBrowser()).newContext();
    const { page, watch } = await watchedPage(context);
    await page.goto(`${world.url}/badge.svg`);
    expect([...(await watch.trapped()), ...watch.dialogs]).toEqual([]);
    await context.close();
  }, 120_000);

  it('feeds are well-formed XML whose entry HTML is the sanitized HTML: no script, handler or script URL', async () => {
    const world = await corpusWorld();
    const paths = ['/feed.atom', '/feed.rss', ...world.groups.flatMap((id) => [`/groups/${id}/feed.atom`, `/groups/${id}/feed.rss`])];
    let entries = 0;
    for (const path of paths) {
      const res = await fetch(`${world.url}${path}`);
      if (res.status === 404) continue; // a group whose components are all ungrouped here has no public feed
      const xml = new new JSDOM('').window.DOMParser().parseFromString(await res.text(), 'application/xml');
      expect(xml.getElementsByTagName('parsererror'), path).toHaveLength(0);
      for (const content of [...xml.getElementsByTagName('content'), ...xml.getElementsByTagName('description')]) {
        entries += 1;
        const html = new JSDOM(`<body>${content.textContent ?? ''}</body>`).window.document;
        expect(html.querySelectorAll('script, iframe, object, embed, form, style, base, meta'), path).toHaveLength(0);
        for (const el of html.querySelectorAll('*')) {
          for (const attr of el.attributes) {
            expect(attr.name, `${path} <${el.tagName}>`).not.toMatch(/^on/i);
            if (['href', 'src', 'xlink:href', 'action'].includes(attr.name)) expect(attr.value, path).not.toMatch(/^\s*(javascript|vbscript|data):/i);
          }
        }
      }
    }
    expect(entries).toBeGreaterThan(50);
  }, 120_000);
});
