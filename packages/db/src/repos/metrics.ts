import { sql } from 'drizzle-orm';
import type { EpochMs } from '@vigil/core';
import type { Db } from '../client.js';
import { chunks, rowsOf } from '../sql.js';

/** Per probe, the instant from which its slots are not judged yet. */
export interface UnjudgedFrom {
  probeId: string;
  from: EpochMs;
}

const RANGE_CHUNK = 5000;

/**
 * How many stored results wait for the evaluator: per probe, the results with `slot_at ∈ [from, before)`
 * (an index range scan per probe on the (probe_id, slot_at, region) key, pruned to the partitions involved).
 */
export async function unjudgedResultCount(
  db: Db,
  ranges: readonly UnjudgedFrom[],
  before: EpochMs,
): Promise<number> {
  let total = 0;
  const hi = new Date(before).toISOString();
  for (const part of chunks(
    ranges.filter((r) => r.from < before),
    RANGE_CHUNK,
  )) {
    if (part.length === 0) continue;
    const lo = new Date(Math.min(...part.map((r) => r.from))).toISOString();
    const json = JSON.stringify(
      part.map((r) => ({ probe_id: r.probeId, from_at: new Date(r.from).toISOString() })),
    );
    const [row] = await rowsOf<{ n: number | string }>(
      db,
      sql`select count(*) as n
          from jsonb_to_recordset(${json}::jsonb) as q(probe_id text, from_at timestamptz)
          join probe_results r on r.probe_id = q.probe_id and r.slot_at >= q.from_at and r.slot_at < ${hi}::timestamptz
          where r.slot_at >= ${lo}::timestamptz and r.slot_at < ${hi}::timestamptz`,
    );
    total += Number(row?.n ?? 0);
  }
  return total;
}

export interface OutboxDepth {
  /** notifications not delivered yet (waiting or retrying) */
  pending: number;
  /** notifications given up on, still kept (outbox retention) */
  dead: number;
  /** when the oldest pending notification was written; null when none waits */
  oldestPendingAt: EpochMs | null;
}

/** The notification queue as the relay sees it. */
export async function outboxDepth(db: Db): Promise<OutboxDepth> {
  const [row] = await rowsOf<{
    pending: number | string;
    dead: number | string;
    oldest_ms: number | string | null;
  }>(
    db,
    sql`select count(*) filter (where status = 'pending') as pending,
          count(*) filter (where status = 'dead') as dead,
          (extract(epoch from min(created_at) filter (where status = 'pending')) * 1000)::float8 as oldest_ms
        from outbox where status <> 'sent'`,
  );
  return {
    pending: Number(row?.pending ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestPendingAt:
      row?.oldest_ms === null || row?.oldest_ms === undefined ? null : Math.round(Number(row.oldest_ms)),
  };
}
