import { sql } from 'drizzle-orm';
import type { DbHandle } from './client.js';
import { rowsOf } from './sql.js';

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export class ApiRoleError extends Error {}

/**
 * Grants the web surface's database role what it needs and no more: read every table (and the daily
 * partitions created later), write silences and the acknowledgement columns of incidents. Run after the
 * migrations by the schema owner (`vigil migrate --api-role <name>`); the role itself must exist.
 */
export async function grantApiRole(h: DbHandle, role: string): Promise<void> {
  if (h.kind !== 'postgres') throw new ApiRoleError('an api role needs a Postgres server (DATABASE_URL)');
  if (!ROLE.test(role)) throw new ApiRoleError(`--api-role ${role}: expected a lower-case SQL identifier`);
  const r = sql.identifier(role);
  await h.db.transaction(async (tx) => {
    const found = await rowsOf(
      tx as unknown as DbHandle['db'],
      sql`select 1 from pg_roles where rolname = ${role}`,
    );
    if (found.length === 0) throw new ApiRoleError(`--api-role ${role}: no such role on the server`);
    await tx.execute(sql`grant usage on schema public to ${r}`);
    await tx.execute(sql`grant select on all tables in schema public to ${r}`);
    await tx.execute(sql`alter default privileges in schema public grant select on tables to ${r}`);
    await tx.execute(sql`grant insert, update, delete on silences to ${r}`);
    await tx.execute(
      sql`grant update (acknowledged_at, acknowledged_by, acknowledge_note, updated_at) on incidents to ${r}`,
    );
  });
}
