import { describe, expect, it } from 'vitest';
import { shadowDegradedOpenings } from './degraded-shadow.js';
import { describeIncidents, tallyIncidents } from './incidents.js';
import { verdictLatency } from './verdict-math.js';
import { readWholeOptions, WHOLE_DEFAULTS } from './whole-options.js';

describe('verdictLatency', () => {
  it('times each run from its end to its slot verdict, the first verdict of a slot counting', () => {
    const runs = [
      { probeId: 'a', slotAt: 1_000, startedAt: 1_010, totalMs: 5 },
      { probeId: 'b', slotAt: 1_000, startedAt: 1_020, totalMs: 10 },
      { probeId: 'c', slotAt: 1_000, startedAt: 1_000, totalMs: 1 },
    ];
    const judged = [
      ['a', 1_000, 2_015],
      ['b', 1_000, 1_530],
      ['a', 1_000, 9_999],
    ] as const;
    expect(verdictLatency(runs, judged)).toEqual({
      judged: 2,
      unjudged: 1,
      p50Ms: 500,
      p99Ms: 1_000,
      maxMs: 1_000,
    });
  });
  it('has no figures without verdicts', () => {
    expect(verdictLatency([], [])).toEqual({ judged: 0, unjudged: 0, p50Ms: null, p99Ms: null, maxMs: null });
  });
});

describe('tallyIncidents', () => {
  it('counts by scope and kind and tells the notified ones', () => {
    const f = tallyIncidents([
      { scope: 'probe', kind: 'degraded', silent: false },
      { scope: 'probe', kind: 'degraded', silent: true },
      { scope: 'monitor', kind: 'monitor', silent: false },
    ]);
    expect(f).toEqual({ total: 3, byKind: { 'probe degraded': 2, 'monitor monitor': 1 }, notified: 2 });
    expect(describeIncidents(f)).toBe('probe degraded 2, monitor monitor 1; 2 notified');
    expect(describeIncidents(tallyIncidents([]))).toBeUndefined();
  });
});

describe('readWholeOptions', () => {
  it('defaults to 10,000 probes and 10 status requests/s', () => {
    expect(readWholeOptions({})).toEqual(WHOLE_DEFAULTS);
    expect(readWholeOptions({ BENCH_WHOLE_PROBES: '1000', BENCH_WHOLE_API_RPS: '0' })).toEqual({
      probes: 1_000,
      apiPerSecond: 0,
    });
  });
  it('names every bad variable', () => {
    expect(() => readWholeOptions({ BENCH_WHOLE_PROBES: '0', BENCH_WHOLE_API_RPS: 'x' })).toThrow(
      /BENCH_WHOLE_PROBES.*BENCH_WHOLE_API_RPS/,
    );
  });
});

describe('shadowDegradedOpenings (the degraded rule before issue 13)', () => {
  const runs = (ms: readonly number[]) =>
    ms.map((totalMs, k) => ({ probeId: 'p', slotAt: k * 10_000, outcome: 'up', totalMs }));
  it('opens on one slow first run: p95 of < 20 samples is their maximum', () => {
    const o = shadowDegradedOpenings(runs([900, 40, 40, 40, 40, 40, 40, 40]), {
      windowMs: 600_000,
      thresholdMs: 300,
    });
    expect(o).toEqual([{ probeId: 'p', at: 60_000, samples: 7, slow: 1 }]);
  });
  it('opens nothing on fast runs', () => {
    expect(
      shadowDegradedOpenings(runs([40, 40, 40, 40, 40, 40, 40, 40]), { windowMs: 600_000, thresholdMs: 300 }),
    ).toEqual([]);
  });
});
