import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { HOUR_MS, type EpochMs, type HourlyRollup } from '@vigil/core';
import type { Db } from '../client.js';
import { probes, reportRuns, rollupsHourly } from '../schema/index.js';
import { rowsOf } from '../sql.js';
import { rollupFromColumns, type RollupColumns } from './rollup-columns.js';

export type ReportRun = typeof reportRuns.$inferSelect;

export interface ReportClaim {
  report: string;
  periodKey: string;
  holder: string;
  now: Date;
  /** how long the claim holds before another process may take it over */
  leaseMs: number;
}

/**
 * Claims (report, period) for `holder`: true when the row is new, already `holder`'s, or an unsent claim
 * whose lease ran out. A sent row is never claimed again, so each period is delivered once.
 */
export async function claimReportRun(db: Db, c: ReportClaim): Promise<boolean> {
  const leaseUntil = new Date(c.now.getTime() + c.leaseMs);
  const rows = await db
    .insert(reportRuns)
    .values({
      report: c.report,
      periodKey: c.periodKey,
      status: 'claimed',
      claimedBy: c.holder,
      leaseUntil,
      attempts: 1,
      claimedAt: c.now,
    })
    .onConflictDoUpdate({
      target: [reportRuns.report, reportRuns.periodKey],
      set: {
        claimedBy: c.holder,
        leaseUntil,
        claimedAt: c.now,
        attempts: sql`${reportRuns.attempts} + 1`,
      },
      where: sql`${reportRuns.status} = 'claimed' and (${reportRuns.claimedBy} = ${c.holder} or ${reportRuns.leaseUntil} <= ${c.now.toISOString()}::timestamptz)`,
    })
    .returning({ holder: reportRuns.claimedBy });
  return rows[0]?.holder === c.holder;
}

/** Marks a claimed run sent; false (nothing written) when `holder` no longer holds the claim. */
export async function markReportSent(
  db: Db,
  c: Omit<ReportClaim, 'leaseMs'> & { delivery: 'smtp' | 'files' },
): Promise<boolean> {
  const rows = await db
    .update(reportRuns)
    .set({ status: 'sent', sentAt: c.now, delivery: c.delivery, lastError: null })
    .where(
      and(
        eq(reportRuns.report, c.report),
        eq(reportRuns.periodKey, c.periodKey),
        eq(reportRuns.claimedBy, c.holder),
        eq(reportRuns.status, 'claimed'),
      ),
    )
    .returning({ report: reportRuns.report });
  return rows.length > 0;
}

/** Gives a failed claim up at once (lease ends now) with the error, so the next check retries it. */
export async function failReportRun(
  db: Db,
  c: Omit<ReportClaim, 'leaseMs'> & { error: string },
): Promise<void> {
  await db
    .update(reportRuns)
    .set({ leaseUntil: c.now, lastError: c.error.slice(0, 2000) })
    .where(
      and(
        eq(reportRuns.report, c.report),
        eq(reportRuns.periodKey, c.periodKey),
        eq(reportRuns.claimedBy, c.holder),
        eq(reportRuns.status, 'claimed'),
      ),
    );
}

/** The runs of these (report, period) keys, sent or not. */
export async function getReportRuns(
  db: Db,
  keys: readonly { report: string; periodKey: string }[],
): Promise<ReportRun[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .select()
    .from(reportRuns)
    .where(
      inArray(
        sql`(${reportRuns.report} || '/' || ${reportRuns.periodKey})`,
        keys.map((k) => `${k.report}/${k.periodKey}`),
      ),
    );
  return rows;
}

/** When the first probe was stored (retired ones included): nothing was monitored before. */
export async function firstProbeCreatedAt(db: Db): Promise<Date | null> {
  const rows = await db.select({ first: sql<string | Date | null>`min(${probes.createdAt})` }).from(probes);
  const first = rows[0]?.first;
  return first == null ? null : new Date(first);
}

export interface ReportRollupQuery {
  subjects: readonly string[];
  from: EpochMs;
  to: EpochMs;
  /**
   * `times`: verdict times only (counts, error classes, phases, latency empty); `counts`: all but the
   * latency histogram; `full`: everything. Less is much cheaper to read for a long window.
   */
  detail: 'times' | 'counts' | 'full';
}

/** Hourly rollups of the subjects in [hour of from, to), ordered by subject and hour. */
export async function reportRollups(db: Db, q: ReportRollupQuery): Promise<HourlyRollup[]> {
  if (q.subjects.length === 0) return [];
  const extra =
    q.detail === 'times'
      ? sql``
      : q.detail === 'counts'
        ? sql`, r.counts, r.error_classes, r.phase_sums`
        : sql`, r.counts, r.error_classes, r.phase_sums, r.latency`;
  const rows = await rowsOf<RawReportRollup>(
    db,
    sql`select r.subject, (extract(epoch from r.hour_start) * 1000)::float8 as at_ms, r.up_ms, r.degraded_ms,
          r.down_ms, r.no_data_ms, r.excluded_ms, r.rate_limited_ms ${extra}
        from ${rollupsHourly} r where ${hours(q)} order by r.subject, r.hour_start`,
  );
  return rows.map(fromRaw);
}

/**
 * The hourly rollups starting in [from, to) merged per calendar day in `tz`, summed by Postgres (histograms
 * included): one row per subject and local day, `hourStart` = the day's start. Ordered by subject, day.
 */
export async function dailyRollups(
  db: Db,
  q: Omit<ReportRollupQuery, 'detail'> & { tz: string },
): Promise<HourlyRollup[]> {
  if (q.subjects.length === 0) return [];
  const day = sql`date_trunc('day', r.hour_start at time zone ${q.tz}) at time zone ${q.tz}`;
  const rows = await rowsOf<RawReportRollup>(
    db,
    sql`with h as (select r.*, ${day} as day from ${rollupsHourly} r where ${hours(q, true)}),
        t as (select subject, day, sum(up_ms) as up_ms, sum(degraded_ms) as degraded_ms,
                sum(down_ms) as down_ms, sum(no_data_ms) as no_data_ms, sum(excluded_ms) as excluded_ms,
                sum(rate_limited_ms) as rate_limited_ms from h group by subject, day),
        e as (select h.subject, h.day, x.col, x.key, sum(x.value::float8) as n from h cross join lateral (
                select 'c' as col, key, value from jsonb_each_text(h.counts)
                union all select 'e', key, value from jsonb_each_text(h.error_classes)
                union all select 'p', key, value from jsonb_each_text(h.phase_sums)
                union all select 'l', key, value from jsonb_each_text(h.latency)) x
              group by h.subject, h.day, x.col, x.key),
        j as (select subject, day,
                coalesce(jsonb_object_agg(key, n) filter (where col = 'c'), '{}') as counts,
                coalesce(jsonb_object_agg(key, n) filter (where col = 'e'), '{}') as error_classes,
                coalesce(jsonb_object_agg(key, n) filter (where col = 'p'), '{}') as phase_sums,
                coalesce(jsonb_object_agg(key, n) filter (where col = 'l'), '{}') as latency
              from e group by subject, day)
        select t.*, (extract(epoch from t.day) * 1000)::float8 as at_ms, j.counts, j.error_classes,
          j.phase_sums, j.latency
        from t left join j on j.subject = t.subject and j.day = t.day order by t.subject, t.day`,
  );
  return rows.map(fromRaw);
}

/** Hours overlapping [from, to); with `starting`, only hours that start inside it (whose calls it owns). */
function hours(q: { subjects: readonly string[]; from: EpochMs; to: EpochMs }, starting = false): SQL {
  const from = new Date(starting ? q.from : Math.floor(q.from / HOUR_MS) * HOUR_MS).toISOString();
  const to = new Date(q.to).toISOString();
  return sql`r.hour_start >= ${from}::timestamptz and r.hour_start < ${to}::timestamptz
    and r.subject = any(array(select jsonb_array_elements_text(${JSON.stringify(q.subjects)}::jsonb)))`;
}

interface RawReportRollup extends RollupColumns {
  at_ms: number | string;
}

const fromRaw = (r: RawReportRollup): HourlyRollup => rollupFromColumns(r, r.at_ms);
