import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Notifications waiting to be sent, written in the same transaction as the incident change. The unique
 * (incident, event, channel) key makes a second evaluator's insert of the same event a no-op.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull(),
    /** e.g. `opened@1741096920000`: one notification per incident event */
    eventKey: text('event_key').notNull(),
    channel: text('channel').notNull(),
    /** the rendered-from AlertEvent: never a secret (channels hold `${env:…}` references only) */
    payload: jsonb('payload').$type<unknown>().notNull(),
    status: text('status').$type<'pending' | 'sent' | 'dead'>().notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    leaseUntil: ts('lease_until'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [
    unique('outbox_event_channel').on(t.incidentId, t.eventKey, t.channel),
    index('outbox_pending_due')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index('outbox_pending_order')
      .on(t.incidentId, t.channel, t.createdAt)
      .where(sql`status = 'pending'`),
  ],
);
