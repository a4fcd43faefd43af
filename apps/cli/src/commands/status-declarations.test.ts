import { describe, expect, it } from 'vitest';
import type { DeclarationView } from '@vigil/evaluation';
import { declarationRows } from './status.js';

const NOW = Date.parse('2025-03-04T10:13:00Z');
const view = (over: Partial<DeclarationView>): DeclarationView => ({
  key: 'stripe',
  provider: 'Stripe',
  items: [],
  checkedAt: NOW - 30_000,
  stale: false,
  pageUrl: 'https://status.stripe.com',
  indicator: 'none',
  description: 'All Systems Operational',
  components: [],
  upcoming: [],
  lastError: null,
  ...over,
});

describe('vigil status: what each provider declares, beside our rows', () => {
  it('one line per provider with a status page', () => {
    expect(
      declarationRows(
        [
          view({
            indicator: 'major',
            items: [
              {
                kind: 'incident',
                title: 'Elevated API error rates',
                impact: 'major',
                status: 'identified',
                since: Date.parse('2025-03-04T10:04:00Z'),
                lastUpdateAt: Date.parse('2025-03-04T10:12:00Z'),
                endedAt: null,
                url: null,
              },
            ],
          }),
          view({ key: 'paypal', provider: 'PayPal', stale: true, lastError: 'HTTP 503' }),
        ],
        NOW,
      ),
    ).toEqual([
      ['stripe', 'Stripe declares: Elevated API error rates — major, since 10:04 UTC, last update 10:12 UTC'],
      [
        'paypal',
        'PayPal declares nothing (status page read 10:12 UTC) (its status page could not be read lately)',
      ],
    ]);
  });
});
