import { createHash, timingSafeEqual } from 'node:crypto';
import { resolveEnv, type EpochMs } from '@vigil/core';
import type { Context } from 'hono';
import type { Mount } from '../app.js';
import type { ApiDeps } from '../deps.js';

/** Pings a push probe may send: a burst of this many, refilled over a minute. */
export const PING_LIMIT_PER_MIN = 30;
/** Requests with a wrong token a probe takes per minute before it answers 429 to them. */
export const BAD_TOKEN_LIMIT_PER_MIN = 10;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Token buckets by key (probe ids of the config in force only, so their number is bounded). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: EpochMs }>();
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
  ) {}

  /** Takes one token of `key` at `now`: 0 when allowed, else the seconds until the next one. */
  take(key: string, now: EpochMs): number {
    const refill = this.capacity / this.perMs;
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * refill);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / refill / 1000));
  }
}

/** The resolved token, or '' (never matched) when its variable is unset. */
function resolvedToken(ref: unknown, deps: ApiDeps): string {
  if (typeof ref !== 'string') return '';
  try {
    return resolveEnv(ref, deps.env);
  } catch {
    return '';
  }
}

/**
 * Push probes (`kind: heartbeat`): `GET|POST /ping/<probe-id>/<token>`, or `/ping/<probe-id>` with
 * `Authorization: Bearer <token>`. The token is compared in constant time with the probe's own
 * (`heartbeat.token`, resolved from the environment now). 202 when recorded, 401 for a wrong or missing
 * token, 404 for an id that is no push probe of the config in force, 429 past the per-probe limits
 * (wrong tokens are limited apart, so a stranger's guesses never crowd out the sender's pings), 503
 * while there is no ping store or it does not answer. Nothing here logs the path: it may hold the token.
 */
export const pingMount: Mount = (app, deps) => {
  const pings = new RateLimiter(PING_LIMIT_PER_MIN, 60_000);
  const badTokens = new RateLimiter(BAD_TOKEN_LIMIT_PER_MIN, 60_000);
  const unsetTold = new Set<string>();

  const handle = async (c: Context) => {
    c.header('cache-control', 'no-store');
    const id = c.req.param('id') ?? '';
    const config = deps.config();
    const probe = config?.probes.find((p) => p.id === id && p.kind === 'heartbeat');
    if (!probe)
      return c.json({ error: 'not_found', message: 'no push probe (kind: heartbeat) with this id' }, 404);
    const store = deps.pings;
    if (!store)
      return c.json({ error: 'unavailable', message: 'this process has no ping store for push probes' }, 503);

    const header = c.req.header('authorization');
    const presented = c.req.param('token') ?? (header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
    const expected = resolvedToken(probe.spec.token, deps);
    if (expected === '' && !unsetTold.has(probe.id)) {
      unsetTold.add(probe.id);
      deps.log.warn({ probe_id: probe.id }, 'push probe token variable not set: its pings are refused');
    }
    const now = deps.clock.now();
    const ok = presented !== '' && expected !== '' && timingSafeEqual(digest(presented), digest(expected));
    if (!ok) {
      const wait = badTokens.take(probe.id, now);
      if (wait > 0) return tooMany(c, wait);
      return c.json({ error: 'unauthorized', message: 'a wrong or missing token for this probe' }, 401, {
        'www-authenticate': 'Bearer realm="vigil-ping"',
      });
    }
    const wait = pings.take(probe.id, now);
    if (wait > 0) return tooMany(c, wait);
    try {
      await store.record(probe.id, now);
    } catch (err) {
      deps.log.warn(
        { probe_id: probe.id, err: err instanceof Error ? err.message : String(err) },
        'ping not recorded: the ping store is unreachable',
      );
      return c.json({ error: 'unavailable', message: 'the ping could not be recorded; retry' }, 503);
    }
    return c.json({ probe: probe.id, receivedAt: new Date(now).toISOString() }, 202);
  };

  app.on(['GET', 'POST'], ['/ping/:id', '/ping/:id/:token'], handle);
};

function tooMany(c: Context, retryAfterS: number) {
  return c.json({ error: 'rate_limited', message: 'too many requests for this probe' }, 429, {
    'retry-after': String(retryAfterS),
  });
}
