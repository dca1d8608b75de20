/**
 * A token bucket: `capacity` calls at once, refilled at `perSecond`. In memory on purpose: it
 * protects this process (CPU spent on password hashing), and a restart resetting it costs an
 * attacker a restart they cannot cause.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes one token if there is one; otherwise returns the milliseconds until there will be. */
  take(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const waitMs = this.peek(now);
    if (waitMs === 0) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: waitMs };
  }

  /** The milliseconds until a token is there (0: now), taking none. */
  peek(now: number): number {
    if (this.updatedAt !== undefined) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    }
    this.updatedAt = now;
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/**
 * One token bucket per key (client address, key id, e-mail address), at most `maxKeys` of them:
 * when full, the oldest key is forgotten (a flood of new keys costs no more memory than that).
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, RateLimiter>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly maxKeys = 10_000,
  ) {}

  bucket(key: string): RateLimiter {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = new RateLimiter(this.capacity, this.perSecond);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    return this.bucket(key).take(now);
  }
}
