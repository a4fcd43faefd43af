import { describe, expect, it } from 'vitest';
import { HOUR_MS, summarizeTimes, type VerdictTimes } from '@vigil/core';
import { judgeTimes } from './judge.js';

const t = (o: Partial<VerdictTimes>): VerdictTimes => ({
  upMs: 0,
  degradedMs: 0,
  downMs: 0,
  noDataMs: 0,
  excludedMs: 0,
  rateLimitedMs: 0,
  ...o,
});

describe('judgeTimes', () => {
  it("is core's summarizeTimes: availability, coverage, status and no-data time", () => {
    const day = 24 * HOUR_MS;
    const cases: [VerdictTimes, number, number][] = [
      [t({}), day, 0.98],
      [t({ upMs: day }), day, 0.98],
      [t({ upMs: 0.98 * day, downMs: 0.02 * day }), day, 0.98],
      [t({ upMs: 0.97 * day, downMs: 0.03 * day }), day, 0.98],
      [t({ upMs: 0.9 * day }), day, 0.98],
      [t({ upMs: 0.9 * day - 1 }), day, 0.98],
      [t({ upMs: 0.5 * day, excludedMs: 0.5 * day }), day, 0.99],
      [t({ rateLimitedMs: day }), day, 0.98],
      [
        t({ upMs: 0.6 * day, rateLimitedMs: 0.35 * day, downMs: 0.05 * day, degradedMs: 0.1 * day }),
        day,
        0.9,
      ],
      [t({ excludedMs: day }), day, 0.98],
      [t({ upMs: 2 * day }), day, 0.98],
      [t({ upMs: 10, downMs: 1 }), 0, 0.5],
    ];
    for (let i = 0; i < 200; i++) {
      const f = (k: number) => Math.abs(Math.sin(i * 7.3 + k)) * day * 0.6;
      cases.push([
        t({ upMs: f(1), downMs: f(2) / 10, excludedMs: f(3) / 5, rateLimitedMs: f(4) / 8 }),
        day,
        0.95 + (i % 5) / 100,
      ]);
    }
    for (const [times, total, target] of cases) {
      const a = summarizeTimes(times, total, target);
      expect(judgeTimes(times, total, target)).toEqual({
        availability: a.availability,
        coverage: a.coverage,
        status: a.status,
        noDataMs: a.noDataMs,
      });
    }
  });
});
