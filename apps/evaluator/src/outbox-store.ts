import {
  claimOutbox,
  dbErrorSummary,
  DbError,
  DEFAULT_OUTBOX_LEASE_MS,
  markOutboxDead,
  markOutboxRetry,
  markOutboxSent,
  type Db,
} from '@vigil/db';
import type { AlertEvent, OutboxRow, OutboxStore } from '@vigil/notify';

/**
 * notify's OutboxStore on the `outbox` table: claims lease rows (FOR UPDATE SKIP LOCKED) for `leaseMs`,
 * so relays in several evaluators share the work and a crash between send and mark repeats a message
 * once the lease expires, never loses it.
 */
export function pgOutboxStore(db: Db, o: { leaseMs?: number } = {}): OutboxStore {
  const leaseMs = o.leaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
  return {
    claimDue: async (now, limit): Promise<OutboxRow[]> =>
      claimOutbox<AlertEvent>(db, new Date(now), limit, leaseMs).catch(short),
    markSent: (id, now) => markOutboxSent(db, id, new Date(now)).catch(short),
    markRetry: (id, nextAttemptAt, error) =>
      markOutboxRetry(db, id, new Date(nextAttemptAt), error).catch(short),
    markDead: (id, error) => markOutboxDead(db, id, error).catch(short),
  };
}

/** The relay reports a store failure by its message: the driver's short one, not drizzle's with the SQL. */
function short(err: unknown): never {
  const s = dbErrorSummary(err);
  const message = s.code && !s.message.includes(s.code) ? `${s.code}: ${s.message}` : s.message;
  throw new DbError('DB_QUERY_FAILED', message, { cause: err });
}
