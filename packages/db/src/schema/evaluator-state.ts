import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/**
 * The evaluator's memory between ticks, one row per subject (`probe:<id>`, `provider:<name>`,
 * `service:<name>`, `monitor`): cursor, recent slots and incident tracks as the evaluator shapes them.
 */
export const evaluatorState = pgTable('evaluator_state', {
  subject: text('subject').primaryKey(),
  state: jsonb('state').$type<unknown>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});
