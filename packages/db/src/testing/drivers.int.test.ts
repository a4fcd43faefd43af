import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { rowsOf } from '../sql.js';
import { DRIVERS, onDriver, repoTest as it } from './drivers.js';

const count = async (t: { h: { db: Parameters<typeof rowsOf>[0] } }) =>
  (await rowsOf<{ n: number }>(t.h.db, sql`select count(*)::int as n from leases`))[0]?.n;

describe.each(DRIVERS)('repoTest on %s', (kind) => {
  onDriver(kind, ['leases']);

  it('hands the test a migrated database of the describe’s driver', async ({ t }) => {
    expect(t.url === null).toBe(kind === 'pglite');
    await t.h.db.execute(sql`insert into leases (name, holder, expires_at) values ('a', 'x', now())`);
    expect(await count(t)).toBe(1);
  });

  it('empties the tables it was given before the next test, on the same database', async ({ t }) => {
    expect(await count(t)).toBe(0);
  });
});
