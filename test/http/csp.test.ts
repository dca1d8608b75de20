import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { setLogo } from '../../src-main/core/settings.js';
import { startServer } from '../helpers/server.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup, aMetric, anIncident, aSchedule, TINY_PNG_BASE64 } from '../helpers/world.js';

/**
 * Every CSP Cairn sends, scored by Google's CSP Evaluator (the csp_evaluator package behind
 * csp-evaluator.withgoogle.com): no finding may be worse than "medium maybe". Lower severity
 * numbers are worse (HIGH 10 … MEDIUM_MAYBE 50 … INFO 60).
 */

const load = createRequire(import.meta.url);
const { CspEvaluator } = load('csp_evaluator/dist/evaluator.js') as { CspEvaluator: new (csp: unknown) => { evaluate(): { severity: number; description: string; directive: string }[] } };
const { CspParser } = load('csp_evaluator/dist/parser.js') as { CspParser: new (csp: string) => { csp: unknown } };
const { Severity } = load('csp_evaluator/dist/finding.js') as { Severity: Record<string, number> };

const worseThanMediumMaybe = (csp: string) =>
  new CspEvaluator(new CspParser(csp).csp)
    .evaluate()
    .filter((f) => f.severity < Severity.MEDIUM_MAYBE!)
    .map((f) => `${f.directive}: ${f.description} (${Severity[f.severity]})`);

describe('Content-Security-Policy under Google’s CSP Evaluator', () => {
  it('flags a weak policy (so the check can fail)', () => {
    expect(worseThanMediumMaybe("script-src 'self' 'unsafe-inline' https:")).not.toEqual([]);
  });

  it('finds nothing worse than "medium maybe" on any public response', async () => {
    const { core } = testCore();
    const group = aGroup(core);
    const component = aComponent(core, { groupId: group.id });
    const incident = anIncident(core, { componentId: component.id });
    const schedule = aSchedule(core);
    const metric = aMetric(core, { visible: 1, displayChart: true });
    core.execute(setLogo, localOperator, { type: 'image/png', dataBase64: TINY_PNG_BASE64 });
    const url = await startServer(core);
    const paths = [
      '/', `/incidents/${incident.id}`, `/schedules/${schedule.id}`, '/history', '/nowhere', '/feed.atom', '/feed.rss', `/groups/${group.id}/feed.atom`,
      '/badge.svg', `/components/${component.id}/badge.svg`, '/api/v2/summary.json', `/metrics/${metric.id}/day.json`, '/assets/status.css',
      '/assets/theme.css', '/assets/charts.js', '/assets/logo.png', '/api/v1/components', '/api/v1/ping', '/api/v1/nowhere', '/api/v1/openapi.json',
    ];
    for (const path of paths) {
      for (let i = 0; i < 2; i++) {
        // Twice: the second answer comes from the cache's fast path.
        const res = await fetch(`${url}${path}`);
        const csp = res.headers.get('content-security-policy');
        expect(csp, path).not.toBeNull();
        expect(worseThanMediumMaybe(csp!), path).toEqual([]);
      }
    }
  });

  it('finds nothing worse than "medium maybe" in the console renderer’s policy, as built', () => {
    for (const file of ['src-renderer/index.html', 'out/renderer/index.html']) {
      const html = readFileSync(file, 'utf8');
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
      expect(csp, file).toBeDefined();
      expect(worseThanMediumMaybe(csp!), file).toEqual([]);
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    }
  });
});
