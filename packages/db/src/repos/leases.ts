import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { leases } from '../schema/index.js';

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`; true when `holder` holds it now.
 * Another holder's lease is taken over only once it has expired.
 */
export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const rows = await db
    .insert(leases)
    .values({ name, holder, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt },
      where: sql`${leases.holder} = ${holder} or ${leases.expiresAt} <= ${now}`,
    })
    .returning({ holder: leases.holder });
  return rows[0]?.holder === holder;
}

/**
 * Inside a transaction: locks the lease row and says whether `holder` still holds it at `now`. A writer
 * that checks this first cannot commit after another process took the lease over (fencing).
 */
export async function holdsLease(db: Db, name: string, holder: string, now: Date): Promise<boolean> {
  const rows = await db
    .select({ holder: leases.holder, expiresAt: leases.expiresAt })
    .from(leases)
    .where(eq(leases.name, name))
    .for('update');
  const row = rows[0];
  return row !== undefined && row.holder === holder && row.expiresAt.getTime() > now.getTime();
}

/** Gives the lease up at once (on shutdown), so another process need not wait for it to expire. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}
