import type { IncomingMessage, ServerResponse } from 'node:http';
import { cachedResponse, type PageCache } from './page-cache.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * The outage-day path: a GET for a public page that is already rendered and still fresh is
 * answered straight from node:http with the cached bytes, before Fastify routes it. Everything
 * else — a stale or missing page, another method, a Host the allowlist refuses, the API — goes to
 * Fastify as usual, which renders, refuses or answers, and so fills the cache for the next reader.
 * Only cache keys that are bare site paths (`/`, `/incidents/7`, `/metrics/1/day.json`) can match a
 * request URL exactly; query strings never match, so no client can address anything else here.
 */
export function cachedFastPath(pages: PageCache, allowedHosts: ReadonlySet<string> | undefined) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' || req.url === undefined || req.url.charCodeAt(0) !== 47 /* / */) return false;
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) return false;
    const body = pages.fresh(req.url);
    if (!body) return false;
    const answer = cachedResponse(body, req.headers['if-none-match'], req.headers['accept-encoding']);
    res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers, 'content-length': answer.body?.length ?? 0 });
    res.end(answer.body);
    return true;
  };
}
