import { inArray, sql } from 'drizzle-orm';
import type { EpochMs, ErrorClass, Outcome, SlotResult } from '@vigil/core';
import type { Db } from '../client.js';
import { evaluatorState } from '../schema/index.js';
import { chunks, rowsOf } from '../sql.js';

/** @deprecated the engine's type is core's SlotResult; this name stays for existing importers. */
export type SlotResultRow = SlotResult;

/** Per probe, the slots not judged yet: `slot_at ∈ [from, to)`. */
export interface SlotRange {
  probeId: string;
  from: EpochMs;
  to: EpochMs;
}

const RANGE_CHUNK = 5000;

/**
 * The results of each probe's open slots, in one indexed range scan per probe (the key is
 * (probe_id, slot_at, region)); the outer bounds let Postgres prune to the partitions involved.
 */
export async function resultsInRanges(db: Db, ranges: readonly SlotRange[]): Promise<SlotResult[]> {
  const out: SlotResult[] = [];
  for (const part of chunks(ranges, RANGE_CHUNK)) {
    if (part.length === 0) continue;
    const lo = new Date(Math.min(...part.map((r) => r.from))).toISOString();
    const hi = new Date(Math.max(...part.map((r) => r.to))).toISOString();
    const json = JSON.stringify(
      part.map((r) => ({
        probe_id: r.probeId,
        from_at: new Date(r.from).toISOString(),
        to_at: new Date(r.to).toISOString(),
      })),
    );
    const rows = await rowsOf<RawRow>(
      db,
      sql`select r.probe_id, r.region, (extract(epoch from r.slot_at) * 1000)::float8 as slot_ms, r.outcome,
            r.total_ms, r.error_class, r.message, r.dns_ms, r.connect_ms, r.tls_ms, r.ttfb_ms
          from jsonb_to_recordset(${json}::jsonb) as q(probe_id text, from_at timestamptz, to_at timestamptz)
          join probe_results r on r.probe_id = q.probe_id and r.slot_at >= q.from_at and r.slot_at < q.to_at
          where r.slot_at >= ${lo}::timestamptz and r.slot_at < ${hi}::timestamptz`,
    );
    for (const r of rows) out.push(fromRaw(r));
  }
  return out;
}

/**
 * Per region, the distinct probes that reported in [from, to) and how many of them failed at least once;
 * runs that could not start as configured (error class `config`) say nothing about the region.
 */
export async function regionOutcomeCounts(
  db: Db,
  from: EpochMs,
  to: EpochMs,
): Promise<{ region: string; probes: number; failed: number }[]> {
  const rows = await rowsOf<{ region: string; probes: number | string; failed: number | string }>(
    db,
    sql`select region, count(distinct probe_id) as probes,
          count(distinct probe_id) filter (where outcome = 'down') as failed
        from probe_results
        where slot_at >= ${new Date(from).toISOString()}::timestamptz
          and slot_at < ${new Date(to).toISOString()}::timestamptz
          and error_class is distinct from 'config'
        group by region order by region`,
  );
  return rows.map((r) => ({ region: r.region, probes: Number(r.probes), failed: Number(r.failed) }));
}

/** Every subject's stored evaluator state. */
export async function loadEvaluatorState(db: Db): Promise<{ subject: string; state: unknown }[]> {
  return db.select({ subject: evaluatorState.subject, state: evaluatorState.state }).from(evaluatorState);
}

/** The stored state of the given subjects (missing ones are absent). */
export async function getEvaluatorState(
  db: Db,
  subjects: readonly string[],
): Promise<{ subject: string; state: unknown; updatedAt: Date }[]> {
  if (subjects.length === 0) return [];
  return db
    .select()
    .from(evaluatorState)
    .where(inArray(evaluatorState.subject, [...subjects]));
}

/** Writes (inserts or replaces) the states of these subjects: one statement per 2,000 rows. */
export async function saveEvaluatorState(
  db: Db,
  rows: readonly { subject: string; state: unknown }[],
  now: Date,
): Promise<void> {
  for (const part of chunks(rows, 2000)) {
    const json = JSON.stringify(part.map((r) => ({ subject: r.subject, state: r.state })));
    await db.execute(
      sql`insert into ${evaluatorState} (subject, state, updated_at)
          select subject, state, ${now.toISOString()}::timestamptz from jsonb_to_recordset(${json}::jsonb) as r(subject text, state jsonb)
          on conflict (subject) do update set state = excluded.state, updated_at = excluded.updated_at`,
    );
  }
}

/** Forgets subjects that no longer exist (a removed probe, provider or service). */
export async function deleteEvaluatorState(db: Db, subjects: readonly string[]): Promise<void> {
  if (subjects.length === 0) return;
  await db.delete(evaluatorState).where(inArray(evaluatorState.subject, [...subjects]));
}

interface RawRow {
  probe_id: string;
  region: string;
  slot_ms: number | string;
  outcome: Outcome;
  total_ms: number;
  error_class: ErrorClass | null;
  message: string | null;
  dns_ms: number | null;
  connect_ms: number | null;
  tls_ms: number | null;
  ttfb_ms: number | null;
}

function fromRaw(r: RawRow): SlotResult {
  return {
    probeId: r.probe_id,
    region: r.region,
    slotAt: Math.round(Number(r.slot_ms)),
    outcome: r.outcome,
    totalMs: Number(r.total_ms),
    errorClass: r.error_class,
    message: r.message,
    dnsMs: r.dns_ms === null ? null : Number(r.dns_ms),
    connectMs: r.connect_ms === null ? null : Number(r.connect_ms),
    tlsMs: r.tls_ms === null ? null : Number(r.tls_ms),
    ttfbMs: r.ttfb_ms === null ? null : Number(r.ttfb_ms),
  };
}
