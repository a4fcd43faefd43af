import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../sql.js';
import { result } from '../testing/builders.js';
import { DRIVERS, onDriver, repoTest as it, type TestDb } from '../testing/drivers.js';
import { dropExpiredPartitions, ensurePartitions, listPartitions, maintainPartitions } from './partitions.js';
import { insertResults, queryResults } from './results.js';

const NOW = new Date('2025-03-01T15:00:00Z');
const at = (iso: string) => Date.parse(iso);

/** Back to the state right after migrate: only the default partition, no rows. */
async function reset(t: TestDb): Promise<void> {
  for (const name of await listPartitions(t.h.db))
    if (name !== 'probe_results_default') await t.h.db.execute(sql`drop table ${sql.identifier(name)}`);
  await t.h.db.execute(sql`truncate probe_results`);
}

async function rowsIn(t: TestDb, table: string): Promise<number> {
  const r = await rowsOf<{ n: number }>(t.h.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return r[0]?.n ?? -1;
}

describe.each(DRIVERS)('partitions on %s', (kind) => {
  onDriver(kind);
  it.beforeEach(({ t }) => reset(t));

  it('creates one partition per UTC day from today through the days ahead, once', async ({ t }) => {
    expect(await ensurePartitions(t.h.db, NOW, 2)).toEqual([
      'probe_results_20250301',
      'probe_results_20250302',
      'probe_results_20250303',
    ]);
    expect(await ensurePartitions(t.h.db, NOW, 2)).toEqual([]);
    expect(await ensurePartitions(t.h.db, NOW)).toHaveLength(5);
    expect(await listPartitions(t.h.db)).toHaveLength(9);
  });

  it('lets concurrent calls create each partition once', async ({ t }) => {
    const [a, b] = await Promise.all([ensurePartitions(t.h.db, NOW, 3), ensurePartitions(t.h.db, NOW, 3)]);
    expect([...a, ...b].sort()).toEqual([
      'probe_results_20250301',
      'probe_results_20250302',
      'probe_results_20250303',
      'probe_results_20250304',
    ]);
  });

  it('routes each result to its day and moves rows that landed in the default partition', async ({ t }) => {
    const early = result({ slotAt: at('2025-03-02T00:00:00Z') });
    const late = result({ slotAt: at('2025-03-02T23:59:59.999Z'), region: 'us-east' });
    await insertResults(t.h.db, [early, late]);
    expect(await rowsIn(t, 'probe_results_default')).toBe(2);

    await ensurePartitions(t.h.db, NOW, 1);
    expect(await rowsIn(t, 'probe_results_default')).toBe(0);
    expect(await rowsIn(t, 'probe_results_20250302')).toBe(2);
    expect(await insertResults(t.h.db, [early])).toBe(0);
    const today = result({ slotAt: at('2025-03-01T23:59:59.999Z') });
    expect(await insertResults(t.h.db, [today])).toBe(1);
    expect(await rowsIn(t, 'probe_results_20250301')).toBe(1);
    expect(
      await queryResults(t.h.db, {
        from: new Date('2025-03-01T00:00:00Z'),
        to: new Date('2025-03-03T00:00:00Z'),
      }),
    ).toEqual([today, early, late]);
  });

  it('drops the days past retention, and old rows in the default partition, keeping the rest', async ({
    t,
  }) => {
    await ensurePartitions(t.h.db, NOW, 2);
    await insertResults(t.h.db, [
      result({ slotAt: at('2025-03-01T12:00:00Z') }),
      result({ slotAt: at('2025-03-03T12:00:00Z') }),
      result({ slotAt: at('2025-02-20T12:00:00Z') }),
    ]);
    // the 2025-03-01 partition holds slots up to 2025-03-02T00:00, so it expires 35 days after that
    expect(await dropExpiredPartitions(t.h.db, new Date('2025-04-05T23:59:59Z'), 35)).toEqual([]);
    expect(await dropExpiredPartitions(t.h.db, new Date('2025-04-06T00:00:00Z'), 35)).toEqual([
      'probe_results_20250301',
    ]);
    expect(await rowsIn(t, 'probe_results_default')).toBe(0);
    const left = await queryResults(t.h.db, { from: new Date(0), to: new Date('2030-01-01T00:00:00Z') });
    expect(left.map((r) => new Date(r.slotAt).toISOString())).toEqual(['2025-03-03T12:00:00.000Z']);
  });

  it('runs the daily job: partitions ahead of the injected now, retention behind it', async ({ t }) => {
    await ensurePartitions(t.h.db, NOW, 0);
    const later = new Date('2025-04-10T01:00:00Z');
    const res = await maintainPartitions(t.h.db, later, { daysAhead: 1, retentionDays: 35 });
    expect(res).toEqual({
      created: ['probe_results_20250410', 'probe_results_20250411'],
      dropped: ['probe_results_20250301'],
    });
  });

  it('drops nothing when the daily job is given no retention (no valid config yet)', async ({ t }) => {
    await ensurePartitions(t.h.db, NOW, 0);
    const later = new Date('2026-01-01T01:00:00Z');
    const res = await maintainPartitions(t.h.db, later, { daysAhead: 0 });
    expect(res).toEqual({ created: ['probe_results_20260101'], dropped: [] });
    expect(await listPartitions(t.h.db)).toContain('probe_results_20250301');
  });
});
