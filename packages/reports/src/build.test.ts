import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_MODE,
  HOUR_MS,
  parsePeriodKey,
  previousPeriod,
  type HourlyRollup,
} from '@vigil/core';
import { buildReport, ReportBuilder } from './build.js';
import { figuresFromRollups } from './figures.js';
import { summarizeIncidents } from './incidents.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderText } from './text.js';
import { hours } from './testing/hours.js';
import { smallWeekly } from './testing/small.js';
import type { ReportIncident, ReportInput, ReportProbe } from './types.js';

const H = HOUR_MS;
const MIN = 60_000;
const period = parsePeriodKey('2026-W47', 'UTC');
const previous = previousPeriod(period);

function probe(o: Partial<ReportProbe> = {}): ReportProbe {
  return {
    id: 'api',
    name: 'API',
    service: 'svc',
    provider: 'prov',
    critical: false,
    target: 0.98,
    labels: {},
    createdAt: 0,
    ...o,
  };
}

function oneProbe(rollups: HourlyRollup[], o: Partial<ReportProbe> = {}, extra: Partial<ReportInput> = {}) {
  return buildReport({
    kind: 'weekly',
    period,
    previous,
    tz: 'UTC',
    generatedAt: period.to,
    probes: [probe(o)],
    services: [{ name: 'svc', providers: ['prov'], mode: 'any', target: 0.98 }],
    rollups: new Map([['api', rollups]]),
    incidents: [],
    ...extra,
  });
}

/** A week with `downMs` of downtime spread over whole hours from the first. */
function weekWithDowntime(downMs: number): HourlyRollup[] {
  return hours('api', period.from, period.to, (t) => {
    const before = t - period.from;
    return { downMs: Math.max(0, Math.min(H, downMs - before)) };
  });
}

describe('availability status', () => {
  const week = period.to - period.from;
  it.each([
    ['exactly 98.000%', 'met', 0.02 * week, '98.000%'],
    ['one millisecond under 98%', 'missed', 0.02 * week + 1, '97.999%'],
    ['no downtime', 'met', 0, '100%'],
    ['all down', 'missed', week, '0.000%'],
  ])('%s is %s', (_name, status, downMs, shown) => {
    const m = oneProbe(weekWithDowntime(downMs));
    const api = m.services[0]!.providers[0]!.probes[0]!;
    expect(api.current.status).toBe(status);
    expect(renderText(m)).toContain(`availability ${shown} vs 98%: ${status}`);
  });

  it.each([
    ['an empty period', [] as HourlyRollup[], {}],
    [
      'a probe created a day before the period ends',
      hours('api', period.to - 24 * H, period.to),
      { createdAt: period.to - 24 * H },
    ],
    ['a week of nothing but 429s', hours('api', period.from, period.to, () => ({ rateLimitedMs: H })), {}],
    ['89% coverage', hours('api', period.from, period.to, (_t, i) => (i < 150 ? {} : null)), {}],
  ])('%s reads "insufficient data", not 100% or 0%', (_name, rollups, o) => {
    const m = oneProbe(rollups, o);
    const api = m.services[0]!.providers[0]!.probes[0]!;
    expect(api.current.status).toBe('insufficient_data');
    expect(m.headline).toMatchObject({ met: 0, missed: 0, insufficient: 1 });
    const text = renderText(m);
    expect(text).toContain('availability insufficient data (');
    expect(text).not.toMatch(/availability (100%|0\.000%)/);
    const html = renderHtml(m).html;
    expect(html).toContain('insufficient data');
    expect(html).not.toMatch(/>(100%|0\.000%)</);
    const row = renderCsv(m).split('\r\n')[1]!.split(',');
    expect(row[11]).toBe('');
    expect(row[13]).toBe('insufficient_data');
  });

  it('judges 90% coverage, and only then', () => {
    const rollups = hours('api', period.from, period.to, (_t, i) => (i < 152 ? {} : null));
    expect(oneProbe(rollups).services[0]!.current.status).toBe('met');
  });
});

describe('latency', () => {
  it.each([
    [false, 250, 'optimal'],
    [false, 320, 'slow'],
    [true, 320, 'ok'],
    [true, 520, 'slow'],
  ])('critical=%s with p95 %i ms reads %s', (critical, latencyMs, status) => {
    const m = oneProbe(
      hours('api', period.from, period.to, () => ({ latencyMs })),
      { critical },
    );
    const lat = m.services[0]!.providers[0]!.probes[0]!.current.latency;
    expect(lat.status).toBe(status);
    expect(lat.thresholdMs).toBe(critical ? 500 : 300);
    expect(Math.abs(lat.p95Ms! - latencyMs) / latencyMs).toBeLessThan(0.01);
  });
});

describe('service availability', () => {
  const probes = [probe({ id: 'a', provider: 'p1' }), probe({ id: 'b', provider: 'p2' })];
  const rollups = new Map([
    ['a', hours('a', previous.from, period.to, (t) => (t === period.from ? { downMs: 40 * MIN } : {}))],
    ['b', hours('b', previous.from, period.to, (t) => (t === period.from ? { downMs: 30 * MIN } : {}))],
  ]);
  const build = (mode: 'any' | 'all', extra: Partial<ReportInput> = {}) =>
    buildReport({
      kind: 'weekly',
      period,
      previous,
      tz: 'UTC',
      generatedAt: period.to,
      probes,
      services: [{ name: 'svc', providers: ['p1', 'p2'], mode, target: 0.98 }],
      rollups,
      incidents: [],
      ...extra,
    }).services[0]!;

  it.each([
    ['any', 30 * MIN],
    ['all', 40 * MIN],
  ] as const)('with mode %s combines nested outages to %i ms down', (mode, downMs) => {
    const s = build(mode);
    expect(s.source).toBe('hourly');
    expect(s.current.downMs).toBe(downMs);
  });

  it("prefers the evaluator's service rollups when it has them", () => {
    const s = build('any', {
      serviceRollups: new Map([
        [
          'svc',
          hours('svc', previous.from, period.to, (t) => (t === period.from ? { downMs: 7 * MIN } : {})),
        ],
      ]),
    });
    expect(s.source).toBe('evaluator');
    expect(s.current.downMs).toBe(7 * MIN);
  });

  it('combines a service nobody declared with the default mode, as the evaluator and status do', () => {
    const m = buildReport({
      kind: 'weekly',
      period,
      previous,
      tz: 'UTC',
      generatedAt: period.to,
      probes,
      services: [],
      rollups,
      incidents: [],
    });
    expect(DEFAULT_SERVICE_MODE).toBe('any');
    expect(m.services[0]).toMatchObject({
      key: 'svc',
      mode: DEFAULT_SERVICE_MODE,
      current: { downMs: 30 * MIN, target: 0.98 },
    });
  });
});

describe('summarizeIncidents', () => {
  const w = { from: 1000, to: 2000 };
  const inc = (openedAt: number, resolvedAt: number | null): ReportIncident => ({
    id: `${openedAt}`,
    scope: 'probe',
    key: 'api',
    kind: 'down',
    openedAt,
    resolvedAt,
    title: 't',
  });
  it.each([
    [
      'one resolved before the window',
      [inc(100, 900)],
      { count: 0, ongoing: 0, longestMs: null, mttrMs: null },
    ],
    [
      'one opened after the window',
      [inc(2000, 2100)],
      { count: 0, ongoing: 0, longestMs: null, mttrMs: null },
    ],
    ['one spanning the start', [inc(800, 1100)], { count: 1, ongoing: 0, longestMs: 100, mttrMs: 300 }],
    ['one still open', [inc(1500, null)], { count: 1, ongoing: 1, longestMs: 500, mttrMs: null }],
    [
      'one resolved after the window',
      [inc(1900, 2300)],
      { count: 1, ongoing: 1, longestMs: 100, mttrMs: null },
    ],
    ['two inside', [inc(1100, 1200), inc(1300, 1600)], { count: 2, ongoing: 0, longestMs: 300, mttrMs: 200 }],
  ])('%s', (_name, list, want) => {
    expect(summarizeIncidents(list, w, 2500)).toEqual(want);
  });
});

describe('a small weekly report', () => {
  const m = buildReport(smallWeekly());

  it('computes every probe exactly as figuresFromRollups (what vigil status prints)', () => {
    const input = smallWeekly();
    for (const pr of m.services.flatMap((s) => s.providers.flatMap((p) => p.probes))) {
      const rollups = (input.rollups.get(pr.key) ?? []) as HourlyRollup[];
      const opts = { target: pr.probe.target, critical: pr.probe.critical, incidents: pr.current.incidents };
      expect(pr.current).toEqual(figuresFromRollups(rollups, period, opts));
      const prev = figuresFromRollups(rollups, previous, { ...opts, incidents: pr.previous.incidents });
      const unread = { p50Ms: null, p95Ms: null, p99Ms: null, status: 'insufficient_data' };
      expect(pr.previous).toEqual({ ...prev, latency: { ...prev.latency, ...unread } });
    }
  });

  it('marks a change against the previous period', () => {
    const stripe = m.services[0]!.providers[0]!.probes[0]!;
    expect(stripe.change.availabilityPp).toBeCloseTo(-(320 / 10_080) * 100, 9);
    expect(stripe.change.downtimeMs).toBe(320 * MIN);
  });

  it('orders the slowest APIs by p95 and skips probes that were not in the period', () => {
    expect(m.slowest.map((p) => p.key)).toEqual([
      'google-login',
      'paypal-orders',
      'stripe-charges',
      'algolia-search',
    ]);
    const later = buildReport(
      smallWeekly({ probes: [...smallWeekly().probes, probe({ id: 'future', createdAt: period.to })] }),
    );
    expect(later.headline.apis).toBe(4);
  });

  it('builds the same report one probe at a time, keeping no reference to the rollups it was given', () => {
    const input = smallWeekly();
    const b = new ReportBuilder(input);
    for (const p of input.probes) {
      const copy = structuredClone(input.rollups.get(p.id) ?? []) as HourlyRollup[];
      b.add(p.id, copy);
      for (const r of copy) r.downMs = r.upMs = 0;
    }
    expect(b.finish()).toEqual(m);
  });

  it('leaves the quarter budget unknown when the rollups do not reach the quarter start', () => {
    expect(m.headline.quarterBudgetLeft).toBeNull();
    expect(m.services[0]!.providers[0]!.probes[0]!.quarterBudget).toBeNull();
  });
});
