import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { silences } from '../schema/index.js';

export type Silence = typeof silences.$inferSelect;

export class SilenceError extends Error {
  readonly code = 'SILENCE_INVALID';
  override readonly name = 'SilenceError';
}

export interface NewSilence {
  /** an incident id, probe id, provider, service or region */
  target: string;
  /** @defaultValue now */
  from?: Date;
  until: Date;
  reason?: string;
  createdBy?: string;
}

/** `vigil silence <target> --for 2h`: holds back notifications about `target` until `until`. */
export async function createSilence(db: Db, s: NewSilence, now: Date): Promise<Silence> {
  const startsAt = s.from ?? now;
  if (s.until.getTime() <= startsAt.getTime())
    throw new SilenceError(`a silence must end after it starts (${s.until.toISOString()})`);
  const [row] = await db
    .insert(silences)
    .values({
      id: `sil_${randomUUID()}`,
      target: s.target,
      startsAt,
      endsAt: s.until,
      reason: s.reason ?? null,
      createdBy: s.createdBy ?? null,
      createdAt: now,
    })
    .returning();
  return row!;
}

/** Silences not ended at `at` (active now or starting later), soonest first. */
export async function listSilences(db: Db, at: Date): Promise<Silence[]> {
  return db
    .select()
    .from(silences)
    .where(sql`${silences.endsAt} > ${at.toISOString()}::timestamptz`)
    .orderBy(asc(silences.startsAt));
}

/** Ends a silence now (`vigil silence --remove <id>`); false when there is no such silence. */
export async function endSilence(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(silences)
    .set({ endsAt: now })
    .where(and(eq(silences.id, id), sql`${silences.endsAt} > ${now.toISOString()}::timestamptz`))
    .returning({ id: silences.id });
  return rows.length > 0;
}
