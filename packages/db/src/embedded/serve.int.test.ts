import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readyStatus, serveSocket, SOCKET_PORT, type SocketServer } from './serve.js';

let dir: string;
let db: PGlite;
let server: SocketServer;
let pool: pg.Pool;

const count = async (q: PGlite | pg.Pool): Promise<number> => {
  const text = 'select count(*)::int as n from t';
  const r = q instanceof PGlite ? await q.query<{ n: number }>(text) : await q.query<{ n: number }>(text);
  return r.rows[0]!.n;
};

const connection = () => ({
  host: server.folder,
  port: SOCKET_PORT,
  user: 'postgres',
  database: 'template1',
});

/** Resolves once `p` has settled or a few event-loop turns passed: tells "still waiting" from "done". */
async function settledSoon(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return settled;
}

describe('serving PGlite over a Unix socket', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-serve-'));
    db = await PGlite.create('memory://');
    await db.exec('create table t (id int primary key, who text)');
    server = await serveSocket(db, join(dir, 'run'), { idleInTransactionMs: 200 });
    pool = new pg.Pool({ ...connection(), max: 4 });
  });

  afterEach(async () => {
    await pool.end();
    await server.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers an ordinary pg client, with parameters and types', async () => {
    const r = await pool.query<{ x: number; s: string; at: Date }>(
      'select $1::int as x, $2::text as s, now() as at',
      [7, 'ok'],
    );
    expect(r.rows[0]).toMatchObject({ x: 7, s: 'ok' });
    expect(r.rows[0]!.at).toBeInstanceOf(Date);
  });

  it('keeps a client’s transaction to itself: the owner waits and never sees its rolled-back rows', async () => {
    const c = await pool.connect();
    await c.query('begin');
    await c.query(`insert into t values (1, 'client')`);
    const ownerRead = count(db);
    expect(await settledSoon(ownerRead)).toBe(false);
    await c.query('rollback');
    c.release();
    expect(await ownerRead).toBe(0);
  });

  it('keeps the owner’s transaction to itself: a client waits for its end', async () => {
    let finish!: () => void;
    const open = new Promise<void>((r) => (finish = r));
    const tx = db.transaction(async (t) => {
      await t.query(`insert into t values (2, 'owner')`);
      await open;
      await t.rollback();
    });
    const clientRead = count(pool);
    expect(await settledSoon(clientRead)).toBe(false);
    finish();
    await tx;
    expect(await clientRead).toBe(0);
  });

  it('serves concurrent clients with extended-protocol queries without mixing them', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 10);
    const rows = await Promise.all(
      ids.map((id) =>
        pool.query<{ id: number }>('insert into t values ($1, $2) returning id', [id, `c${id}`]),
      ),
    );
    expect(rows.map((r) => r.rows[0]!.id)).toEqual(ids);
    expect(await count(db)).toBe(40);
  });

  it('rolls back and lets go when a client disconnects inside a transaction', async () => {
    const c = new pg.Client(connection());
    c.on('error', () => undefined);
    await c.connect();
    await c.query('begin');
    await c.query(`insert into t values (3, 'gone')`);
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await count(db)).toBe(0);
    expect(db.isInTransaction()).toBe(false);
  });

  it('closes a connection idle inside a transaction, so the owner is not blocked for ever', async () => {
    const c = new pg.Client(connection());
    const ended = new Promise<void>((r) => c.on('error', () => r()).on('end', () => r()));
    await c.connect();
    await c.query('begin');
    await c.query(`insert into t values (4, 'idle')`);
    await ended;
    expect(await count(db)).toBe(0);
  });
});

describe('readyStatus', () => {
  const rfq = (s: string) => [0x5a, 0, 0, 0, 5, s.charCodeAt(0)];
  it.each([
    ['idle', Uint8Array.from(rfq('I')), 'I'],
    [
      'in a transaction, after other messages',
      Uint8Array.from([0x43, 0, 0, 0, 9, 66, 69, 71, 73, 0, ...rfq('T')]),
      'T',
    ],
    ['failed transaction', Uint8Array.from(rfq('E')), 'E'],
    ['no ReadyForQuery yet (mid extended protocol)', Uint8Array.from([0x31, 0, 0, 0, 4]), null],
    ['empty', new Uint8Array(0), null],
  ])('%s', (_name, bytes, want) => {
    expect(readyStatus(bytes)).toBe(want);
  });
});
