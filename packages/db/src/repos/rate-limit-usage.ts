import { sql } from 'drizzle-orm';
import type { EpochMs } from '@vigil/core';
import type { Db } from '../client.js';
import { probeResults } from '../schema/index.js';
import { rowsOf } from '../sql.js';

/** A probe of a provider and what one of its runs weighs (a multi-step probe sends a request a step). */
export interface UsageProbe {
  probeId: string;
  provider: string;
  requestsPerRun: number;
}

export interface RateLimitTotalsQuery {
  probes: readonly UsageProbe[];
  from: EpochMs;
  to: EpochMs;
  /** per provider with a budget: its window (`rateLimit.per`, ms), for the busiest window */
  budgetWindows?: Readonly<Record<string, number>>;
}

/** One provider's results over the window, summed by the store. */
export interface RateLimitTotals {
  provider: string;
  /** results whose request was sent (not gated, not a config error) */
  runs: number;
  /** Σ requestsPerRun over those */
  requests: number;
  http429: number;
  /** rate_limited without an HTTP status: the gate kept the request */
  gated: number;
  /** of gated, deferred by a Retry-After (the stored reason, else the message of older rows) */
  deferred: number;
  /** the busiest [t, t + per) of sent requests, t a slot time; null without a budget window or a request */
  peak: { requests: number; from: EpochMs } | null;
}

/**
 * Per provider, the totals of its probes' results with slot_at in [from, to) in one aggregate (and one
 * window query per distinct budget window for the busiest window), instead of reading every row: what
 * a quarter's report needs. The sent / gated / deferred rules are those of the evaluation's
 * rateLimitUsage (wasNotSent, isDeferral).
 */
export async function rateLimitTotals(db: Db, q: RateLimitTotalsQuery): Promise<RateLimitTotals[]> {
  if (q.probes.length === 0 || q.to <= q.from) return [];
  const map = JSON.stringify(
    q.probes.map((p) => ({ probe_id: p.probeId, provider: p.provider, w: p.requestsPerRun })),
  );
  const from = new Date(q.from).toISOString();
  const to = new Date(q.to).toISOString();
  const rows = sql`select m.provider, r.slot_at, m.w,
        not ((r.outcome = 'rate_limited' and r.http_status is null) or coalesce(r.error_class = 'config', false)) as sent,
        coalesce(r.http_status = 429, false) as is429,
        (r.outcome = 'rate_limited' and r.http_status is null) as gated,
        coalesce(r.not_sent = 'deferred', r.not_sent is null and r.message like '%(Retry-After)%', false) as deferral
      from ${probeResults} r
      join jsonb_to_recordset(${map}::jsonb) as m(probe_id text, provider text, w float8) on m.probe_id = r.probe_id
      where r.slot_at >= ${from}::timestamptz and r.slot_at < ${to}::timestamptz`;
  const totals = await rowsOf<{
    provider: string;
    runs: string | number;
    requests: string | number | null;
    http429: string | number;
    gated: string | number;
    deferred: string | number;
  }>(
    db,
    sql`select provider, count(*) filter (where sent) as runs, sum(w) filter (where sent) as requests,
          count(*) filter (where is429) as http429, count(*) filter (where gated) as gated,
          count(*) filter (where gated and deferral) as deferred
        from (${rows}) x group by provider`,
  );
  const peaks = new Map<string, { requests: number; from: EpochMs }>();
  const byWindow = new Map<number, string[]>();
  for (const [provider, perMs] of Object.entries(q.budgetWindows ?? {}))
    byWindow.set(perMs, [...(byWindow.get(perMs) ?? []), provider]);
  for (const [perMs, providers] of byWindow) {
    // [t, t + per): the range frame is inclusive, so it ends a microsecond short (slot times are whole ms)
    const found = await rowsOf<{ provider: string; inside: string | number; slot_at: string | Date }>(
      db,
      sql`select distinct on (provider) provider, inside, slot_at from (
            select provider, slot_at, sum(n) over (partition by provider order by slot_at
              range between current row and ${`${perMs * 1000 - 1} microseconds`}::interval following) as inside
            from (select provider, slot_at, sum(w) as n from (${rows}) x
                  where sent and provider in (select jsonb_array_elements_text(${JSON.stringify(providers)}::jsonb))
                  group by provider, slot_at) s
          ) w order by provider, inside desc, slot_at asc`,
    );
    for (const f of found)
      peaks.set(f.provider, { requests: Number(f.inside), from: new Date(f.slot_at).getTime() });
  }
  return totals
    .map((t) => ({
      provider: t.provider,
      runs: Number(t.runs),
      requests: Number(t.requests ?? 0),
      http429: Number(t.http429),
      gated: Number(t.gated),
      deferred: Number(t.deferred),
      peak: peaks.get(t.provider) ?? null,
    }))
    .sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
}
