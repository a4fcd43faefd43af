import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** One row per incident of a probe, provider, service or monitor region; at most one open per track. */
export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    scope: text('scope').$type<'probe' | 'provider' | 'service' | 'monitor'>().notNull(),
    /** probe id, provider, service or region */
    key: text('key').notNull(),
    kind: text('kind').$type<'down' | 'degraded' | 'slo_burn' | 'monitor'>().notNull(),
    severity: text('severity').$type<'page' | 'ticket' | 'info'>().notNull(),
    title: text('title').notNull(),
    provider: text('provider'),
    service: text('service'),
    probeId: text('probe_id'),
    openedAt: ts('opened_at').notNull(),
    resolvedAt: ts('resolved_at'),
    /** the incident this one is grouped under (a probe under its provider, a provider under its service) */
    parentId: text('parent_id'),
    /** recorded, never notified (grouped, or opened inside another incident) */
    silent: boolean('silent').notNull(),
    flapping: boolean('flapping').notNull(),
    detail: jsonb('detail').$type<Record<string, string | number>>().notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** someone on call took it (API / dashboard): no more reminders, later alerts name them */
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgeNote: text('acknowledge_note'),
  },
  (t) => [
    uniqueIndex('incidents_open_track')
      .on(t.scope, t.key, t.kind)
      .where(sql`resolved_at is null`),
    index('incidents_opened_at').on(t.openedAt),
  ],
);
