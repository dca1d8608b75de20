import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodedBytes, etagMatches, negotiateEncoding, PUBLIC_CACHE_CONTROL, type CachedBody, type PageCache } from './page-cache.js';
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

type Encoding = 'br' | 'gzip' | 'identity';
type Headers = Readonly<Record<string, string | number>>;

const headerSets = new WeakMap<CachedBody, Map<Encoding | 304, Headers>>();

function headersFor(body: CachedBody, kind: Encoding | 304): Headers {
  let sets = headerSets.get(body);
  if (!sets) headerSets.set(body, (sets = new Map()));
  let headers = sets.get(kind);
  if (!headers) {
    const common = { ...SECURITY_HEADERS, etag: body.etag, 'cache-control': PUBLIC_CACHE_CONTROL, vary: 'Accept-Encoding' };
    headers =
      kind === 304
        ? common
        : {
            ...common,
            'content-type': body.type,
            ...(kind === 'identity' ? {} : { 'content-encoding': kind }),
            'content-length': encodedBytes(body, kind).length,
          };
    sets.set(kind, headers);
  }
  return headers;
}

export function cachedFastPath(pages: PageCache, allowedHosts: ReadonlySet<string> | undefined) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' || req.url === undefined || req.url.charCodeAt(0) !== 47 /* / */) return false;
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) return false;
    const body = pages.fresh(req.url);
    if (!body) return false;
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, body.etag)) {
      res.writeHead(304, headersFor(body, 304)).end();
      return true;
    }
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    res.writeHead(200, headersFor(body, encoding)).end(encodedBytes(body, encoding));
    return true;
  };
}
