import pg from 'pg';
import { Redis } from 'ioredis';
import { BenchError } from './errors.js';
import { parentPid } from './proc.js';

/** The pid of the Redis server at `url`, from its own INFO (only valid when it runs on this machine). */
export async function redisPid(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    const info = await client.info('server');
    const m = /^process_id:(\d+)/m.exec(info);
    if (!m) throw new BenchError('PROC', 'Redis INFO has no process_id');
    return Number(m[1]);
  } finally {
    client.disconnect();
  }
}

/**
 * The Postgres processes serving the bench: backends connected to `dbName`, the server's own
 * background processes (WAL writer, checkpointer, …) and the postmaster. Backends of other databases
 * (other people's tests on a shared machine) are left out.
 */
export async function postgresPids(adminUrl: string, dbName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity where (datname = $1 or datname is null) and pid <> pg_backend_pid()`,
      [dbName],
    );
    const pids = rows.map((r) => r.pid);
    const self = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    const postmaster = self === undefined ? null : await parentPid(self);
    if (postmaster !== null) pids.push(postmaster);
    return pids;
  } finally {
    await client.end();
  }
}

/** Transactions (statements outside a transaction count as one each) run so far on database `dbName`. */
export async function transactionsOf(adminUrl: string, dbName: string): Promise<number> {
  const rows = await query<{ n: string }>(
    adminUrl,
    'select xact_commit + xact_rollback as n from pg_stat_database where datname = $1',
    [dbName],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Rows stored in probe_results of the database at `url`, all of them or those with slot_at in [from, to). */
export async function countResults(url: string, slots?: { from: number; to: number }): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    slots
      ? 'select count(*) as n from probe_results where slot_at >= $1 and slot_at < $2'
      : 'select count(*) as n from probe_results',
    slots ? [new Date(slots.from), new Date(slots.to)] : [],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Stored results that were not up, by outcome and error class. */
export async function notUpResults(
  url: string,
): Promise<{ outcome: string; errorClass: string | null; n: number }[]> {
  const rows = await query<{ outcome: string; error_class: string | null; n: string }>(
    url,
    `select outcome, error_class, count(*) as n from probe_results where outcome <> 'up'
     group by 1, 2 order by 3 desc`,
  );
  return rows.map((r) => ({ outcome: r.outcome, errorClass: r.error_class, n: Number(r.n) }));
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
