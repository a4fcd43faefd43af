import type { ProbeResult } from '@vigil/core';
import { ensurePartitions, insertResults, migrate, openDb, type DbHandle } from '@vigil/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { config, spec } from '../testing/builders.js';
import { readRateLimitUsage, readRateLimitUsageTotals } from './rate-limit.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const MIN = 60_000;

let h: DbHandle;
beforeEach(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
  await ensurePartitions(h.db, new Date(T0), 2);
});
afterEach(() => h.close());

type Kind = 'up' | '429' | 'deferred' | 'budget' | 'config' | 'old-deferred';
const result = (probeId: string, region: string, slotAt: number, kind: Kind): ProbeResult => ({
  probeId,
  region,
  slotAt,
  startedAt: slotAt,
  phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 0 },
  outcome: kind === 'up' ? 'up' : kind === 'config' ? 'down' : 'rate_limited',
  httpStatus: kind === 'up' ? 200 : kind === '429' ? 429 : null,
  errorClass: kind === 'up' ? null : kind === 'config' ? 'config' : 'rate_limited',
  message: kind === 'old-deferred' ? 'not sent: asked to retry after 10:00:30 (Retry-After)' : null,
  assertions: [],
  retryAfterS: kind === '429' ? 30 : null,
  tlsDaysLeft: null,
  workerId: 'w',
  ...(kind === 'deferred' || kind === 'budget' ? { notSent: kind } : {}),
});

const cfg = config(
  [
    spec({ id: 'stripe-a', provider: 'stripe' }),
    spec({ id: 'stripe-b', provider: 'stripe' }),
    spec({ id: 'paypal-a', provider: 'paypal' }),
    spec({ id: 'adyen-a', provider: 'adyen' }),
    spec({ id: 'hb', provider: 'paypal', kind: 'heartbeat' }),
  ],
  {
    providers: {
      stripe: { rateLimit: { requests: 4, per: MIN } },
      paypal: { rateLimit: { requests: 10, per: 5 * MIN } },
    },
  },
);
const weight = (p: { id: string }) => (p.id === 'stripe-b' ? 3 : 1);

describe('requests against the budgets from one aggregate', () => {
  it('gives the figures of the row-by-row read, the busiest window half-open', async () => {
    const kinds: Kind[] = ['up', 'up', '429', 'up', 'deferred', 'budget', 'config', 'old-deferred'];
    const rows: ProbeResult[] = [];
    // 40 minutes of slots every 20 s in two regions, the kinds in a fixed pattern
    for (let k = 0; k < 120; k++)
      for (const [i, id] of ['stripe-a', 'stripe-b', 'paypal-a', 'hb'].entries())
        for (const region of ['eu', 'us'])
          rows.push(
            result(id, region, T0 + k * 20_000, kinds[(k * 3 + i * 5 + (region === 'us' ? 1 : 0)) % 8]!),
          );
    // exactly one budget window apart: never in the same window
    rows.push(result('stripe-a', 'eu', T0 + 50 * MIN, 'up'), result('stripe-a', 'eu', T0 + 51 * MIN, 'up'));
    await insertResults(h.db, rows);
    const window = { from: T0 + 30_000, to: T0 + 55 * MIN };
    const expected = await readRateLimitUsage(h.db, cfg, window, weight);
    const totals = await readRateLimitUsageTotals(h.db, cfg, window, weight);
    expect(totals).toEqual(expected);
    expect(totals.map((u) => u.provider)).toEqual(['adyen', 'paypal', 'stripe']);
    expect(totals[0]).toMatchObject({ runs: 0, requests: 0, share429: null, peak: null });
    expect(totals[2]).toMatchObject({
      runs: 237,
      requests: 473,
      peak: { requests: 15, from: T0 + 140_000 },
      http429: 60,
      notSent: { deferred: 119, budget: 59 },
    });
    expect(totals[1]).toMatchObject({ runs: 118, peak: { requests: 16, from: T0 + 40_000 }, http429: 29 });
  });

  it('reads only the window: a slot at its end is out', async () => {
    await insertResults(h.db, [
      result('stripe-a', 'eu', T0, 'up'),
      result('stripe-a', 'us', T0, '429'),
      result('stripe-b', 'eu', T0 + MIN - 1, 'up'),
      result('stripe-b', 'eu', T0 + MIN, 'up'),
    ]);
    const [, , stripe] = await readRateLimitUsageTotals(h.db, cfg, { from: T0, to: T0 + MIN }, weight);
    expect(stripe).toEqual({
      provider: 'stripe',
      budget: { requests: 4, perMs: MIN },
      runs: 3,
      requests: 5,
      peak: { requests: 5, from: T0 },
      peakShare: 1.25,
      http429: 1,
      share429: 1 / 3,
      notSent: { deferred: 0, budget: 0 },
    });
  });
});
