import {
  claimOutbox,
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
      claimOutbox<AlertEvent>(db, new Date(now), limit, leaseMs),
    markSent: (id, now) => markOutboxSent(db, id, new Date(now)),
    markRetry: (id, nextAttemptAt, error) => markOutboxRetry(db, id, new Date(nextAttemptAt), error),
    markDead: (id, error) => markOutboxDead(db, id, error),
  };
}
