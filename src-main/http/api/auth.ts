import type { FastifyRequest } from 'fastify';
import { anonymous, type Actor } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import { CairnError } from '../../core/errors.js';
import { KeyedRateLimiter, type RateLimiter } from '../../core/rate-limiter.js';

/**
 * Who is calling the API: the API key in `X-Cachet-Token` (Cachet's header) or
 * `Authorization: Bearer`, checked by the core, or nobody (the public projection). Rate limits per
 * client IP, per key, and for failed keys per IP keep one client from starving the others or
 * guessing keys; each answers 429 with Retry-After.
 */

export interface Rate {
  readonly burst: number;
  readonly perSecond: number;
}

export interface ApiLimits {
  /** Every API request from one IP address. */
  readonly perIp: Rate;
  /** Every request made with one key. */
  readonly perKey: Rate;
  /** Refused keys from one IP address (guessing, or a misconfigured integration). */
  readonly failedKeysPerIp: Rate;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  perIp: { burst: 300, perSecond: 50 },
  perKey: { burst: 120, perSecond: 20 },
  failedKeysPerIp: { burst: 10, perSecond: 0.2 },
};

/** A 429: the client may try again after `retryAfterMs`. */
export class TooManyRequests extends CairnError {
  constructor(readonly retryAfterMs: number, what: string) {
    super('rate_limited', `Too many ${what}; try again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** One token bucket per key (IP, key id), refusing with a 429 when empty. */
class LimiterPool {
  private readonly buckets: KeyedRateLimiter;

  constructor(
    rate: Rate,
    private readonly what: string,
  ) {
    this.buckets = new KeyedRateLimiter(rate.burst, rate.perSecond);
  }

  private bucket(key: string): RateLimiter {
    return this.buckets.bucket(key);
  }

  take(key: string, now: number): void {
    const taken = this.bucket(key).take(now);
    if (!taken.ok) throw new TooManyRequests(taken.retryAfterMs, this.what);
  }

  /** Refuses while the bucket is empty, without taking from it. */
  check(key: string, now: number): void {
    const waitMs = this.bucket(key).peek(now);
    if (waitMs > 0) throw new TooManyRequests(waitMs, this.what);
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The key a request carries, if any. Refuses ambiguous or malformed credentials outright. */
export function presentedKey(headers: FastifyRequest['headers']): string | undefined {
  const cachet = headers['x-cachet-token'];
  const authorization = headers.authorization;
  if (Array.isArray(cachet)) throw new CairnError('invalid_input', 'Send X-Cachet-Token once');
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const m = BEARER.exec(authorization);
    if (!m) throw new CairnError('unauthenticated', 'Send the API key as "Authorization: Bearer <key>" or in X-Cachet-Token');
    bearer = m[1];
  }
  if (cachet !== undefined && bearer !== undefined && cachet.trim() !== bearer) throw new CairnError('invalid_input', 'Send one API key, not two different ones');
  const key = cachet?.trim() ?? bearer;
  return key === '' ? undefined : key;
}

export type ApiAuthenticator = (request: FastifyRequest) => Promise<Actor>;

export function createApiAuthenticator(core: Core, limits: ApiLimits = DEFAULT_API_LIMITS): ApiAuthenticator {
  const perIp = new LimiterPool(limits.perIp, 'requests from this address');
  const perKey = new LimiterPool(limits.perKey, 'requests with this API key');
  const failures = new LimiterPool(limits.failedKeysPerIp, 'refused API keys from this address');
  return async (request) => {
    const client = { kind: 'api', ip: request.ip } as const;
    perIp.take(request.ip, core.clock.now());
    const key = presentedKey(request.headers);
    if (key === undefined) return anonymous(client);
    // An address that keeps sending bad keys is refused before its next key is even looked at,
    // so guessing costs neither CPU nor audit log space.
    failures.check(request.ip, core.clock.now());
    let actor: Actor;
    try {
      actor = await core.authenticateApiKey(key, client);
    } catch (err) {
      failures.take(request.ip, core.clock.now());
      throw err;
    }
    if (actor.kind === 'apikey') perKey.take(actor.keyId, core.clock.now());
    return actor;
  };
}
