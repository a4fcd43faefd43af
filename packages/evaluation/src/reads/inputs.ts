import {
  DAY_MS,
  HOUR_MS,
  hourStartOf,
  type EpochMs,
  type RegionHealth,
  type SelfCheckPolicy,
} from '@vigil/core';
import { regionOutcomeCounts, rollupTotals, windowTotals, type Db } from '@vigil/db';
import type { LongWindows } from '../step/burn.js';
import { alertWindows, type AlertTotals } from '../step/outbox.js';

/** The region self-check over [now − windowMs, now): one aggregate over the window's results. */
export async function readRegionHealth(
  db: Db,
  now: EpochMs,
  windowMs: number,
  policy: SelfCheckPolicy,
): Promise<RegionHealth[]> {
  const counts = await regionOutcomeCounts(db, now - windowMs, now);
  return counts.map((c) => ({
    ...c,
    healthy: !(c.probes >= policy.minProbes && c.failed / c.probes >= policy.failRatio),
  }));
}

/** The 6 h and 3 d burn windows of every rollup subject, up to the end of the current hour. */
export async function readBurnWindows(db: Db, now: EpochMs): Promise<Map<string, LongWindows>> {
  const to = hourStartOf(now) + HOUR_MS;
  const [h6, d3] = await Promise.all([
    rollupTotals(db, { from: to - 6 * HOUR_MS, to }),
    rollupTotals(db, { from: to - 3 * DAY_MS, to }),
  ]);
  const out = new Map<string, LongWindows>();
  for (const [s, t] of h6) out.set(s, { '6h': { upMs: t.upMs, downMs: t.downMs } });
  for (const [s, t] of d3) out.set(s, { ...out.get(s), '3d': { upMs: t.upMs, downMs: t.downMs } });
  return out;
}

/** The stored 24 h and 30 d totals of the subjects a tick's alerts show: two queries for all of them. */
export async function readAlertTotals(
  db: Db,
  subjects: readonly string[],
  now: EpochMs,
): Promise<Map<string, AlertTotals>> {
  const out = new Map<string, AlertTotals>();
  if (subjects.length === 0) return out;
  const w = alertWindows(now);
  const [d1, d30] = await Promise.all([
    windowTotals(db, subjects, w['24h'].from, w['24h'].to, { latency: false }),
    windowTotals(db, subjects, w['30d'].from, w['30d'].to, { latency: false }),
  ]);
  for (const [s, t] of d1) out.set(s, { '24h': t.times });
  for (const [s, t] of d30) out.set(s, { ...out.get(s), '30d': t.times });
  return out;
}
