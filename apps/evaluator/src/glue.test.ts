import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAP_POLICY, initialIncidentState, isFlapping, type IncidentEvent } from '@vigil/core';
import type { RouteConfig } from '@vigil/config';
import { firingBurnRules, upDown } from './burn.js';
import { isSilenced } from './evaluator.js';
import { groupTickEvents, type Hierarchy } from './grouping.js';
import { maintenanceLookup, toMaintenance } from './maintenance.js';
import { flapPolicy, incidentPolicy } from './policy.js';
import { routeChannels } from './routing.js';
import { newMonitorMemory, pack, type PackedSlot } from './state.js';
import { spec } from './test-support.js';

const MIN = 60_000;
const T = Date.parse('2025-03-03T10:00:00Z');

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

  it('sends everything everywhere when no route is configured', () => {
    expect(
      routeChannels([], ['log', 'outbox'], { provider: null, service: null, severity: 'info', labels: {} }),
    ).toEqual(['log', 'outbox']);
  });
});

describe('policy from vigil.yaml', () => {
  it('opens on M of N and resolves after the recovery count', () => {
    const p = incidentPolicy({ failures: { failures: 3, window: 5 }, recovery: 2, reminder: 7_200_000 }, MIN);
    expect(p).toMatchObject({
      open: { m: 3, n: 5 },
      resolveAfter: 2,
      reminderEveryMs: 7_200_000,
      flap: DEFAULT_FLAP_POLICY,
    });
  });

  it('flaps at the configured number of state changes within the window, not before', () => {
    const policy = flapPolicy({ changes: 5, window: 20 * MIN }, MIN);
    expect(policy.window).toBe(20);
    expect(
      isFlapping([...Array<boolean>(14).fill(false), true, false, true, false, true, false], false, policy),
    ).toBe(true);
    expect(isFlapping([...Array<boolean>(16).fill(false), true, false, true, false], false, policy)).toBe(
      false,
    );
  });
});

describe('burn-rate rules', () => {
  const slots = (verdicts: string, start = T): PackedSlot[] =>
    [...verdicts].map((c, i) =>
      pack({ at: start + i * MIN, durationMs: MIN, verdict: c === 'd' ? 'down' : 'up' }),
    );

  it('measures up and down time inside a window from packed slots', () => {
    expect(upDown(slots('uudd'), T + 30_000, T + 3 * MIN)).toEqual({ upMs: 90_000, downMs: MIN });
  });

  it('pages when the last hour and the last 5 minutes both burn faster than 14.4×', () => {
    const recent = slots('u'.repeat(40) + 'd'.repeat(20));
    expect(
      firingBurnRules({ recent, at: T + 60 * MIN, target: 0.98, long: undefined }).map((a) => a.kind),
    ).toEqual(['fast']);
  });

  it('does not fire on a window less than half measured', () => {
    expect(firingBurnRules({ recent: slots('ddd'), at: T + 3 * MIN, target: 0.98, long: undefined })).toEqual(
      [],
    );
  });
});

describe('maintenance', () => {
  it('excludes matching probes inside a weekly window, in its time zone', () => {
    const m = toMaintenance(
      {
        id: 'db',
        match: { providers: ['stripe'] },
        weekdays: ['mon'],
        at: { weekday: null, hour: 11, minute: 0 },
        duration: 30 * MIN,
        tz: 'Europe/Berlin',
      },
      'UTC',
    );
    const inside = maintenanceLookup([m], { from: T - 86_400_000, to: T + 86_400_000 });
    expect(inside(spec(), T)).toBe(true);
    expect(inside(spec(), T + 30 * MIN)).toBe(false);
    expect(inside(spec({ provider: 'paypal' }), T)).toBe(false);
  });
});

describe('silences', () => {
  const s = { target: 'stripe', startsAt: new Date(T), endsAt: new Date(T + 2 * 3_600_000) };
  const row = {
    id: 'inc_1',
    key: 'stripe-balance',
    provider: 'stripe',
    service: 'payments',
    probeId: 'stripe-balance',
  };
  it.each([
    ['while active', T + MIN, true],
    ['before it starts', T - 1, false],
    ['once it ended', T + 2 * 3_600_000, false],
  ])('holds back an incident of the silenced provider %s', (_n, at, expected) => {
    expect(isSilenced([s], row, at)).toBe(expected);
  });
  it('holds back by incident id too', () => {
    expect(isSilenced([{ ...s, target: 'inc_1' }], { ...row, provider: 'x' }, T + 1)).toBe(true);
  });
});

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
