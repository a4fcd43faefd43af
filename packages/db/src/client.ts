import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import * as schema from './schema/index.js';
import { DbError } from './errors.js';

export type Schema = typeof schema;

/** What every repository takes first: a node-postgres or PGlite database, or a transaction of either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres://… ; takes precedence over dataDir */
  url?: string;
  /** the Unix socket of a process that serves its embedded store (see openEmbeddedStore) */
  socket?: { folder: string; port: number };
  /**
   * PGlite data directory; `memory://` for tests. A directory on disk must have one owner process:
   * open it with openEmbeddedStore, which takes the state dir's lock, never with this directly.
   */
  dataDir?: string;
  /** @defaultValue 10 */
  poolSize?: number;
  /** errors of idle pooled connections (e.g. Postgres restarted); the next query reports its own failure */
  onError?: (err: Error) => void;
}

export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.url || opts.socket) {
    const pool = new pg.Pool(
      opts.socket
        ? {
            host: opts.socket.folder,
            port: opts.socket.port,
            user: 'postgres',
            database: 'template1',
            max: opts.poolSize ?? 1,
          }
        : { connectionString: opts.url, max: opts.poolSize ?? 10 },
    );
    // Without a listener an idle client's error would crash the process; the pool drops that client.
    pool.on('error', (err) => opts.onError?.(err));
    return {
      db: drizzlePg(pool, { schema }),
      kind: 'postgres',
      close: () => pool.end(),
    };
  }
  if (opts.dataDir) {
    let client: PGlite;
    try {
      if (!opts.dataDir.includes('://')) await mkdir(opts.dataDir, { recursive: true });
      client = await PGlite.create(opts.dataDir);
    } catch (cause) {
      throw new DbError('DB_CONFIG', `cannot open PGlite at ${opts.dataDir}`, { cause });
    }
    return {
      db: drizzlePglite(client, { schema }),
      kind: 'pglite',
      close: () => client.close(),
    };
  }
  throw new DbError('DB_CONFIG', 'openDb needs a url (Postgres) or a dataDir (PGlite)');
}
