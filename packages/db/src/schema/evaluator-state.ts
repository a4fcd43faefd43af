import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * The evaluator's memory between ticks, one row per subject (`probe:<id>`, `provider:<name>`,
 * `service:<name>`, `monitor`): cursor, recent slots and incident tracks as the evaluator shapes them.
 */
export const evaluatorState = pgTable('evaluator_state', {
  subject: text('subject').primaryKey(),
  state: jsonb('state').$type<unknown>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});
