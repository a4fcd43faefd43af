import { describe, expect, it } from 'vitest';
import { initialIncidentState, type IncidentEvent } from '@vigil/core';
import { groupTickEvents, type Hierarchy } from './grouping.js';
import { newMonitorMemory } from './state.js';

const T = Date.parse('2025-03-03T10:00:00Z');

describe('grouping', () => {
  const ev = (
    scope: IncidentEvent['scope'],
    key: string,
    type: IncidentEvent['type'],
    kind: IncidentEvent['kind'] = 'down',
  ): IncidentEvent => ({
    type,
    scope,
    key,
    kind,
    at: T,
    openedAt: T,
  });
  const h = (open: string[]): Hierarchy => ({
    providerOf: { 'stripe-balance': 'stripe' },
    serviceOfProbe: { 'stripe-balance': 'payments' },
    servicesOf: new Map([['stripe', ['payments']]]),
    downOpen: (scope, key) => open.includes(`${scope}:${key}`),
  });

  it('attaches a probe to its provider and the provider to its service when all open together', () => {
    const mem = newMonitorMemory();
    const out = groupTickEvents(
      [
        ev('probe', 'stripe-balance', 'opened'),
        ev('provider', 'stripe', 'opened'),
        ev('service', 'payments', 'opened'),
      ],
      h(['probe:stripe-balance', 'provider:stripe', 'service:payments']),
      mem,
    );
    expect(out.map((e) => `${e.type}:${e.scope}:${e.silent ? 'silent' : 'sent'}`)).toEqual([
      'attached:probe:silent',
      'attached:provider:silent',
      'opened:service:sent',
    ]);
    expect(mem).toMatchObject({
      attached: { 'stripe-balance': 'stripe' },
      attachedProviders: { stripe: 'payments' },
    });
    const later = groupTickEvents([ev('provider', 'stripe', 'resolved')], h(['service:payments']), mem);
    expect(later[0]).toMatchObject({ silent: true, parent: 'payments' });
    expect(mem.attachedProviders).toEqual({});
  });

  it('opens a burn or latency incident silently while its subject or an ancestor is down', () => {
    const out = groupTickEvents(
      [ev('probe', 'stripe-balance', 'opened', 'slo_burn'), ev('provider', 'stripe', 'opened', 'slo_burn')],
      h(['service:payments']),
      newMonitorMemory(),
    );
    expect(out.map((e) => e.silent === true)).toEqual([true, true]);
    const alone = groupTickEvents(
      [ev('probe', 'stripe-balance', 'opened', 'degraded')],
      h([]),
      newMonitorMemory(),
    );
    expect(alone[0]!.silent).toBeUndefined();
  });

  it('keeps the monitor’s own alerts', () => {
    const out = groupTickEvents([ev('monitor', 'eu', 'opened', 'monitor')], h([]), newMonitorMemory());
    expect(out[0]).toMatchObject({ scope: 'monitor', type: 'opened' });
    expect(initialIncidentState('probe', 'x', 'down').open).toBe(false);
  });
});
