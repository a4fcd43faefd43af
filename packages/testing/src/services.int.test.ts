import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, createTestRedis } from './services.js';

describe('test services', () => {
  it('creates and drops an isolated database', async () => {
    const db = await createTestDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query('select current_database() as name');
    await c.end();
    expect(r.rows[0].name).toBe(db.name);
    await db.drop();
  });

  it('cleans every key under its prefix', async () => {
    const r = await createTestRedis();
    await r.client.set(`${r.prefix}:a`, '1');
    const other = await createTestRedis();
    await r.cleanup();
    expect(await other.client.exists(`${r.prefix}:a`)).toBe(0);
    await other.cleanup();
  });
});
