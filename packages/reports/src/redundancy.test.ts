import { describe, expect, it } from 'vitest';
import { exposureDuration, redundancyExposure, redundancySentences } from './redundancy.js';
import type { ReportIncident, ReportServiceDef } from './types.js';

const H = 3_600_000;
const MIN = 60_000;
const payments: ReportServiceDef = {
  name: 'payments',
  displayName: 'Payments',
  providers: ['stripe', 'paypal'],
  mode: 'any',
  target: 0.999,
};
let n = 0;
const down = (
  key: string,
  from: number,
  to: number | null,
  over: Partial<ReportIncident> = {},
): ReportIncident => ({
  id: `inc_${++n}`,
  scope: 'provider',
  key,
  kind: 'down',
  openedAt: from,
  resolvedAt: to,
  title: key,
  ...over,
});
const window = { from: 0, to: 10 * H };

describe('redundancyExposure', () => {
  it('counts the time a failover service ran on one provider while the other was down', () => {
    const [r] = redundancyExposure([payments], [down('paypal', 1 * H, 4 * H + 12 * MIN)], window);
    expect(r).toEqual({
      service: 'payments',
      name: 'Payments',
      providers: ['stripe', 'paypal'],
      singleProviderMs: 11_520_000,
      alone: [{ provider: 'stripe', ms: 11_520_000, whileDown: ['paypal'] }],
      allDownMs: 0,
    });
    expect(redundancySentences(r!)).toEqual([
      'Payments ran on stripe alone for 3h 12m while paypal was down',
    ]);
  });

  it('splits overlapping outages into time alone on each provider and time with both down', () => {
    const [r] = redundancyExposure(
      [payments],
      [down('stripe', 3 * H, 5 * H), down('paypal', 4 * H, 6 * H), down('stripe', 7 * H, 7 * H + 30 * MIN)],
      window,
    );
    expect(r!.alone).toEqual([
      { provider: 'stripe', ms: 1 * H, whileDown: ['paypal'] },
      { provider: 'paypal', ms: 1 * H + 30 * MIN, whileDown: ['stripe'] },
    ]);
    expect([r!.singleProviderMs, r!.allDownMs]).toEqual([2.5 * H, 1 * H]);
  });

  it('clips to the period: an outage from before it, and one still open at its end', () => {
    const [r] = redundancyExposure(
      [payments],
      [down('paypal', -5 * H, 2 * H), down('paypal', 9 * H, null)],
      window,
    );
    expect(r!.singleProviderMs).toBe(3 * H);
  });

  it('names every provider that was down when a third one carried the service', () => {
    const svc = { ...payments, providers: ['adyen', 'stripe', 'paypal'] };
    const [r] = redundancyExposure([svc], [down('stripe', 0, 2 * H), down('paypal', 1 * H, 3 * H)], window);
    // only 1–2 h had a single provider (adyen); one down of three still leaves two
    expect(r!.alone).toEqual([{ provider: 'adyen', ms: 1 * H, whileDown: ['stripe', 'paypal'] }]);
    expect(redundancySentences(r!)).toEqual([
      'Payments ran on adyen alone for 1h while stripe and paypal were down',
    ]);
  });

  it('leaves out services without failover and ignores other incidents', () => {
    const all = { ...payments, name: 'checkout', mode: 'all' as const };
    const single = { ...payments, name: 'mail', providers: ['ses'] };
    const noise = [
      down('paypal', 1 * H, 2 * H, { scope: 'probe' }),
      down('paypal', 1 * H, 2 * H, { kind: 'degraded' }),
      down('braintree', 1 * H, 2 * H),
    ];
    const r = redundancyExposure([all, single, payments], noise, window);
    expect(r.map((x) => x.service)).toEqual(['payments']);
    expect(r[0]!.singleProviderMs).toBe(0);
    expect(redundancySentences(r[0]!)).toEqual(['Payments never ran on a single provider']);
  });

  it.each([
    [30_000, '30s'],
    [11_520_000, '3h 12m'],
    [2 * H, '2h'],
    [42 * MIN, '42m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(exposureDuration(ms)).toBe(text);
  });
});
