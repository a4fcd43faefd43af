import type { HourlyRollup, LatencyHistogram } from '@vigil/core';

/** The columns a rollup row shares between the hourly table and the daily running totals. */
export interface RollupColumns {
  subject: string;
  up_ms: number;
  degraded_ms: number;
  down_ms: number;
  no_data_ms: number;
  excluded_ms: number;
  rate_limited_ms: number;
  counts: HourlyRollup['counts'];
  error_classes: HourlyRollup['errorClasses'];
  latency: LatencyHistogram;
  phase_sums: HourlyRollup['phaseSums'];
}

/** A row read back (bigints and epoch floats arrive as strings from some drivers). */
export function rollupFromColumns(r: RollupColumns, startMs: number | string): HourlyRollup {
  return {
    probeId: r.subject,
    hourStart: Math.round(Number(startMs)),
    upMs: Number(r.up_ms),
    degradedMs: Number(r.degraded_ms),
    downMs: Number(r.down_ms),
    noDataMs: Number(r.no_data_ms),
    excludedMs: Number(r.excluded_ms),
    rateLimitedMs: Number(r.rate_limited_ms),
    counts: r.counts,
    errorClasses: r.error_classes,
    latency: Object.fromEntries(Object.entries(r.latency).map(([b, n]) => [Number(b), n])),
    phaseSums: r.phase_sums,
  };
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
