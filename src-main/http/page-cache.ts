import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Public output rendered once and served from memory until the store changes. Each entry holds the
 * body pre-compressed (gzip and brotli) and its ETag, so a stampede of readers costs a lookup and a
 * write of bytes, and `If-None-Match` gets a 304. Staleness is judged by the store's change stamp
 * (this process's writes and other processes', e.g. the CLI); while writes pour in, an entry is
 * rebuilt at most every `minAgeMs`, so ingestion cannot turn every page view into a render.
 * Pages follow the store's *public* stamp, which moves only when something they show changed (not
 * with a metric point, an audit entry or key-use telemetry); what shows metric points (chart data,
 * the API's guest reads) follows every change. Rendering is synchronous, so there is only ever one
 * rebuild at a time. No request header can bypass the cache: the key is the path alone.
 */

/** Which changes of the store make an entry stale: those to public pages' content, or any. */
export type Follows = 'public' | 'any';

export interface CachedBody {
  readonly type: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
  readonly etag: string;
  readonly stamp: string;
  readonly follows: Follows;
  readonly builtAt: number;
  /** Rebuilt once older than this even if the store did not change (output that follows the clock). */
  readonly maxAgeMs: number;
}

export interface PageCacheOptions {
  /** The store's change stamp now: moves with any change. */
  readonly stamp: () => string;
  /** Moves with every change to what public pages show (default: `stamp`). */
  readonly publicStamp?: () => string;
  readonly now?: () => number;
  /** An entry younger than this is served even if the store changed since (default 250 ms). */
  readonly minAgeMs?: number;
  /** At most this many entries (paths); the oldest is dropped beyond it. */
  readonly maxEntries?: number;
}

export function compressBody(type: string, body: string | Buffer, stamp: string, builtAt: number, maxAgeMs = Infinity, follows: Follows = 'public'): CachedBody {
  const identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    type,
    identity,
    gzip: gzipSync(identity, { level: 6 }),
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    stamp,
    follows,
    builtAt,
    maxAgeMs,
  };
}

export class PageCache {
  private readonly entries = new Map<string, CachedBody>();
  private readonly now: () => number;
  private readonly minAgeMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: PageCacheOptions) {
    this.now = options.now ?? Date.now;
    this.minAgeMs = options.minAgeMs ?? 250;
    this.maxEntries = options.maxEntries ?? 2000;
  }

  /**
   * The cached body for `key`, rebuilt with `render` if the store changed (and the entry is old
   * enough) or, for output that also depends on the time (the uptime bars, a chart's window), once
   * it is older than `maxAgeMs`.
   */
  get(key: string, type: string, render: () => string | Buffer, maxAgeMs = Infinity, follows: Follows = 'public'): CachedBody {
    const cached = this.fresh(key);
    if (cached) return cached;
    // The stamp is read before rendering, so a write landing meanwhile makes the entry stale, not lost.
    const stamp = this.stamp(follows);
    return this.store(key, type, render(), stamp, maxAgeMs, follows);
  }

  private readonly lastStamps = new Map<Follows, { value: string; at: number }>();

  /**
   * The store's change stamp: read it before producing a body that `store` will keep. Under a
   * stampede it is asked for at every request, so a reading is reused for up to 20 ms (never longer
   * than `minAgeMs`, the staleness the cache already allows).
   */
  stamp(follows: Follows = 'public'): string {
    const now = this.now();
    const last = this.lastStamps.get(follows);
    if (last && now - last.at < Math.min(20, this.minAgeMs)) return last.value;
    const value = follows === 'public' && this.options.publicStamp ? this.options.publicStamp() : this.options.stamp();
    this.lastStamps.set(follows, { value, at: now });
    return value;
  }

  /** Keeps `body`, produced from the store as it was at `stamp` (read with `stamp(follows)`). */
  store(key: string, type: string, body: string | Buffer, stamp: string, maxAgeMs = Infinity, follows: Follows = 'public'): CachedBody {
    const built = compressBody(type, body, stamp, this.now(), maxAgeMs, follows);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, built);
    return built;
  }

  /** The entry for `key` if it may still be served, without rebuilding anything. */
  fresh(key: string): CachedBody | undefined {
    const cached = this.entries.get(key);
    if (!cached) return undefined;
    const age = this.now() - cached.builtAt;
    if (age >= cached.maxAgeMs) return undefined;
    return age < this.minAgeMs || cached.stamp === this.stamp(cached.follows) ? cached : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The encoding a client accepts that we have: brotli, then gzip, else none (q=0 honoured). */
export function negotiateEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

export interface CachedResponse {
  readonly status: 200 | 304;
  readonly headers: Record<string, string | number>;
  readonly body: Buffer | undefined;
}

/** Whether an If-None-Match header names `etag` (weak or strong). */
const etagMatches = (ifNoneMatch: string, etag: string): boolean => ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`);

/** The bytes of a cached body in one encoding. */
export const encodedBytes = (body: CachedBody, encoding: 'br' | 'gzip' | 'identity'): Buffer => (encoding === 'br' ? body.br : encoding === 'gzip' ? body.gzip : body.identity);

/** How to answer a request for a cached body: 304 for a matching If-None-Match, else the best encoding the client takes. */
export type CachedAnswer = 304 | 'br' | 'gzip' | 'identity';

export function answerFor(body: CachedBody, ifNoneMatch: string | undefined, acceptEncoding: string | undefined): CachedAnswer {
  return ifNoneMatch !== undefined && etagMatches(ifNoneMatch, body.etag) ? 304 : negotiateEncoding(acceptEncoding);
}

/** The headers of that answer (the server adds the security headers). */
export function cachedHeaders(body: CachedBody, answer: CachedAnswer, cacheControl = PUBLIC_CACHE_CONTROL): Record<string, string> {
  const headers: Record<string, string> = { etag: body.etag, 'cache-control': cacheControl, vary: 'Accept-Encoding' };
  if (answer === 304) return headers;
  headers['content-type'] = body.type;
  if (answer !== 'identity') headers['content-encoding'] = answer;
  return headers;
}

export function cachedResponse(body: CachedBody, ifNoneMatch: string | undefined, acceptEncoding: string | undefined, cacheControl = PUBLIC_CACHE_CONTROL): CachedResponse {
  const answer = answerFor(body, ifNoneMatch, acceptEncoding);
  return { status: answer === 304 ? 304 : 200, headers: cachedHeaders(body, answer, cacheControl), body: answer === 304 ? undefined : encodedBytes(body, answer) };
}

export const PUBLIC_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30';

/** Sends a cached body through Fastify. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody, cacheControl = PUBLIC_CACHE_CONTROL): FastifyReply {
  const ifNoneMatch = request.headers['if-none-match'];
  const answer = cachedResponse(body, typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined, request.headers['accept-encoding'], cacheControl);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}
