import { and, asc, isNull, sql } from 'drizzle-orm';
import type { ProbeSpec } from '@vigil/core';
import type { Db } from '../client.js';
import { probes } from '../schema/index.js';
import { chunks } from '../sql.js';

export interface StoredProbe {
  id: string;
  hash: string;
  /** exactly as upserted: `${env:…}` references, never their values */
  spec: ProbeSpec;
  provider: string;
  service: string;
  createdAt: Date;
  updatedAt: Date;
  retiredAt: Date | null;
}

export interface UpsertSummary {
  /** new ids, and retired ids that came back */
  added: string[];
  /** live ids whose hash changed */
  changed: string[];
  unchanged: string[];
}

/** 8 bind parameters a row: 1,000 rows stay well below PGlite's 32,767 and Postgres' 65,535. */
const UPSERT_CHUNK = 1000;

/** Inserts new probes, rewrites changed ones (by hash) and revives retired ones, in one transaction. */
export async function upsertProbes(
  db: Db,
  list: readonly { spec: ProbeSpec; hash: string }[],
  now: Date,
): Promise<UpsertSummary> {
  const out: UpsertSummary = { added: [], changed: [], unchanged: [] };
  if (list.length === 0) return out;
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: probes.id, hash: probes.hash, retiredAt: probes.retiredAt })
      .from(probes)
      .where(sql`${probes.id} = any(${textArray(list.map((p) => p.spec.id))})`)
      .for('update');
    const before = new Map(rows.map((r) => [r.id, r]));
    const write: (typeof probes.$inferInsert)[] = [];
    for (const { spec, hash } of list) {
      const prev = before.get(spec.id);
      if (!prev || prev.retiredAt !== null) out.added.push(spec.id);
      else if (prev.hash !== hash) out.changed.push(spec.id);
      else {
        out.unchanged.push(spec.id);
        continue;
      }
      write.push({
        id: spec.id,
        spec,
        hash,
        provider: spec.provider,
        service: spec.service,
        createdAt: now,
        updatedAt: now,
        retiredAt: null,
      });
    }
    for (const rows of chunks(write, UPSERT_CHUNK)) {
      await tx
        .insert(probes)
        .values(rows)
        .onConflictDoUpdate({
          target: probes.id,
          set: {
            spec: sql`excluded.spec`,
            hash: sql`excluded.hash`,
            provider: sql`excluded.provider`,
            service: sql`excluded.service`,
            updatedAt: sql`excluded.updated_at`,
            retiredAt: sql`null`,
          },
        });
    }
  });
  return out;
}

/** Marks every live probe not in `keepIds` as retired at `now`, keeping its row and results. */
export async function retireProbes(db: Db, keepIds: readonly string[], now: Date): Promise<string[]> {
  const rows = await db
    .update(probes)
    .set({ retiredAt: now, updatedAt: now })
    .where(and(isNull(probes.retiredAt), sql`not (${probes.id} = any(${textArray(keepIds)}))`))
    .returning({ id: probes.id });
  return rows.map((r) => r.id).sort();
}

export async function listProbes(db: Db, opts: { includeRetired?: boolean } = {}): Promise<StoredProbe[]> {
  return db
    .select()
    .from(probes)
    .where(opts.includeRetired ? undefined : isNull(probes.retiredAt))
    .orderBy(asc(probes.id));
}

/** The stored probes among `ids`, retired ones included, ordered by id. */
export async function getProbes(db: Db, ids: readonly string[]): Promise<StoredProbe[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(probes)
    .where(sql`${probes.id} = any(${textArray(ids)})`)
    .orderBy(asc(probes.id));
}

/** One bind parameter however many ids: a JSON array unpacked by Postgres, identical on both drivers. */
function textArray(ids: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}
