import { sql } from 'drizzle-orm';
import {
  addVerdictTimes,
  cleanRollup,
  DAY_MS,
  emptyRollup,
  emptyVerdictTimes,
  histMergeInPlace,
  mergeRollups,
  subtractRollups,
  type EpochMs,
  type HourlyRollup,
  type LatencyHistogram,
  type VerdictTimes,
} from '@vigil/core';
import type { Db } from '../client.js';
import { rollupFromColumns, rollupToColumns, type RollupColumns } from './rollup-columns.js';
import { rollupsCumulative } from '../schema/index.js';
import { affectedRows, chunks, independentReads, rowsOf } from '../sql.js';
import { rollupLatency, rollupTotals } from './rollups.js';

export const dayStartOf = (at: EpochMs): EpochMs => Math.floor(at / DAY_MS) * DAY_MS;

/**
 * Adds hourly rollup deltas (what a tick folded in, or a recomputed row minus the stored one) to the
 * running totals of their subjects: the row of each delta's day and of every later stored day.
 */
export async function addToCumulative(db: Db, deltas: readonly HourlyRollup[]): Promise<void> {
  const bySubject = new Map<string, Map<EpochMs, HourlyRollup[]>>();
  for (const d of deltas) {
    const days = bySubject.get(d.probeId) ?? new Map<EpochMs, HourlyRollup[]>();
    const day = dayStartOf(d.hourStart);
    days.set(day, [...(days.get(day) ?? []), d]);
    bySubject.set(d.probeId, days);
  }
  const keys = [...bySubject].map(([subject, days]) => ({ subject, dmin: Math.min(...days.keys()) }));
  const out: HourlyRollup[] = [];
  for (const part of chunks(keys, 2000)) {
    const json = JSON.stringify(
      part.map((k) => ({ subject: k.subject, dmin: new Date(k.dmin).toISOString() })),
    );
    const rows = await rowsOf<RawRow>(
      db,
      sql`select c.* from jsonb_to_recordset(${json}::jsonb) as q(subject text, dmin timestamptz)
          cross join lateral (
            (select ${COLUMNS} from ${rollupsCumulative} r where r.subject = q.subject and r.day < q.dmin
              order by r.day desc limit 1)
            union all
            (select ${COLUMNS} from ${rollupsCumulative} r where r.subject = q.subject and r.day >= q.dmin)
          ) c`,
    );
    const stored = new Map<string, HourlyRollup[]>();
    for (const r of rows.map(fromRaw)) stored.set(r.probeId, [...(stored.get(r.probeId) ?? []), r]);
    for (const { subject, dmin } of part) {
      const existing = (stored.get(subject) ?? []).sort((a, b) => a.hourStart - b.hourStart);
      const base = existing.filter((r) => r.hourStart < dmin).pop() ?? emptyRollup(subject, dmin);
      const byDay = new Map(existing.filter((r) => r.hourStart >= dmin).map((r) => [r.hourStart, r]));
      const deltaDays = bySubject.get(subject)!;
      const days = [...new Set([...byDay.keys(), ...deltaDays.keys()])].sort((a, b) => a - b);
      let old = base;
      let added: HourlyRollup | null = null;
      for (const day of days) {
        old = byDay.get(day) ?? old;
        const d = deltaDays.get(day);
        if (d) added = mergeRollups(added ? [added, ...d] : d);
        out.push(
          cleanRollup({
            ...mergeRollups([old, ...(added ? [added] : [])])!,
            probeId: subject,
            hourStart: day,
          }),
        );
      }
    }
  }
  await upsert(db, out);
}

async function upsert(db: Db, rows: readonly HourlyRollup[]): Promise<void> {
  for (const part of chunks(rows, 2000)) {
    const json = JSON.stringify(part.map(toRecord));
    await db.execute(
      sql`insert into ${rollupsCumulative} (subject, day, up_ms, degraded_ms, down_ms, no_data_ms, excluded_ms,
            rate_limited_ms, counts, error_classes, latency, phase_sums)
          select * from jsonb_to_recordset(${json}::jsonb) as r(subject text, day timestamptz, up_ms float8,
            degraded_ms float8, down_ms float8, no_data_ms float8, excluded_ms float8, rate_limited_ms float8,
            counts jsonb, error_classes jsonb, latency jsonb, phase_sums jsonb)
          on conflict (subject, day) do update set up_ms = excluded.up_ms, degraded_ms = excluded.degraded_ms,
            down_ms = excluded.down_ms, no_data_ms = excluded.no_data_ms, excluded_ms = excluded.excluded_ms,
            rate_limited_ms = excluded.rate_limited_ms, counts = excluded.counts,
            error_classes = excluded.error_classes, latency = excluded.latency, phase_sums = excluded.phase_sums`,
    );
  }
}

export interface WindowTotalsOptions {
  /**
   * false: only the time per verdict (`latency` stays empty), reading none of the jsonb columns — what
   * an availability figure needs; @defaultValue true
   */
  latency?: boolean;
}

/** Time per verdict and merged latency of one subject over a window. */
export interface WindowTotals {
  times: VerdictTimes;
  latency: LatencyHistogram;
}

/** From this many whole days on, latency counts the edge days whole (see windowTotals). */
export const WHOLE_DAY_LATENCY_FROM_DAYS = 7;

/**
 * Per subject, totals over [from, to): whole UTC days as the difference of two running totals, the
 * edges from hourly rollups (a partial hour pro rata). Latency of a window of a week or more counts
 * its two edge days whole, so a quarter for 1,000 probes reads four rows per probe plus the edge
 * hours' sums; shorter windows merge the edge hours' histograms exactly.
 */
export async function windowTotals(
  db: Db,
  subjects: readonly string[],
  from: EpochMs,
  to: EpochMs,
  opts: WindowTotalsOptions = {},
): Promise<Map<string, WindowTotals>> {
  const withLatency = opts.latency ?? true;
  const out = new Map<string, WindowTotals>();
  if (subjects.length === 0 || to <= from) return out;
  const fullFrom = dayStartOf(from) === from ? from : dayStartOf(from) + DAY_MS;
  const fullTo = dayStartOf(to);
  const hasDays = fullTo > fullFrom;
  const edges: [EpochMs, EpochMs][] = hasDays
    ? [
        [from, fullFrom],
        [fullTo, to],
      ]
    : [[from, to]];
  const wholeDayLatency = withLatency && hasDays && fullTo - fullFrom >= WHOLE_DAY_LATENCY_FROM_DAYS * DAY_MS;
  const entry = (subject: string): WindowTotals => {
    let t = out.get(subject);
    if (!t) out.set(subject, (t = { times: emptyVerdictTimes(), latency: {} }));
    return t;
  };
  const addTimes = (subject: string, times: VerdictTimes) => addVerdictTimes(entry(subject).times, times);
  const addLatency = (subject: string, latency: LatencyHistogram) =>
    histMergeInPlace(entry(subject).latency, latency);
  const end = dayStartOf(to) === to ? to : dayStartOf(to) + DAY_MS;
  const [days, latencyDays, ...edgeReads] = await independentReads(db, [
    async () =>
      hasDays
        ? cumulativeSpans(db, subjects, fullFrom, fullTo, withLatency && !wholeDayLatency ? 'all' : 'times')
        : null,
    async () => (wholeDayLatency ? cumulativeSpans(db, subjects, dayStartOf(from), end) : null),
    ...edges
      .filter(([a, b]) => b > a)
      .map(([a, b]) => async () => {
        const q = { subjects, from: a, to: b };
        const latency = withLatency && !wholeDayLatency ? await rollupLatency(db, q) : null;
        return [await rollupTotals(db, q), latency] as const;
      }),
  ]);
  for (const [subject, span] of days ?? []) {
    addTimes(subject, span);
    if (withLatency && !wholeDayLatency) addLatency(subject, span.latency);
  }
  for (const [subject, span] of latencyDays ?? []) addLatency(subject, span.latency);
  for (const [times, latency] of edgeReads) {
    for (const [s, t] of times) addTimes(s, t);
    for (const [s, h] of latency ?? []) addLatency(s, h);
  }
  return out;
}

/** Replaces running-total rows as given (for importing or seeding; the evaluator uses addToCumulative). */
export async function writeCumulative(db: Db, rows: readonly HourlyRollup[]): Promise<void> {
  await upsert(db, rows);
}

/** Per subject, everything of the whole UTC days [fromDay, toDay): running total at toDay minus at fromDay. */
export async function cumulativeSpans(
  db: Db,
  subjects: readonly string[],
  fromDay: EpochMs,
  toDay: EpochMs,
  columns: 'all' | 'times' = 'all',
): Promise<Map<string, HourlyRollup>> {
  const out = new Map<string, HourlyRollup>();
  const cols = columns === 'all' ? COLUMNS : TIME_COLUMNS;
  for (const part of chunks(subjects, 5000)) {
    const rows = await rowsOf<RawRow & { edge: 'a' | 'b' }>(
      db,
      sql`select c.* from jsonb_array_elements_text(${JSON.stringify(part)}::jsonb) as q(subject)
          cross join lateral (
            (select 'a' as edge, ${cols} from ${rollupsCumulative} r where r.subject = q.subject
              and r.day < ${new Date(toDay).toISOString()}::timestamptz order by r.day desc limit 1)
            union all
            (select 'b' as edge, ${cols} from ${rollupsCumulative} r where r.subject = q.subject
              and r.day < ${new Date(fromDay).toISOString()}::timestamptz order by r.day desc limit 1)
          ) c`,
    );
    const a = new Map<string, HourlyRollup>();
    const b = new Map<string, HourlyRollup>();
    for (const r of rows) (r.edge === 'a' ? a : b).set(r.subject, fromRaw(r));
    for (const [subject, end] of a) {
      const start = b.get(subject);
      out.set(subject, { ...(start ? subtractRollups(end, start) : end), hourStart: fromDay });
    }
  }
  return out;
}

/** Deletes running totals before the cutoff, keeping each subject's last one before it as the base. */
export async function deleteExpiredCumulative(db: Db, cutoff: Date): Promise<number> {
  const at = cutoff.toISOString();
  return affectedRows(
    await db.execute(
      sql`delete from ${rollupsCumulative} r where r.day < ${at}::timestamptz and r.day < (
            select max(x.day) from ${rollupsCumulative} x where x.subject = r.subject and x.day < ${at}::timestamptz)`,
    ),
  );
}

const COLUMNS = sql.raw(
  `r.subject, (extract(epoch from r.day) * 1000)::float8 as day_ms, r.up_ms, r.degraded_ms, r.down_ms,
   r.no_data_ms, r.excluded_ms, r.rate_limited_ms, r.counts, r.error_classes, r.latency, r.phase_sums`,
);
/** the time per verdict only: the jsonb columns (counts, classes, latency, phases) read as empty */
const TIME_COLUMNS = sql.raw(
  `r.subject, (extract(epoch from r.day) * 1000)::float8 as day_ms, r.up_ms, r.degraded_ms, r.down_ms,
   r.no_data_ms, r.excluded_ms, r.rate_limited_ms`,
);

interface RawRow extends RollupColumns {
  day_ms: number | string;
}

const fromRaw = (r: RawRow): HourlyRollup => rollupFromColumns(r, r.day_ms);
const toRecord = (r: HourlyRollup) => rollupToColumns(r, 'day');
