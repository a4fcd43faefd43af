import { describe, expect, it } from 'vitest';
import { addVerdictTimes, computeAvailability, emptyVerdictTimes } from './availability.js';
import { histCount, histMergeInPlace, histQuantile } from './histogram.js';
import {
  availabilityFromRollups,
  cleanRollup,
  emptyRollup,
  HOUR_MS,
  mergeRollups,
  rollupHour,
  rollupHours,
  subtractRollups,
} from './rollup.js';
import type { SlotVerdict, Verdict } from './verdict.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1);

function slots(n: number, every: number, verdictAt: (i: number) => Verdict, start = T0): SlotVerdict[] {
  return Array.from({ length: n }, (_, i) => {
    const verdict = verdictAt(i);
    const isUp = verdict === 'up' || verdict === 'degraded';
    return {
      at: start + i * every,
      durationMs: every,
      verdict,
      latencyMs: isUp ? 100 + (i % 50) : null,
      errorClass: verdict === 'down' ? 'timeout' : verdict === 'rate_limited' ? 'rate_limited' : null,
      phases: isUp ? { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40 } : null,
    };
  });
}

describe('rollupHour', () => {
  it('folds an hour of slots into times, counts, error classes, latency and phases', () => {
    const r = rollupHour(
      'stripe',
      T0,
      slots(60, MIN, (i) => (i < 3 ? 'down' : i === 3 ? 'rate_limited' : 'up')),
    );
    expect(r).toMatchObject({
      probeId: 'stripe',
      hourStart: T0,
      upMs: 56 * MIN,
      downMs: 3 * MIN,
      rateLimitedMs: MIN,
      counts: { up: 56, down: 3, rate_limited: 1, degraded: 0, no_data: 0, excluded: 0 },
      errorClasses: { timeout: 3, rate_limited: 1 },
      phaseSums: { dnsMs: 56, connectMs: 112, tlsMs: 168, ttfbMs: 2240, n: 56 },
    });
    expect(histCount(r.latency)).toBe(56);
  });

  it('is idempotent: recomputing an hour yields the same row', () => {
    const input = slots(120, MIN, (i) => (i % 7 === 0 ? 'down' : 'up'));
    expect(rollupHour('p', T0 + HOUR_MS, input)).toEqual(rollupHour('p', T0 + HOUR_MS, [...input].reverse()));
  });

  it('splits a slot crossing the hour by time but counts it once, in the hour it starts', () => {
    const s: SlotVerdict[] = [
      { at: T0 + 45 * MIN, durationMs: 30 * MIN, verdict: 'down', errorClass: 'dns' },
    ];
    const [a, b] = rollupHours('p', s);
    expect(a).toMatchObject({
      hourStart: T0,
      downMs: 15 * MIN,
      counts: { down: 1 },
      errorClasses: { dns: 1 },
    });
    expect(b).toMatchObject({
      hourStart: T0 + HOUR_MS,
      downMs: 15 * MIN,
      counts: { down: 0 },
      errorClasses: {},
    });
  });
});

describe('rollups over longer windows', () => {
  const raw = slots(3 * 24 * 60, MIN, (i) =>
    i % 97 === 0 ? 'down' : i % 211 === 0 ? 'no_data' : i % 13 === 0 ? 'degraded' : 'up',
  );
  const hourly = rollupHours('p', raw);

  it('give the same availability as the raw slots', () => {
    const window = { from: T0 + 5 * HOUR_MS, to: T0 + 50 * HOUR_MS };
    const fromRaw = computeAvailability({ slots: raw, window });
    const fromRollups = availabilityFromRollups(hourly, window);
    expect(fromRollups).toEqual(fromRaw);
  });

  it('count an hour only partly inside the window pro rata', () => {
    const window = { from: T0 + 30 * MIN, to: T0 + 90 * MIN };
    const fromRaw = computeAvailability({ slots: raw, window });
    const approx = availabilityFromRollups(hourly, window);
    expect(approx.windowMs).toBe(HOUR_MS);
    expect(Math.abs(approx.upMs - fromRaw.upMs)).toBeLessThanOrEqual(2 * MIN);
  });

  it('merge into totals with the latency of the whole period', () => {
    const total = mergeRollups(hourly)!;
    expect(total.counts.down + total.counts.up + total.counts.degraded + total.counts.no_data).toBe(
      raw.length,
    );
    expect(histCount(total.latency)).toBe(total.counts.up + total.counts.degraded);
    expect(histQuantile(total.latency, 0.5)).toBeGreaterThan(120);
    expect(histQuantile(total.latency, 0.5)).toBeLessThan(130);
    expect(mergeRollups([])).toBeNull();
  });
});

describe('rollup arithmetic', () => {
  const day1 = rollupHour(
    'p',
    T0,
    slots(60, MIN, (i) => (i < 5 ? 'down' : 'up')),
  );
  const day2 = rollupHour(
    'p',
    T0 + HOUR_MS,
    slots(60, MIN, (i) => (i < 2 ? 'rate_limited' : 'degraded'), T0 + HOUR_MS),
  );

  it('starts a sum from an empty rollup', () => {
    const zero = emptyRollup('p', T0);
    expect(zero).toMatchObject({ probeId: 'p', hourStart: T0, ...emptyVerdictTimes(), latency: {} });
    expect(mergeRollups([zero, day1])).toEqual({ ...day1, errorClasses: { timeout: 5 } });
  });

  it('subtracts an earlier running total from a later one: what happened in between', () => {
    const total = mergeRollups([day1, day2])!;
    const between = subtractRollups(total, day1);
    expect(between).toEqual({ ...day2, probeId: total.probeId, hourStart: total.hourStart });
    expect(between.errorClasses).toEqual({ rate_limited: 2 });
  });

  it('subtracting everything leaves no latency buckets or error classes', () => {
    const none = subtractRollups(day1, day1);
    expect(none).toMatchObject({ upMs: 0, downMs: 0, latency: {}, errorClasses: {} });
    expect(none.counts).toEqual(emptyRollup('p', T0).counts);
    expect(none.phaseSums).toEqual(emptyRollup('p', T0).phaseSums);
  });

  it('cleans buckets and error classes that sum to nothing or less, and nothing else', () => {
    const r = { ...day1, latency: { 1: 0, 2: -1, 3: 4 }, errorClasses: { timeout: 0, dns: 2, tls: -1 } };
    expect(cleanRollup(r)).toEqual({ ...day1, latency: { 3: 4 }, errorClasses: { dns: 2 } });
    expect(r.latency).toEqual({ 1: 0, 2: -1, 3: 4 });
  });

  it('adds verdict times and histograms in place', () => {
    const t = emptyVerdictTimes();
    addVerdictTimes(t, day1);
    addVerdictTimes(t, day2);
    expect(t).toEqual({
      upMs: 113 * MIN,
      degradedMs: 58 * MIN,
      downMs: 5 * MIN,
      noDataMs: 0,
      excludedMs: 0,
      rateLimitedMs: 2 * MIN,
    });
    const h = { ...day1.latency };
    histMergeInPlace(h, day2.latency);
    expect(histCount(h)).toBe(55 + 58);
    expect(h).toEqual(mergeRollups([day1, day2])!.latency);
  });
});
