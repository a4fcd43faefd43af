import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWorkerRole } from '@vigil/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { redisCli } from './support/redis-cli.js';
import { silentLog, testDb, type TestDb } from './support/stack.js';

const workerMain = fileURLToPath(new URL('../../apps/worker/src/main.ts', import.meta.url));

describe('a worker on a Redis that may evict keys', () => {
  let redis: PrivateRedis;
  let db: TestDb;

  beforeEach(async () => {
    redis = await startPrivateRedis({ maxmemoryPolicy: 'allkeys-lru' });
    db = await testDb();
  });
  afterEach(async () => {
    await redis.stop();
    await db.close();
  });

  const clients = async () =>
    Number((await redisCli(redis.url, 'INFO', 'clients')).match(/connected_clients:(\d+)/)?.[1]);
  const start = () =>
    startWorkerRole({
      region: 'eu',
      redisUrl: redis.url,
      db: db.handle.db,
      env: {},
      clock: { now: () => Date.now() },
      log: silentLog,
    });

  it('refuses to start, leaving no connection open, and starts once the policy is noeviction', async () => {
    const before = await clients();
    await expect(start()).rejects.toMatchObject({ code: 'EVICTION_POLICY' });
    expect(await clients()).toBe(before);
    expect(await redisCli(redis.url, 'KEYS', '*')).toBe('(empty array)');

    await redisCli(redis.url, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    const role = await start();
    await role.close();
  });

  it('as a process, exits with an error naming the policy', async () => {
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', workerMain],
        {
          env: { ...process.env, REDIS_URL: redis.url, DATABASE_URL: db.url, REGION: 'eu' },
          timeout: 20_000,
        },
        (err, _stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }),
      );
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('noeviction');
  });
});
