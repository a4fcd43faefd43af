import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Incident } from '@vigil/core';
import type { Db } from '../client.js';
import { incidents } from '../schema/index.js';
import { chunks } from '../sql.js';

export type IncidentRow = typeof incidents.$inferSelect;

// the table's row is exactly core's Incident, so the repositories hand the engine domain values
const _sameShape: [IncidentRow, Incident] extends [Incident, IncidentRow] ? true : never = true;
void _sameShape;

/** Inserts new incident rows. */
export async function insertIncidents(db: Db, rows: readonly Incident[]): Promise<void> {
  for (const part of chunks(rows, 500)) if (part.length > 0) await db.insert(incidents).values([...part]);
}

/** Updates one incident (resolve, flapping, parent, silent). */
export async function updateIncident(
  db: Db,
  id: string,
  patch: Partial<
    Pick<IncidentRow, 'resolvedAt' | 'flapping' | 'parentId' | 'silent' | 'detail' | 'severity'>
  > & {
    updatedAt: Date;
  },
): Promise<void> {
  await db.update(incidents).set(patch).where(eq(incidents.id, id));
}

export interface IncidentQuery {
  /** only incidents not resolved yet */
  open?: boolean;
  scope?: IncidentRow['scope'];
  key?: string;
  /** include grouped (silent) incidents; @defaultValue true */
  includeSilent?: boolean;
  /** newest first; @defaultValue 100 */
  limit?: number;
}

/** Incidents, newest first. */
export async function listIncidents(db: Db, q: IncidentQuery = {}): Promise<Incident[]> {
  const where: SQL[] = [];
  if (q.open) where.push(isNull(incidents.resolvedAt));
  if (q.scope !== undefined) where.push(eq(incidents.scope, q.scope));
  if (q.key !== undefined) where.push(eq(incidents.key, q.key));
  if (q.includeSilent === false) where.push(eq(incidents.silent, false));
  return db
    .select()
    .from(incidents)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(incidents.openedAt), desc(incidents.id))
    .limit(q.limit ?? 100);
}

/** Every open incident (the evaluator's working set). */
export async function openIncidents(db: Db): Promise<Incident[]> {
  return db.select().from(incidents).where(isNull(incidents.resolvedAt));
}

/** Incidents of a subject overlapping [from, to) — e.g. a probe's incidents in a report period. */
export async function incidentsBetween(db: Db, from: Date, to: Date): Promise<Incident[]> {
  return db
    .select()
    .from(incidents)
    .where(
      sql`${incidents.openedAt} < ${to.toISOString()}::timestamptz and (${incidents.resolvedAt} is null or ${incidents.resolvedAt} > ${from.toISOString()}::timestamptz)`,
    )
    .orderBy(incidents.openedAt);
}
