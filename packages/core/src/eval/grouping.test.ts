import { describe, expect, it } from 'vitest';
import { groupEvents } from './grouping.js';
import type { IncidentEvent } from './incidents.js';

const ev = (
  type: IncidentEvent['type'],
  key: string,
  scope: IncidentEvent['scope'] = 'probe',
): IncidentEvent => ({
  type,
  scope,
  key,
  kind: 'down',
  at: 0,
  openedAt: 0,
});
const providerOf = { 'stripe-charges': 'stripe', 'stripe-balance': 'stripe', 'paypal-orders': 'paypal' };

describe('groupEvents', () => {
  it('attaches probe incidents silently to an open provider incident', () => {
    const out = groupEvents({
      events: [
        ev('opened', 'stripe', 'provider'),
        ev('opened', 'stripe-charges'),
        ev('opened', 'stripe-balance'),
      ],
      providerOf,
      openProviders: new Set(['stripe']),
      attached: {},
    });
    expect(out.events.map((e) => [e.type, e.key, e.silent ?? false, e.parent])).toEqual([
      ['opened', 'stripe', false, undefined],
      ['attached', 'stripe-charges', true, 'stripe'],
      ['attached', 'stripe-balance', true, 'stripe'],
    ]);
    expect(out.attached).toEqual({ 'stripe-charges': 'stripe', 'stripe-balance': 'stripe' });
  });

  it('keeps an attached probe incident silent until it resolves, even after the provider resolved', () => {
    const out = groupEvents({
      events: [ev('resolved', 'stripe', 'provider'), ev('resolved', 'stripe-charges')],
      providerOf,
      openProviders: new Set(),
      attached: { 'stripe-charges': 'stripe', 'stripe-balance': 'stripe' },
    });
    expect(out.events.map((e) => [e.type, e.key, e.silent ?? false])).toEqual([
      ['resolved', 'stripe', false],
      ['resolved', 'stripe-charges', true],
    ]);
    expect(out.attached).toEqual({ 'stripe-balance': 'stripe' });
  });

  it('leaves probes of other providers and other kinds alone', () => {
    const slo: IncidentEvent = { ...ev('opened', 'stripe-charges'), kind: 'slo_burn' };
    const out = groupEvents({
      events: [ev('opened', 'paypal-orders'), slo],
      providerOf,
      openProviders: new Set(['stripe']),
      attached: {},
    });
    expect(out.events).toEqual([ev('opened', 'paypal-orders'), slo]);
  });

  it('silences reminders of a probe notified before its provider opened, but still sends its resolve', () => {
    const out = groupEvents({
      events: [ev('reminder', 'stripe-charges'), ev('resolved', 'stripe-balance')],
      providerOf,
      openProviders: new Set(['stripe']),
      attached: {},
    });
    expect(out.events.map((e) => e.silent ?? false)).toEqual([true, false]);
  });
});
