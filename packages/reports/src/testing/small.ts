import { HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import type { ReportInput, ReportProbe } from '../types.js';
import { hours } from './hours.js';

const H = HOUR_MS;

/** A small weekly report in UTC: four APIs in three services, one outage, one new probe, one slow API. */
export function smallWeekly(overrides: Partial<ReportInput> = {}): ReportInput {
  const period = parsePeriodKey('2026-W47', 'UTC');
  const previous = previousPeriod(period);
  const p = (id: string, service: string, provider: string, o: Partial<ReportProbe> = {}): ReportProbe => ({
    id,
    name: id,
    service,
    provider,
    critical: false,
    target: 0.98,
    labels: {},
    createdAt: 0,
    ...o,
  });
  const probes = [
    p('stripe-charges', 'payments', 'stripe', { name: 'Stripe charges', critical: true }),
    p('paypal-orders', 'payments', 'paypal', { name: 'PayPal orders', critical: true }),
    p('google-login', 'auth', 'google', { name: 'Google login', critical: true }),
    p('algolia-search', 'search', 'algolia', { name: 'Algolia search', createdAt: period.to - 30 * H }),
  ];
  const from = previous.from;
  const to = period.to;
  const outage = period.from + 2 * 24 * H + 9 * H;
  const rollups = new Map<string, HourlyRollup[]>([
    [
      'stripe-charges',
      hours('stripe-charges', from, to, (t) =>
        t >= outage && t < outage + 5 * H
          ? { downMs: H }
          : t === outage + 5 * H
            ? { downMs: 20 * 60_000 }
            : {},
      ),
    ],
    [
      'paypal-orders',
      hours('paypal-orders', from, to, (t) =>
        t >= outage + 3 * H && t < outage + 4 * H
          ? { downMs: 30 * 60_000, errorClass: { http_status: 30 } }
          : { latencyMs: 180 },
      ),
    ],
    [
      'google-login',
      hours('google-login', from, to, (t, i) => ({
        latencyMs: t < period.from ? 280 : 420,
        rateLimitedMs: i % 24 === 0 ? 10 * 60_000 : 0,
        errorClass: i % 24 === 0 ? { rate_limited: 10 } : {},
      })),
    ],
    ['algolia-search', hours('algolia-search', period.to - 30 * H, to, () => ({ latencyMs: 90 }))],
  ]);
  return {
    kind: 'weekly',
    period,
    previous,
    tz: 'UTC',
    generatedAt: period.to + 8 * H,
    probes,
    services: [
      {
        name: 'payments',
        displayName: 'Payments',
        providers: ['stripe', 'paypal'],
        mode: 'any',
        target: 0.99,
      },
      { name: 'auth', displayName: 'Login', providers: ['google'], mode: 'any', target: 0.98 },
    ],
    rollups,
    incidents: [
      {
        id: 'inc-1',
        scope: 'provider',
        key: 'stripe',
        kind: 'down',
        openedAt: outage + 3 * 60_000,
        resolvedAt: outage + 5 * H + 22 * 60_000,
        title: 'Stripe charges: timeout',
      },
      {
        id: 'inc-2',
        scope: 'probe',
        key: 'paypal-orders',
        kind: 'down',
        openedAt: outage + 3 * H + 3 * 60_000,
        resolvedAt: outage + 3 * H + 32 * 60_000,
        title: 'PayPal orders: expected status 200, got 503',
      },
    ],
    ...overrides,
  };
}
