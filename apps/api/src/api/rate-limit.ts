import type { Clock } from '@vigil/core';

export interface RateLimit {
  /** requests a caller may make at once */
  burst: number;
  /** tokens added per minute */
  perMinute: number;
}

/** Write endpoints: 20 at once, then one every 2 s per caller. */
export const WRITE_RATE_LIMIT: RateLimit = { burst: 20, perMinute: 30 };

/** A token bucket per caller on the injected clock (no timers: refilled on each take). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {}

  /** Takes one token of `caller`: 0 when allowed, else the seconds until one is free (Retry-After). */
  take(caller: string): number {
    const now = this.clock.now();
    const perMs = this.limit.perMinute / 60_000;
    const b = this.buckets.get(caller) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + Math.max(0, now - b.at) * perMs);
    b.at = now;
    this.buckets.set(caller, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }
}

const writeLimiters = new WeakMap<object, TokenBuckets>();

/**
 * The write limiter of one app (one per `createApi` deps): the JSON API's write operations and the
 * dashboard's write actions take from the same bucket per caller, so neither doubles a caller's budget.
 */
export function writeLimiterOf(deps: { clock: Clock }): TokenBuckets {
  let b = writeLimiters.get(deps);
  if (!b) writeLimiters.set(deps, (b = new TokenBuckets(WRITE_RATE_LIMIT, deps.clock)));
  return b;
}
