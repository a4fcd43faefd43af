import { and, asc, eq, getTableColumns, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { ProbeResult } from '@vigil/core';
import type { Db } from '../client.js';
import { DbError } from '../errors.js';
import { probeResults } from '../schema/index.js';
import { affectedRows, chunks } from '../sql.js';
import { storable } from '../text.js';

type Row = typeof probeResults.$inferSelect;

const INSERT_CHUNK = 5000;
const COLUMNS = Object.entries(getTableColumns(probeResults)).map(([key, c]) => ({
  key: key as keyof Row,
  name: c.name,
  type: c.getSQLType(),
}));
const COLUMN_LIST = sql.raw(COLUMNS.map((c) => `"${c.name}"`).join(', '));
const RECORD_TYPE = sql.raw(COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(', '));

/**
 * Stores each result exactly once per (probe, region, slot): a multi-row INSERT … ON CONFLICT DO NOTHING
 * per chunk, each chunk sorted by key so concurrent batches lock rows in the same order. A retry of a
 * partly stored batch is safe. Returns the rows actually inserted (duplicates are not counted).
 * Throws DbError (DB_QUERY_FAILED) when a chunk is refused; earlier chunks stay stored.
 */
export async function insertResults(db: Db, results: readonly ProbeResult[]): Promise<number> {
  const rows = dedupe(results.map(toRow));
  let inserted = 0;
  for (const chunk of chunks(rows, INSERT_CHUNK)) {
    // One JSON parameter per chunk: 4-5x faster than binding 18 parameters a row, and no 65,535 cap.
    const json = JSON.stringify(chunk.map(toRecord));
    try {
      inserted += affectedRows(
        await db.execute(
          sql`insert into ${probeResults} (${COLUMN_LIST}) select ${COLUMN_LIST}
              from jsonb_to_recordset(${json}::jsonb) as r(${RECORD_TYPE}) on conflict do nothing`,
        ),
      );
    } catch (cause) {
      throw new DbError('DB_QUERY_FAILED', `cannot insert ${chunk.length} probe results`, { cause });
    }
  }
  return inserted;
}

export interface ResultQuery {
  probeId?: string;
  region?: string;
  /** inclusive, on slot_at */
  from: Date;
  /** exclusive, on slot_at */
  to: Date;
  /** no limit when absent */
  limit?: number;
}

/** Results with slot_at in [from, to), ordered by slot, then probe, then region. */
export async function queryResults(db: Db, q: ResultQuery): Promise<ProbeResult[]> {
  const where: SQL[] = [gte(probeResults.slotAt, q.from), lt(probeResults.slotAt, q.to)];
  if (q.probeId !== undefined) where.push(eq(probeResults.probeId, q.probeId));
  if (q.region !== undefined) where.push(eq(probeResults.region, q.region));
  const query = db
    .select()
    .from(probeResults)
    .where(and(...where))
    .orderBy(asc(probeResults.slotAt), asc(probeResults.probeId), asc(probeResults.region));
  const rows = q.limit === undefined ? await query : await query.limit(q.limit);
  return rows.map(fromRow);
}

function toRow(r: ProbeResult): Row {
  return {
    probeId: r.probeId,
    region: r.region,
    slotAt: new Date(r.slotAt),
    startedAt: new Date(r.startedAt),
    dnsMs: r.phases.dnsMs,
    connectMs: r.phases.connectMs,
    tlsMs: r.phases.tlsMs,
    ttfbMs: r.phases.ttfbMs,
    transferMs: r.phases.transferMs,
    totalMs: r.phases.totalMs,
    outcome: r.outcome,
    httpStatus: r.httpStatus,
    errorClass: r.errorClass,
    message: r.message === null ? null : storable(r.message),
    assertions: r.assertions.map((a) => ({
      ...a,
      name: storable(a.name),
      expected: storable(a.expected),
      actual: storable(a.actual),
      message: storable(a.message),
    })),
    // integer columns: a fractional value from a Retry-After date or a cert expiry must not fail the batch
    retryAfterS: r.retryAfterS === null ? null : Math.round(r.retryAfterS),
    tlsDaysLeft: r.tlsDaysLeft === null ? null : Math.floor(r.tlsDaysLeft),
    notices: r.notices
      ? { ...r.notices, link: r.notices.link === null ? null : storable(r.notices.link) }
      : null,
    steps: r.steps ?? null,
    notSent: r.notSent ?? null,
    workerId: r.workerId,
  };
}

/** A stored row as the domain's ProbeResult (every reader of probe_results maps through this). */
export function fromRow(r: Row): ProbeResult {
  return {
    probeId: r.probeId,
    region: r.region,
    slotAt: r.slotAt.getTime(),
    startedAt: r.startedAt.getTime(),
    phases: {
      dnsMs: r.dnsMs,
      connectMs: r.connectMs,
      tlsMs: r.tlsMs,
      ttfbMs: r.ttfbMs,
      transferMs: r.transferMs,
      totalMs: r.totalMs,
    },
    outcome: r.outcome,
    httpStatus: r.httpStatus,
    errorClass: r.errorClass,
    message: r.message,
    assertions: r.assertions,
    retryAfterS: r.retryAfterS,
    tlsDaysLeft: r.tlsDaysLeft,
    ...(r.notices !== null && { notices: r.notices }),
    ...(r.steps !== null && { steps: r.steps }),
    ...(r.notSent !== null && { notSent: r.notSent }),
    workerId: r.workerId,
  };
}

/** The row keyed by column name, as jsonb_to_recordset reads it. */
function toRecord(r: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of COLUMNS) {
    const v = r[c.key];
    out[c.name] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** Keeps the first result of each key and sorts by key (probe_id, slot_at, region). */
function dedupe(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const r of rows) {
    const k = `${r.probeId}\u0000${r.slotAt.getTime()}\u0000${r.region}`;
    if (!byKey.has(k)) byKey.set(k, r);
  }
  return [...byKey.values()].sort(
    (a, b) => cmp(a.probeId, b.probeId) || a.slotAt.getTime() - b.slotAt.getTime() || cmp(a.region, b.region),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
