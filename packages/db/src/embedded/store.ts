import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { openDb, type DbHandle } from '../client.js';
import { DbError } from '../errors.js';
import * as schema from '../schema/index.js';
import { acquireStoreLock, type LockHolder, type StoreLock } from './lock.js';
import { serveSocket, socketFile, SOCKET_PORT, type SocketServer } from './serve.js';

export interface EmbeddedStoreOptions {
  /** the state dir: the lock file, and PGlite's data under `pgdata/` */
  dir: string;
  /** what this process is, for the lock file and for the messages of others (`run`, `status`, …) */
  command: string;
  /** serve the store to other commands over a Unix socket while this process owns it (`vigil run`) */
  serve?: boolean;
  /** refuse with DB_BUSY instead of going through another process that serves the store */
  own?: boolean;
  /** how long to wait for a process that holds the store without serving it @defaultValue 120000 */
  waitMs?: number;
  /** called once when this process has to wait for another one */
  onWait?: (holder: LockHolder) => void;
  onError?: (err: Error) => void;
}

export interface EmbeddedStore extends DbHandle {
  /** `owner`: this process opened PGlite; `client`: it reaches the owner's PGlite through its socket */
  role: 'owner' | 'client';
  /** the process that owns the store, when this is a client */
  owner: LockHolder | null;
}

/** The lock holder's command and pid as a user reads them, e.g. "`vigil run` (pid 4242)". */
export function describeHolder(h: LockHolder): string {
  const where = h.hostname ? ` on ${h.hostname}` : '';
  return `\`vigil ${h.command}\` (pid ${h.pid}${where}, since ${new Date(h.since).toISOString()})`;
}

/**
 * Opens the embedded store of a state dir with exactly one process owning PGlite: the first one takes the
 * dir's lock and opens it; while it serves (`vigil run`), every other command reaches the same database
 * through it with the ordinary `pg` driver; while it holds the store only for one command, others wait.
 * Two PGlite instances on one data dir corrupt it; nothing here ever opens a second one.
 */
export async function openEmbeddedStore(o: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const dir = resolve(o.dir);
  const deadline = Date.now() + (o.waitMs ?? 120_000);
  let waited = false;
  for (;;) {
    const got = await acquireStoreLock(dir, { command: o.command, mode: o.serve ? 'serving' : 'exclusive' });
    if ('lock' in got) return own(dir, got.lock, o);
    const holder = got.holder;
    if (holder.mode === 'serving' && o.own) {
      throw new DbError(
        'DB_BUSY',
        `the embedded store ${dir} is in use by ${describeHolder(holder)}; stop it first, or set DATABASE_URL to use a Postgres server`,
      );
    }
    if (holder.mode === 'serving' && holder.socket) {
      const client = await connect(holder, o).catch(() => null);
      if (client) return client;
    }
    if (Date.now() > deadline) {
      throw new DbError('DB_BUSY', `timed out waiting for ${describeHolder(holder)} to release ${dir}`);
    }
    if (!waited) o.onWait?.(holder);
    waited = true;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function own(dir: string, lock: StoreLock, o: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const dataDir = join(dir, 'pgdata');
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (cause) {
    await lock.release();
    throw new DbError('DB_CONFIG', `cannot open PGlite at ${dataDir}`, { cause });
  }
  let server: SocketServer | null = null;
  try {
    if (o.serve) {
      server = await serveSocket(client, socketFolder(dir), { onError: o.onError });
      await lock.update({ socket: server.folder });
    }
  } catch (cause) {
    await client.close().catch(() => undefined);
    await lock.release();
    throw new DbError('DB_CONFIG', `cannot serve the embedded store of ${dir}`, { cause });
  }
  let closing: Promise<void> | null = null;
  return {
    db: drizzlePglite(client, { schema }),
    kind: 'pglite',
    role: 'owner',
    owner: null,
    close() {
      closing ??= (async () => {
        try {
          await server?.close();
          await client.close();
        } finally {
          await lock.release();
        }
      })();
      return closing;
    },
  };
}

async function connect(holder: LockHolder, o: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const h = await openDb({
    socket: { folder: holder.socket ?? '', port: SOCKET_PORT },
    poolSize: 1,
    onError: o.onError,
  });
  try {
    await h.db.execute(sql`select 1`);
  } catch (err) {
    await h.close().catch(() => undefined);
    throw err;
  }
  return { ...h, role: 'client', owner: holder };
}

/** `<dir>/run` unless that path is too long for a Unix socket (108 bytes), then a private folder in tmp. */
export function socketFolder(dir: string): string {
  const folder = join(dir, 'run');
  if (Buffer.byteLength(socketFile(folder)) < 104) return folder;
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return join(tmpdir(), `vigil-${id}`);
}
