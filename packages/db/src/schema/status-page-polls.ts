import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** A component's declared status, as the status page last said it. */
export interface DeclaredComponent {
  name: string;
  /** operational, degraded_performance, partial_outage, major_outage or under_maintenance */
  status: string;
}

/**
 * One row per provider status page: the poll's claim (`next_poll_at`, taken by one evaluator at a time),
 * the conditional-request validators (ETag, Last-Modified) and what the page last said overall. A failed
 * poll records its error and leaves the last good declarations as they were.
 */
export const statusPagePolls = pgTable('status_page_polls', {
  provider: text('provider').primaryKey(),
  /** the URL as configured (`${env:…}` references unresolved) */
  url: text('url').notNull(),
  nextPollAt: ts('next_poll_at').notNull(),
  claimedBy: text('claimed_by'),
  etag: text('etag'),
  lastModified: text('last_modified'),
  lastPolledAt: ts('last_polled_at'),
  /** the last poll that read the page (200) or confirmed it unchanged (304) */
  lastOkAt: ts('last_ok_at'),
  lastError: text('last_error'),
  lastErrorAt: ts('last_error_at'),
  /** `none`, `minor`, `major`, `critical` or `maintenance`; null before the first good poll */
  indicator: text('indicator'),
  description: text('description'),
  components: jsonb('components').$type<DeclaredComponent[]>(),
  pageUrl: text('page_url'),
});
