import { describe, expect } from 'vitest';
import { HOUR_MS, rollupHour, type HourlyRollup } from '@vigil/core';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import { dailyTimes } from './history.js';
import { addToCumulative } from './rollups-cumulative.js';
import { upsertRollups } from './rollups.js';

const DAY = 86_400_000;
const D0 = Date.parse('2025-01-01T00:00:00Z');

/** One hour of `subject`: `down` of its 60 minutes down, the rest up. */
function hour(subject: string, at: number, down: number): HourlyRollup {
  return rollupHour(subject, at, [
    ...(down < 60 ? [{ at, durationMs: (60 - down) * 60_000, verdict: 'up' as const, latencyMs: 90 }] : []),
    ...(down > 0
      ? [{ at: at + (60 - down) * 60_000, durationMs: down * 60_000, verdict: 'down' as const }]
      : []),
  ]);
}

describe.each(DRIVERS)('daily times on %s', (kind) => {
  onDriver(kind, ['rollups_hourly', 'rollups_cumulative']);

  it('gives each UTC day with data its own times, days before the window only as the base', async ({ t }) => {
    const rows = [
      hour('a', D0, 0),
      hour('a', D0 + DAY + 3 * HOUR_MS, 15),
      hour('a', D0 + DAY + 4 * HOUR_MS, 0),
      // no data on day 2
      hour('a', D0 + 3 * DAY, 60),
      hour('b', D0 + 3 * DAY, 6),
    ];
    await upsertRollups(t.h.db, rows);
    await addToCumulative(t.h.db, rows);
    const days = await dailyTimes(t.h.db, ['a', 'b', 'none'], D0 + DAY, D0 + 4 * DAY);
    expect(days.get('a')).toEqual([
      { day: D0 + DAY, times: expect.objectContaining({ upMs: 105 * 60_000, downMs: 15 * 60_000 }) },
      { day: D0 + 3 * DAY, times: expect.objectContaining({ upMs: 0, downMs: HOUR_MS }) },
    ]);
    expect(days.get('b')).toEqual([
      { day: D0 + 3 * DAY, times: expect.objectContaining({ upMs: 54 * 60_000, downMs: 6 * 60_000 }) },
    ]);
    expect(days.has('none')).toBe(false);
    expect((await dailyTimes(t.h.db, ['a'], D0 + 4 * DAY, D0 + 9 * DAY)).size).toBe(0);
  });
});
