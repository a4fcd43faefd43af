import { chmod, mkdir, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** The port number in the socket's file name; the socket is reached as host=<folder>, port=5432. */
export const SOCKET_PORT = 5432;
export const socketFile = (folder: string) => join(folder, `.s.PGSQL.${SOCKET_PORT}`);

/** PGlite's two mutexes: one held by `query()`/`transaction()`, one for each protocol exchange. */
interface PGliteInternals {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
}

export interface ServeOptions {
  /** a connection inside a transaction that sends nothing for this long is closed (its work rolled back) @defaultValue 30000 */
  idleInTransactionMs?: number;
  onError?: (err: Error) => void;
}

export interface SocketServer {
  folder: string;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);
const ROLLBACK = simpleQuery('ROLLBACK');

/**
 * Serves an open PGlite over a Unix socket to ordinary Postgres clients (`pg`, psql), so that commands
 * reach the store through the one process that owns it. PGlite has one backend: each connection holds it,
 * as one session, from its first message until the backend is idle again (ReadyForQuery 'I'), so a
 * client's transaction or extended-protocol exchange never interleaves with the owner's queries or
 * another client's.
 */
export async function serveSocket(
  pg: PGlite,
  folder: string,
  opts: ServeOptions = {},
): Promise<SocketServer> {
  const db = pg as unknown as PGliteInternals;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = socketFile(folder);
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const session = new Session(db, socket, opts);
    socket.on('close', () => {
      sockets.delete(socket);
      void session.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(path, 0o600);
  server.on('error', (err) => opts.onError?.(err));
  return {
    folder,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await unlink(path).catch(() => undefined);
    },
  };
}

class Session {
  private buffer = Buffer.alloc(0);
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  /** set while this connection holds PGlite */
  private release: (() => void) | null = null;
  private ended = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: PGliteInternals,
    private readonly socket: Socket,
    private readonly opts: ServeOptions,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let m = this.nextMessage(); m; m = this.nextMessage()) {
        const next = m;
        this.chain = this.chain.then(() => this.handle(next)).catch((err: Error) => this.fail(err));
      }
    });
    socket.on('error', () => socket.destroy());
  }

  /** Ends the session: an open transaction or exchange is rolled back before PGlite is let go. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.chain;
    if (!this.release) return;
    try {
      let status = readyStatus(await this.exec(SYNC));
      if (status !== 'I') status = readyStatus(await this.exec(ROLLBACK));
    } catch (err) {
      this.opts.onError?.(err as Error);
    } finally {
      this.letGo();
    }
  }

  /** The next complete frontend message; before startup they carry no type byte. */
  private nextMessage(): Message | null {
    const b = this.buffer;
    const untyped = !this.started;
    if (b.length < (untyped ? 8 : 5)) return null;
    const length = untyped ? b.readInt32BE(0) : 1 + b.readInt32BE(1);
    if (length < (untyped ? 8 : 5)) {
      this.socket.destroy();
      return null;
    }
    if (b.length < length) return null;
    const bytes = new Uint8Array(b.subarray(0, length));
    this.buffer = b.subarray(length);
    if (!untyped) return { bytes, code: null };
    const code = b.readInt32BE(4);
    if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) this.started = true;
    return { bytes, code };
  }

  private async handle({ bytes: message, code }: Message): Promise<void> {
    if (this.ended) return;
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) return void this.socket.write('N');
    if (code === CANCEL_REQUEST) return void this.socket.end();
    if (code === null && message[0] === 0x58) {
      // Terminate: the backend is shared, so it is not passed on; the session ends with the socket
      this.socket.end();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.hold();
    const reply = await this.exec(message);
    if (reply.length > 0 && !this.socket.destroyed) this.socket.write(reply);
    const status = readyStatus(reply);
    if (status === 'I') this.letGo();
    else if (status === 'T' || status === 'E') this.armIdleTimer();
  }

  private exec(message: Uint8Array): Promise<Uint8Array> {
    return this.db.runExclusive(() => this.db.execProtocolRaw(message));
  }

  private hold(): Promise<void> {
    if (this.release) return Promise.resolve();
    return new Promise<void>((held) => {
      void this.db._runExclusiveTransaction(
        () =>
          new Promise<void>((done) => {
            this.release = done;
            held();
          }),
      );
    });
  }

  private letGo(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }

  private armIdleTimer(): void {
    const ms = this.opts.idleInTransactionMs ?? 30_000;
    this.idleTimer = setTimeout(() => this.socket.destroy(), ms);
    this.idleTimer.unref();
  }

  private fail(err: Error): void {
    this.opts.onError?.(err);
    this.socket.destroy();
  }
}

/** A frontend message; `code` is the protocol or request code of an untyped (startup-phase) one. */
interface Message {
  bytes: Uint8Array;
  code: number | null;
}

/** The status byte of the last ReadyForQuery in a backend reply ('I' idle, 'T' in transaction, 'E' failed). */
export function readyStatus(reply: Uint8Array): 'I' | 'T' | 'E' | null {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  let status: 'I' | 'T' | 'E' | null = null;
  for (let at = 0; at + 5 <= reply.length;) {
    const type = reply[at];
    const length = view.getInt32(at + 1);
    if (type === 0x5a && length === 5) status = String.fromCharCode(reply[at + 5] ?? 0) as 'I' | 'T' | 'E';
    at += 1 + length;
  }
  return status;
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const out = Buffer.alloc(5 + body.length);
  out.write('Q', 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return new Uint8Array(out);
}
