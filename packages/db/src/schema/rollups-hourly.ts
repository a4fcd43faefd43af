import { doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ErrorClass, LatencyHistogram, PhaseSums, Verdict } from '@vigil/core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/**
 * One row per subject and UTC hour: a probe id, `provider:<name>` or `service:<name>`. Core's
 * HourlyRollup as columns; reports and status read these, never raw results.
 */
export const rollupsHourly = pgTable(
  'rollups_hourly',
  {
    subject: text('subject').notNull(),
    hourStart: ts('hour_start').notNull(),
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
  (t) => [
    primaryKey({ name: 'rollups_hourly_pkey', columns: [t.subject, t.hourStart] }),
    index('rollups_hourly_hour_start').on(t.hourStart),
  ],
);
