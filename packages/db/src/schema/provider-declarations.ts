import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** One update a provider posted on an incident or maintenance (newest first in `updates`). */
export interface DeclarationUpdate {
  at: string;
  status: string;
  /** capped to 1,000 characters */
  body: string;
}

/**
 * What a provider declares on its own status page: an incident (with its impact and updates) or a
 * scheduled maintenance. The provider's word, stored beside our measurements and never counted as our
 * availability. `first_seen_at` / `ended_seen_at` are when the poller saw it start and end.
 */
export const providerDeclarations = pgTable(
  'provider_declarations',
  {
    /** the provider's slug in vigil.yaml (`providers.<name>`) */
    provider: text('provider').notNull(),
    kind: text('kind').$type<'incident' | 'maintenance'>().notNull(),
    /** the status page's id of the incident or maintenance */
    externalId: text('external_id').notNull(),
    title: text('title').notNull(),
    /** `none`, `minor`, `major`, `critical` or `maintenance` (Statuspage's words) */
    impact: text('impact').notNull(),
    /** the provider's latest status word: investigating, identified, monitoring, resolved, scheduled, in_progress, completed… */
    status: text('status').notNull(),
    /** names of the components it affects, as the page names them */
    components: jsonb('components').$type<string[]>().notNull(),
    url: text('url'),
    /** the incident's start (or the maintenance's scheduled start) as the provider states it */
    startedAt: ts('started_at').notNull(),
    /** a maintenance's scheduled end */
    scheduledUntil: ts('scheduled_until'),
    /** when the provider says it ended (resolved / completed), if it says */
    resolvedAt: ts('resolved_at'),
    lastUpdateAt: ts('last_update_at'),
    updates: jsonb('updates').$type<DeclarationUpdate[]>().notNull(),
    firstSeenAt: ts('first_seen_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    /** when the poller saw it end (resolved, completed, or gone from the page); null while it stands */
    endedSeenAt: ts('ended_seen_at'),
  },
  (t) => [
    primaryKey({ name: 'provider_declarations_pkey', columns: [t.provider, t.kind, t.externalId] }),
    index('provider_declarations_open')
      .on(t.provider)
      .where(sql`ended_seen_at is null`),
    index('provider_declarations_started').on(t.startedAt),
  ],
);
