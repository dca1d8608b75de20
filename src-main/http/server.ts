import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { anonymous, type Actor } from '../core/actor.js';
import type { Core } from '../core/core.js';
import { CairnError } from '../core/errors.js';
import { getPublicStatus } from '../core/public-view.js';
import type { ApiLimits } from './api/auth.js';
import { openApiDocument } from './api/openapi.js';
import { registerApi } from './api/register.js';
import { answerClientError, sendError } from './errors.js';
import { cachedFastPath } from './fast-path.js';
import { PageCache, sendCached } from './page-cache.js';
import { PUBLIC_ASSETS } from './assets.js';
import { registerPublicSite } from './public/routes.js';
import { registerSubscriptions } from './public/subscription-routes.js';
import { SECURITY_HEADERS } from './security-headers.js';

export const API_BODY_LIMIT = 64 * 1024;
export const CAIRN_VERSION = '0.1.0';

export interface ServerOptions {
  readonly core: Core;
  /** Log requests and errors (one JSON line each). Off in tests. */
  readonly logger?: boolean;
  /** Rate limits of the API (defaults: DEFAULT_API_LIMITS). */
  readonly apiLimits?: ApiLimits;
  /**
   * Host header values the server answers to (e.g. status.example.com). Unset: any, which is
   * right on loopback; set it when the server is reachable from a network, so permalinks and
   * pagination links can never be made to point elsewhere.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * How long a cached public page is served after the store changed before it is rebuilt (default
   * 250 ms): under a stream of writes the page is rebuilt at most that often. Tests use 0.
   */
  readonly pageCacheMinAgeMs?: number;
}

/**
 * The embedded HTTP server: the public status page and the API. It translates HTTP into core
 * calls and core results into HTTP; it decides nothing itself.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { core } = options;
  const allowedHosts = options.allowedHosts && options.allowedHosts.length > 0 ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined;
  const pages = new PageCache({ stamp: () => core.changeStamp(), publicStamp: () => core.publicChangeStamp(), ...(options.pageCacheMinAgeMs === undefined ? {} : { minAgeMs: options.pageCacheMinAgeMs }) });
  const fastPath = cachedFastPath(pages, allowedHosts);
  const app = Fastify({
    serverFactory: (handler) => createServer((req, res) => fastPath(req, res) || handler(req, res)),
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: API_BODY_LIMIT,
    // Only the exact paths we serve; no case or trailing-slash variants to keep apart in caches.
    routerOptions: { caseSensitive: true, ignoreTrailingSlash: false, maxParamLength: 100 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  });

  const publicActor = (request: FastifyRequest): Actor => anonymous({ kind: 'web', ip: request.ip });

  // JSON bodies only: Fastify would also take text/plain, which a cross-site form can send.
  app.removeContentTypeParser('text/plain');
  if (allowedHosts) {
    app.addHook('onRequest', async (request) => {
      if (!allowedHosts.has(request.host.toLowerCase())) throw new CairnError('invalid_input', 'This server does not answer for that Host');
    });
  }

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));

  for (const asset of PUBLIC_ASSETS) {
    const body = asset.read();
    app.get(asset.path, async (_request, reply) => reply.type(asset.type).header('cache-control', 'public, max-age=300').send(body));
  }

  const site = registerPublicSite(app, core, pages);
  registerSubscriptions(app, core);

  app.get('/api/v1/ping', async () => ({ data: 'Pong!' }));
  app.get('/api/v1/version', async () => ({ meta: { on_latest: true }, data: CAIRN_VERSION }));
  // Monitors poll this: it is served from the page cache like the status page it summarises.
  app.get('/api/v1/status', async (request, reply) =>
    sendCached(
      request,
      reply,
      pages.get('/api/v1/status', 'application/json; charset=utf-8', () => {
        const { overall } = core.execute(getPublicStatus, publicActor(request), {});
        return JSON.stringify({ data: { status: overall.level, message: overall.message } });
      }),
    ),
  );

  const openApi = JSON.stringify(openApiDocument(CAIRN_VERSION));
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(openApi));
  registerApi(app, core, pages, options.apiLimits);

  // An unknown API path answers like the API (JSON, stable code); anything else is the site's 404 page.
  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/api/') || request.method !== 'GET'
      ? sendError(new CairnError('not_found', `No such path: ${request.method} ${request.url.split('?')[0]}`), request, reply)
      : site.notFound(request, reply),
  );

  return app;
}
