import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILLs the server: without persistence every key is gone when it starts again */
  kill(): Promise<void>;
  /** starts it again on the same port */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** @defaultValue 'noeviction' */
  maxmemoryPolicy?: string;
  /** more `--name value` arguments, e.g. ['--stream-node-max-entries', '1'] */
  args?: string[];
}

/** A redis-server of the test's own, on a free port in a temp dir, so the test may kill or flush it. */
export async function startPrivateRedis(o: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const c = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        o.maxmemoryPolicy ?? 'noeviction',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child = c;
    let out = '';
    c.stdout!.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      c.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
      c.stdout!.on('data', (d: string) => {
        out += d;
        if (out.includes('Ready to accept connections')) resolve();
      });
    });
    c.stdout!.resume();
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGKILL');
    await once(c, 'exit');
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
