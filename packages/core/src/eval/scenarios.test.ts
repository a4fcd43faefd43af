import { describe, expect, it } from 'vitest';
import type { Outcome } from '../types.js';
import { computeAvailability } from './availability.js';
import { groupEvents } from './grouping.js';
import {
  DEFAULT_INCIDENT_POLICY,
  initialIncidentState,
  nextIncidentState,
  type IncidentEvent,
  type IncidentState,
} from './incidents.js';
import { isInMaintenance, type MaintenanceWindow } from './maintenance.js';
import { nextMonitorState, regionHealth, type MonitorState } from './selfcheck.js';
import { serviceSlots } from './service.js';
import { evaluateSlot, type SlotVerdict } from './verdict.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4, 9, 0);

interface Probe {
  id: string;
  provider: string;
  regions: string[];
}

/** Which region fails which probe in minute `i`; `config`: the probe cannot run there as configured. */
type Script = (probe: Probe, region: string, i: number) => Outcome | 'config';

/** Runs the evaluator's pure pipeline minute by minute and returns every event that would be notified. */
function simulate(probes: Probe[], minutes: number, script: Script, maintenance: MaintenanceWindow[] = []) {
  const tracks = new Map<string, IncidentState>();
  const slots = new Map<string, SlotVerdict[]>();
  let monitor: MonitorState = { unhealthySince: {} };
  let attached: Record<string, string> = {};
  const all: IncidentEvent[] = [];
  const providerOf = Object.fromEntries(probes.map((p) => [p.id, p.provider]));
  const feed = (scope: 'probe' | 'provider', key: string, verdict: SlotVerdict['verdict'], at: number) => {
    const prev = tracks.get(`${scope}:${key}`) ?? initialIncidentState(scope, key, 'down');
    const next = nextIncidentState(prev, verdict, DEFAULT_INCIDENT_POLICY, at);
    tracks.set(`${scope}:${key}`, next.state);
    return next.events;
  };
  for (let i = 0; i < minutes; i++) {
    const at = T0 + i * MIN;
    const results = probes.flatMap((p) =>
      p.regions.map((region) => {
        const o = script(p, region, i);
        const outcome: Outcome = o === 'config' ? 'down' : o;
        return {
          probeId: p.id,
          region,
          outcome,
          errorClass: o === 'config' ? ('config' as const) : null,
          latencyMs: 120,
        };
      }),
    );
    const health = regionHealth(results);
    const m = nextMonitorState(monitor, health, at);
    monitor = m.state;
    const unhealthyRegions = health.filter((h) => !h.healthy).map((h) => h.region);
    const events: IncidentEvent[] = [...m.events];
    for (const p of probes) {
      const slot = evaluateSlot({
        at,
        durationMs: MIN,
        results: results.filter((r) => r.probeId === p.id),
        regionsExpected: p.regions,
        latencyThresholdMs: 500,
        excluded: maintenance.some((w) => isInMaintenance(w, at)),
        unhealthyRegions,
      });
      slots.set(p.id, [...(slots.get(p.id) ?? []), slot]);
      events.push(...feed('probe', p.id, slot.verdict, at));
    }
    for (const provider of new Set(probes.map((p) => p.provider))) {
      const parts = probes.filter((p) => p.provider === provider).map((p) => slots.get(p.id)!.slice(-1));
      const [slot] = serviceSlots(parts, 'any');
      slots.set(provider, [...(slots.get(provider) ?? []), slot!]);
      events.push(...feed('provider', provider, slot!.verdict, at));
    }
    const openProviders = new Set(
      [...tracks.values()].filter((t) => t.scope === 'provider' && t.open).map((t) => t.key),
    );
    const grouped = groupEvents({ events, providerOf, openProviders, attached });
    attached = grouped.attached;
    all.push(...grouped.events);
  }
  const notified = all
    .filter((e) => !e.silent)
    .map((e) => `${e.type}:${e.scope}:${e.key}@${(e.at - T0) / MIN}`);
  return { all, notified, slots };
}

const three = ['eu', 'us', 'ap'];
const stripe = [
  { id: 'stripe-charges', provider: 'stripe', regions: three },
  { id: 'stripe-balance', provider: 'stripe', regions: three },
];
const others = ['paypal-orders', 'google-login', 'search', 'analytics'].map((id) => ({
  id,
  provider: id.split('-')[0]!,
  regions: three,
}));

describe('incident scenarios', () => {
  it('opens nothing when one region fails alone (quorum)', () => {
    const { notified } = simulate(stripe, 10, (_p, region) => (region === 'eu' ? 'down' : 'up'));
    expect(notified).toEqual([]);
  });

  it('opens one provider incident when every probe of the provider is down, the probes attach silently', () => {
    const { notified, all } = simulate([...stripe, ...others], 8, (p, region, i) =>
      p.provider === 'stripe' && i >= 1 && i <= 3 && region !== 'ap' ? 'down' : 'up',
    );
    expect(notified).toEqual(['opened:provider:stripe@3', 'resolved:provider:stripe@5']);
    expect(all.filter((e) => e.type === 'attached').map((e) => e.key)).toEqual([
      'stripe-charges',
      'stripe-balance',
    ]);
  });

  it('notifies the probe alone when only one probe of the provider is down', () => {
    const { notified } = simulate(stripe, 8, (p, _r, i) =>
      p.id === 'stripe-balance' && i >= 1 && i <= 4 ? 'down' : 'up',
    );
    expect(notified).toEqual(['opened:probe:stripe-balance@3', 'resolved:probe:stripe-balance@6']);
  });

  it('marks a region unhealthy when nearly every probe fails there, and alerts ops only', () => {
    const probes = [...stripe, ...others].map((p) => ({ ...p, regions: ['eu', 'us'] }));
    const { notified } = simulate(probes, 8, (_p, region, i) =>
      region === 'eu' && i >= 2 && i <= 5 ? 'down' : 'up',
    );
    expect(notified).toEqual(['opened:monitor:eu@2', 'resolved:monitor:eu@6']);
  });

  it('excludes the failing slots of a single-region probe while its region is unhealthy', () => {
    const probes = [...stripe, ...others].map((p) => ({ ...p, regions: ['eu'] }));
    const { notified, slots } = simulate(probes, 8, (_p, _r, i) => (i >= 2 && i <= 5 ? 'down' : 'up'));
    expect(notified).toEqual(['opened:monitor:eu@2', 'resolved:monitor:eu@6']);
    const a = computeAvailability({
      slots: slots.get('stripe-charges')!,
      window: { from: T0, to: T0 + 8 * MIN },
    });
    expect(a).toMatchObject({ availability: 1, excludedMs: 4 * MIN });
  });

  it('stays silent through an outage inside a maintenance window and excludes its time', () => {
    const window: MaintenanceWindow = { type: 'once', from: T0 + 2 * MIN, to: T0 + 7 * MIN };
    const { notified, slots } = simulate(stripe, 10, (_p, _r, i) => (i >= 2 && i <= 6 ? 'down' : 'up'), [
      window,
    ]);
    expect(notified).toEqual([]);
    const a = computeAvailability({
      slots: slots.get('stripe-charges')!,
      window: { from: T0, to: T0 + 10 * MIN },
    });
    expect(a).toMatchObject({ availability: 1, excludedMs: 5 * MIN, coverage: 1 });
  });

  it('opens nothing while every probe of a provider cannot run as configured, and excludes its time', () => {
    const { notified, slots } = simulate([...stripe, ...others], 10, (p) =>
      p.provider === 'stripe' ? 'config' : 'up',
    );
    expect(notified).toEqual([]);
    const a = computeAvailability({ slots: slots.get('stripe')!, window: { from: T0, to: T0 + 10 * MIN } });
    expect(a).toMatchObject({ availability: null, downMs: 0, excludedMs: 10 * MIN });
  });

  it('judges a provider by its other probes while one cannot run as configured', () => {
    const charges = (i: number) => (i >= 2 && i <= 4 ? 'down' : 'up');
    const alone = simulate(stripe.slice(0, 1), 10, (_p, _r, i) => charges(i));
    const beside = simulate(stripe, 10, (p, _r, i) => (p.id === 'stripe-balance' ? 'config' : charges(i)));
    expect(beside.notified).toEqual(alone.notified);
    const window = { from: T0, to: T0 + 10 * MIN };
    expect(computeAvailability({ slots: beside.slots.get('stripe')!, window })).toEqual(
      computeAvailability({ slots: alone.slots.get('stripe')!, window }),
    );
  });

  it('does not mark a region unhealthy because its probes cannot run as configured there', () => {
    const probes = [...stripe, ...others].map((p) => ({ ...p, regions: ['eu', 'us'] }));
    const { notified } = simulate(probes, 8, (_p, region) => (region === 'eu' ? 'config' : 'up'));
    expect(notified).toEqual([]);
  });

  it('opens when an outage outlasts the maintenance window', () => {
    const window: MaintenanceWindow = { type: 'once', from: T0 + 2 * MIN, to: T0 + 5 * MIN };
    const { notified } = simulate(stripe.slice(0, 1), 12, (_p, _r, i) => (i >= 2 && i <= 8 ? 'down' : 'up'), [
      window,
    ]);
    expect(notified).toEqual(['opened:provider:stripe@7', 'resolved:provider:stripe@10']);
  });
});
