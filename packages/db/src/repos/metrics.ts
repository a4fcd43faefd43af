import { sql } from 'drizzle-orm';
import type { EpochMs, Outcome, Phases } from '@vigil/core';
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

/** One probe in one region, and how far back its newest run may lie. */
export interface LatestRunQuery {
  probeId: string;
  region: string;
  from: EpochMs;
}

/** The newest run of a probe in a region, as /metrics shows it. */
export interface LatestRunRow {
  probeId: string;
  region: string;
  slotAt: EpochMs;
  startedAt: EpochMs;
  outcome: Outcome;
  phases: Phases;
  httpStatus: number | null;
  tlsDaysLeft: number | null;
}

/**
 * Per (probe, region), the newest result with `slot_at ∈ [from, before)`: one backward index probe per
 * pair on the (probe_id, slot_at, region) key, so a long window (a daily probe's) costs no more than a
 * short one, and the outer bounds prune the day partitions. Pairs without such a result are absent.
 */
export async function latestRuns(
  db: Db,
  pairs: readonly LatestRunQuery[],
  before: EpochMs,
): Promise<LatestRunRow[]> {
  const out: LatestRunRow[] = [];
  const hi = new Date(before).toISOString();
  for (const part of chunks(
    pairs.filter((p) => p.from < before),
    RANGE_CHUNK,
  )) {
    if (part.length === 0) continue;
    const lo = new Date(Math.min(...part.map((r) => r.from))).toISOString();
    const json = JSON.stringify(
      part.map((r) => ({ probe_id: r.probeId, region: r.region, from_at: new Date(r.from).toISOString() })),
    );
    const rows = await rowsOf<RawRun>(
      db,
      sql`select q.probe_id, q.region, (extract(epoch from r.slot_at) * 1000)::float8 as slot_ms,
            (extract(epoch from r.started_at) * 1000)::float8 as started_ms, r.outcome, r.http_status,
            r.tls_days_left, r.dns_ms, r.connect_ms, r.tls_ms, r.ttfb_ms, r.transfer_ms, r.total_ms
          from jsonb_to_recordset(${json}::jsonb) as q(probe_id text, region text, from_at timestamptz)
          cross join lateral (
            select * from probe_results p
            where p.probe_id = q.probe_id and p.region = q.region
              and p.slot_at >= q.from_at and p.slot_at < ${hi}::timestamptz
              and p.slot_at >= ${lo}::timestamptz
            order by p.slot_at desc limit 1
          ) r`,
    );
    for (const r of rows)
      out.push({
        probeId: r.probe_id,
        region: r.region,
        slotAt: Math.round(Number(r.slot_ms)),
        startedAt: Math.round(Number(r.started_ms)),
        outcome: r.outcome,
        phases: {
          dnsMs: num(r.dns_ms),
          connectMs: num(r.connect_ms),
          tlsMs: num(r.tls_ms),
          ttfbMs: num(r.ttfb_ms),
          transferMs: num(r.transfer_ms),
          totalMs: Number(r.total_ms),
        },
        httpStatus: r.http_status === null ? null : Number(r.http_status),
        tlsDaysLeft: r.tls_days_left === null ? null : Number(r.tls_days_left),
      });
  }
  return out;
}

interface RawRun {
  probe_id: string;
  region: string;
  slot_ms: number | string;
  started_ms: number | string;
  outcome: Outcome;
  http_status: number | null;
  tls_days_left: number | null;
  dns_ms: number | null;
  connect_ms: number | null;
  tls_ms: number | null;
  ttfb_ms: number | null;
  transfer_ms: number | null;
  total_ms: number;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

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
