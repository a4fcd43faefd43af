import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '@vigil/config';
import { routeChannels } from './routing.js';

describe('routing', () => {
  const routes: RouteConfig[] = [
    { match: { provider: 'stripe' }, channels: ['payments-slack'] },
    { match: { severity: 'critical' }, channels: ['pager', 'payments-slack'] },
    { match: { labels: { team: 'growth' } }, channels: ['growth'] },
  ];
  const all = ['payments-slack', 'pager', 'growth', 'unused'];
  it.each([
    ['a critical Stripe alert', { provider: 'stripe', severity: 'page' }, ['payments-slack', 'pager']],
    ['a warning on another provider', { provider: 'paypal', severity: 'ticket' }, []],
    ['a labelled probe', { provider: 'ga', severity: 'ticket', labels: { team: 'growth' } }, ['growth']],
  ] as const)('sends %s to the channels of every matching route', (_n, a, expected) => {
    expect(
      routeChannels(routes, all, { service: null, labels: {}, ...a, provider: a.provider } as never),
    ).toEqual(expected);
  });

  it('sends an alert of error class auth to the key owner by match.errorClass', () => {
    const byClass: RouteConfig[] = [
      { match: { errorClass: 'auth' }, channels: ['key-owner'] },
      { match: { provider: 'stripe' }, channels: ['payments-slack'] },
    ];
    const a = { provider: 'stripe', service: null, severity: 'page', labels: {} } as const;
    const chans = ['key-owner', 'payments-slack'];
    expect(routeChannels(byClass, chans, { ...a, errorClass: 'auth' })).toEqual([
      'key-owner',
      'payments-slack',
    ]);
    expect(routeChannels(byClass, chans, { ...a, errorClass: 'timeout' })).toEqual(['payments-slack']);
    expect(routeChannels(byClass, chans, a)).toEqual(['payments-slack']);
  });

  it('sends everything everywhere when no route is configured', () => {
    expect(
      routeChannels([], ['log', 'outbox'], { provider: null, service: null, severity: 'info', labels: {} }),
    ).toEqual(['log', 'outbox']);
  });
});
