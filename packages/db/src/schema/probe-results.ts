import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
} from 'drizzle-orm/pg-core';
import type {
  AssertionResult,
  ErrorClass,
  NotSentReason,
  Outcome,
  ResponseNotices,
  StepResult,
} from '@vigil/core';
import { ts } from './columns.js';

/**
 * One row per (probe, region, slot). Partitioned by day on slot_at in migration 0001 (drizzle-kit cannot
 * express partitioning); keep the constraint and index names below in step with that migration.
 */
export const probeResults = pgTable(
  'probe_results',
  {
    probeId: text('probe_id').notNull(),
    region: text('region').notNull(),
    slotAt: ts('slot_at').notNull(),
    startedAt: ts('started_at').notNull(),
    dnsMs: doublePrecision('dns_ms'),
    connectMs: doublePrecision('connect_ms'),
    tlsMs: doublePrecision('tls_ms'),
    ttfbMs: doublePrecision('ttfb_ms'),
    transferMs: doublePrecision('transfer_ms'),
    totalMs: doublePrecision('total_ms').notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    httpStatus: smallint('http_status'),
    errorClass: text('error_class').$type<ErrorClass>(),
    message: text('message'),
    assertions: jsonb('assertions').$type<AssertionResult[]>().notNull(),
    retryAfterS: integer('retry_after_s'),
    tlsDaysLeft: integer('tls_days_left'),
    /** the endpoint's Deprecation / Sunset announcement, null when it made none */
    notices: jsonb('notices').$type<ResponseNotices>(),
    /** a multi-step probe's steps (name, outcome, status, class, phases); null for other probes */
    steps: jsonb('steps').$type<StepResult[]>(),
    /** why a rate_limited slot's request was not sent (Retry-After deferral or spent budget); null when sent */
    notSent: text('not_sent').$type<NotSentReason>(),
    workerId: text('worker_id').notNull(),
  },
  (t) => [
    // slot_at second: the key doubles as the per-probe time-range index (probe_id, slot_at)
    primaryKey({ name: 'probe_results_pkey', columns: [t.probeId, t.slotAt, t.region] }),
    index('probe_results_slot_at_brin').using('brin', t.slotAt),
  ],
);
