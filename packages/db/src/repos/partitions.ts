import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { DbError } from '../errors.js';
import {
  addDays,
  daysToCover,
  isExpired,
  partitionDay,
  partitionName,
  retentionCutoff,
} from '../partition-days.js';
import { rowsOf } from '../sql.js';

/** Serialises partition maintenance between processes (distinct from the migration lock). */
const PARTITION_LOCK_KEY = 0x76696732;

export const DEFAULT_DAYS_AHEAD = 7;

/**
 * Creates the daily partitions of probe_results from the UTC day of `now` through `daysAhead` days later.
 * Rows that already landed in the default partition for such a day are moved into the new partition.
 * Returns the names created.
 */
export async function ensurePartitions(db: Db, now: Date, daysAhead = DEFAULT_DAYS_AHEAD): Promise<string[]> {
  return maintenance(db, 'create', async (tx) => {
    const existing = new Set(await listPartitions(tx));
    const created: string[] = [];
    for (const day of daysToCover(now, daysAhead)) {
      const name = partitionName(day);
      if (existing.has(name)) continue;
      await createPartition(tx, name, day);
      created.push(name);
    }
    return created;
  });
}

/**
 * Drops every daily partition whose whole day is older than `retentionDays` before `now`, and deletes
 * such rows from the default partition. Returns the names dropped.
 */
export async function dropExpiredPartitions(db: Db, now: Date, retentionDays: number): Promise<string[]> {
  return maintenance(db, 'drop', async (tx) => {
    const dropped: string[] = [];
    for (const name of await listPartitions(tx)) {
      const day = partitionDay(name);
      if (day === null || !isExpired(day, now, retentionDays)) continue;
      await tx.execute(sql`drop table ${sql.identifier(name)}`);
      dropped.push(name);
    }
    await tx.execute(
      sql`delete from probe_results_default where slot_at < ${retentionCutoff(now, retentionDays)}`,
    );
    return dropped;
  });
}

/**
 * The daily job: partitions ahead, then retention. Without `retentionDays` (vigil.yaml's `retention.results`,
 * unknown while no config is valid) nothing is dropped: a guessed retention could delete what should stay.
 */
export async function maintainPartitions(
  db: Db,
  now: Date,
  opts: { daysAhead?: number; retentionDays?: number } = {},
): Promise<{ created: string[]; dropped: string[] }> {
  const created = await ensurePartitions(db, now, opts.daysAhead);
  const dropped =
    opts.retentionDays === undefined ? [] : await dropExpiredPartitions(db, now, opts.retentionDays);
  return { created, dropped };
}

/** Names of the partitions of probe_results, the default one included, sorted. */
export async function listPartitions(db: Db): Promise<string[]> {
  const rows = await rowsOf<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'probe_results'::regclass order by 1`,
  );
  return rows.map((r) => r.name);
}

async function createPartition(tx: Db, name: string, day: Date): Promise<void> {
  const id = sql.identifier(name);
  // DDL takes no bind parameters; the bounds are ISO strings made here from a Date, never input.
  const from = sql.raw(`'${day.toISOString()}'`);
  const to = sql.raw(`'${addDays(day, 1).toISOString()}'`);
  // Writers into the default partition wait until the attach, so no row for this day can slip in between.
  await tx.execute(sql`lock table probe_results_default in share row exclusive mode`);
  await tx.execute(sql`create table ${id} (like probe_results including defaults)`);
  await tx.execute(
    sql`with moved as (delete from probe_results_default where slot_at >= ${from} and slot_at < ${to} returning *)
        insert into ${id} select * from moved`,
  );
  await tx.execute(
    sql`alter table probe_results attach partition ${id} for values from (${from}) to (${to})`,
  );
}

async function maintenance<T>(db: Db, what: 'create' | 'drop', fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`);
      return fn(tx);
    });
  } catch (cause) {
    throw new DbError('DB_PARTITION_FAILED', `cannot ${what} probe_results partitions`, { cause });
  }
}
