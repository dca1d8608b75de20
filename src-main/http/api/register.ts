import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import type { Page } from '../../core/schemas.js';
import { getSiteInfo } from '../../core/settings.js';
import { createApiAuthenticator, type ApiLimits } from './auth.js';
import { errorInCachetNames } from './fields.js';
import type { PresentContext } from './present.js';
import { API_ROUTES, type ApiRoute } from './routes.js';

/**
 * Registers every route of the API contract. Each handler does the same five things: find the
 * caller (key or nobody), let the core check the permission, translate the input, run the core
 * operation, and shape the result as Cachet does. It decides nothing itself.
 */
export function registerApi(app: FastifyInstance, core: Core, limits?: ApiLimits): void {
  const authenticate = createApiAuthenticator(core, limits);
  for (const route of API_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const actor = await authenticate(request);
        core.checkAccess(route.operation, actor);
        try {
          const input = route.input({ params: request.params as Record<string, string>, query: request.query, body: request.body, headers: request.headers });
          const value: unknown = await core.executeAsync(route.operation, actor, input);
          const site = core.execute(getSiteInfo, actor, {});
          return respond(route, value, { timezone: site.timezone, origin: originOf(request) }, request, reply);
        } catch (err) {
          throw errorInCachetNames(err);
        }
      },
    });
  }
}

const originOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

function respond(route: ApiRoute, value: unknown, ctx: PresentContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { respond: how } = route;
  if (how.kind === 'empty') return reply.code(204).send();
  const present = how.present as (v: unknown, c: PresentContext) => unknown;
  if (how.kind === 'item') {
    const notice = (route.notice as ((v: unknown) => string | undefined) | undefined)?.(value);
    return reply.send({ ...(notice ? { meta: { notice } } : {}), data: present(value, ctx) });
  }
  const page: Page<unknown> = Array.isArray(value) ? { items: value, total: value.length, page: 1, perPage: Math.max(1, value.length) } : (value as Page<unknown>);
  return reply.send({ meta: { pagination: pagination(page, ctx, request) }, data: page.items.map((i) => present(i, ctx)) });
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
