import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Public output rendered once and served from memory until the store changes. Each entry holds the
 * body pre-compressed (gzip and brotli) and its ETag, so a stampede of readers costs a lookup and a
 * write of bytes, and `If-None-Match` gets a 304. Staleness is judged by the store's change stamp
 * (this process's writes and other processes', e.g. the CLI); while writes pour in, an entry is
 * rebuilt at most every `minAgeMs`, so ingestion cannot turn every page view into a render.
 * Rendering is synchronous, so there is only ever one rebuild at a time. No request header can
 * bypass the cache: the key is the path alone.
 */

export interface CachedBody {
  readonly type: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
  readonly etag: string;
  readonly stamp: string;
  readonly builtAt: number;
}

export interface PageCacheOptions {
  /** The store's change stamp now. */
  readonly stamp: () => string;
  readonly now?: () => number;
  /** An entry younger than this is served even if the store changed since (default 250 ms). */
  readonly minAgeMs?: number;
  /** At most this many entries (paths); the oldest is dropped beyond it. */
  readonly maxEntries?: number;
}

export function compressBody(type: string, body: string | Buffer, stamp: string, builtAt: number): CachedBody {
  const identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    type,
    identity,
    gzip: gzipSync(identity, { level: 6 }),
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    stamp,
    builtAt,
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
  get(key: string, type: string, render: () => string | Buffer, maxAgeMs = Infinity): CachedBody {
    const stamp = this.options.stamp();
    const now = this.now();
    const cached = this.entries.get(key);
    const age = cached ? now - cached.builtAt : 0;
    if (cached && age < maxAgeMs && (cached.stamp === stamp || age < this.minAgeMs)) return cached;
    const fresh = compressBody(type, render(), stamp, now);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, fresh);
    return fresh;
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

/** Sends a cached body: 304 for a matching If-None-Match, else the best encoding the client takes. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody, cacheControl = 'public, max-age=10, stale-while-revalidate=30'): FastifyReply {
  reply.header('etag', body.etag).header('cache-control', cacheControl).header('vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((t) => t.trim() === body.etag || t.trim() === `W/${body.etag}`)) {
    return reply.code(304).send();
  }
  const encoding = negotiateEncoding(request.headers['accept-encoding']);
  reply.type(body.type);
  if (encoding === 'identity') return reply.send(body.identity);
  return reply.header('content-encoding', encoding).send(encoding === 'br' ? body.br : body.gzip);
}
