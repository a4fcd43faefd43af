import { sql } from 'drizzle-orm';
import { createTestDatabase } from '@vigil/testing';
import { test } from 'vitest';
import { openDb, type DbHandle } from '../client.js';
import { migrate } from '../migrate.js';

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

export interface RepoFixtures {
  /** the driver of the describe, set by `onDriver` */
  driver: DriverKind;
  /** the tables emptied before each test, set by `onDriver` */
  tables: string[];
  /** the describe's migrated database, with `tables` emptied */
  t: TestDb;
}

interface Databases {
  /** the migrated database of `kind`, opened on first use */
  open(kind: DriverKind): Promise<TestDb>;
  close(kind: DriverKind): Promise<void>;
}

/** Repository tests: in `describe.each(DRIVERS)`, call `onDriver(kind, tables)`, then take `({ t })`. */
export const repoTest = test
  .extend<{ $file: { databases: Databases } }>({
    databases: [
      // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
      async ({}, use) => {
        const open = new Map<DriverKind, Promise<TestDb>>();
        const close = async (kind: DriverKind) => {
          const t = open.get(kind);
          open.delete(kind);
          await (await t)?.cleanup();
        };
        await use({
          open(kind) {
            let t = open.get(kind);
            if (!t) {
              t = openTestDb(kind).then(async (db) => {
                await migrate(db.h);
                return db;
              });
              open.set(kind, t);
            }
            return t;
          },
          close,
        });
        for (const kind of [...open.keys()]) await close(kind);
      },
      { scope: 'file' },
    ],
  })
  .extend<RepoFixtures>({
    driver: undefined as unknown as DriverKind,
    tables: [],
    t: async ({ databases, driver, tables }, use) => {
      if (!DRIVERS.includes(driver)) throw new Error('repoTest: call onDriver(kind) in the describe');
      const t = await databases.open(driver);
      if (tables.length > 0) await t.h.db.execute(sql.raw(`truncate ${tables.join(', ')}`));
      await use(t);
    },
  });

/**
 * Runs the describe's `repoTest`s on a database of `driver`, opened and migrated before its first test and
 * closed after its last, with `tables` emptied before each test.
 */
export function onDriver(driver: DriverKind, tables: string[] = []): void {
  repoTest.override({ driver, tables });
  repoTest.beforeAll(async ({ databases }) => {
    await databases.open(driver);
  });
  repoTest.afterAll(({ databases }) => databases.close(driver));
}
