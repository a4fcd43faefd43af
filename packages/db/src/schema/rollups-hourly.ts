import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { rollupMeasures, ts } from './columns.js';

/**
 * One row per subject and UTC hour: a probe id, `provider:<name>` or `service:<name>`. Core's
 * HourlyRollup as columns; reports and status read these, never raw results.
 */
export const rollupsHourly = pgTable(
  'rollups_hourly',
  {
    subject: text('subject').notNull(),
    hourStart: ts('hour_start').notNull(),
    ...rollupMeasures(),
  },
  (t) => [
    primaryKey({ name: 'rollups_hourly_pkey', columns: [t.subject, t.hourStart] }),
    index('rollups_hourly_hour_start').on(t.hourStart),
  ],
);
