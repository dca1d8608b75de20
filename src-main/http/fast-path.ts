import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFor, cachedHeaders, encodedBytes, type CachedAnswer, type CachedBody, type PageCache } from './page-cache.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * The outage-day path: a GET for a public page that is already rendered and still fresh is
 * answered straight from node:http with the cached bytes, before Fastify routes it. Everything
 * else — a stale or missing page, another method, a Host the allowlist refuses, the API — goes to
 * Fastify as usual, which renders, refuses or answers, and so fills the cache for the next reader.
 * Only cache keys that are bare site paths (`/`, `/incidents/7`, `/metrics/1/day.json`) can match a
 * request URL exactly; query strings never match, so no client can address anything else here.
 *
 * The headers of each cached body are built once per encoding and reused: under a stampede the
 * per-request work is a map lookup, an ETag comparison and one write.
 */

type Headers = Readonly<Record<string, string | number>>;

const headerSets = new WeakMap<CachedBody, Map<CachedAnswer, Headers>>();

/** The full header set of one answer for one cached body, built on first use. */
function headersFor(body: CachedBody, answer: CachedAnswer): Headers {
  let sets = headerSets.get(body);
  if (!sets) headerSets.set(body, (sets = new Map()));
  let headers = sets.get(answer);
  if (!headers) {
    headers = { ...SECURITY_HEADERS, ...cachedHeaders(body, answer), ...(answer === 304 ? {} : { 'content-length': encodedBytes(body, answer).length }) };
    sets.set(answer, headers);
  }
  return headers;
}

export function cachedFastPath(pages: PageCache, allowedHosts: ReadonlySet<string> | undefined) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' || req.url === undefined || req.url.charCodeAt(0) !== 47 /* / */) return false;
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) return false;
    const body = pages.fresh(req.url);
    if (!body) return false;
    const answer = answerFor(body, req.headers['if-none-match'], req.headers['accept-encoding']);
    res.writeHead(answer === 304 ? 304 : 200, headersFor(body, answer)).end(answer === 304 ? undefined : encodedBytes(body, answer));
    return true;
  };
}
