import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * One row per scheduled report and period (`weekly`, `2026-W47`): claimed before the report is built,
 * marked sent after delivery. The primary key makes a second evaluator's claim of the same period fail.
 */
export const reportRuns = pgTable(
  'report_runs',
  {
    report: text('report').notNull(),
    periodKey: text('period_key').notNull(),
    status: text('status').$type<'claimed' | 'sent'>().notNull(),
    claimedBy: text('claimed_by').notNull(),
    /** another holder may take a `claimed` row over once this has passed (the claimer died) */
    leaseUntil: ts('lease_until').notNull(),
    attempts: integer('attempts').notNull(),
    claimedAt: ts('claimed_at').notNull(),
    sentAt: ts('sent_at'),
    /** `smtp` or `files` */
    delivery: text('delivery'),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ name: 'report_runs_pkey', columns: [t.report, t.periodKey] }),
    index('report_runs_sent_at').on(t.sentAt),
  ],
);
