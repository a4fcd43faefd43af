import { sql } from 'drizzle-orm';
import type { EpochMs, VerdictTimes } from '@vigil/core';
import type { Db } from '../client.js';
import { rollupsCumulative } from '../schema/index.js';
import { chunks, rowsOf } from '../sql.js';

const TIME_KEYS = ['upMs', 'degradedMs', 'downMs', 'noDataMs', 'excludedMs', 'rateLimitedMs'] as const;

/** The verdict times of one subject on one UTC day. */
export interface DayTimes {
  /** the UTC day's start */
  day: EpochMs;
  times: VerdictTimes;
}

/**
 * Per subject, the verdict times of each UTC day in [fromDay, toDay) that has data: the difference of
 * consecutive running totals (times only, no histograms), so 90 days of 100 services read about 9,100
 * rows. Days without a stored running total had nothing and are left out; a subject with none is absent.
 */
export async function dailyTimes(
  db: Db,
  subjects: readonly string[],
  fromDay: EpochMs,
  toDay: EpochMs,
): Promise<Map<string, DayTimes[]>> {
  const out = new Map<string, DayTimes[]>();
  if (toDay <= fromDay) return out;
  const from = new Date(fromDay).toISOString();
  const to = new Date(toDay).toISOString();
  for (const part of chunks(subjects, 5000)) {
    const rows = await rowsOf<RawDay>(
      db,
      sql`select c.* from jsonb_array_elements_text(${JSON.stringify(part)}::jsonb) as q(subject)
          cross join lateral (
            (select ${COLUMNS} from ${rollupsCumulative} r where r.subject = q.subject
              and r.day < ${from}::timestamptz order by r.day desc limit 1)
            union all
            (select ${COLUMNS} from ${rollupsCumulative} r where r.subject = q.subject
              and r.day >= ${from}::timestamptz and r.day < ${to}::timestamptz)
          ) c order by c.subject, c.day_ms`,
    );
    let prev: { subject: string; times: VerdictTimes } | null = null;
    for (const r of rows) {
      const day = Math.round(Number(r.day_ms));
      const times: VerdictTimes = {
        upMs: Number(r.up_ms),
        degradedMs: Number(r.degraded_ms),
        downMs: Number(r.down_ms),
        noDataMs: Number(r.no_data_ms),
        excludedMs: Number(r.excluded_ms),
        rateLimitedMs: Number(r.rate_limited_ms),
      };
      const base = prev?.subject === r.subject ? prev.times : null;
      prev = { subject: r.subject, times };
      if (day < fromDay) continue;
      const delta = { ...times };
      if (base) for (const k of TIME_KEYS) delta[k] = Math.max(0, times[k] - base[k]);
      const list = out.get(r.subject) ?? [];
      list.push({ day, times: delta });
      out.set(r.subject, list);
    }
  }
  return out;
}

const COLUMNS = sql.raw(
  `r.subject, (extract(epoch from r.day) * 1000)::float8 as day_ms, r.up_ms, r.degraded_ms, r.down_ms,
   r.no_data_ms, r.excluded_ms, r.rate_limited_ms`,
);

interface RawDay {
  subject: string;
  day_ms: number | string;
  up_ms: number | string;
  degraded_ms: number | string;
  down_ms: number | string;
  no_data_ms: number | string;
  excluded_ms: number | string;
  rate_limited_ms: number | string;
}
