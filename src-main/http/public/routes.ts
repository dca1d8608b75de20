import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous, type Actor } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import { CairnError } from '../../core/errors.js';
import { getPublicStatus } from '../../core/public-view.js';
import { getSiteInfo } from '../../core/settings.js';
import { getVisibleComponent, getVisibleGroup, getVisibleIncident, getVisibleSchedule, listVisibleIncidents } from '../../core/visible-reads.js';
import { COMPONENT_STATUS } from '../../core/components.js';
import { sendCached, type PageCache } from '../page-cache.js';
import { renderBadge, type BadgeTone } from './badge.js';
import { renderAtom, renderRss } from './feeds.js';
import { renderHistoryPage, renderIncidentPage, renderNotFoundPage, renderSchedulePage } from './pages.js';
import { renderStatusPage } from './status-page.js';
import { statusJson, summaryJson } from './statuspage.js';

/**
 * The public site: pages, feeds, badges and the Statuspage-compatible JSON. Every answer is built
 * from the core's public reads as an anonymous caller (so exactly the public projection) and served
 * from the page cache. Ids in paths are digits or the answer is the not-found page.
 */

const HTML = 'text/html; charset=utf-8';
const ID = /^[1-9]\d{0,14}$/;
const FEED_SIZE = 50;

export function registerPublicSite(app: FastifyInstance, core: Core, pages: PageCache): void {
  const visitor = (request: FastifyRequest): Actor => anonymous({ kind: 'web', ip: request.ip });
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const site = (request: FastifyRequest) => core.execute(getSiteInfo, visitor(request), {});

  /** Serves `render` from the cache; a not_found from the core becomes the 404 page (not cached). */
  const page = (request: FastifyRequest, reply: FastifyReply, key: string, type: string, render: () => string) => {
    try {
      return sendCached(request, reply, pages.get(key, type, render));
    } catch (err) {
      if (err instanceof CairnError && err.code === 'not_found') return notFound(request, reply);
      throw err;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply) => reply.code(404).type(HTML).header('cache-control', 'no-store').send(renderNotFoundPage(site(request)));
  const idParam = (request: FastifyRequest): string | undefined => {
    const value = (request.params as { id?: string }).id;
    return value !== undefined && ID.test(value) ? value : undefined;
  };

  app.get('/', async (request, reply) => page(request, reply, '/', HTML, () => renderStatusPage(core.execute(getPublicStatus, visitor(request), {}))));

  app.get('/incidents/:id', async (request, reply) => {
    const id = idParam(request);
    if (!id) return notFound(request, reply);
    return page(request, reply, `/incidents/${id}`, HTML, () => renderIncidentPage(site(request), core.execute(getVisibleIncident, visitor(request), { id })));
  });

  app.get('/schedules/:id', async (request, reply) => {
    const id = idParam(request);
    if (!id) return notFound(request, reply);
    return page(request, reply, `/schedules/${id}`, HTML, () => renderSchedulePage(site(request), core.execute(getVisibleSchedule, visitor(request), { id })));
  });

  app.get('/history', async (request, reply) => {
    // Only `page` shapes the answer (and the cache key); anything else in the query is ignored.
    const raw = (request.query as { page?: unknown }).page;
    const n = typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
    return page(request, reply, `/history?page=${n}`, HTML, () =>
      renderHistoryPage(site(request), core.execute(listVisibleIncidents, visitor(request), { page: n, perPage: 20, sort: 'occurredAt', order: 'desc' })),
    );
  });

  const recentIncidents = (request: FastifyRequest) => core.execute(listVisibleIncidents, visitor(request), { perPage: FEED_SIZE, sort: 'occurredAt', order: 'desc' }).items;
  for (const [ext, type, render] of [['atom', 'application/atom+xml; charset=utf-8', renderAtom], ['rss', 'application/rss+xml; charset=utf-8', renderRss]] as const) {
    app.get(`/feed.${ext}`, async (request, reply) =>
      page(request, reply, `${origin(request)}/feed.${ext}`, type, () =>
        render({ title: `${site(request).siteName} status`, origin: origin(request), path: `/feed.${ext}`, incidents: recentIncidents(request), now: core.clock.now() }),
      ),
    );
    app.get(`/groups/:id/feed.${ext}`, async (request, reply) => {
      const id = idParam(request);
      if (!id) return notFound(request, reply);
      const path = `/groups/${id}/feed.${ext}`;
      return page(request, reply, `${origin(request)}${path}`, type, () => {
        const group = core.execute(getVisibleGroup, visitor(request), { id });
        const members = new Set(group.enabledComponents.map((c) => c.id));
        const incidents = recentIncidents(request).filter((i) => i.componentId !== null && members.has(i.componentId));
        return render({ title: `${site(request).siteName} status: ${group.name}`, origin: origin(request), path, incidents, now: core.clock.now() });
      });
    });
  }

  const SVG = 'image/svg+xml; charset=utf-8';
  app.get('/badge.svg', async (request, reply) =>
    page(request, reply, '/badge.svg', SVG, () => {
      const { overall } = core.execute(getPublicStatus, visitor(request), {});
      const message = overall.level === 'success' ? 'operational' : overall.level === 'info' ? 'degraded' : 'major outage';
      return renderBadge('status', message, overall.level);
    }),
  );
  app.get('/components/:id/badge.svg', async (request, reply) => {
    const id = idParam(request);
    if (!id) return notFound(request, reply);
    return page(request, reply, `/components/${id}/badge.svg`, SVG, () => {
      const c = core.execute(getVisibleComponent, visitor(request), { id });
      const tone: BadgeTone = c.status === 1 ? 'success' : c.status === 6 ? 'maintenance' : c.status === 4 ? 'error' : c.status === 0 ? 'unknown' : 'info';
      return renderBadge(c.name, (COMPONENT_STATUS[c.status as keyof typeof COMPONENT_STATUS] ?? 'Unknown').toLowerCase(), tone);
    });
  });

  const JSON_TYPE = 'application/json; charset=utf-8';
  app.get('/api/v2/status.json', async (request, reply) =>
    page(request, reply, `${origin(request)}/api/v2/status.json`, JSON_TYPE, () => JSON.stringify(statusJson(core.execute(getPublicStatus, visitor(request), {}), origin(request)))),
  );
  app.get('/api/v2/summary.json', async (request, reply) =>
    page(request, reply, `${origin(request)}/api/v2/summary.json`, JSON_TYPE, () => JSON.stringify(summaryJson(core.execute(getPublicStatus, visitor(request), {}), origin(request)))),
  );
}
