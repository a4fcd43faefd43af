import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { outbox } from '../schema/index.js';
import { affectedRows, chunks, rowsOf } from '../sql.js';

export type OutboxRecord = typeof outbox.$inferSelect;

export interface NewOutboxRow<P = unknown> {
  /** sortable by creation: claims and per-(incident, channel) order follow it */
  id: string;
  incidentId: string;
  eventKey: string;
  channel: string;
  payload: P;
  createdAt: Date;
}

/** What a claim hands the relay (notify's OutboxRow, with epoch-ms times). */
export interface ClaimedOutboxRow<P = unknown> {
  id: string;
  channel: string;
  payload: P;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

/** One minute: longer than a batch of sends can take (batch × timeout). */
export const DEFAULT_OUTBOX_LEASE_MS = 60_000;

/**
 * Queues notifications; a row whose (incident, event, channel) is already queued is skipped, so a
 * repeated evaluation never queues a message twice. Returns how many rows were inserted.
 */
export async function enqueueOutbox(db: Db, rows: readonly NewOutboxRow[]): Promise<number> {
  let n = 0;
  for (const part of chunks(rows, 500)) {
    if (part.length === 0) continue;
    const res = await db
      .insert(outbox)
      .values(
        part.map((r) => ({
          ...r,
          status: 'pending' as const,
          attempts: 0,
          nextAttemptAt: r.createdAt,
          leaseUntil: null,
          sentAt: null,
          lastError: null,
        })),
      )
      .onConflictDoNothing();
    n += affectedRows(res);
  }
  return n;
}

/**
 * Leases up to `limit` due rows for `leaseMs` (FOR UPDATE SKIP LOCKED: concurrent relays never claim one
 * row twice). A row waits while an older row of its incident and channel is still pending, so one
 * incident's messages reach a channel in order.
 */
export async function claimOutbox<P = unknown>(
  db: Db,
  now: Date,
  limit: number,
  leaseMs = DEFAULT_OUTBOX_LEASE_MS,
): Promise<ClaimedOutboxRow<P>[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const rows = await rowsOf<{
    id: string;
    channel: string;
    payload: P;
    attempts: number;
    next_ms: number | string;
    created_ms: number | string;
  }>(
    db,
    sql`with due as (
          select o.id from ${outbox} o
          where o.status = 'pending' and o.next_attempt_at <= ${at}::timestamptz
            and (o.lease_until is null or o.lease_until <= ${at}::timestamptz)
            and not exists (select 1 from ${outbox} p where p.status = 'pending'
              and p.incident_id = o.incident_id and p.channel = o.channel and p.id < o.id)
          order by o.next_attempt_at, o.id
          limit ${limit}
          for update of o skip locked)
        update ${outbox} set lease_until = ${until}::timestamptz from due where ${outbox}.id = due.id
        returning ${outbox}.id, ${outbox}.channel, ${outbox}.payload, ${outbox}.attempts,
          (extract(epoch from ${outbox}.next_attempt_at) * 1000)::float8 as next_ms,
          (extract(epoch from ${outbox}.created_at) * 1000)::float8 as created_ms`,
  );
  return rows
    .map((r) => ({
      id: r.id,
      channel: r.channel,
      payload: r.payload,
      attempts: Number(r.attempts),
      nextAttemptAt: Math.round(Number(r.next_ms)),
      createdAt: Math.round(Number(r.created_ms)),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function markOutboxSent(db: Db, id: string, now: Date): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt: now, leaseUntil: null }).where(eq(outbox.id, id));
}

/** Counts the failed attempt, records the (secret-free) error, and makes the row due at `nextAttemptAt`. */
export async function markOutboxRetry(db: Db, id: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, lastError: error, leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
}

export async function markOutboxDead(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'dead', attempts: sql`${outbox.attempts} + 1`, lastError: error, leaseUntil: null })
    .where(eq(outbox.id, id));
}

/** Outbox rows in creation order, optionally of one status or incident. */
export async function listOutbox(
  db: Db,
  q: { status?: OutboxRecord['status']; incidentId?: string } = {},
): Promise<OutboxRecord[]> {
  const where = [];
  if (q.status !== undefined) where.push(eq(outbox.status, q.status));
  if (q.incidentId !== undefined) where.push(eq(outbox.incidentId, q.incidentId));
  return db
    .select()
    .from(outbox)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(asc(outbox.id));
}

/** Deletes sent and dead rows created more than `retentionDays` ago; returns how many. */
export async function deleteOldOutbox(db: Db, now: Date, retentionDays = 90): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  return affectedRows(
    await db.execute(
      sql`delete from ${outbox} where status <> 'pending' and created_at < ${cutoff}::timestamptz`,
    ),
  );
}
