import { doublePrecision, jsonb, timestamp } from 'drizzle-orm/pg-core';
import type { ErrorClass, LatencyHistogram, PhaseSums, Verdict } from '@vigil/core';

/** Every instant Vigil stores: timestamptz with millisecond precision, read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/** Core's HourlyRollup measures as columns, shared by the hourly rollups and the daily running totals. */
export const rollupMeasures = () => ({
  upMs: doublePrecision('up_ms').notNull(),
  degradedMs: doublePrecision('degraded_ms').notNull(),
  downMs: doublePrecision('down_ms').notNull(),
  noDataMs: doublePrecision('no_data_ms').notNull(),
  excludedMs: doublePrecision('excluded_ms').notNull(),
  rateLimitedMs: doublePrecision('rate_limited_ms').notNull(),
  counts: jsonb('counts').$type<Record<Verdict, number>>().notNull(),
  errorClasses: jsonb('error_classes').$type<Partial<Record<ErrorClass, number>>>().notNull(),
  latency: jsonb('latency').$type<LatencyHistogram>().notNull(),
  phaseSums: jsonb('phase_sums').$type<PhaseSums>().notNull(),
});
