import { createTestDatabase } from '@vigil/testing';
import { openDb, type DbHandle } from '../client.js';

export const DRIVERS = ['postgres', 'pglite'] as const;
export type DriverKind = (typeof DRIVERS)[number];

export interface TestDb {
  h: DbHandle;
  /** the Postgres url, so a test can open a second handle as another process would; null for PGlite */
  url: string | null;
  /** closes the handle and drops the database */
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the given kind: its own Postgres database, or an in-memory PGlite. */
export async function openTestDb(kind: DriverKind, poolSize = 4): Promise<TestDb> {
  if (kind === 'pglite') {
    const h = await openDb({ dataDir: 'memory://' });
    return { h, url: null, cleanup: () => h.close() };
  }
  const t = await createTestDatabase('vigil_db');
  const h = await openDb({ url: t.url, poolSize });
  return {
    h,
    url: t.url,
    async cleanup() {
      await h.close();
      await t.drop();
    },
  };
}
