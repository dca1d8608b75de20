import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import { CairnError } from '../../core/errors.js';
import { METRIC_VIEWS, metricViewName } from '../../core/public-metrics.js';
import { sendCached, type Follows, type PageCache } from '../page-cache.js';
import { serverLink, THEME_CSS } from './layout.js';
import { CONTENT_TYPE, PublicSite, type FeedKind } from './site.js';

/**
 * The public site over HTTP: every output of PublicSite, served from the page cache. Ids in paths
 * are digits or the answer is the not-found page; query strings shape nothing but the history's
 * page number, so no client can split or bypass the cache.
 */

const ID = /^[1-9]\d{0,14}$/;
/** Pages that also change with the clock (uptime days, "last 7 days") are rebuilt at least this often. */
const CLOCK_BOUND_MS = 60_000;

/** Registers the public site; returns its not-found page for the server's unknown paths. */
export function registerPublicSite(app: FastifyInstance, core: Core, pages: PageCache): { notFound: (request: FastifyRequest, reply: FastifyReply) => FastifyReply } {
  const siteFor = (request: FastifyRequest) => new PublicSite(core, anonymous({ kind: 'web', ip: request.ip }));
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const absolute = (request: FastifyRequest) => (path: string) => `${origin(request)}${path}`;

  /** A not_found from the core becomes the 404 page (never cached). */
  const orNotFound = (request: FastifyRequest, reply: FastifyReply, answer: () => FastifyReply) => {
    try {
      return answer();
    } catch (err) {
      if (err instanceof CairnError && err.code === 'not_found') return notFound(request, reply);
      throw err;
    }
  };
  /** Serves `render` from the cache. */
  const page = (request: FastifyRequest, reply: FastifyReply, key: string, type: string, render: (site: PublicSite) => string, maxAgeMs?: number, follows?: Follows) =>
    orNotFound(request, reply, () => sendCached(request, reply, pages.get(key, type, () => render(siteFor(request)), maxAgeMs, follows)));
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const site = siteFor(request);
    return reply.code(404).type(CONTENT_TYPE.html).header('cache-control', 'no-store').send(site.notFound(site.frame(serverLink)));
  };
  const idParam = (request: FastifyRequest): number | undefined => {
    const value = (request.params as { id?: string }).id;
    return value !== undefined && ID.test(value) ? Number(value) : undefined;
  };
  /** A route for a record by id: not-found page unless the id is well formed. */
  const byId = (path: string, type: string, render: (site: PublicSite, id: number, request: FastifyRequest) => string) =>
    app.get(path, async (request, reply) => {
      const id = idParam(request);
      if (id === undefined) return notFound(request, reply);
      return page(request, reply, path.replace(':id', String(id)), type, (site) => render(site, id, request));
    });

  app.get('/', async (request, reply) => page(request, reply, '/', CONTENT_TYPE.html, (site) => site.home(site.frame(serverLink)), CLOCK_BOUND_MS));
  byId('/incidents/:id', CONTENT_TYPE.html, (site, id) => site.incident(site.frame(serverLink), id));
  byId('/schedules/:id', CONTENT_TYPE.html, (site, id) => site.schedule(site.frame(serverLink), id));

  app.get('/history', async (request, reply) => {
    const raw = (request.query as { page?: unknown }).page;
    const n = typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
    return page(request, reply, `/history?page=${n}`, CONTENT_TYPE.html, (site) => site.history(site.frame(serverLink), n));
  });

  for (const kind of ['atom', 'rss'] as const satisfies readonly FeedKind[]) {
    // Feeds carry absolute links, so the origin is part of the key (the Host allowlist bounds it).
    app.get(`/feed.${kind}`, async (request, reply) =>
      page(request, reply, `${origin(request)}/feed.${kind}`, CONTENT_TYPE[kind], (site) => site.feed(kind, absolute(request), `/feed.${kind}`)),
    );
    app.get(`/groups/:id/feed.${kind}`, async (request, reply) => {
      const id = idParam(request);
      if (id === undefined) return notFound(request, reply);
      const path = `/groups/${id}/feed.${kind}`;
      return page(request, reply, `${origin(request)}${path}`, CONTENT_TYPE[kind], (site) => site.feed(kind, absolute(request), path, id));
    });
  }

  app.get('/badge.svg', async (request, reply) => page(request, reply, '/badge.svg', CONTENT_TYPE.svg, (site) => site.badge()));
  byId('/components/:id/badge.svg', CONTENT_TYPE.svg, (site, id) => site.componentBadge(id));

  app.get('/api/v2/status.json', async (request, reply) =>
    page(request, reply, `${origin(request)}/api/v2/status.json`, CONTENT_TYPE.json, (site) => site.statusJson(absolute(request))),
  );
  app.get('/api/v2/summary.json', async (request, reply) =>
    page(request, reply, `${origin(request)}/api/v2/summary.json`, CONTENT_TYPE.json, (site) => site.summaryJson(absolute(request)), CLOCK_BOUND_MS),
  );

  app.get(THEME_CSS, async (request, reply) => page(request, reply, THEME_CSS, CONTENT_TYPE.css, (site) => site.themeCss()));
  // The logo's path names its type; only the current logo's own path answers.
  app.get('/assets/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    if (!/^logo\.(png|jpg|gif|webp)$/.test(file)) return notFound(request, reply);
    const path = `/assets/${file}`;
    const cached = pages.fresh(path);
    if (cached) return sendCached(request, reply, cached);
    return orNotFound(request, reply, () => {
      const logo = siteFor(request).logo();
      if (logo.path !== path) return notFound(request, reply);
      return sendCached(request, reply, pages.get(path, logo.type, () => logo.bytes));
    });
  });

  app.get('/metrics/:id/:file', async (request, reply) => {
    const id = idParam(request);
    const match = /^([a-z]+)\.json$/.exec((request.params as { file: string }).file);
    const view = metricViewName.safeParse(match?.[1]);
    if (id === undefined || !view.success) return notFound(request, reply);
    // A chart's window moves with the clock: rebuilt at least once per bucket (at most a minute).
    const maxAge = Math.min(CLOCK_BOUND_MS, METRIC_VIEWS[view.data].bucketMs);
    return page(request, reply, `/metrics/${id}/${view.data}.json`, CONTENT_TYPE.json, (site) => site.metricSeries(id, view.data), maxAge, 'any');
  });

  return { notFound };
}
