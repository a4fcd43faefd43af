import type { ProbeResult } from '@vigil/core';
import { ensurePartitions, insertResults, migrate, openDb, type DbHandle } from '@vigil/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { config, spec } from '../testing/builders.js';
import { rateLimitUsage, readRateLimitUsage } from './rate-limit.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const MIN = 60_000;

let h: DbHandle;
beforeEach(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
  await ensurePartitions(h.db, new Date(T0), 2);
});
afterEach(() => h.close());

type Kind = 'up' | '429' | 'deferred' | 'budget' | 'config';
const result = (probeId: string, region: string, slotAt: number, kind: Kind): ProbeResult => ({
  probeId,
  region,
  slotAt,
  startedAt: slotAt,
  phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 0 },
  outcome: kind === 'up' ? 'up' : kind === 'config' ? 'down' : 'rate_limited',
  httpStatus: kind === 'up' ? 200 : kind === '429' ? 429 : null,
  errorClass: kind === 'up' ? null : kind === 'config' ? 'config' : 'rate_limited',
  message:
    kind === 'deferred'
      ? 'not sent: stripe asked to retry after 2025-03-03T10:00:30.000Z (Retry-After); slot deferred'
      : kind === 'budget'
        ? 'not sent: the stripe budget of 4 requests per 1m is spent'
        : null,
  assertions: [],
  retryAfterS: kind === '429' ? 30 : null,
  tlsDaysLeft: null,
  workerId: 'w',
});

const cfg = config(
  [
    spec({ id: 'stripe-a', provider: 'stripe' }),
    spec({ id: 'stripe-b', provider: 'stripe' }),
    spec({ id: 'paypal-a', provider: 'paypal' }),
    spec({ id: 'hb', provider: 'paypal', kind: 'heartbeat' }),
  ],
  { providers: { stripe: { rateLimit: { requests: 4, per: MIN } } } },
);

describe('requests spent against the budget and the 429 share', () => {
  it('counts sent requests, the busiest budget window, 429s and the slots not sent, per provider', async () => {
    await insertResults(h.db, [
      result('stripe-a', 'eu', T0, 'up'),
      result('stripe-a', 'us', T0, 'up'),
      result('stripe-b', 'eu', T0 + 20_000, '429'),
      result('stripe-b', 'us', T0 + 20_000, 'up'),
      result('stripe-a', 'eu', T0 + 40_000, 'deferred'),
      result('stripe-a', 'us', T0 + 40_000, 'deferred'),
      result('stripe-b', 'eu', T0 + MIN + 20_000, 'budget'),
      result('stripe-a', 'eu', T0 + 2 * MIN, 'up'),
      result('stripe-a', 'us', T0 + 2 * MIN, 'config'),
      result('paypal-a', 'eu', T0, '429'),
      result('paypal-a', 'eu', T0 + MIN, 'up'),
      result('hb', 'eu', T0, 'up'),
      // outside the window
      result('stripe-a', 'eu', T0 + 10 * MIN, 'up'),
    ]);
    const usage = await readRateLimitUsage(h.db, cfg, { from: T0, to: T0 + 5 * MIN });
    expect(usage).toEqual([
      {
        provider: 'paypal',
        budget: null,
        runs: 2,
        requests: 2,
        peak: null,
        peakShare: null,
        http429: 1,
        share429: 0.5,
        notSent: { deferred: 0, budget: 0 },
      },
      {
        provider: 'stripe',
        budget: { requests: 4, perMs: MIN },
        runs: 5,
        requests: 5,
        peak: { requests: 4, from: T0 },
        peakShare: 1,
        http429: 1,
        share429: 0.2,
        notSent: { deferred: 2, budget: 1 },
      },
    ]);
  });

  it('tells deferred from out of budget by the stored reason, whatever the message says', async () => {
    const reworded = (r: ProbeResult, notSent: 'deferred' | 'budget'): ProbeResult => ({
      ...r,
      message: 'not sent',
      notSent,
    });
    await insertResults(h.db, [
      reworded(result('stripe-a', 'eu', T0, 'deferred'), 'deferred'),
      reworded(result('stripe-a', 'us', T0, 'deferred'), 'deferred'),
      reworded(result('stripe-b', 'eu', T0, 'budget'), 'budget'),
      // a row stored before the reason had a column: read by its message
      result('stripe-b', 'us', T0, 'deferred'),
    ]);
    const usage = await readRateLimitUsage(h.db, cfg, { from: T0, to: T0 + MIN });
    expect(usage.find((u) => u.provider === 'stripe')?.notSent).toEqual({ deferred: 3, budget: 1 });
  });

  it('counts each step of a multi-step run as a request', () => {
    const rs = [result('stripe-a', 'eu', T0, 'up'), result('stripe-b', 'eu', T0 + 1, 'up')];
    const two = (p: { id: string }) => (p.id === 'stripe-b' ? 2 : 1);
    const [, stripe] = rateLimitUsage(cfg.probes, { stripe: { requests: 4, perMs: MIN } }, rs, two);
    expect(stripe).toMatchObject({
      runs: 2,
      requests: 3,
      peak: { requests: 3, from: T0 },
      peakShare: 0.75,
    });
  });

  it('reports a provider with probes and no results as nothing sent', () => {
    expect(rateLimitUsage(cfg.probes, { stripe: { requests: 4, perMs: MIN } }, [])).toContainEqual({
      provider: 'stripe',
      budget: { requests: 4, perMs: MIN },
      runs: 0,
      requests: 0,
      peak: null,
      peakShare: 0,
      http429: 0,
      share429: null,
      notSent: { deferred: 0, budget: 0 },
    });
  });
});
