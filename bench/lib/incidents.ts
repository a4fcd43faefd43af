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
