import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import type { Page } from '../../core/schemas.js';
import { getSiteInfo } from '../../core/settings.js';
import { sendCached, type PageCache } from '../page-cache.js';
import { createApiAuthenticator, type ApiLimits } from './auth.js';
import { errorInCachetNames } from './fields.js';
import type { PresentContext } from './present.js';
import { API_ROUTES, type ApiRoute } from './routes.js';
import { WriteLane } from './write-lane.js';

/**
 * Registers every route of the API contract. Each handler does the same five things: find the
 * caller (key or nobody), let the core check the permission, translate the input, run the core
 * operation, and shape the result as Cachet does. It decides nothing itself.
 */
export function registerApi(app: FastifyInstance, core: Core, pages: PageCache, limits?: ApiLimits): void {
  const authenticate = createApiAuthenticator(core, limits);
  const writes = new WriteLane((calls) => core.commitTogether(calls));
  // How to present dates is public information: asked as a guest (no key lookup), and read again
  // only when the store changed (the page cache's stamp), not at every request.
  let site: { readonly stamp: string; readonly timezone: string } | undefined;
  const siteTimezone = (request: FastifyRequest): string => {
    const stamp = pages.stamp();
    if (site?.stamp !== stamp) site = { stamp, timezone: core.execute(getSiteInfo, anonymous({ kind: 'api', ip: request.ip }), {}).timezone };
    return site.timezone;
  };
  for (const route of API_ROUTES) {
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const actor = await authenticate(request);
      core.checkAccess(route.operation, actor);
      try {
        const answer = async () => {
          const input = route.input({ params: request.params as Record<string, string>, query: request.query, body: request.body, headers: request.headers });
          const value: unknown = route.method === 'GET' ? await core.executeAsync(route.operation, actor, input) : await writes.run(await core.prepareCall(route.operation, actor, input));
          return present(route, value, { timezone: siteTimezone(request), origin: originOf(request) }, request);
        };
        // A guest's read is the public projection, the same for every guest: it is served from
        // the page cache like the status page (keyed by origin and the whole URL; a bad query
        // throws before anything is cached). Reads with a key are never cached.
        if (route.method === 'GET' && actor.kind === 'anonymous') {
          const key = `${originOf(request)}${request.url}`;
          const cached = pages.fresh(key);
          if (cached) return sendCached(request, reply, cached);
          // Read before the read: a write meanwhile leaves the entry stale, not wrong. The API's lists
          // include metric points, so they follow every change.
          const stamp = pages.stamp('any');
          const body = await answer();
          return sendCached(request, reply, pages.store(key, JSON_TYPE, JSON.stringify(body), stamp, Infinity, 'any'));
        }
        const body = await answer();
        return body === undefined ? reply.code(204).send() : reply.send(body);
      } catch (err) {
        throw errorInCachetNames(err);
      }
    };
    app.route({
      method: route.method,
      url: route.path,
      handler: handle,
    });
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

const originOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/** The body Cachet would send for `value` (undefined: 204, no content). */
function present(route: ApiRoute, value: unknown, ctx: PresentContext, request: FastifyRequest): unknown {
  const { respond: how } = route;
  if (how.kind === 'empty') return undefined;
  const one = how.present as (v: unknown, c: PresentContext) => unknown;
  if (how.kind === 'item') {
    const notice = (route.notice as ((v: unknown) => string | undefined) | undefined)?.(value);
    return { ...(notice ? { meta: { notice } } : {}), data: one(value, ctx) };
  }
  const page: Page<unknown> = Array.isArray(value) ? { items: value, total: value.length, page: 1, perPage: Math.max(1, value.length) } : (value as Page<unknown>);
  return { meta: { pagination: pagination(page, ctx, request) }, data: page.items.map((i) => one(i, ctx)) };
}

/** Cachet's pagination block; `links` are full URLs to the neighbouring pages, or null. */
function pagination(page: Page<unknown>, ctx: PresentContext, request: FastifyRequest) {
  const totalPages = Math.max(1, Math.ceil(page.total / page.perPage));
  const linkTo = (n: number): string | null => {
    if (n < 1 || n > totalPages) return null;
    const url = new URL(request.url, ctx.origin);
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  return {
    total: page.total,
    count: page.items.length,
    per_page: page.perPage,
    current_page: page.page,
    total_pages: totalPages,
    links: { next_page: linkTo(page.page + 1), previous_page: linkTo(page.page - 1) },
  };
}
