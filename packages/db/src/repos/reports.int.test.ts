import { describe, expect } from 'vitest';
import { HOUR_MS, mergeRollups, parsePeriodKey, rollupHour, type HourlyRollup } from '@vigil/core';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import {
  claimReportRun,
  dailyRollups,
  failReportRun,
  getReportRuns,
  markReportSent,
  reportRollups,
} from './reports.js';
import { upsertRollups } from './rollups.js';

const T0 = new Date('2026-11-23T07:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const claim = (holder: string, now = T0, leaseMs = 60_000) =>
  ({ report: 'weekly', periodKey: '2026-W47', holder, now, leaseMs }) as const;

function hour(subject: string, start: number, i: number): HourlyRollup {
  const down = i % 5 === 0 ? 10 : 0;
  return rollupHour(subject, start, [
    { at: start, durationMs: (60 - down) * 60_000, verdict: 'up', latencyMs: 50 + (i % 7) * 30 },
    ...(down > 0
      ? [
          {
            at: start + (60 - down) * 60_000,
            durationMs: down * 60_000,
            verdict: 'down' as const,
            errorClass: 'timeout' as const,
          },
        ]
      : []),
  ]);
}

describe.each(DRIVERS)('report runs and report reads on %s', (kind) => {
  onDriver(kind, ['report_runs', 'rollups_hourly']);

  it('lets only one of two concurrent claimers have a period', async ({ t }) => {
    const won = await Promise.all([claimReportRun(t.h.db, claim('a')), claimReportRun(t.h.db, claim('b'))]);
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('never lets a sent period be claimed again, even after its lease', async ({ t }) => {
    expect(await claimReportRun(t.h.db, claim('a'))).toBe(true);
    expect(await markReportSent(t.h.db, { ...claim('a'), delivery: 'smtp' })).toBe(true);
    expect(await claimReportRun(t.h.db, claim('b', at(86_400_000)))).toBe(false);
    expect(await claimReportRun(t.h.db, claim('a', at(86_400_000)))).toBe(false);
    const [run] = await getReportRuns(t.h.db, [{ report: 'weekly', periodKey: '2026-W47' }]);
    expect(run).toMatchObject({ status: 'sent', claimedBy: 'a', delivery: 'smtp', attempts: 1 });
  });

  it('hands an unsent claim over once its lease ran out, and then refuses the old holder', async ({ t }) => {
    expect(await claimReportRun(t.h.db, claim('a'))).toBe(true);
    expect(await claimReportRun(t.h.db, claim('b', at(59_999)))).toBe(false);
    expect(await claimReportRun(t.h.db, claim('b', at(60_000)))).toBe(true);
    expect(await markReportSent(t.h.db, { ...claim('a'), delivery: 'smtp' })).toBe(false);
    expect(await markReportSent(t.h.db, { ...claim('b'), delivery: 'files' })).toBe(true);
  });

  it('frees a failed claim at once and keeps the error for the retry', async ({ t }) => {
    await claimReportRun(t.h.db, claim('a'));
    await failReportRun(t.h.db, { ...claim('a', at(1_000)), error: 'connect ECONNREFUSED' });
    expect(await claimReportRun(t.h.db, claim('b', at(1_000)))).toBe(true);
    const [run] = await getReportRuns(t.h.db, [{ report: 'weekly', periodKey: '2026-W47' }]);
    expect(run).toMatchObject({ status: 'claimed', claimedBy: 'b', attempts: 2 });
    expect(run!.lastError).toBe('connect ECONNREFUSED');
  });

  it('reads hourly rollups whole, without latency, or as times only', async ({ t }) => {
    const start = Date.parse('2026-11-16T00:00:00Z');
    const rows = Array.from({ length: 6 }, (_, i) => hour('p1', start + i * HOUR_MS, i));
    await upsertRollups(t.h.db, [...rows, hour('p2', start, 0)]);
    const q = { subjects: ['p1'], from: start + HOUR_MS, to: start + 4 * HOUR_MS };
    expect(await reportRollups(t.h.db, { ...q, detail: 'full' })).toEqual(rows.slice(1, 4));
    const counts = await reportRollups(t.h.db, { ...q, detail: 'counts' });
    expect(counts.map((r) => r.latency)).toEqual([{}, {}, {}]);
    expect(counts.map((r) => r.counts)).toEqual(rows.slice(1, 4).map((r) => r.counts));
    const times = await reportRollups(t.h.db, { ...q, detail: 'times' });
    expect(times.map((r) => [r.upMs, r.downMs, r.counts.up])).toEqual(
      rows.slice(1, 4).map((r) => [r.upMs, r.downMs, 0]),
    );
  });

  it.for<[string, string]>([
    ['Europe/Berlin', '2026-W44'],
    ['UTC', '2026-W47'],
    ['Asia/Kolkata', '2026-W47'],
  ])('merges hours per local day in %s like core mergeRollups (%s)', async ([tz, key], { t }) => {
    const week = parsePeriodKey(key, tz);
    const rows: HourlyRollup[] = [];
    for (let h = week.from - (week.from % HOUR_MS), i = 0; h < week.to; h += HOUR_MS, i++)
      rows.push(hour('p1', h, i));
    await upsertRollups(t.h.db, rows);
    const daily = await dailyRollups(t.h.db, { subjects: ['p1'], from: week.from, to: week.to, tz });
    expect(daily).toHaveLength(7);
    const dayStarts = daily.map((d) => d.hourStart);
    const expected = dayStarts.map((from, i) => {
      const to = dayStarts[i + 1] ?? week.to;
      return mergeRollups(rows.filter((r) => r.hourStart >= from && r.hourStart < to))!;
    });
    expect(dayStarts[0]).toBe(week.from);
    for (const [i, d] of daily.entries()) {
      const e = expected[i]!;
      expect({ ...d, hourStart: 0 }).toEqual({ ...e, hourStart: 0 });
    }
  });
});
