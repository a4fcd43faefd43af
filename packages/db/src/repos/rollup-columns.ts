import { emptyRollup, type HourlyRollup } from '@vigil/core';

/**
 * The columns a rollup row shares between the hourly table, the daily running totals and the report
 * reads. Numbers may arrive as strings (bigints, epoch floats, sums); a read that skips a jsonb column
 * (a report's `times` detail) leaves it out, and it reads as zeros.
 */
export interface RollupColumns {
  subject: string;
  up_ms: number | string;
  degraded_ms: number | string;
  down_ms: number | string;
  no_data_ms: number | string;
  excluded_ms: number | string;
  rate_limited_ms: number | string;
  counts?: Record<string, number | string> | null;
  error_classes?: Record<string, number | string> | null;
  latency?: Record<string, number | string> | null;
  phase_sums?: Record<string, number | string> | null;
}

/** A row read back as a rollup starting at `startMs`. */
export function rollupFromColumns(r: RollupColumns, startMs: number | string): HourlyRollup {
  const zero = emptyRollup(r.subject, Math.round(Number(startMs)));
  return {
    ...zero,
    upMs: Number(r.up_ms),
    degradedMs: Number(r.degraded_ms),
    downMs: Number(r.down_ms),
    noDataMs: Number(r.no_data_ms),
    excludedMs: Number(r.excluded_ms),
    rateLimitedMs: Number(r.rate_limited_ms),
    counts: { ...zero.counts, ...numbers(r.counts) },
    errorClasses: numbers(r.error_classes),
    latency: Object.fromEntries(Object.entries(r.latency ?? {}).map(([b, n]) => [Number(b), Number(n)])),
    phaseSums: { ...zero.phaseSums, ...numbers(r.phase_sums) },
  };
}

function numbers(o: Record<string, number | string> | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = Number(v);
  return out;
}

/** The row to write, keyed by the table's time column (`hour_start` or `day`). */
export function rollupToColumns(r: HourlyRollup, timeColumn: string): Record<string, unknown> {
  return {
    subject: r.probeId,
    [timeColumn]: new Date(r.hourStart).toISOString(),
    up_ms: r.upMs,
    degraded_ms: r.degradedMs,
    down_ms: r.downMs,
    no_data_ms: r.noDataMs,
    excluded_ms: r.excludedMs,
    rate_limited_ms: r.rateLimitedMs,
    counts: r.counts,
    error_classes: r.errorClasses,
    latency: r.latency,
    phase_sums: r.phaseSums,
  };
}
