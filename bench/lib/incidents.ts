import pg from 'pg';

/** Incidents in a bench database, where every target is healthy: each one is a false incident. */
export interface FalseIncidents {
  total: number;
  /** e.g. `probe degraded` → 12 */
  byKind: Record<string, number>;
  /** silent ones (grouped or opened inside another incident) were recorded but not notified */
  notified: number;
}

/** Pure: the incidents' tally by scope and kind, for the table's note. */
export function tallyIncidents(
  rows: readonly { scope: string; kind: string; silent: boolean }[],
): FalseIncidents {
  const byKind: Record<string, number> = {};
  let notified = 0;
  for (const r of rows) {
    const k = `${r.scope} ${r.kind}`;
    byKind[k] = (byKind[k] ?? 0) + 1;
    if (!r.silent) notified++;
  }
  return { total: rows.length, byKind, notified };
}

/** Pure: `probe degraded 3, monitor monitor 1`, or undefined when there were none. */
export function describeIncidents(f: FalseIncidents): string | undefined {
  const parts = Object.entries(f.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`);
  return parts.length === 0 ? undefined : `${parts.join(', ')}; ${f.notified} notified`;
}

/**
 * Every incident the evaluator opened in the database at `url` with opened_at ≥ `since` (the section's
 * probes started then; the database is the section's own, so nothing else wrote there).
 */
export async function falseIncidents(url: string, since = 0): Promise<FalseIncidents> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ scope: string; kind: string; silent: boolean }>(
      'select scope, kind, silent from incidents where opened_at >= $1',
      [new Date(since)],
    );
    return tallyIncidents(rows);
  } finally {
    await client.end();
  }
}

/** What a probe's stored results looked like around the opening of one of its incidents. */
export interface IncidentEvidence {
  kind: string;
  probeId: string;
  openedAt: number;
  /** results of the probe with slot_at in [opened_at − lookbackMs, opened_at + aheadMs) */
  samples: number;
  /** of those, results that were up and slower than `thresholdMs` */
  slow: number;
  maxMs: number | null;
  /** how many results the probe had stored before `openedAt` (its age in slots) */
  before: number;
}

/**
 * For every probe incident: the samples and slow results the evaluator could have seen when it opened
 * (the degraded track reads the up slots of the trailing 10 minutes; M of N adds a few slots after
 * the first bad one).
 */
export async function incidentEvidence(
  url: string,
  o: { lookbackMs: number; aheadMs: number; thresholdMs: number },
): Promise<IncidentEvidence[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      kind: string;
      probe_id: string;
      opened_at: Date;
      samples: string;
      slow: string;
      max_ms: number | null;
      before: string;
    }>(
      `select i.kind, i.probe_id, i.opened_at,
         (select count(*) from probe_results r where r.probe_id = i.probe_id
            and r.slot_at >= i.opened_at - $1 * interval '1 millisecond'
            and r.slot_at < i.opened_at + $2 * interval '1 millisecond') as samples,
         (select count(*) from probe_results r where r.probe_id = i.probe_id and r.outcome = 'up'
            and r.total_ms > $3
            and r.slot_at >= i.opened_at - $1 * interval '1 millisecond'
            and r.slot_at < i.opened_at + $2 * interval '1 millisecond') as slow,
         (select max(r.total_ms) from probe_results r where r.probe_id = i.probe_id
            and r.slot_at >= i.opened_at - $1 * interval '1 millisecond'
            and r.slot_at < i.opened_at + $2 * interval '1 millisecond') as max_ms,
         (select count(*) from probe_results r where r.probe_id = i.probe_id
            and r.slot_at < i.opened_at) as before
       from incidents i where i.probe_id is not null order by i.opened_at`,
      [o.lookbackMs, o.aheadMs, o.thresholdMs],
    );
    return rows.map((r) => ({
      kind: r.kind,
      probeId: r.probe_id,
      openedAt: r.opened_at.getTime(),
      samples: Number(r.samples),
      slow: Number(r.slow),
      maxMs: r.max_ms,
      before: Number(r.before),
    }));
  } finally {
    await client.end();
  }
}

/** Pure: `degraded: 12 with 1 slow result, 3 with 2; ≤ 19 samples 15` — the shape of the evidence. */
export function summarizeEvidence(list: readonly IncidentEvidence[]): string | undefined {
  if (list.length === 0) return undefined;
  const byKind = new Map<string, IncidentEvidence[]>();
  for (const e of list) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
  return [...byKind]
    .map(([kind, es]) => {
      const bySlow = new Map<number, number>();
      for (const e of es) bySlow.set(e.slow, (bySlow.get(e.slow) ?? 0) + 1);
      const slow = [...bySlow]
        .sort((a, b) => a[0] - b[0])
        .map(([k, n]) => `${n} with ${k} slow`)
        .join(', ');
      const few = es.filter((e) => e.samples < 20).length;
      const maxMs = Math.max(...es.map((e) => e.maxMs ?? 0));
      return `${kind}: ${slow}; ${few} of ${es.length} with < 20 samples; max ${Math.round(maxMs)} ms`;
    })
    .join('; ');
}
