import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { openDb } from './client.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, MIGRATIONS_FOLDER } from './migrate.js';
import { probeResults } from './schema/index.js';
import { rowsOf } from './sql.js';
import { DRIVERS, openTestDb, type TestDb } from './testing/drivers.js';

/** every migration drizzle-kit has written, in order (the new ones included) */
function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((e) => e.tag);
}

describe.each(DRIVERS)('migrate on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('applies every migration once into a partitioned probe_results; a second run finds nothing to do', async () => {
    t = await openTestDb(kind);
    const first = await migrate(t.h);
    expect(first.applied).toEqual(journalTags());
    expect(await migrate(t.h)).toEqual({ applied: [] });

    // probe_results is partitioned by range of slot_at, with a default partition and the schema's key
    const part = await rowsOf<{ strategy: string; key: string }>(
      t.h.db,
      sql`select partstrat as strategy, pg_get_partkeydef(partrelid) as key from pg_partitioned_table
          where partrelid = 'probe_results'::regclass`,
    );
    expect(part).toEqual([{ strategy: 'r', key: 'RANGE (slot_at)' }]);
    const parts = await rowsOf<{ name: string }>(
      t.h.db,
      sql`select inhrelid::regclass::text as name from pg_inherits where inhparent = 'probe_results'::regclass`,
    );
    expect(parts.map((p) => p.name)).toEqual(['probe_results_default']);
    const cfg = getTableConfig(probeResults);
    const indexes = await rowsOf<{ name: string }>(
      t.h.db,
      sql`select indexname as name from pg_indexes where tablename = 'probe_results' order by 1`,
    );
    expect(indexes.map((i) => i.name)).toEqual(
      [cfg.primaryKeys[0]?.getName(), ...cfg.indexes.map((i) => i.config.name)].sort(),
    );
  });

  it('lets two processes migrate at once: both succeed and each migration is applied once', async () => {
    t = await openTestDb(kind);
    // PGlite has a single connection, so its second "process" is the same handle
    const other = t.url === null ? t.h : await openDb({ url: t.url, poolSize: 1 });
    const [a, b] = await Promise.all([migrate(t.h), migrate(other)]).finally(() =>
      other === t?.h ? undefined : other.close(),
    );
    expect([...a.applied, ...b.applied].sort()).toEqual(journalTags());
    const rows = await rowsOf<{ n: number }>(
      t.h.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows[0]?.n).toBe(journalTags().length);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    t = await openTestDb(kind);
    const folder = mkdtempSync(join(tmpdir(), 'vigil-mig-'));
    try {
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      await migrate(t.h, { migrationsFolder: folder });
      appendFileSync(join(folder, '0000_init.sql'), '\n-- edited');
      await expect(migrate(t.h, { migrationsFolder: folder })).rejects.toMatchObject({
        code: 'DB_MIGRATION_CHANGED',
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
