import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { updateComponent } from '../../src-main/core/components.js';
import { createIncidentUpdate } from '../../src-main/core/incidents.js';
import { addMetricPointOp } from '../../src-main/core/metrics.js';
import { updateSettings } from '../../src-main/core/settings.js';
import { axeViolations, sharedBrowser, watchedPage } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule } from '../helpers/world.js';

/** The public pages in a real browser (Debian's Chromium): with and without JavaScript, and under axe. */

async function site() {
  const t = testCore();
  const { core, clock } = t;
  core.execute(updateSettings, localOperator, { siteName: 'Acme', about: 'Live status of **Acme**. [Contact](https://example.com/contact)' });
  const web = aGroup(core, { name: 'Website' });
  const infra = aGroup(core, { name: 'Infrastructure', collapsed: 2 });
  const api = aComponent(core, { name: 'Public API', groupId: web.id, description: 'The REST API', link: 'https://example.com/api' });
  aComponent(core, { name: 'Dashboard', groupId: web.id });
  aComponent(core, { name: 'Database', groupId: infra.id, status: 3 });
  aComponent(core, { name: 'Standalone' });
  const incident = anIncident(core, { name: 'Slow logins', message: 'We are **on it**', componentId: api.id, componentStatus: 2, stickied: true });
  core.execute(createIncidentUpdate, localOperator, { incidentId: incident.id, status: 2, message: 'Found the cause' });
  anIncident(core, { name: 'Resolved yesterday', status: 4 });
  const schedule = aSchedule(core, { name: 'DB upgrade', message: 'Minor version' });
  const metric = aMetric(core, { name: 'Latency', suffix: 'ms', visible: 1, displayChart: true, calcType: 1, threshold: 1, defaultView: 0 });
  for (let i = 0; i < 30; i++) core.execute(addMetricPointOp, localOperator, { metricId: metric.id, value: 50 + (i % 7), timestamp: Math.floor((clock.now() - i * 60_000) / 1000) });
  clock.advance(3_600_000);
  core.execute(updateComponent, localOperator, { id: api.id, status: 4 });
  const url = await startServer(core);
  return { ...t, url, incident, schedule };
}

const PAGES = (s: { incident: { id: number }; schedule: { id: number } }) => ['/', `/incidents/${s.incident.id}`, `/schedules/${s.schedule.id}`, '/history', '/no-such-page', '/incidents/9999'];

describe('the public pages in Chromium', () => {
  it('are complete with JavaScript off: status, components, uptime text, incidents, maintenance, links', async () => {
    const s = await site();
    const context = await (await sharedBrowser()).newContext({ javaScriptEnabled: false });
    const { page, watch } = await watchedPage(context);
    await page.goto(`${s.url}/`);
    expect(await page.locator('.overall').innerText()).toBe('The system is experiencing major issues');
    expect(await page.locator('.component-name').allInnerTexts()).toEqual(['Public API', 'Dashboard', 'Database', 'Standalone'].sort((a, b) => (a === 'Standalone' ? -1 : b === 'Standalone' ? 1 : 0)));
    expect(await page.locator('details.group[open] summary').innerText()).toContain('Infrastructure');
    expect(await page.locator('.uptime-bar').first().getAttribute('aria-label')).toMatch(/uptime over the last 90 days/);
    expect(await page.locator('article.incident.stickied h3').innerText()).toContain('Slow logins');
    expect(await page.locator('figure.metric figcaption a').getAttribute('href')).toBe('/metrics/1/hour.json');
    expect(await page.locator('figure.metric canvas').count()).toBe(0);
    await page.locator('a', { hasText: 'Slow logins' }).click();
    expect(page.url()).toBe(`${s.url}/incidents/${s.incident.id}`);
    expect(await page.locator('#incident-title').innerText()).toContain('Slow logins');
    expect(await page.locator('.updates li').allInnerTexts()).toEqual([expect.stringContaining('Found the cause')]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('draw the metric chart with JavaScript on, from the same origin, with no CSP violation or error', async () => {
    const s = await site();
    const context = await (await sharedBrowser()).newContext();
    const { page, watch } = await watchedPage(context);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${s.url}/`);
    await page.locator('figure.metric canvas').waitFor({ timeout: 5000 });
    expect(requests.every((u) => u.startsWith(s.url)), requests.join(' ')).toBe(true);
    expect(requests).toContain(`${s.url}/metrics/1/hour.json`);
    expect(await watch.trapped()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('would see a violation: axe reports a page stripped of its language and a link of its text', async () => {
    const s = await site();
    const context = await (await sharedBrowser()).newContext();
    const { page } = await watchedPage(context);
    await page.goto(`${s.url}/`);
    await page.evaluate(() => {
      document.documentElement.removeAttribute('lang');
      document.querySelector('header a')!.textContent = '';
    });
    expect((await axeViolations(page)).map((v) => v.id).sort()).toEqual(['html-has-lang', 'link-name']);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`have no WCAG 2.1 A/AA violation under axe-core (${colorScheme} theme)`, async () => {
      const s = await site();
      const context = await (await sharedBrowser()).newContext({ colorScheme });
      const { page } = await watchedPage(context);
      for (const path of PAGES(s)) {
        await page.goto(`${s.url}${path}`);
        expect(await axeViolations(page), `${path} (${colorScheme})`).toEqual([]);
      }
      await context.close();
    });
  }
});
