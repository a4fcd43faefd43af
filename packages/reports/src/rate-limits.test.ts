import { describe, expect, it } from 'vitest';
import { rateLimitText } from './rate-limits.js';
import type { ProviderRateLimitReport } from './types.js';

const usage = (o: Partial<ProviderRateLimitReport>): ProviderRateLimitReport => ({
  provider: 'stripe',
  name: 'Stripe',
  budget: { requests: 1000, perMs: 3_600_000 },
  runs: 10_080,
  requests: 10_080,
  peak: { requests: 62, from: 0 },
  peakShare: 0.062,
  http429: 3,
  share429: 3 / 10_080,
  notSent: { deferred: 5, budget: 0 },
  ...o,
});

describe('rateLimitText', () => {
  it('says the requests, the busiest budget window against the budget, the 429s and what was not sent', () => {
    expect(rateLimitText(usage({}))).toBe(
      '10,080 requests; busiest hour 62 of 1,000 (6.2% of the budget); HTTP 429: 3 (0.03% of runs); not sent: 5 deferred by Retry-After',
    );
    expect(
      rateLimitText(
        usage({
          budget: null,
          peak: null,
          peakShare: null,
          http429: 0,
          share429: 0,
          notSent: { deferred: 0, budget: 2 },
        }),
      ),
    ).toBe('10,080 requests; no budget set; HTTP 429: 0 (0% of runs); not sent: 2 held back by the budget');
    expect(
      rateLimitText(
        usage({ budget: { requests: 10, perMs: 60_000 }, peak: { requests: 12, from: 0 }, peakShare: 1.2 }),
      ),
    ).toContain('busiest minute 12 of 10 (120% of the budget)');
  });
});
