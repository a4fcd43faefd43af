import { and, desc, eq, gte, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Incident, ProbeResult } from '@vigil/core';
import type { Db } from '../client.js';
import { incidents, probeResults } from '../schema/index.js';
import { fromRow } from './results.js';

// Keyset pages for the JSON API: newest first, the cursor is the last row's key, so a page never repeats
// or skips a row when new rows arrive at the head.

export interface ResultPageQuery {
  probeId: string;
  region?: string;
  /** inclusive, on slot_at */
  from: Date;
  /** exclusive, on slot_at */
  to: Date;
  /** rows strictly after this key in (slot_at desc, region desc) order */
  after?: { slotAt: Date; region: string };
  limit: number;
}

/** One probe's results in [from, to), newest slot first, then region descending. */
export async function resultPage(db: Db, q: ResultPageQuery): Promise<ProbeResult[]> {
  const where: (SQL | undefined)[] = [
    eq(probeResults.probeId, q.probeId),
    gte(probeResults.slotAt, q.from),
    lt(probeResults.slotAt, q.to),
  ];
  if (q.region !== undefined) where.push(eq(probeResults.region, q.region));
  if (q.after)
    where.push(
      or(
        lt(probeResults.slotAt, q.after.slotAt),
        and(eq(probeResults.slotAt, q.after.slotAt), lt(probeResults.region, q.after.region)),
      ),
    );
  const rows = await db
    .select()
    .from(probeResults)
    .where(and(...where))
    .orderBy(desc(probeResults.slotAt), desc(probeResults.region))
    .limit(q.limit);
  return rows.map(fromRow);
}

export interface IncidentPageQuery {
  open?: boolean;
  scope?: Incident['scope'];
  /** rows strictly after this key in (opened_at desc, id desc) order */
  after?: { openedAt: Date; id: string };
  limit: number;
}

/** Incidents newest first (opened_at, then id, descending). */
export async function incidentPage(db: Db, q: IncidentPageQuery): Promise<Incident[]> {
  const where: (SQL | undefined)[] = [];
  if (q.open) where.push(isNull(incidents.resolvedAt));
  if (q.scope !== undefined) where.push(eq(incidents.scope, q.scope));
  if (q.after)
    where.push(
      or(
        lt(incidents.openedAt, q.after.openedAt),
        and(eq(incidents.openedAt, q.after.openedAt), lt(incidents.id, q.after.id)),
      ),
    );
  return db
    .select()
    .from(incidents)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(incidents.openedAt), desc(incidents.id))
    .limit(q.limit);
}

/** One incident by id, or null. */
export async function getIncident(db: Db, id: string): Promise<Incident | null> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id)).limit(1);
  return row ?? null;
}

/** The incidents grouped under `parentId`, oldest first. */
export async function childIncidents(db: Db, parentId: string): Promise<Incident[]> {
  return db.select().from(incidents).where(eq(incidents.parentId, parentId)).orderBy(incidents.openedAt);
}

/** The acknowledgement of every open, acknowledged incident, by id (read by the evaluator each tick). */
export async function openAcknowledgements(
  db: Db,
): Promise<Map<string, Pick<Incident, 'acknowledgedAt' | 'acknowledgedBy' | 'acknowledgeNote'>>> {
  const rows = await db
    .select({
      id: incidents.id,
      acknowledgedAt: incidents.acknowledgedAt,
      acknowledgedBy: incidents.acknowledgedBy,
      acknowledgeNote: incidents.acknowledgeNote,
    })
    .from(incidents)
    .where(and(isNull(incidents.resolvedAt), isNotNull(incidents.acknowledgedAt)));
  return new Map(rows.map(({ id, ...ack }) => [id, ack]));
}

/**
 * Acknowledges an incident: who took it and an optional note, at `now`. A second acknowledgement
 * replaces the first. Null when there is no such incident.
 */
export async function acknowledgeIncident(
  db: Db,
  id: string,
  ack: { by: string; note?: string | null },
  now: Date,
): Promise<Incident | null> {
  const [row] = await db
    .update(incidents)
    .set({ acknowledgedAt: now, acknowledgedBy: ack.by, acknowledgeNote: ack.note ?? null })
    .where(eq(incidents.id, id))
    .returning();
  return row ?? null;
}
