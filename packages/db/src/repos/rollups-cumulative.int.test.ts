import { describe, expect } from 'vitest';
import { HOUR_MS, rollupHour, type HourlyRollup } from '@vigil/core';
import { DRIVERS, onDriver, repoTest as it, type TestDb } from '../testing/drivers.js';
import {
  addToCumulative,
  cumulativeSpans,
  deleteExpiredCumulative,
  windowTotals,
} from './rollups-cumulative.js';
import { queryRollups, rollupLatency, rollupTotals, upsertRollups } from './rollups.js';

const DAY = 86_400_000;
const D0 = Date.parse('2025-01-01T00:00:00Z');

/** One hour of `subject`: `down` of its 60 minutes down, the rest up at `latencyMs`. */
function hour(subject: string, at: number, down: number, latencyMs: number): HourlyRollup {
  return rollupHour(subject, at, [
    ...(down < 60 ? [{ at, durationMs: (60 - down) * 60_000, verdict: 'up' as const, latencyMs }] : []),
    ...(down > 0
      ? [
          {
            at: at + (60 - down) * 60_000,
            durationMs: down * 60_000,
            verdict: 'down' as const,
            errorClass: 'timeout' as const,
          },
        ]
      : []),
  ]);
}

describe.each(DRIVERS)('running totals on %s', (kind) => {
  onDriver(kind, ['rollups_hourly', 'rollups_cumulative']);

  /** Writes hours the way the evaluator does: hourly rows plus the running totals, a few at a time. */
  async function write(t: TestDb, rows: HourlyRollup[]) {
    await upsertRollups(t.h.db, rows);
    for (let i = 0; i < rows.length; i += 7) await addToCumulative(t.h.db, rows.slice(i, i + 7));
  }

  it('gives any window the same totals as summing its hourly rollups', async ({ t }) => {
    const rows: HourlyRollup[] = [];
    for (let h = 0; h < 10 * 24; h++)
      for (const s of ['a', 'b'])
        rows.push(hour(s, D0 + h * HOUR_MS, (h * 7 + (s === 'b' ? 3 : 0)) % 11, 80 + (h % 40)));
    await write(t, rows);
    for (const [from, to] of [
      [D0 + 2 * DAY, D0 + 9 * DAY],
      [D0 + 2 * DAY + 5 * HOUR_MS + 1_800_000, D0 + 8 * DAY + 13 * HOUR_MS],
      [D0 + 3 * DAY + HOUR_MS, D0 + 3 * DAY + 20 * HOUR_MS],
      [D0 - 5 * DAY, D0 + 30 * DAY],
    ] as const) {
      const w = await windowTotals(t.h.db, ['a', 'b'], from, to);
      const times = await rollupTotals(t.h.db, { subjects: ['a', 'b'], from, to });
      const latency = await rollupLatency(t.h.db, { subjects: ['a', 'b'], from, to });
      for (const s of ['a', 'b']) {
        expect(w.get(s)!.times.upMs).toBeCloseTo(times.get(s)!.upMs, 3);
        expect(w.get(s)!.times.downMs).toBeCloseTo(times.get(s)!.downMs, 3);
        expect(w.get(s)!.latency).toEqual(latency.get(s));
      }
    }
  });

  it('folds a late delta for an earlier day into every later running total', async ({ t }) => {
    await write(t, [hour('a', D0, 0, 100), hour('a', D0 + 2 * DAY, 0, 100)]);
    await write(t, [hour('a', D0 + DAY + HOUR_MS, 60, 100)]);
    const spans = await cumulativeSpans(t.h.db, ['a'], D0, D0 + 3 * DAY);
    expect(spans.get('a')).toMatchObject({ upMs: 2 * HOUR_MS, downMs: HOUR_MS, counts: { up: 2, down: 1 } });
    const later = await cumulativeSpans(t.h.db, ['a'], D0 + 2 * DAY, D0 + 3 * DAY);
    expect(later.get('a')).toMatchObject({ upMs: HOUR_MS, downMs: 0 });
  });

  it('keeps the base row when older running totals expire', async ({ t }) => {
    await write(
      t,
      [0, 1, 2, 3].map((d) => hour('a', D0 + d * DAY, 0, 100)),
    );
    expect(await deleteExpiredCumulative(t.h.db, new Date(D0 + 3 * DAY))).toBe(2);
    const spans = await cumulativeSpans(t.h.db, ['a'], D0 + 3 * DAY, D0 + 4 * DAY);
    expect(spans.get('a')).toMatchObject({ upMs: HOUR_MS, counts: { up: 1 } });
    expect(await queryRollups(t.h.db, { from: D0, to: D0 + 4 * DAY })).toHaveLength(4);
  });
});
