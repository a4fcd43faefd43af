import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  mergeRollups,
  parsePeriodKey,
  previousPeriod,
  type HourlyRollup,
  type SlotVerdict,
  type Verdict,
} from '@vigil/core';
import { buildReport } from './build.js';
import { at, incident, MIN, probe, scripted, SERVICES, TZ, type Outage } from './testing/fleet.js';
import { rollupsOf, slotsBetween } from './testing/scenario.js';
import type { EntityReport, Figures, ReportModel, ReportProbe } from './types.js';

/* An independent computation from the raw slots: minute by minute, without rollups or core's math. */

interface Window {
  from: number;
  to: number;
}

function refProbe(slots: readonly SlotVerdict[], w: Window, target: number) {
  let up = 0;
  let down = 0;
  let rl = 0;
  let excluded = 0;
  const calls = { ok: 0, down: 0, rl: 0 };
  const lat: number[] = [];
  for (const s of slots) {
    const ms = Math.max(0, Math.min(s.at + s.durationMs, w.to) - Math.max(s.at, w.from));
    if (s.verdict === 'up' || s.verdict === 'degraded') up += ms;
    else if (s.verdict === 'down') down += ms;
    else if (s.verdict === 'rate_limited') rl += ms;
    else if (s.verdict === 'excluded') excluded += ms;
    if (s.at < w.from || s.at >= w.to) continue;
    if (s.verdict === 'up' || s.verdict === 'degraded') {
      calls.ok++;
      lat.push(s.latencyMs!);
    } else if (s.verdict === 'down') calls.down++;
    else if (s.verdict === 'rate_limited') calls.rl++;
  }
  lat.sort((a, b) => a - b);
  const q = (p: number) => (lat.length ? lat[Math.max(0, Math.ceil(p * lat.length) - 1)]! : null);
  const availability = up + down > 0 ? up / (up + down) : null;
  const coverage = (up + down + rl) / (w.to - w.from - excluded);
  const all = calls.ok + calls.down + calls.rl;
  return {
    availability,
    coverage,
    status:
      availability === null || coverage < 0.9
        ? 'insufficient_data'
        : availability >= target
          ? 'met'
          : 'missed',
    downMs: down,
    upMs: up,
    calls: all,
    errorRate: calls.ok + calls.down > 0 ? calls.down / (calls.ok + calls.down) : null,
    successRate: all > 0 ? calls.ok / all : null,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}

const ANY: Verdict[] = ['up', 'degraded', 'no_data', 'rate_limited', 'down'];
const ALL: Verdict[] = ['down', 'no_data', 'rate_limited', 'degraded', 'up'];
function pick(vs: Verdict[], order: Verdict[]): Verdict {
  const present: Verdict[] = vs.filter((v) => v !== 'excluded');
  if (present.length === 0) return vs.length ? 'excluded' : 'no_data';
  return order.find((v) => present.includes(v))!;
}

/** Service availability minute by minute: provider = any of its probes, service = its mode over providers. */
function refService(
  byProbe: Map<string, Map<number, Verdict>>,
  probes: readonly ReportProbe[],
  providers: readonly string[],
  mode: 'any' | 'all' | 'provider',
  w: Window,
  step: number,
) {
  let up = 0;
  let down = 0;
  for (let t = w.from; t < w.to; t += step) {
    const perProvider = providers.map((prov) =>
      pick(
        probes.filter((p) => p.provider === prov).map((p) => byProbe.get(p.id)!.get(t) ?? 'no_data'),
        ANY,
      ),
    );
    const v = mode === 'provider' ? perProvider[0]! : pick(perProvider, mode === 'any' ? ANY : ALL);
    if (v === 'up' || v === 'degraded') up += step;
    else if (v === 'down') down += step;
  }
  return { availability: up + down > 0 ? up / (up + down) : null, downMs: down };
}

function localDays(w: Window): Window[] {
  const out: Window[] = [];
  for (let d = DateTime.fromMillis(w.from, { zone: TZ }); d.toMillis() < w.to; d = d.plus({ days: 1 }))
    out.push({ from: d.toMillis(), to: d.plus({ days: 1 }).toMillis() });
  return out;
}

function expectFigures(f: Figures, ref: ReturnType<typeof refProbe>, latency = true) {
  if (ref.availability === null) expect(f.availability).toBeNull();
  else expect(f.availability).toBeCloseTo(ref.availability, 12);
  expect(f.coverage).toBeCloseTo(ref.coverage, 12);
  expect(f.status).toBe(ref.status);
  expect(f.downMs).toBe(ref.downMs);
  expect(f.calls).toBe(ref.calls);
  expect(f.errorRate).toBe(ref.errorRate);
  expect(f.successRate).toBe(ref.successRate);
  if (!latency) return;
  for (const [got, want] of [
    [f.latency.p50Ms, ref.p50],
    [f.latency.p95Ms, ref.p95],
    [f.latency.p99Ms, ref.p99],
  ] as const) {
    if (want === null) expect(got).toBeNull();
    else expect(Math.abs(got! - want) / want).toBeLessThan(0.011);
  }
}

function find(m: ReportModel, key: string): EntityReport {
  for (const s of m.services) {
    if (s.key === key) return s;
    for (const p of s.providers) {
      if (p.key === key) return p;
      for (const pr of p.probes) if (pr.key === key) return pr;
    }
  }
  throw new Error(`no ${key}`);
}

function fleet(probes: ReportProbe[], outages: Record<string, Outage[]>, w: Window, every: number) {
  const slots = new Map<string, SlotVerdict[]>();
  const rollups = new Map<string, HourlyRollup[]>();
  const verdicts = new Map<string, Map<number, Verdict>>();
  for (const p of probes) {
    const s = slotsBetween(w.from, w.to, every, scripted(outages[p.id] ?? [], p.createdAt));
    slots.set(p.id, s);
    rollups.set(p.id, rollupsOf(p.id, s));
    verdicts.set(p.id, new Map(s.map((x) => [x.at, x.verdict])));
  }
  return { slots, rollups, verdicts };
}

describe('a weekly report over the DST week 2026-W13 in Europe/Berlin', () => {
  const period = parsePeriodKey('2026-W13', TZ);
  const previous = previousPeriod(period);
  const probes = [
    probe('stripe-charges', 'payments', 'stripe', { critical: true, target: 0.99 }),
    probe('stripe-balance', 'payments', 'stripe'),
    probe('paypal-orders', 'payments', 'paypal', { critical: true, target: 0.99 }),
    probe('google-login', 'auth', 'google', { critical: true }),
    probe('es-search', 'search', 'elasticsearch', { createdAt: at('2026-03-28T00:00') }),
  ];
  const stripeDown: Outage = {
    from: at('2026-03-24T23:30'),
    to: at('2026-03-25T01:05'),
    verdict: 'down',
    errorClass: 'timeout',
  };
  const outages: Record<string, Outage[]> = {
    'stripe-charges': [
      stripeDown,
      { from: at('2026-03-18T10:00'), to: at('2026-03-18T10:10'), verdict: 'down' },
    ],
    'stripe-balance': [
      { ...stripeDown, errorClass: 'connect_refused' },
      {
        from: at('2026-03-26T10:00'),
        to: at('2026-03-26T10:20'),
        verdict: 'down',
        errorClass: 'http_status',
      },
    ],
    'paypal-orders': [
      {
        from: at('2026-03-25T00:30'),
        to: at('2026-03-25T03:00'),
        verdict: 'down',
        errorClass: 'http_status',
      },
    ],
    'google-login': [
      { from: at('2026-03-23T09:00'), to: at('2026-03-23T12:00'), verdict: 'degraded', latencyMs: 640 },
      { from: at('2026-03-27T14:00'), to: at('2026-03-27T14:30'), verdict: 'rate_limited' },
      { from: at('2026-03-28T02:00'), to: at('2026-03-28T04:00'), verdict: 'gap' },
      // 01:30 CET to 03:30 CEST is one real hour: the clocks skip 02:00-03:00
      { from: at('2026-03-29T01:30'), to: at('2026-03-29T03:30'), verdict: 'down', errorClass: 'dns' },
    ],
    'es-search': [{ from: at('2026-03-29T03:00'), to: at('2026-03-29T03:30'), verdict: 'excluded' }],
  };
  const data = fleet(probes, outages, { from: previous.from, to: period.to }, MIN);
  const generatedAt = period.to + 8 * 3_600_000;
  const incidents = [
    incident('i1', 'provider', 'stripe', at('2026-03-24T23:33'), at('2026-03-25T01:07')),
    incident('i2', 'provider', 'paypal', at('2026-03-25T00:33'), at('2026-03-25T03:02')),
    incident('i3', 'service', 'payments', at('2026-03-25T00:33'), at('2026-03-25T01:07')),
    incident('i4', 'probe', 'google-login', at('2026-03-29T01:33'), at('2026-03-29T03:32')),
    incident('i5', 'probe', 'stripe-charges', at('2026-03-18T10:03'), at('2026-03-18T10:12')),
    incident('i6', 'probe', 'stripe-balance', at('2026-03-29T23:00'), null),
  ];
  const m = buildReport({
    kind: 'weekly',
    period,
    previous,
    tz: TZ,
    generatedAt,
    probes,
    services: SERVICES,
    rollups: data.rollups,
    incidents,
  });

  it('covers 167 hours and seven local days, one of them 23 hours long', () => {
    expect((period.to - period.from) / 3_600_000).toBe(167);
    expect(m.days.map((d) => (d.to - d.from) / 3_600_000)).toEqual([24, 24, 24, 24, 24, 24, 23]);
  });

  it.each(probes.map((p) => [p.id, p] as const))(
    'gives %s the figures computed from its raw slots',
    (id, p) => {
      const e = find(m, id);
      expectFigures(e.current, refProbe(data.slots.get(id)!, period, p.target));
      expectFigures(e.previous, refProbe(data.slots.get(id)!, previous, p.target), false);
      const days = localDays(period);
      expect(e.days).toHaveLength(days.length);
      days.forEach((d, i) => {
        const ref = refProbe(data.slots.get(id)!, d, p.target);
        expect(e.days[i]!.status).toBe(ref.status);
        expect(e.days[i]!.downMs).toBe(ref.downMs);
        if (ref.availability !== null) expect(e.days[i]!.availability).toBeCloseTo(ref.availability, 12);
      });
    },
  );

  it('counts the hour skipped by the clocks once: Sunday lost 60 minutes to DNS, not 120', () => {
    const sunday = find(m, 'google-login').days[6]!;
    expect(sunday.downMs).toBe(60 * MIN);
    const google = find(m, 'google-login').current;
    expect(google.topErrors).toEqual([{ errorClass: 'dns', count: 60, share: 1 }]);
    expect(google.rateLimited).toBe(30);
  });

  it.each([
    ['payments', SERVICES[0]!.providers, 'any'],
    ['stripe', ['stripe'], 'provider'],
    ['paypal', ['paypal'], 'provider'],
    ['auth', ['google'], 'any'],
    ['search', ['elasticsearch'], 'all'],
  ] as const)(
    'gives %s the failover-aware availability computed minute by minute',
    (key, providers, mode) => {
      const e = find(m, key);
      for (const [f, w] of [
        [e.current, period],
        [e.previous, previous],
      ] as const) {
        const ref = refService(data.verdicts, probes, providers, mode, w, MIN);
        expect(f.downMs).toBe(ref.downMs);
        if (ref.availability === null) expect(f.availability).toBeNull();
        else expect(f.availability).toBeCloseTo(ref.availability, 12);
      }
    },
  );

  it('puts payments down only while both providers were: 35 minutes', () => {
    expect(find(m, 'payments').current.downMs).toBe(35 * MIN);
    expect(find(m, 'stripe').current.downMs).toBe(95 * MIN);
  });

  it('reads the probe created on Saturday as new with insufficient data', () => {
    const es = find(m, 'es-search') as EntityReport & { isNew: boolean };
    expect(es.isNew).toBe(true);
    expect(es.current.status).toBe('insufficient_data');
    expect(es.current.availability).toBe(1);
  });

  it('sums the headline from the probes', () => {
    const refs = probes.map((p) => refProbe(data.slots.get(p.id)!, period, p.target));
    const judged = refs.filter((r) => r.status !== 'insufficient_data');
    const up = judged.reduce((s, r) => s + r.upMs, 0);
    const down = judged.reduce((s, r) => s + r.downMs, 0);
    expect(m.headline).toMatchObject({
      apis: 5,
      met: refs.filter((r) => r.status === 'met').length,
      missed: refs.filter((r) => r.status === 'missed').length,
      insufficient: 1,
      downtimeMs: refs.reduce((s, r) => s + r.downMs, 0),
      incidents: 5,
      commonTarget: null,
      quarterBudgetLeft: null,
    });
    expect(m.headline.availability).toBeCloseTo(up / (up + down), 12);
  });

  it('summarises incidents per entity: count, longest, time to recover, ongoing', () => {
    expect(find(m, 'payments').current.incidents).toEqual({
      count: 1,
      ongoing: 0,
      longestMs: 34 * MIN,
      mttrMs: 34 * MIN,
    });
    expect(find(m, 'stripe-balance').current.incidents).toEqual({
      count: 1,
      ongoing: 1,
      longestMs: 60 * MIN,
      mttrMs: null,
    });
    expect(find(m, 'stripe-charges').previous.incidents.count).toBe(1);
    expect(find(m, 'stripe-charges').current.incidents.count).toBe(0);
  });

  it('gives the same report from daily rollups of the period (merged per local day)', () => {
    const daily = new Map<string, HourlyRollup[]>();
    for (const [id, list] of data.rollups) {
      const days = localDays(period).map((d) =>
        list.filter((r) => r.hourStart >= d.from && r.hourStart < d.to),
      );
      daily.set(
        id,
        days.map((d) => mergeRollups(d)).filter((r): r is HourlyRollup => r !== null),
      );
    }
    const fromDaily = buildReport({
      kind: 'weekly',
      period,
      previous,
      tz: TZ,
      generatedAt,
      probes,
      services: SERVICES,
      rollups: data.rollups,
      dailyRollups: daily,
      incidents,
    });
    expect(fromDaily).toEqual(m);
  });

  it('spends the quarter budget from quarter rollups when it is given them', () => {
    const withQuarter = buildReport({
      kind: 'weekly',
      period,
      previous,
      tz: TZ,
      generatedAt,
      probes,
      services: SERVICES,
      rollups: data.rollups,
      quarterRollups: data.rollups,
      incidents,
    });
    const q = parsePeriodKey('2026-Q1', TZ);
    const ref = refProbe(data.slots.get('paypal-orders')!, { from: q.from, to: period.to }, 0.99);
    const budget = find(withQuarter, 'paypal-orders').quarterBudget!;
    expect(budget.usedMs).toBe(ref.downMs);
    expect(budget.allowedMs).toBeCloseTo(0.01 * (q.to - q.from), 6);
    expect(budget.leftMs).toBeCloseTo(0.01 * (q.to - q.from) - ref.downMs, 6);
  });
});

describe('a quarterly report for 2026-Q2, which starts in the middle of an outage', () => {
  const FIVE = 5 * MIN;
  const period = parsePeriodKey('2026-Q2', TZ);
  const previous = previousPeriod(period);
  const probes = [
    probe('stripe-charges', 'payments', 'stripe', { critical: true, target: 0.99 }),
    probe('paypal-orders', 'payments', 'paypal', { critical: true, target: 0.99 }),
  ];
  const outages: Record<string, Outage[]> = {
    'stripe-charges': [
      { from: at('2026-03-31T20:00'), to: at('2026-04-01T03:00'), verdict: 'down', errorClass: 'timeout' },
      {
        from: at('2026-05-12T09:00'),
        to: at('2026-05-12T10:00'),
        verdict: 'down',
        errorClass: 'http_status',
      },
    ],
    'paypal-orders': [{ from: at('2026-04-01T02:00'), to: at('2026-04-01T02:30'), verdict: 'down' }],
  };
  const data = fleet(probes, outages, { from: previous.from, to: period.to }, FIVE);
  const incidents = [incident('q1', 'provider', 'stripe', at('2026-03-31T20:00'), at('2026-04-01T03:00'))];
  const m = buildReport({
    kind: 'quarterly',
    period,
    previous,
    tz: TZ,
    generatedAt: period.to + 3_600_000,
    probes,
    services: SERVICES,
    rollups: data.rollups,
    incidents,
  });

  it('counts only the part of the outage inside the quarter as its downtime', () => {
    const ref = refProbe(data.slots.get('stripe-charges')!, period, 0.99);
    expect(ref.downMs).toBe(4 * 60 * MIN);
    expectFigures(find(m, 'stripe-charges').current, ref);
    expectFigures(
      find(m, 'stripe-charges').previous,
      refProbe(data.slots.get('stripe-charges')!, previous, 0.99),
      false,
    );
  });

  it('gives per-month columns equal to the raw computation per month', () => {
    expect(m.columns.map((c) => c.label)).toEqual(['Apr', 'May', 'Jun']);
    for (const p of probes) {
      const e = find(m, p.id);
      m.columns.forEach((c, i) => expectFigures(e.columns[i]!, refProbe(data.slots.get(p.id)!, c, p.target)));
    }
    const payments = find(m, 'payments');
    m.columns.forEach((c, i) => {
      const ref = refService(data.verdicts, probes, ['stripe', 'paypal'], 'any', c, FIVE);
      expect(payments.columns[i]!.downMs).toBe(ref.downMs);
    });
    expect(payments.current.downMs).toBe(30 * MIN);
  });

  it('lists the incident that started before the quarter with its whole and in-quarter durations', () => {
    expect(m.incidents).toEqual([
      expect.objectContaining({
        id: 'q1',
        startedBeforePeriod: true,
        ongoing: false,
        durationMs: 7 * 60 * MIN,
        inPeriodMs: 3 * 60 * MIN,
      }),
    ]);
    expect(find(m, 'stripe').current.incidents).toEqual({
      count: 1,
      ongoing: 0,
      longestMs: 3 * 60 * MIN,
      mttrMs: 7 * 60 * MIN,
    });
  });

  it('spends the quarter budget: 1% of the quarter less the downtime so far', () => {
    const ref = refProbe(data.slots.get('stripe-charges')!, period, 0.99);
    const b = find(m, 'stripe-charges').quarterBudget!;
    expect(b.usedMs).toBe(ref.downMs);
    expect(b.leftMs).toBeCloseTo(0.01 * (period.to - period.from) - ref.downMs, 6);
    expect(m.headline.quarterBudgetLeft).toBeCloseTo(
      probes.reduce((s, p) => s + find(m, p.id).quarterBudget!.leftFraction!, 0) / 2,
      12,
    );
  });
});
