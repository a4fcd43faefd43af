import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { rollupMeasures, ts } from './columns.js';

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
    ...rollupMeasures(),
  },
  (t) => [primaryKey({ name: 'rollups_cumulative_pkey', columns: [t.subject, t.day] })],
);
