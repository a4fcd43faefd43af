import { sql, type SQL } from 'drizzle-orm';
import {
  DAY_MS,
  HOUR_MS,
  type EpochMs,
  type HourlyRollup,
  type LatencyHistogram,
  type VerdictTimes,
} from '@vigil/core';
import type { Db } from '../client.js';
import { rollupFromColumns, rollupToColumns, type RollupColumns } from './rollup-columns.js';
import { rollupsHourly } from '../schema/index.js';
import { affectedRows, chunks, rowsOf } from '../sql.js';

export interface RollupQuery {
  /** probe ids, `provider:<name>`, `service:<name>`; every subject when absent */
  subjects?: readonly string[];
  from: EpochMs;
  to: EpochMs;
}

/** The stored rollups of these (subject, hour) keys; `probeId` holds the subject. */
export async function getRollups(
  db: Db,
  keys: readonly { subject: string; hourStart: EpochMs }[],
): Promise<HourlyRollup[]> {
  const out: HourlyRollup[] = [];
  for (const part of chunks(keys, 5000)) {
    const json = JSON.stringify(
      part.map((k) => ({ subject: k.subject, hour_start: new Date(k.hourStart).toISOString() })),
    );
    const rows = await rowsOf<RawRollup>(
      db,
      sql`select ${SELECT_COLUMNS} from jsonb_to_recordset(${json}::jsonb) as k(subject text, hour_start timestamptz)
          join ${rollupsHourly} r on r.subject = k.subject and r.hour_start = k.hour_start`,
    );
    out.push(...rows.map(fromRaw));
  }
  return out;
}

/** Writes whole rows (insert or replace): the caller merged them, so writing twice changes nothing. */
export async function upsertRollups(db: Db, rollups: readonly HourlyRollup[]): Promise<void> {
  for (const part of chunks(rollups, 2000)) {
    const json = JSON.stringify(part.map(toRecord));
    await db.execute(
      sql`insert into ${rollupsHourly} (subject, hour_start, up_ms, degraded_ms, down_ms, no_data_ms, excluded_ms,
            rate_limited_ms, counts, error_classes, latency, phase_sums)
          select subject, hour_start, up_ms, degraded_ms, down_ms, no_data_ms, excluded_ms, rate_limited_ms,
            counts, error_classes, latency, phase_sums
          from jsonb_to_recordset(${json}::jsonb) as r(subject text, hour_start timestamptz, up_ms float8,
            degraded_ms float8, down_ms float8, no_data_ms float8, excluded_ms float8, rate_limited_ms float8,
            counts jsonb, error_classes jsonb, latency jsonb, phase_sums jsonb)
          on conflict (subject, hour_start) do update set up_ms = excluded.up_ms,
            degraded_ms = excluded.degraded_ms, down_ms = excluded.down_ms, no_data_ms = excluded.no_data_ms,
            excluded_ms = excluded.excluded_ms, rate_limited_ms = excluded.rate_limited_ms,
            counts = excluded.counts, error_classes = excluded.error_classes, latency = excluded.latency,
            phase_sums = excluded.phase_sums`,
    );
  }
}

/** Rollups of the hours overlapping [from, to), ordered by subject and hour. */
export async function queryRollups(db: Db, q: RollupQuery): Promise<HourlyRollup[]> {
  const rows = await rowsOf<RawRollup>(
    db,
    sql`select ${SELECT_COLUMNS} from ${rollupsHourly} r where ${where(q)} order by r.subject, r.hour_start`,
  );
  return rows.map(fromRaw);
}

/**
 * Per subject, the time in each verdict inside [from, to), summed by Postgres; an hour only partly
 * inside counts pro rata (as core's availabilityFromRollups does).
 */
export async function rollupTotals(db: Db, q: RollupQuery): Promise<Map<string, VerdictTimes>> {
  const share = sql`greatest(0, least(extract(epoch from r.hour_start) * 1000 + ${HOUR_MS}, ${q.to}::float8)
    - greatest(extract(epoch from r.hour_start) * 1000, ${q.from}::float8)) / ${HOUR_MS}::float8`;
  const rows = await rowsOf<Record<string, string | number>>(
    db,
    sql`select r.subject, sum(r.up_ms * s.f) as up, sum(r.degraded_ms * s.f) as degraded,
          sum(r.down_ms * s.f) as down, sum(r.no_data_ms * s.f) as no_data,
          sum(r.excluded_ms * s.f) as excluded, sum(r.rate_limited_ms * s.f) as rate_limited
        from ${rollupsHourly} r cross join lateral (select ${share} as f) s
        where ${where(q)} group by r.subject`,
  );
  return new Map(
    rows.map((r) => [
      String(r.subject),
      {
        upMs: Number(r.up),
        degradedMs: Number(r.degraded),
        downMs: Number(r.down),
        noDataMs: Number(r.no_data),
        excludedMs: Number(r.excluded),
        rateLimitedMs: Number(r.rate_limited),
      },
    ]),
  );
}

/** Per subject, the merged latency histogram of the hours starting in [hour of from, to). */
export async function rollupLatency(db: Db, q: RollupQuery): Promise<Map<string, LatencyHistogram>> {
  const rows = await rowsOf<{ subject: string; b: string; n: number | string }>(
    db,
    sql`select r.subject, h.key as b, sum(h.value::float8) as n
        from ${rollupsHourly} r cross join lateral jsonb_each_text(r.latency) h
        where ${where(q)} group by r.subject, h.key`,
  );
  const out = new Map<string, LatencyHistogram>();
  for (const r of rows) {
    const h = out.get(r.subject) ?? {};
    h[Number(r.b)] = Number(r.n);
    out.set(r.subject, h);
  }
  return out;
}

/** Deletes rollups whose hour ended more than `retentionDays` before `now`; returns how many. */
export async function deleteExpiredRollups(db: Db, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS - HOUR_MS);
  return affectedRows(
    await db.execute(
      sql`delete from ${rollupsHourly} where hour_start < ${cutoff.toISOString()}::timestamptz`,
    ),
  );
}

const SELECT_COLUMNS = sql.raw(
  `r.subject, (extract(epoch from r.hour_start) * 1000)::float8 as hour_ms, r.up_ms, r.degraded_ms, r.down_ms,
   r.no_data_ms, r.excluded_ms, r.rate_limited_ms, r.counts, r.error_classes, r.latency, r.phase_sums`,
);

function where(q: RollupQuery): SQL {
  const from = new Date(Math.floor(q.from / HOUR_MS) * HOUR_MS).toISOString();
  const to = new Date(q.to).toISOString();
  const range = sql`r.hour_start >= ${from}::timestamptz and r.hour_start < ${to}::timestamptz`;
  if (q.subjects === undefined) return range;
  return sql`${range} and r.subject = any(array(select jsonb_array_elements_text(${JSON.stringify(q.subjects)}::jsonb)))`;
}

interface RawRollup extends RollupColumns {
  hour_ms: number | string;
}

const fromRaw = (r: RawRollup): HourlyRollup => rollupFromColumns(r, r.hour_ms);
const toRecord = (r: HourlyRollup) => rollupToColumns(r, 'hour_start');
