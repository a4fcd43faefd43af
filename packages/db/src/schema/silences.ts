import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** `vigil silence <target> --for 2h`: notifications about the target are held back until `ends_at`. */
export const silences = pgTable(
  'silences',
  {
    id: text('id').primaryKey(),
    /** an incident id, probe id, provider, service or region */
    target: text('target').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reason: text('reason'),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('silences_ends_at').on(t.endsAt)],
);
