import { pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** Named leases: who may do a singleton job (e.g. `evaluator`) until when. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: ts('expires_at').notNull(),
});
