import { migrate, openDb, type DbHandle } from '@vigil/db';
import { createTestDatabase } from '@vigil/testing';

export const DRIVERS = ['postgres', 'pglite'] as const;

/** A migrated database of either kind; `url` lets a test open a second handle like another process. */
export async function testDb(
  kind: (typeof DRIVERS)[number],
): Promise<{ h: DbHandle; url: string | null; cleanup(): Promise<void> }> {
  if (kind === 'pglite') {
    const h = await openDb({ dataDir: 'memory://' });
    await migrate(h);
    return { h, url: null, cleanup: () => h.close() };
  }
  const t = await createTestDatabase('vigil_eval');
  const h = await openDb({ url: t.url, poolSize: 4 });
  await migrate(h);
  return {
    h,
    url: t.url,
    async cleanup() {
      await h.close();
      await t.drop();
    },
  };
}
