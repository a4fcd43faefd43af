import { doublePrecision, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ErrorClass, LatencyHistogram, PhaseSums, Verdict } from '@vigil/core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/**
 * Running totals per subject: the row of UTC day `day` holds everything from the subject's first hour
 * through the end of that day. Any span of whole days is the difference of two rows, so a quarter for
 * 1,000 probes reads 2,000 rows, not 2 million hourly ones.
 */
export const rollupsCumulative = pgTable(
  'rollups_cumulative',
  {
    subject: text('subject').notNull(),
    day: ts('day').notNull(),
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
  },
  (t) => [primaryKey({ name: 'rollups_cumulative_pkey', columns: [t.subject, t.day] })],
);
