import { sql } from 'drizzle-orm';
import type { EpochMs, ResponseNotices } from '@vigil/core';
import type { Db } from '../client.js';
import { probeResults } from '../schema/index.js';
import { rowsOf } from '../sql.js';

/** A probe's newest `Deprecation` / `Sunset` notice inside a window, and when it was first seen there. */
export interface ProbeNotice {
  probeId: string;
  notices: ResponseNotices;
  firstSeenAt: EpochMs;
  lastSeenAt: EpochMs;
}

/**
 * Per probe with a notice in [from, to): the newest one and when the window first saw one. One query
 * over the window's partitions (notices are rare: the scan stops at rows that carry one).
 */
export async function noticesBetween(db: Db, from: EpochMs, to: EpochMs): Promise<ProbeNotice[]> {
  const rows = await rowsOf<{
    probe_id: string;
    notices: ResponseNotices;
    first_ms: number | string;
    last_ms: number | string;
  }>(
    db,
    sql`select distinct on (r.probe_id) r.probe_id, r.notices,
          (extract(epoch from min(r.slot_at) over (partition by r.probe_id)) * 1000)::float8 as first_ms,
          (extract(epoch from r.slot_at) * 1000)::float8 as last_ms
        from ${probeResults} r
        where r.notices is not null
          and r.slot_at >= ${new Date(from).toISOString()}::timestamptz
          and r.slot_at < ${new Date(to).toISOString()}::timestamptz
        order by r.probe_id, r.slot_at desc`,
  );
  return rows.map((r) => ({
    probeId: r.probe_id,
    notices: r.notices,
    firstSeenAt: Math.round(Number(r.first_ms)),
    lastSeenAt: Math.round(Number(r.last_ms)),
  }));
}
