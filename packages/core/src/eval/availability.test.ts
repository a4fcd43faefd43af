import { describe, expect, it } from 'vitest';
import {
  computeAvailability,
  DEFAULT_MIN_COVERAGE,
  emptyVerdictTimes,
  summarizeTimes,
  VERDICT_TIME_KEYS,
  type VerdictTimes,
} from './availability.js';
import type { SlotVerdict, Verdict } from './verdict.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

/** `n` one-minute slots from T0, the ones listed in `down` down, the rest up. */
function day(n: number, verdictAt: (i: number) => Verdict, every = MIN, start = T0): SlotVerdict[] {
  return Array.from({ length: n }, (_, i) => ({
    at: start + i * every,
    durationMs: every,
    verdict: verdictAt(i),
  }));
}
const firstDown =
  (k: number) =>
  (i: number): Verdict =>
    i < k ? 'down' : 'up';

describe('computeAvailability', () => {
  it.each([
    [29, 0.97986, 'missed'],
    [28, 0.98056, 'met'],
    [0, 1, 'met'],
    [1440, 0, 'missed'],
  ])('%i down slots of 1,440 read %f, target %s', (down, availability, status) => {
    const a = computeAvailability({ slots: day(1440, firstDown(down)), window: { from: T0, to: T0 + DAY } });
    expect(a.availability).toBeCloseTo(availability, 5);
    expect(a.status).toBe(status);
    expect(a.coverage).toBe(1);
  });

  it('reads exactly 98.000% as met', () => {
    const a = computeAvailability({ slots: day(50, firstDown(1)), window: { from: T0, to: T0 + 50 * MIN } });
    expect(a.availability).toBe(0.98);
    expect(a.status).toBe('met');
  });

  it('weighs slots of mixed intervals by their time', () => {
    const slots: SlotVerdict[] = [
      { at: T0, durationMs: 10 * MIN, verdict: 'down' },
      ...day(30, () => 'up', MIN, T0 + 10 * MIN),
    ];
    const a = computeAvailability({ slots, window: { from: T0, to: T0 + 40 * MIN } });
    expect(a.availability).toBe(0.75);
    expect(a.downMs).toBe(10 * MIN);
  });

  it('lets no data lower coverage only', () => {
    const slots = day(100, (i) => (i < 5 ? 'down' : i < 15 ? 'no_data' : 'up'));
    const a = computeAvailability({ slots, window: { from: T0, to: T0 + 100 * MIN } });
    expect(a.availability).toBeCloseTo(85 / 90, 12);
    expect(a.coverage).toBe(0.9);
    expect(a.status).toBe('missed');
    expect(a.noDataMs).toBe(10 * MIN);
  });

  it('reads below 90% coverage as insufficient data, and window time without slots as no data', () => {
    const a = computeAvailability({ slots: day(80, () => 'up'), window: { from: T0, to: T0 + 100 * MIN } });
    expect(a).toMatchObject({
      availability: 1,
      coverage: 0.8,
      noDataMs: 20 * MIN,
      status: 'insufficient_data',
    });
  });

  it('reads an empty window as insufficient data', () => {
    const a = computeAvailability({ slots: [], window: { from: T0, to: T0 } });
    expect(a).toMatchObject({ availability: null, coverage: 0, status: 'insufficient_data', windowMs: 0 });
  });

  it('keeps excluded, rate-limited and degraded time out of the ratio but reports them', () => {
    const verdicts: Verdict[] = ['excluded', 'rate_limited', 'degraded', 'up', 'down'];
    const a = computeAvailability({
      slots: day(5, (i) => verdicts[i]!),
      window: { from: T0, to: T0 + 5 * MIN },
    });
    expect(a).toMatchObject({
      upMs: 2 * MIN,
      degradedMs: MIN,
      downMs: MIN,
      excludedMs: MIN,
      rateLimitedMs: MIN,
    });
    expect(a.availability).toBeCloseTo(2 / 3, 12);
    expect(a.coverage).toBe(1);
  });

  it('counts only the part of a slot inside the window', () => {
    const slots: SlotVerdict[] = [
      { at: T0 - 30 * MIN, durationMs: 60 * MIN, verdict: 'down' },
      ...day(30, () => 'up', MIN, T0 + 30 * MIN),
    ];
    const a = computeAvailability({ slots, window: { from: T0, to: T0 + 60 * MIN } });
    expect(a.downMs).toBe(30 * MIN);
    expect(a.availability).toBe(0.5);
  });

  it('applies a custom target and coverage floor', () => {
    const a = computeAvailability({
      slots: day(1440, firstDown(7)),
      window: { from: T0, to: T0 + DAY },
      target: 0.995,
    });
    expect(a.status).toBe('met');
    const b = computeAvailability({
      slots: day(1440, firstDown(10)),
      window: { from: T0, to: T0 + DAY },
      target: 0.999,
    });
    expect(b.status).toBe('missed');
  });
});

describe('summarizeTimes', () => {
  const t = (o: Partial<VerdictTimes>): VerdictTimes => ({ ...emptyVerdictTimes(), ...o });

  it('gives availability, coverage, status and the uncovered time as no data', () => {
    expect(summarizeTimes(t({ upMs: 0.97 * DAY, downMs: 0.01 * DAY }), DAY, 0.98)).toEqual({
      upMs: 0.97 * DAY,
      degradedMs: 0,
      downMs: 0.01 * DAY,
      noDataMs: 0.02 * DAY,
      excludedMs: 0,
      rateLimitedMs: 0,
      windowMs: DAY,
      availability: 0.97 / 0.98,
      coverage: 0.98,
      target: 0.98,
      status: 'met',
    });
    // rate-limited time is covered but not measured; excluded time is neither
    expect(
      summarizeTimes(t({ upMs: 0.5 * DAY, rateLimitedMs: 0.3 * DAY, excludedMs: 0.2 * DAY }), DAY),
    ).toMatchObject({ noDataMs: 0, availability: 1, coverage: 1, status: 'met' });
    expect(summarizeTimes(t({ upMs: 0.9 * DAY - 1 }), DAY)).toMatchObject({
      status: 'insufficient_data',
    });
    expect(summarizeTimes(t({ excludedMs: DAY }), DAY)).toMatchObject({
      availability: null,
      coverage: 0,
      status: 'insufficient_data',
    });
    // more time than the window (overlapping slots): no data never goes negative
    expect(summarizeTimes(t({ upMs: 2 * DAY }), DAY).noDataMs).toBe(0);
  });

  it('returns exactly the Availability fields, whatever else the times object carries', () => {
    const times = { ...t({ upMs: DAY }), probeId: 'a', counts: { up: 1 } } as VerdictTimes;
    const a = summarizeTimes(times, DAY);
    expect(Object.keys(a)).toEqual([
      ...VERDICT_TIME_KEYS,
      'windowMs',
      'availability',
      'coverage',
      'target',
      'status',
    ]);
  });

  it('is the arithmetic of its definition over many mixes of verdict times', () => {
    // the definition, written out the slow way: what reports and alerts relied on before it was made fast
    const reference = (x: VerdictTimes, total: number, target: number, minCoverage: number) => {
      const withData = x.upMs + x.downMs + x.rateLimitedMs;
      const noDataMs = Math.max(0, total - withData - x.excludedMs);
      const availability = x.upMs + x.downMs > 0 ? x.upMs / (x.upMs + x.downMs) : null;
      const coverage = withData + noDataMs > 0 ? withData / (withData + noDataMs) : 0;
      const status =
        availability === null || coverage < minCoverage
          ? 'insufficient_data'
          : availability >= target
            ? 'met'
            : 'missed';
      return { ...x, noDataMs, windowMs: total, availability, coverage, target, status };
    };
    for (let i = 0; i < 300; i++) {
      const f = (k: number) => Math.abs(Math.sin(i * 7.3 + k)) * DAY * 0.6;
      const x = t({
        upMs: f(1),
        degradedMs: f(5) / 20,
        downMs: i % 7 === 0 ? 0 : f(2) / 10,
        excludedMs: f(3) / 5,
        rateLimitedMs: f(4) / 8,
      });
      const target = 0.95 + (i % 5) / 100;
      const minCoverage = i % 3 === 0 ? DEFAULT_MIN_COVERAGE : 0.5;
      expect(summarizeTimes(x, DAY, target, minCoverage)).toEqual(reference(x, DAY, target, minCoverage));
    }
  });
});
