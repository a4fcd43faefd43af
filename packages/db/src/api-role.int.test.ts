import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '@vigil/testing';
import { ApiRoleError, grantApiRole } from './api-role.js';
import { openDb, type DbHandle } from './client.js';
import { migrate } from './migrate.js';

let t: TestDatabase;
let h: DbHandle;
let role: string;
const admin = async (q: string) => {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
};
beforeEach(async () => {
  t = await createTestDatabase('vigil_role');
  h = await openDb({ url: t.url, poolSize: 2 });
  await migrate(h);
  role = uniqueName('vigil_api').toLowerCase();
  await admin(`create role ${role} login password 'api'`);
});
afterEach(async () => {
  await h.close();
  await t.drop();
  const c = new pg.Client({ connectionString: t.url.replace(/\/[^/]+$/, '/postgres') });
  await c.connect();
  await c.query(`drop role if exists ${role}`);
  await c.end();
});

it('lets the api role read everything and write only silences and acknowledgements', async () => {
  await grantApiRole(h, role);
  const url = new URL(t.url);
  url.username = role;
  url.password = 'api';
  const as = new pg.Client({ connectionString: url.toString() });
  await as.connect();
  try {
    await as.query('select count(*) from probe_results');
    await as.query('select count(*) from incidents');
    await as.query('select count(*) from rollups_hourly');
    const denied = await as
      .query(
        `insert into probes (id, hash, spec, provider, service, created_at, updated_at) values ('x', 'h', '{}', 'p', 's', now(), now())`,
      )
      .then(
        () => null,
        (e: Error) => e.message,
      );
    expect(denied).toMatch(/permission denied/);
    const deniedUpdate = await as.query(`update incidents set title = 'x'`).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(deniedUpdate).toMatch(/permission denied/);
    await as.query(
      `update incidents set acknowledged_by = 'ana', acknowledged_at = now(), updated_at = now()`,
    );
    await as.query(`delete from silences where id = '${randomUUID()}'`);
  } finally {
    await as.end();
  }
});

it('names what is wrong with the role', async () => {
  await expect(grantApiRole(h, 'Robert"; drop')).rejects.toThrow(ApiRoleError);
  await expect(grantApiRole(h, 'no_such_role_here')).rejects.toThrow(/no such role on the server/);
  const embedded = await openDb({ dataDir: 'memory://' });
  await expect(grantApiRole(embedded, role)).rejects.toThrow(/needs a Postgres server/);
  await embedded.close();
});
